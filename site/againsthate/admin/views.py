"""Administration pages."""
from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def home():
    return render_template("admin/home.html")


@bp.get("/staff")
def staff():
    return render_template("admin/home.html")


@bp.get("/organisations")
def organisations():
    return render_template("admin/home.html")


@bp.get("/news")
def news():
    return render_template("admin/home.html")


@bp.get("/outbox")
def outbox():
    return render_template("admin/home.html")


@bp.get("/audit")
def audit():
    return render_template("admin/home.html")
