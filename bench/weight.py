"""Page weight: what a first visit to each page costs, as Chromium fetches it, each page in
a fresh context (empty cache, no cookies). Bytes as on the wire: Playwright's
request.sizes(), response headers plus the body as transferred (compressed), within a few
per cent of curl's figures; Content-Length would miss the headers and chunked bodies."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Browser, Error, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"]
FLAGS += ["--disable-background-networking", "--disable-component-update"]


@dataclass
class PageWeight:
    path: str
    status: int
    requests: int
    bytes: int
    items: list[tuple[str, int]] = field(default_factory=list)  # (url, bytes) per request


def _wire_bytes(request: Request) -> int:
    try:
        sizes = request.sizes()
    except Error:  # a request that failed has no sizes; it still counts as a request
        return 0
    return max(sizes["responseHeadersSize"], 0) + max(sizes["responseBodySize"], 0)


def _visit(browser: Browser, base_url: str, path: str) -> PageWeight:
    context = browser.new_context()  # fresh: empty cache, no cookies
    try:
        page = context.new_page()
        seen: list[Request] = []
        page.on("request", lambda r: seen.append(r))  # a lambda: Playwright tags the handler
        response = page.goto(base_url + path, wait_until="load", timeout=30_000)
        # Anything fetched after load (scripts, lazy images) is part of the visit too.
        page.wait_for_load_state("networkidle", timeout=10_000)
        items = [(r.url.removeprefix(base_url), _wire_bytes(r)) for r in seen]
        return PageWeight(
            path, response.status if response else 0, len(seen), sum(b for _, b in items), items
        )
    finally:
        context.close()


def measure(base_url: str, paths: list[str]) -> list[PageWeight]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            return [_visit(browser, base_url, path) for path in paths]
        finally:
            browser.close()
