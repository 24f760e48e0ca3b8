"""Every administrators' page is valid HTML (the Nu HTML Checker) and keeps the page rules:
one <h1>, a <title> that starts with it ("Error: " first when a form has errors), unique
ids, a label for every field, lang and dir. In English and in Urdu (right to left), with
data on the pages, and with form errors showing."""

from __future__ import annotations

import html5lib
import pytest

from againsthate import clock
from againsthate.extensions import db
from tests.admin.conftest import (
    ORG_A,
    ORG_B,
    add_referral,
    add_stat,
    make_staff,
    pages,
    sample_rows,
    session_client,
)
from tests.conftest import ROOMY, make_app
from tests.test_html_valid import Rendered, _text, save_page
from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check

LANGUAGES = {"en": "ltr", "ur": "rtl"}
ERROR_PREFIX = {"en": "Error:", "ur": None}  # Urdu's is read from the catalogue below
NOT_LABELLED = {"hidden", "submit", "button", "image", "reset"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Rendered]:
    app = make_app(tmp_path_factory.mktemp("admin-html"), WTF_CSRF_ENABLED=False, **ROOMY)
    admin, _ = make_staff(app, "admin", name="Ada Administrator")
    make_staff(app, "manager", ORG_B, name="Morgan Manager")
    values = sample_rows(app)
    add_referral(app, ORG_A)
    add_stat(app, month=clock.now().strftime("%Y-%m"), heard_from="bus", anonymous=True)
    client = session_client(app, admin)
    # Data on the pages: an invitation waiting, an email in the outbox, audit records.
    client.post(
        "/portal/admin/staff/invite",
        data={
            "email": "pending@example.org",
            "name": "Pat Pending",
            "role": "caseworker",
            "organisation": ORG_A,
        },
    )
    folder = tmp_path_factory.mktemp("admin-pages")
    found: list[Rendered] = []
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        for url in pages(app, values):
            save_page(folder, found, f"{prefix}{url}", code, client.get(f"{prefix}{url}"))
        save_page(
            folder,
            found,
            f"{prefix}/portal/admin/staff/{admin.id}/remove (self)",
            code,
            client.get(f"{prefix}/portal/admin/staff/{admin.id}/remove"),
            expected=403,
        )
        for url, data in [
            (
                "/portal/admin/staff/invite",
                {"email": "nope", "name": "", "role": "admin", "organisation": ORG_A},
            ),
            (
                "/portal/admin/news/new",
                {
                    "title": "",
                    "slug": "Bad Slug",
                    "summary": "",
                    "body": "<img src=x>",
                    "day_published": "31",
                    "month_published": "2",
                    "year_published": "2026",
                },
            ),
            (
                "/portal/admin/events/new",
                {"title": "", "day_date": "", "time": "", "location": "", "description": ""},
            ),
        ]:
            response = client.post(f"{prefix}{url}", data=data)
            assert b"error-summary" in response.data, url
            save_page(folder, found, f"{prefix}{url} (POST, errors)", code, response)
        response = client.get(f"{prefix}/portal/admin/audit?action=nothing-like-this")
        assert b"error-summary" in response.data
        save_page(folder, found, f"{prefix}/portal/admin/audit (filter error)", code, response)
    with app.app_context():
        from flask_babel import force_locale, gettext

        with app.test_request_context(), force_locale("ur"):
            ERROR_PREFIX["ur"] = gettext("Error:")
        db.engine.dispose()
    return found


def test_every_admin_page_is_valid_html(rendered):
    nu_html_check(rendered)


def test_every_admin_page_keeps_the_page_rules(rendered):
    problems = []
    for page in rendered:
        said, where = problems.append, page.url
        doc = html5lib.parse(page.html, treebuilder="etree", namespaceHTMLElements=False)
        root = doc if doc.tag == "html" else doc.find(".//html")
        if (root.get("lang"), root.get("dir")) != (page.language, LANGUAGES[page.language]):
            said(f"{where}: lang/dir are {root.get('lang')}/{root.get('dir')}")
        h1s = doc.findall(".//h1")
        title = _text(doc.find(".//head/title"))
        if len(h1s) != 1:
            said(f"{where}: {len(h1s)} <h1>")
        else:
            errors = doc.find(".//*[@data-error-summary]") is not None
            expected = f"{ERROR_PREFIX[page.language]} {_text(h1s[0])}" if errors else _text(h1s[0])
            if not title.startswith(expected):
                said(f"{where}: <title> {title!r} does not start with {expected!r}")
        ids = [
            e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id") is not None
        ]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            said(f"{where}: id {duplicate!r} is used more than once")
        labelled = {label.get("for") for label in doc.iter("label")}
        for field in doc.iter():
            if (
                field.tag in {"input", "select", "textarea"}
                and (field.get("type") or "text").lower() not in NOT_LABELLED
                and field.get("id") not in labelled
            ):
                said(f"{where}: <{field.tag} name={field.get('name')!r}> has no label")
        for table in doc.iter("table"):
            if table.find("caption") is None or not table.findall(".//th[@scope]"):
                said(f"{where}: a table without a caption or <th scope>")
    assert not problems, "\n".join(problems)
    assert len(rendered) >= 2 * 20
