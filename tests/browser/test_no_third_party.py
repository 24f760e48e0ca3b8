"""No page asks any other host for anything: no fonts, analytics, CDNs or embeds.

Someone reading about hate crime may be watched; a request to a third party tells that
party (and anyone on the network) which site they are on."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import RTL_LANGUAGE, paths_in

# What a page shows, the same whichever database is behind it: not repeated on PostgreSQL.
pytestmark = [pytest.mark.browser, pytest.mark.looks]


@pytest.mark.parametrize("language", ["en", RTL_LANGUAGE])
def test_every_request_stays_on_this_site(new_context, live_server, pages_to_visit, language):
    context = new_context()
    requests: list[tuple[str, str]] = []  # (page, requested URL)
    current = {"path": ""}
    context.on("request", lambda r: requests.append((current["path"], r.url)))
    page = context.new_page()
    paths = paths_in(language, pages_to_visit + ["/no-such-page"])
    for path in paths:
        current["path"] = path
        page.goto(live_server(path))
        # Scroll to the end so anything loaded lazily is asked for too.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")

    visited = {urlsplit(url).path for _, url in requests}
    assert {urlsplit(live_server(p)).path for p in paths} <= visited, (
        "some pages were not requested"
    )
    assert any("/static/css/" in url for _, url in requests), "the stylesheet request was not seen"
    assert any("/static/js/" in url for _, url in requests), "the script request was not seen"
    elsewhere = [
        f"{path}: {url}"
        for path, url in requests
        if urlsplit(url).scheme not in {"http", "https"}
        and not url.startswith("data:")
        or urlsplit(url).scheme in {"http", "https"}
        and urlsplit(url).netloc != live_server.host
    ]
    assert not elsewhere, "requests to other hosts:\n" + "\n".join(elsewhere)
