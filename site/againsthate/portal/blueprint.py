"""The portal's blueprint, in a module of its own so the route modules can import it
without importing the package (whose __init__ imports them)."""

from flask import Blueprint

from .. import access

bp = Blueprint("portal", __name__, url_prefix="/portal")

access.protect(bp)
