"""Production settings: HTTPS with HSTS and Secure cookies, one trusted proxy."""

from __future__ import annotations

import pytest

from againsthate import create_app
from againsthate.config import Config, ConfigError

HTTPS = {"X-Forwarded-Proto": "https"}


def test_production_defaults(production_env):
    config = Config()
    assert (config.FORCE_HTTPS, config.SESSION_COOKIE_SECURE) == (True, True)
    assert (config.TRUSTED_PROXIES, config.LOG_FORMAT, config.LOG_REQUESTS) == (1, "json", True)
    assert config.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED and config.RATELIMIT_SWALLOW_ERRORS


def test_https_through_the_proxy_gets_hsts_and_secure_cookies(production_app):
    client = production_app.test_client()
    plain = client.get("/refer/who")
    assert plain.status_code in {301, 302} and plain.headers["Location"].startswith("https://")
    page = client.get("/refer/who", headers=HTTPS)
    assert page.status_code == 200
    hsts = page.headers["Strict-Transport-Security"]
    assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("ah_session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_the_proxys_address_for_the_visitor_is_believed_one_hop_deep(production_env):
    production_env.setenv("PUBLIC_RATE_LIMIT", "2 per minute")
    production_env.setenv("PAGE_CACHE_SECONDS", "0")
    app = create_app(Config())
    client = app.test_client()

    def get(forwarded_for: str) -> int:
        return client.get(
            "/report", headers={**HTTPS, "X-Forwarded-For": forwarded_for}
        ).status_code

    # Two visitors behind the one proxy are counted apart…
    assert [get("203.0.113.7"), get("203.0.113.7"), get("203.0.113.7")] == [200, 200, 429]
    assert get("198.51.100.20") == 200
    # …and an address a client slips in ahead of the proxy's own is not believed: nginx
    # appends the address it saw, and only that last one counts.
    assert get("198.51.100.99, 203.0.113.7") == 429


def test_without_a_trusted_proxy_a_claimed_address_is_not_believed(production_env):
    production_env.setenv("TRUSTED_PROXIES", "0")
    production_env.setenv("PUBLIC_RATE_LIMIT", "2 per minute")
    production_env.setenv("PAGE_CACHE_SECONDS", "0")
    client = create_app(Config()).test_client()
    # One address, whatever each request claims to come from.
    statuses = [
        client.get(
            "/report", base_url="https://localhost", headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_production_refuses_to_start_without_a_mail_server(production_env):
    production_env.delenv("SMTP_HOST", raising=False)
    production_env.delenv("MAIL_TO_FILES", raising=False)
    with pytest.raises(ConfigError, match="SMTP_HOST is not set") as refused:
        Config()
    assert "MAIL_TO_FILES=1" in str(refused.value)
    production_env.setenv("MAIL_TO_FILES", "1")
    assert Config().MAIL_TO_FILES
    production_env.delenv("MAIL_TO_FILES")
    production_env.setenv("SMTP_HOST", "smtp.example.org")
    assert Config().SMTP_HOST == "smtp.example.org"


def test_development_writes_email_to_files_without_a_mail_server(production_env):
    production_env.setenv("AGAINSTHATE_ENV", "development")
    production_env.delenv("SMTP_HOST", raising=False)
    production_env.delenv("MAIL_TO_FILES", raising=False)
    assert Config().MAIL_TO_FILES
