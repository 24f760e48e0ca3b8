"""Browser tests: the real site served on 127.0.0.1, driven through Debian's Chromium.

One live server and one browser for the whole session; each test gets fresh contexts
(their own cookies), so tests do not leak preferences into each other.

Chromium comes from Debian (`make test-tools`, scripts/install-test-tools.sh). If it is
missing these tests fail rather than skip: a skipped accessibility suite would look green.
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import make_app
from tests.pages import in_language, public_paths

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOOLS = Path(__file__).resolve().parents[1] / "tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow width
WIDTHS = {"desktop": DESKTOP, "320": NARROW}
RTL_LANGUAGE = "ur"
EXIT_URL = "https://www.bbc.co.uk/weather"  # the Derbyshire pack's quick_exit_url
EXIT_ORIGIN = "https://www.bbc.co.uk"


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    app: object

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def __call__(self, path: str) -> str:
        return self.url + path


class _QuietRequestHandler(WSGIRequestHandler):
    """No line per request (hundreds of them); errors are still logged."""

    def log_request(self, code="-", size="-") -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    # CSRF stays on: the no-JavaScript tests submit the settings form as a person would.
    # The rate limit is raised, not removed: a few hundred page loads a minute from one
    # address is this suite, not an attack.
    app = make_app(
        tmp_path_factory.mktemp("live"),
        PUBLIC_RATE_LIMIT="100000 per minute",
        SIGNIN_RATE_LIMIT="100000 per minute",
    )
    with app.app_context():
        from againsthate.areas import current_pack

        assert current_pack().quick_exit_url == EXIT_URL, (
            "the pack's quick exit moved: update EXIT_URL"
        )
    with serving(app) as live:
        yield live


@contextlib.contextmanager
def serving(app) -> Iterator[LiveServer]:
    """Serve `app` on a free 127.0.0.1 port in a thread; stop it and its database after."""
    server = make_server(
        "127.0.0.1", _free_port(), app, threaded=True, request_handler=_QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        from againsthate.extensions import db

        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def pages_to_visit(live_server) -> list[str]:
    """Every public page, unprefixed (English)."""
    return public_paths(live_server.app)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test-tools` (scripts/install-test-tools.sh)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test-tools`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def new_context(browser, live_server):
    """Factory: new_context(js=True, width="desktop", text_size="default"); a viewport of
    any other size as viewport_override={"width": 390, "height": 844}."""
    made = []

    def make(
        js: bool = True,
        width: str = "desktop",
        text_size: str = "default",
        viewport_override: dict | None = None,
        **kwargs,
    ):
        context = browser.new_context(
            viewport=viewport_override or WIDTHS[width],
            java_script_enabled=js,
            base_url=live_server.url,
            **kwargs,
        )
        context.set_default_timeout(10_000)
        if text_size != "default":
            set_text_size(context, live_server, text_size)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def set_text_size(context, live_server: LiveServer, size: str) -> None:
    """As a visitor would: the header's text-size link sets the preferences cookie."""
    page = context.new_page()
    response = page.goto(live_server(f"/settings/text-size/{size}?next=/"))
    assert response is not None and response.ok, (
        f"text-size link answered {response and response.status}"
    )
    assert page.evaluate("document.documentElement.className") == f"text-{size}"
    page.close()


@pytest.fixture
def page(new_context):
    """A page with JavaScript on, desktop width."""
    return new_context().new_page()


@pytest.fixture
def nojs_context(new_context):
    return new_context(js=False)


@pytest.fixture
def nojs_page(nojs_context):
    return nojs_context.new_page()


EXIT_PAGE = b"<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"


def route_exit_destination(page) -> list[str]:
    """No internet here: answer the quick exit's destination with a tiny page.

    The site reaches it through a redirect (/exit answers 303), and Playwright's
    page.route()/context.route() never see redirected requests, so this uses the
    DevTools Fetch domain directly, which pauses every hop of a redirect chain.
    Returns the URLs answered, so a test can see the browser really went there."""
    seen: list[str] = []
    cdp = page.context.new_cdp_session(page)

    def paused(event):
        seen.append(event["request"]["url"])
        cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": event["requestId"],
                "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": "text/html; charset=utf-8"}],
                "body": base64.b64encode(EXIT_PAGE).decode(),
            },
        )

    cdp.on("Fetch.requestPaused", paused)
    cdp.send(
        "Fetch.enable",
        {
            "patterns": [
                {"urlPattern": f"{EXIT_ORIGIN}/*", "requestStage": "Request"},
            ]
        },
    )
    return seen


def paths_in(code: str, paths: list[str]) -> list[str]:
    return paths if code == "en" else [in_language(p, code) for p in paths]
