"""Every page is valid HTML (the Nu HTML Checker, the W3C's own) and keeps our page rules:
one h1, a title that starts with it, unique ids, a label for every field, lang and dir.

Pages are rendered with the Flask test client (no browser), in English and Urdu (right
to left), plus the error pages (not found, too large) and pages showing form errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from flask_babel import force_locale, gettext

from tests.conftest import make_app
from tests.pages import in_language, public_paths

# The markup of each page, the same whichever database is behind it: not repeated on
# PostgreSQL (the Makefile's test-postgres).
pytestmark = pytest.mark.looks

VNU_JAR = (
    Path(__file__).resolve().parent
    / "tools"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)
LANGUAGES = {"en": "ltr", "ur": "rtl"}
NOT_LABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


class Rendered:
    def __init__(self, name: str, url: str, language: str, html: str, file: Path):
        self.name, self.url, self.language, self.html, self.file = name, url, language, html, file


def _file_name(url: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "_", url).strip("_") or "home") + ".html"


def save_page(
    folder: Path, pages: list[Rendered], label: str, language: str, response, expected: int = 200
) -> None:
    """Check the answer's status and type, write its HTML into `folder`, add it to `pages`."""
    assert response.status_code == expected, f"{label} answered {response.status_code}"
    assert response.mimetype == "text/html", f"{label} is {response.mimetype}"
    html = response.get_data(as_text=True)
    file = folder / f"{len(pages):03d}_{_file_name(label)}"
    file.write_text(html, encoding="utf-8")
    pages.append(Rendered(file.name, label, language, html, file))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Rendered]:
    """Every page as HTML files in one folder, for one run of the checker."""
    instance = tmp_path_factory.mktemp("html-instance")
    folder = tmp_path_factory.mktemp("html-pages")
    app = make_app(instance)  # CSRF on, as in production
    client = app.test_client()
    pages: list[Rendered] = []

    def keep(url: str, language: str, response, expected: int = 200) -> None:
        save_page(folder, pages, url, language, response, expected)

    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        for path in public_paths(app):
            url = path if code == "en" else in_language(path, code)
            keep(url, code, client.get(url))
        keep(f"{prefix}/no-such-page", code, client.get(f"{prefix}/no-such-page"), expected=404)
        too_long = "Q" * (app.config["MAX_CONTENT_LENGTH"] + 1)  # the kind 413 page
        keep(
            f"{prefix}/settings (POST, too large)",
            code,
            client.post(f"{prefix}/settings", data={"postcode": too_long}),
            expected=413,
        )
        # Pages showing a form error: the filters (GET) and the settings form (POST).
        for url in (
            f"{prefix}/support?postcode=not-a-postcode",
            f"{prefix}/places?postcode=not-a-postcode",
        ):
            response = client.get(url)
            assert b"error-summary" in response.data, f"{url} shows no error"
            keep(url, code, response)
        settings = client.get(f"{prefix}/settings").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', settings)
        assert token, "no CSRF token on the settings page"
        response = client.post(
            f"{prefix}/settings",
            data={"csrf_token": token.group(1), "text_size": "large", "postcode": "not-a-postcode"},
        )
        assert b"error-summary" in response.data, "the settings form shows no error"
        keep(f"{prefix}/settings (POST, error)", code, response)
    return pages


def test_every_page_is_valid_html(rendered):
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make test-tools`")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make test-tools`")
    files = [str(page.file) for page in rendered]
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"the checker did not answer JSON (exit {result.returncode}):\n"
            f"{result.stderr[-2000:]}{result.stdout[-2000:]}"
        )
    by_name = {page.file.name: page for page in rendered}
    errors = []
    for message in report.get("messages", []):
        if (
            message.get("type") not in {"error", "non-document-error"}
            and message.get("subType") != "fatal"
        ):
            continue
        page = by_name.get(message.get("url", "").rsplit("/", 1)[-1])
        where = f"{page.url} [{page.name}]" if page else message.get("url", "?")
        line = message.get("lastLine", "?")
        extract = " ".join((message.get("extract") or "").split())[:120]
        errors.append(f"{where} (line {line}): {message.get('message')}  «{extract}»")
    assert result.returncode == 0 or errors, f"the checker failed: {result.stderr[-2000:]}"
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_page_rules(rendered, tmp_path):
    app = make_app(tmp_path)
    with app.test_request_context():
        error_prefixes = {}
        for code in LANGUAGES:
            with force_locale(code):
                error_prefixes[code] = gettext("Error:")
    problems: list[str] = []
    for page in rendered:
        doc = html5lib.parse(page.html, treebuilder="etree", namespaceHTMLElements=False)
        said = problems.append
        where = page.url

        html = doc if doc.tag == "html" else doc.find(".//html")
        if html.get("lang") != page.language:
            said(f"{where}: <html lang> is {html.get('lang')!r}, expected {page.language!r}")
        if html.get("dir") != LANGUAGES[page.language]:
            said(
                f"{where}: <html dir> is {html.get('dir')!r}, expected {LANGUAGES[page.language]!r}"
            )

        h1s = doc.findall(".//h1")
        if len(h1s) != 1:
            said(f"{where}: {len(h1s)} <h1> elements, expected exactly one")
        titles = doc.findall(".//head/title")
        if len(titles) != 1 or not _text(titles[0]):
            said(f"{where}: {len(titles)} <title> elements, expected one with text")
        elif h1s:
            title, heading = _text(titles[0]), _text(h1s[0])
            has_errors = doc.find(".//*[@data-error-summary]") is not None
            expected = f"{error_prefixes[page.language]} {heading}" if has_errors else heading
            if not heading or not title.startswith(expected):
                said(f"{where}: <title> {title!r} does not start with {expected!r}")

        seen: dict[str, int] = {}
        for element in doc.iter():
            if isinstance(element.tag, str) and element.get("id") is not None:
                seen[element.get("id")] = seen.get(element.get("id"), 0) + 1
        for duplicate in sorted(i for i, n in seen.items() if n > 1):
            said(f"{where}: id {duplicate!r} is used {seen[duplicate]} times")
        if "" in seen:
            said(f"{where}: an element has an empty id")

        label_for = {label.get("for") for label in doc.iter("label") if label.get("for")}
        wrapped = {
            id(field)
            for label in doc.iter("label")
            for field in label.iter()
            if field.tag in {"input", "select", "textarea"}
        }
        for field in doc.iter():
            if field.tag not in {"input", "select", "textarea"}:
                continue
            if field.tag == "input" and (field.get("type") or "text").lower() in NOT_LABELLED_TYPES:
                continue
            labelled = (
                (field.get("id") and field.get("id") in label_for)
                or id(field) in wrapped
                or (field.get("aria-label") or "").strip()
                or any(
                    doc.find(f".//*[@id='{ref}']") is not None
                    for ref in (field.get("aria-labelledby") or "").split()
                )
            )
            if not labelled:
                said(
                    f"{where}: <{field.tag} name={field.get('name')!r} id={field.get('id')!r}> has no label"
                )
        for label in doc.iter("label"):
            target = label.get("for")
            if target and seen.get(target, 0) == 0:
                said(f"{where}: <label for={target!r}> points at no element")
            if not _text(label):
                said(f"{where}: a <label> has no text")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert len(rendered) >= 2 * (len(public_paths(app)) + 4), "pages are missing from the check"
