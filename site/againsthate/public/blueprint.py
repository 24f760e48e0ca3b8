"""The public blueprint, in a module of its own (the same shape as every blueprint):
route modules import `bp` from here; the package's __init__ imports the route modules."""

from flask import Blueprint

bp = Blueprint("public", __name__)
