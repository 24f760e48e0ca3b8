"""The inbox: one organisation's referrals, newest first, filtered, in pages of 25."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from againsthate import clock
from tests.conftest import make_app
from tests.portal.casework import references_listed
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B, make_staff, session_client


def _ago(**kwargs) -> dt.datetime:
    return clock.now() - dt.timedelta(**kwargs)


def test_the_inbox_lists_only_the_organisations_own_referrals(staff, signed_in, referral):
    ours = [referral(ORG_A) for _ in range(3)]
    theirs = [referral(ORG_B) for _ in range(2)]
    response = signed_in(staff()).get("/portal/referrals")
    assert response.status_code == 200
    assert sorted(references_listed(response)) == sorted(ours)
    for reference in theirs:
        assert reference not in response.text
    other = signed_in(staff("caseworker", ORG_B)).get("/portal/referrals")
    assert sorted(references_listed(other)) == sorted(theirs)


def test_newest_first_by_when_it_was_received(staff, signed_in, referral):
    oldest = referral(created_at=_ago(days=3))
    newest = referral(created_at=_ago(hours=2))
    middle = referral(created_at=_ago(days=1))
    response = signed_in(staff()).get("/portal/referrals")
    assert references_listed(response) == [newest, middle, oldest]
    assert "3 referrals, newest first" in response.text


def test_filter_by_status(staff, signed_in, referral):
    new = referral(status="new")
    closed = referral(status="closed")
    client = signed_in(staff())
    assert references_listed(client.get("/portal/referrals?status=closed")) == [closed]
    assert references_listed(client.get("/portal/referrals?status=new")) == [new]
    assert sorted(references_listed(client.get("/portal/referrals?status="))) == sorted(
        [new, closed]
    )


def test_filter_by_characteristic(staff, signed_in, referral):
    race = referral()
    disability = referral(answers={**ANSWERS, "about": ["disability", "sexual_orientation"]})
    client = signed_in(staff())
    assert references_listed(client.get("/portal/referrals?characteristic=disability")) == [
        disability
    ]
    assert references_listed(client.get("/portal/referrals?characteristic=race")) == [race]
    assert references_listed(client.get("/portal/referrals?characteristic=sexual_orientation")) == [
        disability
    ]
    assert references_listed(client.get("/portal/referrals?characteristic=religion")) == []
    both = client.get("/portal/referrals?characteristic=disability&status=closed")
    assert references_listed(both) == [] and "No referrals match these filters." in both.text


def test_the_filter_form_keeps_what_was_chosen(staff, signed_in, referral):
    referral()
    response = signed_in(staff()).get("/portal/referrals?status=contacted&characteristic=race")
    assert '<option selected value="contacted">' in response.text
    assert '<option selected value="race">' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "characteristic=height",
        "status=<script>alert(1)</script>",
        "characteristic=%00",
        "status=new&status=bogus",
        "status=bogus&status=closed",
        "page=abc",
        "page=-5",
        "page=0",
        "page=99999999999999999999999999",
        "page=1e9",
        "characteristic=race%27--",
        "status=" + "x" * 5000,
        "page=%F0%9F%92%A9",
    ],
)
def test_bad_filter_values_never_fail(staff, signed_in, referral, query):
    reference = referral()
    response = signed_in(staff()).get(f"/portal/referrals?{query}")
    assert response.status_code == 200
    assert reference in references_listed(response)  # the unknown filter is not applied
    assert response.text.lower().count("<script") == 1  # the layout's own, nothing from the address


def test_an_unknown_filter_is_mentioned_kindly(staff, signed_in, referral):
    referral()
    client = signed_in(staff())
    notice = "We did not recognise one of the filters in the address, so it is not applied."
    assert notice in client.get("/portal/referrals?status=bogus").text
    assert notice not in client.get("/portal/referrals?status=new").text


def test_pages_of_25_with_previous_and_next_links_that_keep_the_filters(staff, signed_in, referral):
    made = [referral(created_at=_ago(minutes=n)) for n in range(30)]  # made[0] is the newest
    client = signed_in(staff())
    first = client.get("/portal/referrals?status=new")
    assert references_listed(first) == made[:25]
    assert '<nav class="pagination" aria-label="Pages of referrals">' in first.text
    assert re.search(
        r'<a href="/portal/referrals\?page=2&amp;status=new" rel="next">Next page'
        r'<span class="visually-hidden">: page 2 of 2</span></a>',
        first.text,
    )
    assert 'rel="prev"' not in first.text
    assert "<title>Referrals (page 1 of 2)" in first.text

    second = client.get("/portal/referrals?status=new&page=2")
    assert references_listed(second) == made[25:]
    assert re.search(
        r'<a href="/portal/referrals\?page=1&amp;status=new" rel="prev">Previous page', second.text
    )
    assert 'rel="next"' not in second.text
    # Past the end: the last page, not an empty one or an error.
    assert references_listed(client.get("/portal/referrals?page=7")) == made[25:]


def test_one_page_needs_no_page_links(staff, signed_in, referral):
    referral()
    response = signed_in(staff()).get("/portal/referrals")
    assert "pagination" not in response.text and "page 1 of" not in response.text


def _row(response, reference: str) -> str:
    match = re.search(
        rf'<tr>\s*<th scope="row"><a href="/portal/referrals/{reference}">.*?</tr>',
        response.text,
        re.DOTALL,
    )
    assert match, f"no row for {reference}"
    return match.group(0)


def test_a_new_referral_shows_how_long_it_has_waited(staff, signed_in, referral):
    waiting = referral(created_at=_ago(days=3, hours=2))
    recent = referral(created_at=_ago(hours=5))
    contacted = referral(created_at=_ago(days=9), status="contacted")
    response = signed_in(staff()).get("/portal/referrals")
    assert "<td>3 days</td>" in _row(response, waiting)
    assert "<td>5 hours</td>" in _row(response, recent)
    assert "days</td>" not in _row(response, contacted)
    assert '<th scope="col">Waiting</th>' in response.text


def test_the_table_has_a_caption_and_headers(staff, signed_in, referral):
    referral()
    response = signed_in(staff()).get("/portal/referrals")
    assert re.search(
        r'<caption class="caption" id="inbox-caption">\s*1 referral, newest first', response.text
    )
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', response.text)
    assert headers == [
        "Reference",
        "From",
        "Received",
        "Last activity",
        "Status",
        "Waiting",
        "About",
        "Who has it",
    ]
    assert '<th scope="col" aria-sort="descending">Received</th>' in response.text
    assert "Race, ethnicity or nationality" in response.text


def test_an_empty_inbox_says_so(staff, signed_in):
    response = signed_in(staff()).get("/portal/referrals")
    assert "Your organisation has no referrals yet." in response.text
    assert "<table" not in response.text


def test_only_managers_are_offered_the_download(staff, signed_in):
    assert "export.csv" in signed_in(staff("manager")).get("/portal/referrals").text
    assert "export.csv" not in signed_in(staff("caseworker")).get("/portal/referrals").text


def test_the_inbox_needs_signing_in(portal_app):
    response = portal_app.test_client().get("/portal/referrals")
    assert response.status_code == 302 and "/portal/sign-in" in response.location


@pytest.mark.parametrize("can_read", [False, True])
def test_administrators_have_no_inbox(tmp_path, can_read):
    # Even when they may read a referral's page: they open one by its reference, from the
    # audit log, rather than browse every organisation's referrals.
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, ADMIN_CAN_READ_REFERRALS=can_read)
    admin, _ = make_staff(app, "admin")
    assert session_client(app, admin).get("/portal/referrals").status_code == 404


def test_signing_in_with_a_recovery_code_lands_on_the_inbox_saying_how_many_are_left(portal_app):
    from againsthate.db.models import StaffUser
    from againsthate.extensions import db
    from againsthate.services import accounts
    from tests.portal.conftest import PASSWORD

    user, _ = make_staff(portal_app)
    with portal_app.app_context():
        codes = accounts.new_recovery_codes(
            db.session, db.session.get(StaffUser, user.id), clock.now()
        )
        db.commit()
    client = portal_app.test_client()
    client.post("/portal/sign-in", data={"email": user.email, "password": PASSWORD})
    response = client.post("/portal/sign-in/code", data={"code": codes[0]}, follow_redirects=True)
    assert response.request.path == "/portal/referrals"
    left = len(codes) - 1
    assert (
        f'<div role="status"><p class="notice">You signed in with a recovery code. You have '
        f"{left} recovery codes left."
    ) in response.text
    assert "recovery code" not in client.get("/portal/referrals").text  # said once
