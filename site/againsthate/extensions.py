"""Extension objects, created unbound and attached to the app in create_app()."""
from flask import current_app
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from .db import Database

babel = Babel()
compress = Compress()
csrf = CSRFProtect()
db = Database()
# The default limit is read from each app's config per request (a callable), because
# Flask-Limiter keeps the first app's configured defaults on this shared object.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[lambda: current_app.config["PUBLIC_RATE_LIMIT"]],
)
talisman = Talisman()
