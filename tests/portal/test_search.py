"""Finding a referral from the portal: by reference, name, phone or email; only one's own
organisation's; posted, so nothing typed is in an address; a search is not a look at a
referral; the same few queries however many referrals there are; and a referral sent
through the site is found while the database holds none of those details in plaintext."""

from __future__ import annotations

import re

from sqlalchemy import select

from againsthate.db.models import Referral
from againsthate.extensions import db
from tests.databases import rows_containing
from tests.portal.casework import audit_rows, main_of, references_listed
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B, make_staff, session_client
from tests.portal.test_queries import counting, store_many
from tests.referral.journey import complete_journey, send

SEARCH = "/portal/referrals/search"


def _search(client, text: str):
    return client.post(SEARCH, data={"query": text})


def test_the_inbox_has_a_search_box_that_posts(portal_app, signed_in, staff):
    page = signed_in(staff()).get("/portal/referrals")
    form = re.search(r'<form class="search" method="post" action="([^"]+)"', page.text)
    assert form and form.group(1) == SEARCH
    assert 'for="query"' in page.text and 'name="query"' in page.text


def test_each_kind_finds_the_organisations_referral_and_never_anothers(
    portal_app, signed_in, staff, referral
):
    details = {**ANSWERS, "methods": ["phone", "email"], "email": "sam@example.org"}
    ours = referral(ORG_A, details)
    theirs = referral(ORG_B, details)  # the same person, told to another organisation too
    referral(ORG_A, {**ANSWERS, "name": "Someone Else", "phone": "01332 000000"})
    client = signed_in(staff("caseworker", ORG_A))
    for typed in ("Sam", "sam", "07700900982", "+44 7700 900 982", "SAM@example.org", ours):
        response = _search(client, typed)
        assert response.status_code == 200
        assert references_listed(response) == [ours], typed
    assert references_listed(_search(client, theirs)) == []
    other = signed_in(staff("manager", ORG_B))
    assert references_listed(_search(other, "Sam")) == [theirs]


def test_a_search_shows_no_content_and_is_not_a_look_at_the_referral(
    portal_app, signed_in, staff, referral
):
    reference = referral()
    client = signed_in(staff())
    response = _search(client, "Sam")
    assert references_listed(response) == [reference]
    assert ANSWERS["what"] not in response.text
    assert ANSWERS["phone"] not in main_of(response).replace('value="', "")  # not shown back
    assert audit_rows(portal_app, "referral_viewed", reference) == []
    client.get(f"/portal/referrals/{reference}")  # opening the result is, as ever
    assert len(audit_rows(portal_app, "referral_viewed", reference)) == 1


def test_nothing_found_says_why_kindly(portal_app, signed_in, staff, referral):
    referral(answers={**ANSWERS, "name": "Samira Khan"})
    response = _search(signed_in(staff()), "Samira")
    assert references_listed(response) == []
    assert "exactly as they gave it" in response.text


def test_an_empty_search_asks_for_something_to_find(portal_app, signed_in, staff):
    response = _search(signed_in(staff()), "  ")
    assert response.status_code == 200
    assert "Enter a reference, name, phone number or email address" in response.text
    assert "<title>Error:" in response.text


def test_the_search_page_is_never_stored(portal_app, signed_in, staff):
    response = _search(signed_in(staff()), "Sam")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_search_needs_the_same_few_queries_for_10_or_3000_referrals(
    portal_app, signed_in, staff, referral
):
    client = signed_in(staff())
    store_many(portal_app, 10)
    wanted = referral()
    _search(client, "Sam")  # anything done once per process

    counts = {}
    for size, more in ((10, 0), (3000, 2990)):
        if more:
            store_many(portal_app, more)
        for typed in ("Sam", wanted, "sam@example.org", "nobody"):
            with counting(portal_app) as statements:
                response = _search(client, typed)
            assert response.status_code == 200
            counts[size, typed] = len(statements)
            # No statement reads the sealed content: that would open every row.
            assert not [s for s in statements if "referral.content" in s], typed
        assert references_listed(_search(client, "Sam")) == [wanted]
    assert max(counts.values()) <= 4, counts
    assert {n for (size, _), n in counts.items() if size == 10} == {
        n for (size, _), n in counts.items() if size == 3000
    }, counts


def test_a_referral_sent_through_the_site_is_found_and_its_details_are_nowhere_in_plaintext(
    portal_app,
):
    name, phone, email = "Zofia Kowalska-Nowak", "07700 900 417", "Zofia.K@Example.org"
    person = portal_app.test_client()
    journey = complete_journey(
        person,
        {
            "contact-details": {
                "name": name,
                "methods": ["phone", "email"],
                "phone": phone,
                "email": email,
            }
        },
    )
    assert send(person, journey).status_code == 303
    with portal_app.app_context():
        row = db.session.scalars(select(Referral)).one()
        reference, organisation = row.reference, row.organisation
        # Every row of every table, the index included, as given and as normalised.
        needles = [name, "zofia", "kowalska", phone, "7700900417", "900 417", email, "zofia.k"]
        assert rows_containing(db.engine, needles) == []
    caseworker = session_client(portal_app, make_staff(portal_app, "caseworker", organisation)[0])
    for typed in (name.upper(), "+44 7700 900417", email.lower()):
        assert references_listed(_search(caseworker, typed)) == [reference], typed
