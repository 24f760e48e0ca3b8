"""Every page of handling referrals, in each state it has (errors, the breach warning, read
only, content deleted), is valid HTML (the Nu HTML Checker) and keeps our page rules: one
<h1>, a <title> that starts with it ("Error: " first when a form has errors), unique ids,
a label for every field, lang and dir. English and Urdu (right to left); CSRF on."""

from __future__ import annotations

import re

import html5lib
import pytest
from flask_babel import force_locale, gettext

from againsthate.extensions import db
from tests.conftest import ROOMY, make_app
from tests.portal.casework import SAFE_CONTACT
from tests.portal.conftest import (
    ANSWERS,
    ORG_A,
    ORG_B,
    add_referral,
    make_staff,
    session_client,
)
from tests.test_html_valid import LANGUAGES, NOT_LABELLED_TYPES, Rendered, _text, save_page
from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check


def _token(page: str, prefix: str = "") -> str:
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Rendered]:
    app = make_app(tmp_path_factory.mktemp("casework-html"), **ROOMY)  # CSRF on
    folder = tmp_path_factory.mktemp("casework-pages")
    manager = session_client(app, make_staff(app, "manager", ORG_A)[0])
    sam = make_staff(app, "caseworker", ORG_A, name="Sam Caseworker")[0]
    caseworker = session_client(app, sam)
    admin = session_client(app, make_staff(app, "admin")[0])
    pages: list[Rendered] = []
    for n in range(27):
        add_referral(app, ORG_A)
    busy = add_referral(
        app,
        ORG_A,
        {
            **ANSWERS,
            "methods": ["phone", "email", "post"],
            "bsl": True,
            "email": "s@example.org",
            "address": "1 Street",
            "email_say_who": "no",
            "post_say_who": "no",
            "phone_periods": ["weekday_mornings", "weekends"],
        },
    )
    anonymous = add_referral(app, ORG_A, {**ANSWERS, "contact": "none"})
    deleted = add_referral(app, ORG_A)
    page_url = f"/portal/referrals/{busy}"

    def post(client, url, data, prefix=""):
        token = _token(client.get(url.rsplit("/", 1)[0] if prefix else url).text, prefix)
        return client.post(
            url, data={**data, f"{prefix}-csrf_token" if prefix else "csrf_token": token}
        )

    # History of every kind on the busy referral.
    assert (
        post(
            manager, f"{page_url}/notes", {"note-text": "A note\nover two lines"}, "note"
        ).status_code
        == 303
    )
    assert post(manager, f"{page_url}/contacts", SAFE_CONTACT, "contact").status_code in (200, 303)
    # The person now says: a history line of its own.
    now_says = {
        "wishes-phone_periods": ["any"],
        "wishes-phone_message": "no",
        "wishes-phone_say_who": "no",
        "wishes-words": "Any time is fine now",
    }
    assert post(manager, f"{page_url}/wishes", now_says, "wishes").status_code == 303
    assert post(manager, f"{page_url}/contacts", SAFE_CONTACT, "contact").status_code == 303
    assert (
        post(
            manager,
            f"{page_url}/contacts",
            {**SAFE_CONTACT, "contact-method": "text", "contact-understood": "y"},
            "contact",
        ).status_code
        == 303
    )
    assert (
        post(
            manager,
            f"{page_url}/status",
            {"status-status": "closed", "status-outcome": "declined"},
            "status",
        ).status_code
        == 303
    )
    assert (
        post(
            manager, f"/portal/referrals/{deleted}/erase", {"reason": "Asked by the person"}
        ).status_code
        == 303
    )
    assert post(manager, f"{page_url}/assign", {"assign-to": sam.id}, "assign").status_code == 303
    manager.get("/portal/referrals")  # the flashed messages, shown once

    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"

        def keep(label, response, expected=200, code=code):
            save_page(folder, pages, f"{label} [{code}]", code, response, expected)

        keep("inbox", manager.get(f"{prefix}/portal/referrals"))
        keep(
            "inbox page 2, unknown filter",
            manager.get(f"{prefix}/portal/referrals?page=2&status=x"),
        )
        keep(
            "inbox filtered to nothing", manager.get(f"{prefix}/portal/referrals?status=in_support")
        )
        search = f"{prefix}/portal/referrals/search"
        keep("search", manager.get(search))
        keep("search results", post(manager, search, {"query": "sam"}))
        keep("search finding nothing", post(manager, search, {"query": "Nobody Here"}))
        keep("search error", post(manager, search, {"query": ""}))
        keep("referral", manager.get(f"{prefix}{page_url}"))
        keep("anonymous referral", manager.get(f"{prefix}/portal/referrals/{anonymous}"))
        keep("deleted referral", manager.get(f"{prefix}/portal/referrals/{deleted}"))
        keep("contact errors", post(manager, f"{prefix}{page_url}/contacts", {}, "contact"))
        keep(
            "contact breach warning",
            post(
                manager,
                f"{prefix}{page_url}/contacts",
                {**SAFE_CONTACT, "contact-method": "in_person"},
                "contact",
            ),
        )
        keep("wishes error", post(manager, f"{prefix}{page_url}/wishes", {}, "wishes"))
        keep(
            "status error",
            post(manager, f"{prefix}{page_url}/status", {"status-status": "closed"}, "status"),
        )
        keep("note error", post(manager, f"{prefix}{page_url}/notes", {"note-text": ""}, "note"))
        keep(
            "assign error",
            post(manager, f"{prefix}{page_url}/assign", {"assign-to": "nobody"}, "assign"),
        )
        keep("referral, a caseworker's own", caseworker.get(f"{prefix}{page_url}"))
        keep(
            "referral, a caseworker may take",
            caseworker.get(f"{prefix}/portal/referrals/{anonymous}"),
        )
        keep(
            "assign error, caseworker",
            post(
                caseworker,
                f"{prefix}/portal/referrals/{anonymous}/assign",
                {"assign-to": "nobody"},
                "assign",
            ),
        )
        keep("inbox, mine", caseworker.get(f"{prefix}/portal/referrals?owner=mine"))
        keep("workload", manager.get(f"{prefix}/portal/workload"))
        keep("pass on", manager.get(f"{prefix}{page_url}/pass-on"))
        keep("pass on error", post(manager, f"{prefix}{page_url}/pass-on", {"organisation": ORG_B}))
        keep("erase", manager.get(f"{prefix}{page_url}/erase"))
        keep("erase error", post(manager, f"{prefix}{page_url}/erase", {"reason": ""}))
        app.config["ADMIN_CAN_READ_REFERRALS"] = True
        keep("administrator reading", admin.get(f"{prefix}{page_url}"))
        app.config["ADMIN_CAN_READ_REFERRALS"] = False
    yield pages
    with app.app_context():
        db.engine.dispose()


def test_every_casework_page_is_valid_html(rendered):
    assert len(rendered) == 2 * 26
    nu_html_check(rendered)


def test_casework_pages_keep_the_page_rules(rendered, tmp_path):
    app = make_app(tmp_path)
    with app.test_request_context():
        error_prefix = {}
        for code in LANGUAGES:
            with force_locale(code):
                error_prefix[code] = gettext("Error:")
    problems: list[str] = []
    for page in rendered:
        doc = html5lib.parse(page.html, treebuilder="etree", namespaceHTMLElements=False)
        html = doc if doc.tag == "html" else doc.find(".//html")
        if (html.get("lang"), html.get("dir")) != (page.language, LANGUAGES[page.language]):
            problems.append(f"{page.url}: lang/dir are {html.get('lang')}/{html.get('dir')}")
        h1s = doc.findall(".//h1")
        if len(h1s) != 1:
            problems.append(f"{page.url}: {len(h1s)} <h1> elements")
            continue
        heading, title = _text(h1s[0]), _text(doc.find(".//head/title"))
        has_errors = doc.find(".//*[@data-error-summary]") is not None
        if ("error" in page.url or "warning" in page.url) != has_errors:
            problems.append(f"{page.url}: error summary shown: {has_errors}")
        expected = f"{error_prefix[page.language]} {heading}" if has_errors else heading
        if not title.startswith(expected):
            problems.append(f"{page.url}: <title> {title!r} does not start with {expected!r}")
        ids = [
            e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id") is not None
        ]
        problems += [
            f"{page.url}: id {i!r} used twice" for i in sorted(set(ids)) if ids.count(i) > 1
        ]
        labels = {label.get("for") for label in doc.iter("label")}
        for field in doc.iter():
            if (
                field.tag in {"input", "select", "textarea"}
                and (field.get("type") or "text") not in NOT_LABELLED_TYPES
                and field.get("id") not in labels
            ):
                problems.append(
                    f"{page.url}: <{field.tag} name={field.get('name')!r}> has no label"
                )
        for table in doc.iter("table"):
            if table.find("caption") is None:
                problems.append(f"{page.url}: a table without a caption")
            if any(th.get("scope") not in ("col", "row") for th in table.iter("th")):
                problems.append(f"{page.url}: a <th> without scope")
    assert not problems, "\n".join(problems)
