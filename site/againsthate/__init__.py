"""Against Hate: the application factory, a table of contents of the parts."""

from __future__ import annotations

from flask import Flask
from jinja2 import StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from . import i18n
from .config import Config
from .logs import Site
from .pagecache import PageCache
from .paths import STATIC, TEMPLATES


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Site(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_path=str(config.INSTANCE_PATH),
    )
    app.config.from_object(config)
    app.jinja_env.undefined = StrictUndefined  # a missing variable fails loudly
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from . import logs
    from .areas import register_area_pack
    from .cli import register_commands
    from .converters import register_converters
    from .errors import register_errors
    from .extensions import babel, csrf, db, limiter
    from .security import register_security
    from .templating import register_templating

    logs.configure(app)
    register_area_pack(app)
    register_keyring(app)
    # Security first, so its headers are set up before anything that can answer early
    # (the CSRF and rate-limit checks raise error pages that need them too).
    register_security(app)
    db.init_app(app)
    babel.init_app(
        app, locale_selector=i18n.get_locale, default_translation_directories=str(i18n.TRANSLATIONS)
    )
    csrf.init_app(app)
    limiter.init_app(app)
    register_compression(app)
    register_templating(app)
    register_converters(app)  # before the blueprints, whose routes name them
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    app.wsgi_app = i18n.LanguagePrefix(app.wsgi_app, i18n.LANGUAGES)  # type: ignore[method-assign]
    app.wsgi_app = PageCache(app.wsgi_app, seconds=app.config["PAGE_CACHE_SECONDS"])  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXIES"]:
        # Outermost, so the page cache and the app both see the visitor's scheme and
        # address as the proxy saw them.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


def register_compression(app: Flask) -> None:
    from flask import request

    from .extensions import compress

    compress.init_app(app)

    @app.after_request  # registered after Compress's own hook, so it runs before it
    def buffer_static_files(response):
        # flask-compress compresses a streamed send_file() response without ever closing
        # the file it read from; our static files are small, so read them whole instead.
        if response.is_streamed and request.endpoint == "static":
            stream = response.response
            response.direct_passthrough = False
            response.set_data(b"".join(stream))
            stream.close()
        return response


def register_keyring(app: Flask) -> None:
    """The keys that seal referral content: from REFERRAL_KEYS, or made once in development."""
    from .config import ConfigError
    from .services.crypto import development_keyring, parse_keys

    if app.config["REFERRAL_KEYS"]:
        keyring = parse_keys(app.config["REFERRAL_KEYS"])
    elif app.config["DEVELOPMENT"]:
        keyring = development_keyring(app.config["INSTANCE_PATH"])
    else:
        raise ConfigError(
            "REFERRAL_KEYS is not set. Make one with: flask keys new KEY_ID "
            "(see README.md, Encryption keys)."
        )
    app.extensions["againsthate.keyring"] = keyring


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin
    from .portal import bp as portal
    from .public import bp as public
    from .referral import bp as referral

    app.register_blueprint(public)
    app.register_blueprint(referral)
    app.register_blueprint(portal)
    app.register_blueprint(admin)
