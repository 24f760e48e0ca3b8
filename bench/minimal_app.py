"""The baseline: the least a Flask page can cost under the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)

PAGE = "<!doctype html><html lang=en><title>Minimal</title><h1>Hello</h1><p>A small page.</p>"


@app.get("/")
def index() -> str:
    return PAGE
