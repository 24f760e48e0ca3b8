"""Extension objects, created unbound and attached to the app in create_app()."""
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
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
