"""Every portal and admin route, for every kind of caller, against a table of what each may
reach. The table is the policy: a route added without a row here fails this test.

Callers: nobody signed in; a caseworker of organisation A; a caseworker of B; a manager of
A; an administrator. The sample referral belongs to A. Outcomes:
  ok      the page or action answers (2xx, or a redirect of its own)
  signin  turned away by the sign-in guard
  404     not found: another organisation's referral, or a route outside one's role
  410     a link that cannot be used (the sample tokens are made up)
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOMY, make_app
from tests.portal.conftest import ORG_A, ORG_B, add_referral, make_staff, session_client

CALLERS = ("nobody", "caseworker_a", "caseworker_b", "manager_a", "admin")

OPEN = dict.fromkeys(CALLERS, "ok")
SIGNED_IN = {
    "nobody": "signin",
    "caseworker_a": "ok",
    "caseworker_b": "ok",
    "manager_a": "ok",
    "admin": "ok",
}
ORG_STAFF = {
    "nobody": "signin",
    "caseworker_a": "ok",
    "caseworker_b": "ok",
    "manager_a": "ok",
    "admin": "404",
}
MANAGERS = {
    "nobody": "signin",
    "caseworker_a": "404",
    "caseworker_b": "404",
    "manager_a": "ok",
    "admin": "404",
}
STAFF_OF_A = {
    "nobody": "signin",
    "caseworker_a": "ok",
    "caseworker_b": "404",
    "manager_a": "ok",
    "admin": "404",
}
MANAGER_OF_A = {
    "nobody": "signin",
    "caseworker_a": "404",
    "caseworker_b": "404",
    "manager_a": "ok",
    "admin": "404",
}
ADMINS = {
    "nobody": "signin",
    "caseworker_a": "404",
    "caseworker_b": "404",
    "manager_a": "404",
    "admin": "ok",
}
GONE = dict.fromkeys(CALLERS, "410")

# (endpoint, method) -> expected outcome per caller.
TABLE: dict[tuple[str, str], dict[str, str]] = {
    ("portal.sign_in", "GET"): OPEN,
    ("portal.sign_in", "POST"): OPEN,
    ("portal.sign_in_code", "GET"): OPEN,
    ("portal.sign_in_code", "POST"): OPEN,
    ("portal.password_reset_request", "GET"): OPEN,
    ("portal.password_reset_request", "POST"): OPEN,
    ("portal.invitation", "GET"): GONE,
    ("portal.invitation", "POST"): GONE,
    ("portal.invitation_two_factor", "GET"): GONE,
    ("portal.invitation_two_factor", "POST"): GONE,
    ("portal.password_reset", "GET"): GONE,
    ("portal.password_reset", "POST"): GONE,
    ("portal.sign_out", "POST"): SIGNED_IN,
    ("portal.home", "GET"): SIGNED_IN,
    ("portal.account", "GET"): SIGNED_IN,
    ("portal.password_change", "GET"): SIGNED_IN,
    ("portal.password_change", "POST"): SIGNED_IN,
    ("portal.recovery_codes_new", "POST"): SIGNED_IN,
    ("portal.inbox", "GET"): ORG_STAFF,
    ("portal.referrals_search", "GET"): ORG_STAFF,
    ("portal.referrals_search", "POST"): ORG_STAFF,
    ("portal.referrals_export", "GET"): MANAGERS,
    ("portal.workload", "GET"): MANAGERS,
    ("portal.referral", "GET"): STAFF_OF_A,
    ("portal.referral_assign", "POST"): STAFF_OF_A,
    ("portal.referral_status", "POST"): STAFF_OF_A,
    ("portal.referral_note", "POST"): STAFF_OF_A,
    ("portal.referral_contact", "POST"): STAFF_OF_A,
    ("portal.referral_tags", "POST"): STAFF_OF_A,
    ("portal.referral_wishes", "POST"): STAFF_OF_A,
    ("portal.referral_pass_on", "GET"): STAFF_OF_A,
    ("portal.referral_pass_on", "POST"): STAFF_OF_A,
    # Accepting or returning: the receiving organisation's staff (A), of a referral B
    # passed to A (the sample for these routes); B, the sender, only reads it meanwhile.
    ("portal.referral_accept", "POST"): STAFF_OF_A,
    ("portal.referral_return", "GET"): STAFF_OF_A,
    ("portal.referral_return", "POST"): STAFF_OF_A,
    ("portal.referral_erase", "GET"): MANAGER_OF_A,
    ("portal.referral_erase", "POST"): MANAGER_OF_A,
    ("portal.team", "GET"): MANAGERS,
    ("portal.audit_log", "GET"): MANAGERS,
    ("portal.team_approve", "POST"): MANAGER_OF_A,
    ("portal.team_decline", "POST"): MANAGER_OF_A,
    ("admin.home", "GET"): ADMINS,
    ("admin.staff", "GET"): ADMINS,
    ("admin.organisations", "GET"): ADMINS,
    ("admin.news", "GET"): ADMINS,
    ("admin.outbox", "GET"): ADMINS,
    ("admin.audit", "GET"): ADMINS,
    ("admin.routing", "GET"): ADMINS,
    ("admin.staff_invite", "GET"): ADMINS,
    ("admin.staff_invite", "POST"): ADMINS,
    ("admin.staff_invited", "GET"): ADMINS,
    ("admin.staff_invite_again", "POST"): ADMINS,
    ("admin.staff_remove", "GET"): ADMINS,
    ("admin.staff_remove", "POST"): ADMINS,
    ("admin.news_new", "GET"): ADMINS,
    ("admin.news_new", "POST"): ADMINS,
    ("admin.news_edit", "GET"): ADMINS,
    ("admin.news_edit", "POST"): ADMINS,
    ("admin.news_saved", "GET"): ADMINS,
    ("admin.news_delete", "GET"): ADMINS,
    ("admin.news_delete", "POST"): ADMINS,
    ("admin.event_new", "GET"): ADMINS,
    ("admin.event_new", "POST"): ADMINS,
    ("admin.event_edit", "GET"): ADMINS,
    ("admin.event_edit", "POST"): ADMINS,
    ("admin.event_saved", "GET"): ADMINS,
    ("admin.event_delete", "GET"): ADMINS,
    ("admin.event_delete", "POST"): ADMINS,
}


# Routes whose URL variable needs a sample of its own: (endpoint, variable) -> sample.
SAMPLE_FOR = {
    ("portal.referral_accept", "reference"): "passed_to_a",
    ("portal.referral_return", "reference"): "passed_to_a",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app with a referral of A, staff of every kind, and sample values for URLs."""
    app = make_app(tmp_path_factory.mktemp("access"), WTF_CSRF_ENABLED=False, **ROOMY)
    people = {
        "caseworker_a": make_staff(app, "caseworker", ORG_A)[0],
        "caseworker_b": make_staff(app, "caseworker", ORG_B)[0],
        "manager_a": make_staff(app, "manager", ORG_A)[0],
        "admin": make_staff(app, "admin")[0],
    }
    samples = _samples(app, people)
    yield app, people, samples
    from againsthate.extensions import db

    with app.app_context():
        db.engine.dispose()


def _samples(app, people) -> dict:
    """A value for each URL variable, fresh for every request: a destructive action tried by
    one caller (erase, remove, delete) must not change what the next caller meets."""
    import datetime as dt

    from againsthate.db.models import Event, NewsItem
    from againsthate.extensions import db

    def news_item() -> int:
        with app.app_context():
            item = NewsItem(
                slug=f"sample-{_next()}",
                title="Sample",
                summary="Sample",
                body_html="<p>Sample</p>",
                published=dt.date(2026, 1, 1),
            )
            db.session.add(item)
            db.session.commit()
            return item.id

    def event() -> int:
        with app.app_context():
            row = Event(
                title="Sample",
                date=dt.date(2030, 1, 1),
                time="10:00",
                location="Hall",
                description="Sample",
            )
            db.session.add(row)
            db.session.commit()
            return row.id

    def passed_to_a() -> str:
        """A referral of B passed to A, waiting for A to accept or return it."""
        from againsthate import clock
        from againsthate.db.models import Referral, ReferralPass

        reference = add_referral(app, ORG_B)
        with app.app_context():
            row = db.session.query(Referral).filter_by(reference=reference).one()
            db.session.add(
                ReferralPass(
                    referral_id=row.id,
                    from_organisation=ORG_B,
                    to_organisation=ORG_A,
                    at=clock.now(),
                    state="waiting",
                )
            )
            db.session.commit()
        return reference

    return {
        "passed_to_a": passed_to_a,
        "reference": lambda: add_referral(app, ORG_A),
        "token": lambda: "made-up-token",
        "user_id": lambda: make_staff(app, "caseworker", ORG_A)[0].id,
        "item_id": news_item,
        "event_id": event,
    }


_counter = iter(range(1, 1_000_000))


def _next() -> int:
    return next(_counter)


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("portal", "admin"):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        # The sign-in guard always says where to come back to; other redirects to the
        # sign-in page (after signing out, a code page with no password yet) are answers.
        return "signin" if "/portal/sign-in?next=" in response.location else "ok"
    if response.status_code < 300:
        return "ok"
    return str(response.status_code)


def test_every_portal_route_has_a_row(world):
    app, _people, _samples = world
    missing = [
        f"{rule.endpoint} {method} ({rule.rule})"
        for rule, method in _rules(app)
        if (rule.endpoint, method) not in TABLE
    ]
    assert not missing, "add these routes to TABLE in tests/portal/test_access.py:\n" + "\n".join(
        missing
    )
    stale = [key for key in TABLE if key not in {(r.endpoint, m) for r, m in _rules(app)}]
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_route_answers_every_caller_as_the_table_says(world):
    from flask import url_for

    app, people, samples = world
    wrong = []
    for rule, method in _rules(app):
        expected = TABLE.get((rule.endpoint, method))
        if expected is None:
            continue  # reported by the test above
        for caller in CALLERS:
            client = (
                app.test_client() if caller == "nobody" else session_client(app, people[caller])
            )
            values = {
                name: samples[SAMPLE_FOR.get((rule.endpoint, name), name)]()
                for name in rule.arguments
            }
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            response = client.open(url, method=method, data={})
            got = _outcome(response)
            if got != expected[caller]:
                wrong.append(f"{method} {url} as {caller}: expected {expected[caller]}, got {got}")
    assert not wrong, "\n".join(wrong)
