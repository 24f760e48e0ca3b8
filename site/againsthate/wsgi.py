"""Entry point for gunicorn and `flask run`: `againsthate.wsgi:app`."""
from . import create_app

app = create_app()
