"""Settings, read from the environment. No secret has a default.

Every variable here is documented in README.md ("Settings").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .paths import AREAS, INSTANCE


def area_pack_path() -> Path:
    """AREA_PACK, or the demonstration pack. Read alone by `flask pack check`, which runs
    before any other setting exists."""
    return Path(os.environ.get("AREA_PACK", AREAS / "derbyshire.toml"))


class ConfigError(RuntimeError):
    """A setting is missing or wrong; start-up stops with this message."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _storage_options(uri: str) -> dict:
    """An unreachable Redis must cost a request half a second, not a hung worker."""
    if uri.startswith("redis"):
        return {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {}


def _dev_secret(instance: Path) -> str:
    """Development only: make a secret once and keep it under instance/."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Production-safe defaults; development and tests relax them explicitly."""

    ENV_NAME = "production"
    TESTING = False
    INSTANCE_PATH = Path(os.environ.get("INSTANCE_PATH", INSTANCE))

    def __init__(self) -> None:
        self.ENV_NAME = os.environ.get("AGAINSTHATE_ENV", self.ENV_NAME)
        self.DEVELOPMENT = self.ENV_NAME == "development"
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self._missing_secret()
        self.DATABASE_URL = os.environ.get(
            "DATABASE_URL", f"sqlite:///{self.INSTANCE_PATH / 'againsthate.sqlite'}"
        )
        # Connections each process keeps open. A sync gunicorn worker serves one request at
        # a time, so the default is plenty; PostgreSQL's max_connections must cover
        # (pool size + 10 overflow) x workers x machines.
        self.DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
        self.AREA_PACK = area_pack_path()
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        # If Redis goes away, the limits fail open to each worker's own memory rather than
        # closed: nobody is turned away from the phone numbers or a referral because a
        # counter is unreachable, and each worker still limits floods and sign-in guessing
        # (the account lockout is in the database). README.md, "When something goes away".
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = _storage_options(self.RATELIMIT_STORAGE_URI)
        # Generous: it stops floods, not people. Per client address.
        self.PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "300 per minute")
        # Self-referrals sent per client address: enough for a family sharing a connection.
        self.REFERRAL_RATE_LIMIT = os.environ.get("REFERRAL_RATE_LIMIT", "10 per hour")
        # The site's public address, for links in emails (the portal link to organisations).
        self.SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
        # Keys sealing referral content: "id:base64key,older-id:base64key", current first.
        self.REFERRAL_KEYS = os.environ.get("REFERRAL_KEYS") or None
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "againsthate@localhost")
        self.SMTP_HOST = os.environ.get("SMTP_HOST") or None
        self.SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
        self.SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
        self.SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
        # Without a mail server, email is written to files: the person's address and
        # reference, live reset and invitation links. Right on a developer's machine;
        # in production only when someone chose it (README.md, "Settings").
        self.MAIL_TO_FILES = _bool("MAIL_TO_FILES", self.DEVELOPMENT)
        self.MAIL_FILES_FOLDER = self.INSTANCE_PATH / "outbox"
        if not self.SMTP_HOST and not self.MAIL_TO_FILES:
            raise ConfigError(
                "SMTP_HOST is not set, so no email could be sent. Set SMTP_HOST (and "
                "SMTP_USERNAME, SMTP_PASSWORD) to your mail server, or set MAIL_TO_FILES=1 to "
                "write each email to a file under INSTANCE_PATH/outbox instead."
            )
        # The portal (README.md, "The partner portal").
        self.STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
        self.STAFF_SESSION_HOURS = int(os.environ.get("STAFF_SESSION_HOURS", "12"))
        self.SIGNIN_RATE_LIMIT = os.environ.get("SIGNIN_RATE_LIMIT", "10 per minute")
        self.LOCKOUT_ATTEMPTS = int(os.environ.get("LOCKOUT_ATTEMPTS", "5"))
        self.LOCKOUT_MINUTES = int(os.environ.get("LOCKOUT_MINUTES", "15"))
        self.INVITE_HOURS = int(os.environ.get("INVITE_HOURS", "72"))
        self.RESET_MINUTES = int(os.environ.get("RESET_MINUTES", "60"))
        # Days a referral may stay in a status before `flask referrals remind` tells whoever
        # has it (services/reminders.py): STATUS=DAYS, comma separated; 0 or left out: never.
        self.REMIND_AFTER = os.environ.get("REMIND_AFTER", "new=2,contacted=7,in_support=28")
        # Reset emails sent for one address in an hour, from anywhere; more are dropped
        # silently (the page says the same), so nobody can flood a colleague's inbox.
        self.RESET_EMAILS_PER_HOUR = int(os.environ.get("RESET_EMAILS_PER_HOUR", "3"))
        # Administrators see statistics, not what people wrote, unless this is switched on.
        self.ADMIN_CAN_READ_REFERRALS = _bool("ADMIN_CAN_READ_REFERRALS", False)
        # Logs (README.md, "Logs"): JSON lines without personal data in production.
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if self.DEVELOPMENT else "json")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
        self.LOG_REQUESTS = _bool("LOG_REQUESTS", not self.DEVELOPMENT)
        # Reverse proxies in front of gunicorn whose X-Forwarded-For and -Proto are
        # believed (ProxyFix). One, nginx, in production; none on a developer's machine.
        # Never more than really exist: a client could then choose its own address.
        self.TRUSTED_PROXIES = int(
            os.environ.get("TRUSTED_PROXIES", "0" if self.DEVELOPMENT else "1")
        )
        # The most one request may send, in KB (README.md, "Settings"): the longest form,
        # a 20,000-character news story in a script of 3-byte letters, is under 200 KB
        # form-encoded. Anything bigger gets the kind 413 page and is never read.
        self.MAX_REQUEST_KB = int(os.environ.get("MAX_REQUEST_KB", "512"))
        # Public pages (no cookies, nothing personal) are kept this long in each process.
        self.PAGE_CACHE_SECONDS = float(os.environ.get("PAGE_CACHE_SECONDS", "60"))
        # HTTPS is the norm outside development: Secure cookies and a redirect to https.
        self.FORCE_HTTPS = _bool("FORCE_HTTPS", not self.DEVELOPMENT)
        # Every cookie is Secure when HTTPS is forced; its other flags are in security.py.
        self.SESSION_COOKIE_SECURE = self.FORCE_HTTPS
        # CSRF tokens do not expire with the clock: someone may take hours over a form.
        # They still die with the browser session, and the form-expired page keeps answers.
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "en"
        # Times are stored in UTC and shown to staff in the area's own time (portal pages).
        self.BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/London")
        # A referral "contacted" with nothing recorded on it for this many days shows as due
        # on its page (services/cases.is_due).
        self.CONTACTED_DUE_DAYS = int(os.environ.get("CONTACTED_DUE_DAYS", "14"))
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "image/svg+xml",
            "text/plain",
        ]
        self.COMPRESS_ALGORITHM = ["br", "gzip"]
        self.COMPRESS_MIN_SIZE = 300
        # Long cache for fingerprinted static files (the URL carries a content hash).
        self.SEND_FILE_MAX_AGE_DEFAULT = 31536000

    # Flask's two limits, from MAX_REQUEST_KB (properties, so an override of it in tests
    # carries through): the whole body, and a multipart form's fields held in memory.
    @property
    def MAX_CONTENT_LENGTH(self) -> int:
        return self.MAX_REQUEST_KB * 1024

    @property
    def MAX_FORM_MEMORY_SIZE(self) -> int:
        return self.MAX_REQUEST_KB * 1024

    def _missing_secret(self) -> str:
        if self.DEVELOPMENT:
            return _dev_secret(self.INSTANCE_PATH)
        raise ConfigError(
            "SECRET_KEY is not set. Set it to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or set AGAINSTHATE_ENV=development on your own machine."
        )


class TestConfig(Config):
    """Tests: an isolated instance folder and database, chosen by the test fixtures."""

    ENV_NAME = "development"
    TESTING = True

    def __init__(self, instance_path: Path, **overrides: object) -> None:
        self.INSTANCE_PATH = instance_path
        super().__init__()
        # The suite's second pass (scripts/with-services.sh) gives each test its own
        # PostgreSQL database through `DATABASE_URL=` in overrides, and a Redis.
        self.DATABASE_URL = f"sqlite:///{instance_path / 'test.sqlite'}"
        self.RATELIMIT_STORAGE_URI = os.environ.get("TEST_REDIS_URL") or "memory://"
        self.RATELIMIT_STORAGE_OPTIONS = _storage_options(self.RATELIMIT_STORAGE_URI)
        for key, value in overrides.items():
            setattr(self, key, value)
