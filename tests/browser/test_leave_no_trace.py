"""Nothing a person typed comes back after they leave, in a real browser.

A person answers every question of the referral, typing a unique text into every
free-text field, then leaves by one of the ways out: the quick exit button, Shift three
times, the exit link with JavaScript off (through /exit), "Clear my answers", or Send.
Then they press Back up to 30 times, and reload at every step. No answer may appear in
any field, as a ticked box or chosen option, or anywhere in the page.

The two mechanisms that bring answers back after the server has deleted them are the
browser's form-state restoration and its back/forward cache; both are exercised here.

The quick exit goes to another host (the pack's quick_exit_url). Nothing outside this
machine resolves, so chromium is started with --host-resolver-rules mapping every other
host to a small local TLS server (Playwright's route() would not see a request that a
redirect started, and an unresolved host leaves no history entry to go Back from).
"""

from __future__ import annotations

import datetime as dt
import http.server
import secrets
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, EXIT_URL, WIDTHS, _free_port

pytestmark = pytest.mark.browser

CONTINUE = "main form button.button[type=submit]"
MAX_BACKS = 30
_A_MONTH_AGO = dt.date.today() - dt.timedelta(days=30)


class _ExitHandler(http.server.BaseHTTPRequestHandler):
    """Every path of every other host: a tiny everyday page."""

    def do_GET(self) -> None:
        body = b"<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def other_hosts(tmp_path_factory) -> Iterator[int]:
    """A TLS server on 127.0.0.1 standing in for every host that is not this site."""
    folder = tmp_path_factory.mktemp("exit-host")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), _ExitHandler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def exit_browser(playwright_instance, other_hosts):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            f"--host-resolver-rules=MAP * 127.0.0.1:{other_hosts}, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            "--ignore-certificate-errors",
        ],
    )
    yield browser
    browser.close()


@dataclass
class Typed:
    """Everything this person typed, so it can be looked for afterwards."""

    texts: set[str]


def _answers_for(nonce: str) -> dict:
    """Values for the fields that have a format; every other text field gets a marker."""
    return {
        "where_postcode": "DE22 1AB",
        "phone": "07700 9" + "".join(str(secrets.randbelow(10)) for _ in range(5)),
        "email": f"trace{nonce}@example.org",
        "when_day": str(_A_MONTH_AGO.day),
        "when_month": str(_A_MONTH_AGO.month),
        "when_year": str(_A_MONTH_AGO.year),
    }


# A first try refused with an error on these pages (slug: values that are wrong), with
# free text typed on each: the postcode, the email address, the consent box left unticked.
MISTAKES = {
    "where-place": {"where_postcode": None},  # the unique marker text: not a postcode
    "contact-details": {"email": None},  # nor an email address
    "consent": {"consent": ""},
}


# Choices that open the most follow-up questions (so every free-text field is asked).
def _prefer(branch: str) -> dict:
    return {
        "who": "self",
        "when": "date",
        "where": "place" if branch == "place" else "online",
        "police": "yes",
        "contact": "yes",
        "heard": "other",
        "about": ["religion", "other"],
        "methods": ["phone", "email", "post"],
    }


_FILL = """([values, prefer, nonce]) => {
  const typed = [];
  const form = document.querySelector("main form");
  if (!form) { throw new Error("no question form on " + location.pathname); }
  for (const el of form.querySelectorAll("textarea, input[type=text], input[type=email], input[type=tel], input:not([type])")) {
    const value = values[el.name] || ("Trace" + nonce + el.name.replace(/_/g, ""));
    el.value = value;
    typed.push(value);
  }
  const groups = {};
  for (const el of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    (groups[el.name] = groups[el.name] || []).push(el);
  }
  for (const [name, els] of Object.entries(groups)) {
    const want = prefer[name];
    if (els[0].type === "radio") {
      const chosen = els.find(e => e.value === want) || els[0];
      chosen.checked = true;
    } else if (els.length === 1) {
      els[0].checked = true;
    } else {
      const wanted = Array.isArray(want) ? els.filter(e => want.includes(e.value)) : [];
      for (const e of (wanted.length ? wanted : [els[0]])) { e.checked = true; }
    }
  }
  return typed;
}"""

# Whatever the browser shows: every field's value and state, and the page's text and markup.
_LOOK = """() => {
  const fields = [];
  for (const el of document.querySelectorAll("input, textarea, select")) {
    if (el.type === "hidden") { continue; }
    const changed = (el.type === "radio" || el.type === "checkbox")
      ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
    fields.push({name: el.name, value: el.value, changed: changed});
  }
  return {url: location.href, fields: fields,
          text: document.body ? document.body.innerText : "",
          html: document.documentElement.outerHTML};
}"""


def _path(page) -> str:
    return urlsplit(page.url).path


def _answer_everything(page, live_server, branch: str) -> Typed:
    nonce = secrets.token_hex(4)
    values, prefer = _answers_for(nonce), _prefer(branch)
    typed: set[str] = set()
    mistaken: set[str] = set()  # typed on a page refused with an error, then corrected
    page.goto(live_server("/refer"))
    with page.expect_navigation():
        page.click("main a.button")
    for _ in range(40):
        if _path(page) == "/refer/check":
            break
        here = _path(page)
        mistake = MISTAKES.get(here.rsplit("/", 1)[-1])
        if mistake is not None:
            # A mistake first, as people make them: the answer with an error is a page the
            # browser got by POST, which Back and reload would send again.
            mistaken.update(page.evaluate(_FILL, [{**values, **mistake}, prefer, nonce]))
            if "consent" in mistake:
                page.uncheck("main input[name=consent]")
            with page.expect_navigation():
                page.click(CONTINUE)
            assert _path(page) == here and page.locator("[data-error-summary]").count() == 1, (
                f"{here}: the mistake {mistake} was not refused"
            )
        typed.update(page.evaluate(_FILL, [values, prefer, nonce]))
        with page.expect_navigation():
            page.click(CONTINUE)
        assert _path(page) != here, (
            f"{here} refused the answers: {page.locator('main').inner_text()[:400]}"
        )
    assert _path(page) == "/refer/check", "the journey never reached the check page"
    # The date's parts ("6", "11") are too short to look for in a page's text; their
    # fields are still checked (a field whose value differs from the page's own is a trace).
    dates = {values["when_day"], values["when_month"], values["when_year"]}
    typed = {t for t in typed if t and t not in dates}
    page_text = page.locator("main").inner_text()
    assert all(t in page_text for t in typed if t.startswith("Trace")), (
        "the check page lacks an answer"
    )
    return Typed(typed | {t for t in mistaken if t and t not in dates})


def _leave(page, live_server, way: str) -> None:
    if way in ("button", "exit-link"):
        page.click(".exit-bar a.exit-button")
        page.wait_for_url(EXIT_URL)
    elif way == "shift":
        for _ in range(3):
            page.keyboard.press("Shift")
        page.wait_for_url(EXIT_URL)
    elif way == "clear":
        with page.expect_navigation():
            page.click("main a.clear-answers")
        assert _path(page) == "/refer/clear"
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert _path(page) == "/refer", page.url
    elif way == "send":
        with page.expect_navigation():
            page.click(CONTINUE)
        assert "/refer/done/" in _path(page), page.url
    else:  # pragma: no cover
        raise AssertionError(way)


def _traces(page, typed: Typed) -> list[str]:
    from playwright.sync_api import Error

    for _ in range(3):  # a reload that sends a form again may still be on its way
        page.wait_for_load_state("load")
        try:
            seen = page.evaluate(_LOOK)
            break
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
    else:
        raise AssertionError(f"{page.url} never settled")
    found = []
    for f in seen["fields"]:
        if f["changed"]:
            found.append(f"{seen['url']}: field {f['name']!r} holds {f['value']!r}")
    for text in typed.texts:
        if text in seen["text"] or text in seen["html"]:
            found.append(f"{seen['url']}: the page shows {text!r}")
    return found


def _go_back(page) -> None:
    """Back one page. A page that came from a form post is not kept (no-store): chromium
    shows "Confirm form resubmission" (ERR_CACHE_MISS), and the reload that follows sends
    the form again, as a person pressing Continue on that prompt would."""
    from playwright.sync_api import Error

    try:
        page.go_back(wait_until="load")
    except Error as error:
        if "ERR_CACHE_MISS" not in str(error):
            raise


def _history_index(cdp) -> int:
    return cdp.send("Page.getNavigationHistory")["currentIndex"]


WAYS = [
    ("button", True),
    ("shift", True),
    ("exit-link", False),
    ("clear", True),
    ("clear", False),
    ("send", True),
    ("send", False),
]


@pytest.mark.parametrize("width", ["390", "desktop"])
@pytest.mark.parametrize(("way", "js"), WAYS, ids=[f"{w}-{'js' if j else 'nojs'}" for w, j in WAYS])
def test_nothing_typed_comes_back_after_leaving(
    exit_browser, live_server, monkeypatch, way, js, width
):
    monkeypatch.setitem(live_server.app.config, "REFERRAL_RATE_LIMIT", "1000 per hour")
    viewport = {"width": 390, "height": 844} if width == "390" else WIDTHS["desktop"]
    context = exit_browser.new_context(
        viewport=viewport, java_script_enabled=js, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        branch = "online" if WAYS.index((way, js)) % 2 else "place"
        typed = _answer_everything(page, live_server, branch)
        _leave(page, live_server, way)
        found = _traces(page, typed)
        steps = 0
        while _history_index(cdp) > 0 and steps < MAX_BACKS:
            _go_back(page)
            steps += 1
            found += [f"after {steps} Back: {t}" for t in _traces(page, typed)]
            page.reload(wait_until="load")
            found += [f"after {steps} Back and reload: {t}" for t in _traces(page, typed)]
        assert steps >= 10, f"only {steps} pages to go back through: the walk was too short"
        assert not found, "\n".join(found[:20])
    finally:
        context.close()


# What /staying-safe promises about answers, word for word: the test above is its proof.
PROMISE = (
    "After you leave with the quick exit, clear your answers or send them, pressing Back "
    "or reloading a page does not show your answers again."
)


def test_staying_safe_promises_what_this_module_proves(page, live_server):
    page.goto(live_server("/staying-safe"))
    assert PROMISE in page.locator("main").inner_text()
