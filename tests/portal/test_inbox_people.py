"""The inbox's people columns and orders, as a caseworker sees them: who each referral is
from (their own organisation's only), how they agreed to be contacted, the last activity,
sorting that stays with the filters and the pages, and the look on record."""

from __future__ import annotations

import datetime as dt
import re

from againsthate import clock
from againsthate.services import audit
from tests.portal.casework import audit_rows, references_listed
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B

ANONYMOUS = {k: v for k, v in ANSWERS.items() if k not in ("name", "methods", "phone")} | {
    "contact": "none"
}


def _ago(**kwargs) -> dt.datetime:
    return clock.now() - dt.timedelta(**kwargs)


def _row(response, reference: str) -> str:
    match = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*>{reference}</a>.*?</tr>", response.text, re.DOTALL
    )
    assert match, reference
    return match.group(0)


def test_a_caseworker_sees_the_names_of_their_own_organisations_referrals_only(
    staff, signed_in, referral
):
    ours = referral(ORG_A, {**ANSWERS, "name": "Samira Khan", "methods": ["phone", "email"]})
    referral(ORG_B, {**ANSWERS, "name": "Zofia Nowak"})
    response = signed_in(staff()).get("/portal/referrals")
    assert references_listed(response) == [ours]
    row = _row(response, ours)
    assert "<bdi>Samira Khan</bdi>" in row
    assert "Phone, Email" in row
    assert "Zofia Nowak" not in response.text
    other = signed_in(staff("caseworker", ORG_B)).get("/portal/referrals")
    assert "Zofia Nowak" in other.text and "Samira Khan" not in other.text


def test_an_anonymous_referral_says_so_and_one_without_a_name_too(staff, signed_in, referral):
    anonymous = referral(ORG_A, ANONYMOUS)
    nameless = referral(ORG_A, {**ANSWERS, "name": ""})
    response = signed_in(staff()).get("/portal/referrals")
    assert "Anonymous" in _row(response, anonymous)
    assert "No contact" in _row(response, anonymous)
    assert "No name given" in _row(response, nameless)
    assert "Phone" in _row(response, nameless)


def test_a_name_is_escaped(staff, signed_in, referral):
    reference = referral(ORG_A, {**ANSWERS, "name": "<b>Sam</b>"})
    row = _row(signed_in(staff()).get("/portal/referrals"), reference)
    assert "<bdi>&lt;b&gt;Sam&lt;/b&gt;</bdi>" in row


def test_each_order_is_chosen_said_and_marked(staff, signed_in, referral):
    old = referral(created_at=_ago(days=3), status="contacted")
    middle = referral(created_at=_ago(days=2))
    new = referral(created_at=_ago(days=1))
    client = signed_in(staff())
    expected = {
        "": ([new, middle, old], "newest first", "Received", "descending"),
        "newest": ([new, middle, old], "newest first", "Received", "descending"),
        "oldest": ([old, middle, new], "oldest first", "Received", "ascending"),
        "activity": ([new, middle, old], "latest activity first", "Last activity", "descending"),
        "waiting": ([middle, new, old], "waiting longest first", "Waiting", "descending"),
    }
    for sort, (order, words, column, direction) in expected.items():
        response = client.get(f"/portal/referrals?sort={sort}")
        assert references_listed(response) == order, sort
        assert re.search(rf'id="inbox-caption">\s*3 referrals, {words}', response.text), sort
        assert f'<th scope="col" aria-sort="{direction}">{column}</th>' in response.text
        assert response.text.count("aria-sort=") == 1
        chosen = sort or "newest"
        assert f'<option selected value="{chosen}">' in response.text


def test_an_unknown_order_is_ignored_and_said_so(staff, signed_in, referral):
    referral()
    response = signed_in(staff()).get("/portal/referrals?sort=<script>")
    assert response.status_code == 200
    assert "We did not recognise one of the filters" in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_filters_and_an_order_together(staff, signed_in, referral):
    me = staff()
    client = signed_in(me)
    religion = {**ANSWERS, "about": ["religion"]}
    older = referral(ORG_A, religion, created_at=_ago(days=2))
    newer = referral(ORG_A, religion, created_at=_ago(days=1))
    referral(ORG_A, religion, status="closed")
    referral(ORG_A)  # race
    query = "status=new&characteristic=religion&owner=unassigned"
    assert references_listed(client.get(f"/portal/referrals?{query}")) == [newer, older]
    response = client.get(f"/portal/referrals?{query}&sort=oldest")
    assert references_listed(response) == [older, newer]
    assert re.search(r"2 referrals match these filters, oldest first", response.text)
    mine = query.replace("unassigned", "mine")
    assert references_listed(client.get(f"/portal/referrals?{mine}&sort=waiting")) == []


def test_the_pages_keep_the_order_and_the_filters(staff, signed_in, referral):
    made = [referral(created_at=_ago(hours=n)) for n in range(30)]
    client = signed_in(staff())
    first = client.get("/portal/referrals?sort=oldest&status=new")
    assert references_listed(first) == made[::-1][:25]
    link = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1).replace("&amp;", "&")
    assert "sort=oldest" in link and "status=new" in link and "page=2" in link
    assert references_listed(client.get(link)) == made[::-1][25:]
    # The default order stays out of the address.
    plain = client.get("/portal/referrals")
    assert "sort=" not in re.search(r'<a href="([^"]+)" rel="next">', plain.text).group(1)


def test_each_page_shown_is_on_record_by_reference_never_by_name(
    portal_app, staff, signed_in, referral
):
    me = staff()
    shown = [referral(ORG_A, {**ANSWERS, "name": "Samira Khan"}) for _ in range(2)]
    client = signed_in(me)
    client.get("/portal/referrals")
    [row] = audit_rows(portal_app, "referrals_listed")
    assert row.actor_id == me.id and row.organisation == ORG_A
    assert sorted(row.detail.split()) == sorted(shown)
    assert "Samira" not in row.detail
    # A filter that shows nobody shows no names: nothing to record.
    client.get("/portal/referrals?status=closed")
    assert len(audit_rows(portal_app, "referrals_listed")) == 1


def test_the_same_page_again_within_a_visit_is_one_line_in_a_managers_log(
    portal_app, staff, signed_in, referral, monkeypatch
):
    """Reloading the inbox (or coming back to it from a referral) is on record every time,
    for the administrators, but a manager's page of the log shows the visit once; a page
    with other referrals on it, or the same page after the visit, is a new line."""
    manager = staff("manager")
    first = referral(ORG_A)
    client = signed_in(manager)
    for _ in range(3):
        client.get("/portal/referrals")
    assert len(audit_rows(portal_app, "referrals_listed")) == 1
    assert len(audit_rows(portal_app, "referrals_listed_again")) == 2
    referral(ORG_A)  # the page now shows another referral too
    client.get("/portal/referrals")
    assert len(audit_rows(portal_app, "referrals_listed")) == 2
    # The same page after the visit is over (a visit shortened here, so that the staff
    # session, idle for at most STAFF_IDLE_MINUTES, is still alive).
    monkeypatch.setattr(audit, "VISIT", dt.timedelta(minutes=1))
    later = clock.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.get("/portal/referrals")
    assert len(audit_rows(portal_app, "referrals_listed")) == 3
    log = client.get("/portal/audit").text
    assert log.count("Referral list seen, with names") == 3
    assert "Referral list seen again" not in log
    assert first in audit_rows(portal_app, "referrals_listed")[0].detail
