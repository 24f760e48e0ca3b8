"""Extension objects, created unbound and attached to the app in create_app()."""

import hashlib

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


def hashed_client_address() -> str:
    """The visitor's address, keyed-hashed: the counters (in Redis, in production) then
    hold no address that could say who was on the site, yet each address keeps its own."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hashlib.blake2b(
        get_remote_address().encode(), key=hashlib.sha256(secret).digest(), digest_size=12
    ).hexdigest()


# The default limit is read from each app's config per request (a callable), because
# Flask-Limiter keeps the first app's configured defaults on this shared object.
limiter = Limiter(
    key_func=hashed_client_address,
    default_limits=[lambda: current_app.config["PUBLIC_RATE_LIMIT"]],
)
talisman = Talisman()
