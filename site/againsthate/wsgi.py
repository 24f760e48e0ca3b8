"""Entry point for gunicorn and `flask run`: `againsthate.wsgi:app`."""
from . import create_app
from .config import ConfigError
from .services.areapack import AreaPackError
from .services.crypto import CryptoError

try:
    app = create_app()
except (ConfigError, AreaPackError, CryptoError) as error:
    # A setting or the area pack is wrong: say which, without a traceback to dig through.
    raise SystemExit(f"Against Hate cannot start: {error}") from None
