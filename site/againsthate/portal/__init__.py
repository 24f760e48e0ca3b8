"""The partner portal: staff of each organisation receive and handle their referrals.

Every route needs a signed-in member of staff unless it is marked @access.open_to_all;
the organisation check is in the services, which take the caller's organisation.
"""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")

from . import access

access.protect(bp)

from . import account, auth, referrals, team  # noqa: F401  (routes register on import)
