"""Loads the area pack at start-up; a broken pack stops the app with a clear message."""

from flask import Flask, current_app

from .services.areapack import AreaPack, load


def register_area_pack(app: Flask) -> None:
    app.extensions["againsthate.pack"] = load(app.config["AREA_PACK"])


def current_pack() -> AreaPack:
    return current_app.extensions["againsthate.pack"]
