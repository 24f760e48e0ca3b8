"""Security headers on every response (error pages too), caching and CSRF."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_app


def _check_headers(response, path):
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, path
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert "default-src 'self'" in csp, path
    assert "script-src 'self';" in csp, path  # no inline script at all
    assert response.headers["Referrer-Policy"] == "same-origin", path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["X-Frame-Options"] == "DENY", path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ur/report",
        "/support",
        "/settings",
        "/no-such-page",
        "/exit",
        "/healthz",
        "/settings/text-size/large",
    ],
)
def test_security_headers(client, path):
    _check_headers(client.get(path), path)


def test_the_one_inline_style_is_allowed_by_its_hash(client):
    import base64
    import hashlib

    response = client.get("/")
    body = response.data.decode()
    style = re.search(r"<style>(.*?)</style>", body).group(1)
    assert style == ":root{--brand:#4b2a7b}"
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in response.headers["Content-Security-Policy"]
    assert body.count("<style") == 1
    assert "style=" not in body  # inline style attributes would be blocked
    assert "<script>" not in body and "onclick" not in body


def test_no_third_party_addresses_in_pages(app, client):
    from tests.pages import public_paths

    for path in public_paths(app):
        body = client.get(path).data.decode()
        for attr in re.findall(r'(?:src|href)="(https?:)?//[^"]*"', body.split("<body")[0]):
            pytest.fail(f"{path}: the <head> loads something from another site: {attr}")
        assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//', body), path


def test_server_error_page_is_kind_and_has_headers(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("test")

    response = app.test_client().get("/ur/boom")
    assert response.status_code == 500
    _check_headers(response, "/boom")
    body = response.data.decode()
    assert 'lang="ur" dir="rtl"' in body
    assert "0800 138 1625" in body and "101" in body and "999" in body
    assert response.headers["Cache-Control"] == "no-store"


def test_too_many_requests_page_gives_phone_numbers(tmp_path):
    # Stored public pages are answered before the limiter (pagecache.py), so switch the
    # page cache off to count every request here.
    app = make_app(tmp_path, PUBLIC_RATE_LIMIT="3 per minute", PAGE_CACHE_SECONDS=0)
    client = app.test_client()
    statuses = [client.get("/report").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/report")
    _check_headers(response, "/report (429)")
    assert b"0800 138 1625" in response.data and b"Please wait" in response.data


def test_expired_form_is_explained_kindly(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/settings", data={"text_size": "large", "postcode": ""})
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    assert b"0800 138 1625" in response.data
    _check_headers(response, "csrf")


def test_settings_form_works_with_its_csrf_token(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/settings").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/settings", data={"csrf_token": token, "text_size": "large", "postcode": ""}
    )
    assert response.status_code == 302


def test_sensitive_pages_are_not_stored(client):
    for path in ["/settings", "/exit", "/no-such-page"]:
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_content_pages_may_be_cached_when_nothing_is_personal(client):
    response = client.get("/report")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response.headers["Vary"]
    client.get("/settings/text-size/large")
    assert client.get("/report").headers["Cache-Control"] == "private, no-store"


def test_pages_are_compressed(client):
    response = client.get("/what-is-hate-crime", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers.get("Content-Encoding") in ("br", "gzip")


def test_secrets_are_required_outside_development(monkeypatch, tmp_path):
    from againsthate.config import Config, ConfigError

    monkeypatch.setenv("AGAINSTHATE_ENV", "production")
    monkeypatch.setenv("MAIL_TO_FILES", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        Config()
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    config = Config()
    assert config.SESSION_COOKIE_SECURE and config.FORCE_HTTPS


def test_development_keeps_its_generated_secret(monkeypatch, tmp_path):
    from againsthate.config import Config

    monkeypatch.setenv("AGAINSTHATE_ENV", "development")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)

    class Fresh(Config):
        INSTANCE_PATH = tmp_path

    first, second = Fresh().SECRET_KEY, Fresh().SECRET_KEY
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
