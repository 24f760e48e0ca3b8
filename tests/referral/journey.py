"""Walking the self-referral journey with a test client, so each test stays short.

`complete_journey(client)` answers every question the app asks, following the app's own
redirects (so branches open and close as they would for a person), and returns the
check page with the answers it gave. `overrides` replaces or adds fields per page:
    complete_journey(client, {"about": {"about": ["disability"]}, "contact": {"contact": "none"}})
A value of None removes that field from the page's defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import func, select

from againsthate import examples
from againsthate.extensions import db

# One answer per page; pages that only apply after certain answers are used when asked.
# The tables are the package's examples, which the benchmark walks too.
DEFAULTS = examples.defaults(dt.date.today())
SHORT = examples.SHORT  # the quickest way through: no follow-up questions, anonymous
EVERY_BRANCH = examples.EVERY_BRANCH  # every optional page applies
merge = examples.merge

_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


@dataclass
class Journey:
    check: object  # the check page response
    answers: dict[str, dict]  # slug -> the form data posted on that page
    prefix: str = ""
    pages: dict[str, object] = field(default_factory=dict)  # slug -> GET response (visit=True)

    @property
    def submission_key(self) -> str:
        return submission_key(self.check)

    @property
    def text(self) -> str:
        return self.check.get_data(as_text=True)


def submission_key(check_response) -> str:
    match = _KEY.search(check_response.get_data(as_text=True))
    assert match, "the check page has no submission_key"
    return match.group(1)


def page_data(slug: str, overrides: dict | None = None) -> dict:
    """The answers for the fields on page `slug`. Defaults and overrides are looked up by
    field, whatever page they are listed under, so an override written for a page that
    has since been merged into another ({"contact": {"contact": "none"}}) still applies."""
    from againsthate.answers.steps import BY_SLUG, field_names

    names = field_names(BY_SLUG[slug]) if slug in BY_SLUG else ()
    flat_defaults = {k: v for page in DEFAULTS.values() for k, v in page.items()}
    flat_overrides = {k: v for page in (overrides or {}).values() for k, v in (page or {}).items()}
    data = {
        name: flat_overrides.get(name, flat_defaults.get(name))
        for name in names
        if name in flat_overrides or name in flat_defaults
    }
    return {k: v for k, v in data.items() if v is not None}


def slug_of(location: str, prefix: str = "") -> str:
    path = urlsplit(location).path
    assert path.startswith(f"{prefix}/refer/"), location
    return path[len(f"{prefix}/refer/") :]


def complete_journey(
    client,
    overrides: dict | None = None,
    *,
    prefix: str = "",
    visit: bool = False,
    csrf: bool = False,
    start: str = "who",
) -> Journey:
    """Answer every question asked, from `start` to the check page.

    visit=True also opens each question page (GET) before answering, keeping the responses;
    csrf=True does too, and posts each page's CSRF token (for an app with CSRF on).
    """
    visit = visit or csrf
    answers: dict[str, dict] = {}
    pages: dict[str, object] = {}
    slug = start
    for _ in range(40):
        if visit:
            page = client.get(f"{prefix}/refer/{slug}")
            assert page.status_code == 200, (slug, page.status_code)
            pages[slug] = page
        data = page_data(slug, overrides)
        if csrf:
            data["csrf_token"] = csrf_token(pages[slug])
        response = client.post(f"{prefix}/refer/{slug}", data=data)
        assert response.status_code == 302, (
            f"{slug} did not accept {data!r}: {response.status_code} {errors_on(response)}"
        )
        answers[slug] = data
        slug = slug_of(response.headers["Location"], prefix)
        if slug == "check":
            break
    else:  # pragma: no cover - a loop in the journey
        raise AssertionError("the journey never reached the check page")
    check = client.get(f"{prefix}/refer/check")
    assert check.status_code == 200, (check.status_code, check.headers.get("Location"))
    return Journey(check, answers, prefix, pages)


def send(
    client,
    journey: Journey | None = None,
    *,
    organisation: str | None = None,
    key: str | None = None,
    prefix: str | None = None,
):
    """Press Send on the check page (the suggested organisation unless one is given)."""
    prefix = journey.prefix if prefix is None and journey else (prefix or "")
    data = {"submission_key": key or journey.submission_key}
    token = csrf_token(journey.check, required=False) if journey is not None else None
    if token:
        data["csrf_token"] = token
    if organisation is not None:
        data["organisation"] = organisation
    elif journey is not None:
        data["organisation"] = suggested_organisation(journey.check)
    return client.post(f"{prefix}/refer/check", data=data)


def csrf_token(response, required: bool = True) -> str | None:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match or not required, "the page has no CSRF token"
    return match.group(1) if match else None


def suggested_organisation(check_response) -> str:
    match = re.search(
        r'name="organisation" type="radio" value="([^"]+)" checked',
        check_response.get_data(as_text=True),
    )
    assert match, "no organisation is suggested on the check page"
    return match.group(1)


def organisation_choices(check_response) -> list[str]:
    return re.findall(
        r'name="organisation" type="radio" value="([^"]+)"', check_response.get_data(as_text=True)
    )


def reference_of(done_location: str) -> str:
    path = urlsplit(done_location).path
    assert "/refer/done/" in path, done_location
    return path.rsplit("/", 1)[1]


def errors_on(response) -> list[str]:
    """The messages in the error summary, as text."""
    import html

    body = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.DOTALL)
    if not summary:
        return []
    return [
        html.unescape(m)
        for m in re.findall(r"<li><a [^>]*>(.*?)</a></li>", summary.group(0), re.DOTALL)
    ]


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def counted(app) -> int:
    """How many referrals the anonymous statistics have counted."""
    from againsthate.services import statistics

    with app.app_context():
        return statistics.referrals_counted(db.session)


def rows(app, model) -> list:
    with app.app_context():
        return list(db.session.scalars(select(model)))


def _attributes(tag: str) -> dict[str, str | None]:
    import html

    return {
        name: (html.unescape(value) if value is not None else None)
        for name, value in re.findall(r'([\w-]+)(?:="([^"]*)")?', tag[1:])
    }


def checked_values(response, name: str) -> list[str]:
    """The values of the radios or checkboxes called `name` that are checked."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", response.get_data(as_text=True)):
        attrs = _attributes(tag)
        if attrs.get("name") == name and "checked" in attrs:
            found.append(attrs.get("value"))
    return found


def field_value(response, name: str) -> str | None:
    """What a text input or textarea called `name` holds, unescaped; None if absent."""
    import html

    body = response.get_data(as_text=True)
    for tag in re.findall(r"<input\b[^>]*>", body):
        attrs = _attributes(tag)
        if attrs.get("name") == name:
            return attrs.get("value") or ""
    match = re.search(
        rf'<textarea\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>', body, re.DOTALL
    )
    if match:
        text = html.unescape(match.group(1))
        # WTForms starts the content with a line break, which the HTML parser drops.
        return text.removeprefix("\r\n") if text.startswith("\r\n") else text.removeprefix("\n")
    return None


def sent_reference(client, journey: Journey, **kwargs) -> str:
    """Send, expect 303 to the done page, and return the reference."""
    response = send(client, journey, **kwargs)
    assert response.status_code == 303, (
        response.status_code,
        response.get_data(as_text=True)[:300],
    )
    return reference_of(response.headers["Location"])


def visible_text(response) -> str:
    """The page's text as a reader sees it: no tags, attributes, styles or scripts."""
    import html

    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))
