"""The page cache stores only what the app marked public, and replays it unchanged."""

from __future__ import annotations

from againsthate.pagecache import PageCache
from tests.conftest import make_app


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _counting_app(tmp_path):
    """The site, with a counter of how many requests reach Flask itself."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, PAGE_CACHE_SECONDS=30)
    hits = []

    @app.before_request
    def count():
        hits.append(1)

    clock = Clock()
    app.wsgi_app.clock = clock  # the outermost middleware is the cache
    assert isinstance(app.wsgi_app, PageCache)
    return app, hits, clock


def test_public_page_is_rendered_once_and_replayed(tmp_path):
    app, hits, _ = _counting_app(tmp_path)
    client = app.test_client()
    first = client.get("/ur/report", headers={"Accept-Encoding": "br"})
    second = client.get("/ur/report", headers={"Accept-Encoding": "br"})
    assert len(hits) == 1
    assert first.data == second.data and first.status_code == second.status_code == 200
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Encoding"] == "br"


def test_entries_expire(tmp_path):
    app, hits, clock = _counting_app(tmp_path)
    client = app.test_client()
    client.get("/report")
    clock.now = 31
    client.get("/report")
    assert len(hits) == 2


def test_variants_are_kept_apart(tmp_path):
    app, hits, _ = _counting_app(tmp_path)
    client = app.test_client()
    plain = client.get("/report").data
    compressed = client.get("/report", headers={"Accept-Encoding": "gzip"})
    offered = client.get("/report", headers={"Accept-Language": "ur"}).data
    assert len(hits) == 3
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert b"notice offer" in offered and b"notice offer" not in plain
    assert client.get("/pl/report").data != plain


def test_nothing_personal_sensitive_or_failed_is_stored(tmp_path):
    app, hits, _ = _counting_app(tmp_path)
    client = app.test_client()
    for path in [
        "/settings",
        "/settings",
        "/no-such-page",
        "/no-such-page",
        "/healthz",
        "/healthz",
    ]:
        client.get(path)
    assert len(hits) == 6
    client.get("/settings/text-size/large")  # now the browser has a preferences cookie
    before = len(hits)
    client.get("/report")
    client.get("/report")
    assert len(hits) == before + 2
    assert b'class="text-large"' in client.get("/report").data


def test_posts_are_never_cached(tmp_path):
    app, hits, _ = _counting_app(tmp_path)
    client = app.test_client()
    client.post("/settings", data={"text_size": "large", "postcode": ""})
    client.delete_cookie("ah_prefs")
    client.post("/settings", data={"text_size": "large", "postcode": ""})
    assert len(hits) == 2


def test_can_be_switched_off(tmp_path):
    app = make_app(tmp_path, PAGE_CACHE_SECONDS=0)
    hits = []
    app.before_request(lambda: hits.append(1))
    client = app.test_client()
    client.get("/report")
    client.get("/report")
    assert len(hits) == 2
