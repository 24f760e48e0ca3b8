"""A manager's page of their own organisation's audit log (/portal/audit): only its own
staff's records, names rather than addresses, one "opened" line per visit, paged in a
bounded number of queries, filters by person and action."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from againsthate.portal.oversight import detail_in_words
from tests.portal.casework import audit_rows
from tests.portal.conftest import ORG_A, ORG_B, add_referral
from tests.portal.test_queries import counting

URL = "/portal/audit"


def _page(client, **params) -> str:
    response = client.get(URL, query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _records(client, **params) -> str:
    """The table of records alone (the filters list every member of staff)."""
    page = _page(client, **params)
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_a_manager_sees_their_own_staff_by_name_and_nobody_elses(staff, signed_in, referral):
    manager = staff("manager", name="Morgan Manager")
    ours = staff("caseworker", name="Casey Caseworker", email="casey@example.org")
    theirs = staff("caseworker", ORG_B, name="Other Person")
    admin = staff("admin", name="Ada Administrator")
    ref_a, ref_b = referral(), referral(ORG_B)
    signed_in(ours).get(f"/portal/referrals/{ref_a}")
    signed_in(theirs).get(f"/portal/referrals/{ref_b}")
    signed_in(admin).get("/portal/admin/")
    page = _records(signed_in(manager))
    assert "Casey Caseworker" in page and ref_a in page
    assert "casey@example.org" not in page
    assert "Other Person" not in page and ref_b not in page
    assert "Ada Administrator" not in page


def test_an_administrators_read_of_a_referral_is_not_on_the_managers_page(
    portal_app, staff, signed_in, referral
):
    portal_app.config["ADMIN_CAN_READ_REFERRALS"] = True
    reference = referral()
    admin = staff("admin", name="Ada Administrator")
    assert signed_in(admin).get(f"/portal/referrals/{reference}").status_code == 200
    assert audit_rows(portal_app, "referral_viewed")  # on record for the administrators
    page = _page(signed_in(staff("manager")))
    assert "Ada Administrator" not in page and reference not in page


def test_reloads_within_half_an_hour_are_one_visit(
    portal_app, staff, signed_in, referral, monkeypatch
):
    reference = referral()
    caseworker = staff("caseworker", name="Casey Caseworker")
    client = signed_in(caseworker)
    start = clock.now()
    for minutes in (0, 10, 25, 50, 85):  # 50 is 25 after the last look: the same visit
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + dt.timedelta(minutes=m))
        if minutes == 85:  # signed out after 30 idle minutes: signing in again
            client = signed_in(caseworker)
        assert client.get(f"/portal/referrals/{reference}").status_code == 200
    assert len(audit_rows(portal_app, "referral_viewed")) == 2  # at 0 and at 85 (35 after the last)
    assert len(audit_rows(portal_app, "referral_viewed_again")) == 3  # kept for admins
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=86))
    page = _page(signed_in(staff("manager")), action="referral_viewed")
    assert page.count("Referral opened</td>") == 2
    assert "2 records match." in page


def test_another_persons_look_is_a_visit_of_its_own(portal_app, staff, signed_in, referral):
    reference = referral()
    for person in (staff("caseworker"), staff("manager")):
        signed_in(person).get(f"/portal/referrals/{reference}")
    assert len(audit_rows(portal_app, "referral_viewed")) == 2


@pytest.fixture
def words(portal_app):
    names = {"casey@example.org": "Casey Caseworker"}
    organisations = {ORG_A: "Derbyshire Victim Services", ORG_B: "Disability Direct"}
    with portal_app.test_request_context():
        tags = {"passed-to-police": "Passed to the police"}
        yield lambda action, detail: detail_in_words(action, detail, names, organisations, tags)


def test_details_are_in_words_with_names_not_addresses(words):
    assert words("referral_status_changed", "new to closed (supported)") == (
        "New to Closed (Support given)"
    )
    passed = words("referral_passed_on", f"from {ORG_A} to {ORG_B}")
    assert ORG_A not in passed and ORG_B not in passed and "Derbyshire" in passed
    assigned = words("referral_assigned", "from nobody to casey@example.org: back from leave")
    assert assigned == "from nobody to Casey Caseworker: back from leave"
    assert "@" not in words("referral_assigned", "to stranger@else.org")
    assert words("referral_tags_changed", "added: passed-to-police, gone; removed: -") == (
        "Added: Passed to the police, gone."
    )
    assert words("referral_tags_changed", "added: -; removed: passed-to-police") == (
        "Removed: Passed to the police."
    )
    assert words("referral_contact_logged", "by phone") == "Phone call"
    assert words("referral_contact_logged", "by text; against wishes: no_message, times") == (
        "Text message; against what the person asked"
    )
    assert words("referrals_exported", "1 referrals") == "1 referral"
    assert words("referrals_exported", "30 referrals") == "30 referrals"
    assert words("signed_in", "with a recovery code") == "With a recovery code"
    assert words("account_locked", "wrong passwords from one place") == (
        "After wrong passwords from one place"
    )
    assert words("staff_approved", "casey@example.org as caseworker") == (
        "Casey Caseworker (Caseworker)"
    )


def test_filters_by_person_and_action(portal_app, staff, signed_in, referral):
    reference = referral()
    casey = staff("caseworker", name="Casey Caseworker")
    robin = staff("caseworker", name="Robin Reader")
    signed_in(casey).get(f"/portal/referrals/{reference}")
    signed_in(robin).post(f"/portal/referrals/{reference}/notes", data={"note-text": "Rang"})
    manager = signed_in(staff("manager"))
    by_casey = _records(manager, person=str(casey.id))
    assert "Casey Caseworker" in by_casey and "Robin Reader" not in by_casey
    notes = _records(manager, action="referral_note_added")
    assert "Robin Reader" in notes and "Casey Caseworker" not in notes
    unknown = _page(manager, action="drop_table", person="99999")
    assert "We did not recognise one of the filters" in unknown


def test_pages_are_bounded_and_a_page_past_the_end_shows_the_last(
    portal_app, staff, signed_in, referral, monkeypatch
):
    from againsthate.portal import oversight

    monkeypatch.setattr(oversight, "PER_PAGE", 2)
    reference = referral()
    caseworker = signed_in(staff("caseworker", name="Casey Caseworker"))
    for n in range(5):
        caseworker.post(f"/portal/referrals/{reference}/notes", data={"note-text": f"n{n}"})
    manager = signed_in(staff("manager"))
    first = _page(manager, action="referral_note_added")
    assert "Older records" in first and "Newer records" not in first
    last = _page(manager, action="referral_note_added", page="999999999")
    assert "Newer records" in last and "Older records" not in last


def test_the_page_takes_the_same_number_of_queries_whatever_the_log_holds(
    portal_app, staff, signed_in, referral
):
    reference = referral()
    caseworker = signed_in(staff("caseworker"))
    manager = signed_in(staff("manager"))
    counts = []
    for _round in range(2):
        for n in range(20):
            caseworker.post(f"/portal/referrals/{reference}/notes", data={"note-text": f"n{n}"})
        with counting(portal_app) as statements:
            _page(manager)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 7


def test_the_audit_page_is_valid_html_and_keeps_the_page_rules(tmp_path):
    from tests.conftest import ROOMY, make_app
    from tests.portal.conftest import make_staff, session_client
    from tests.portal.test_casework_pages import test_casework_pages_keep_the_page_rules as rules
    from tests.test_html_valid import LANGUAGES, save_page
    from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check

    app = make_app(tmp_path / "app", **ROOMY)
    folder = tmp_path / "pages"
    folder.mkdir()
    reference = add_referral(app, ORG_A)
    session_client(app, make_staff(app, "caseworker", ORG_A, name="Casey")[0]).get(
        f"/portal/referrals/{reference}"
    )
    manager = session_client(app, make_staff(app, "manager", ORG_A)[0])
    pages: list = []
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        for label, url in (
            ("audit log", f"{prefix}/portal/audit"),
            ("audit log, unknown filter", f"{prefix}/portal/audit?action=x&page=9"),
            ("audit log, nothing", f"{prefix}/portal/audit?action=referral_erased"),
        ):
            save_page(folder, pages, f"{label} [{code}]", code, manager.get(url), 200)
    nu_html_check(pages)
    rules(pages, tmp_path / "rules")


def test_another_organisations_manager_sees_none_of_it(portal_app, staff, signed_in, referral):
    reference = referral()
    casey = staff("caseworker", name="Casey Caseworker")
    signed_in(casey).get(f"/portal/referrals/{reference}")
    signed_in(casey).post(f"/portal/referrals/{reference}/notes", data={"note-text": "Rang"})
    other = signed_in(staff("manager", ORG_B, name="Bea Other-Manager"))
    page = _page(other)
    assert _records(other) == "" and "0 records." in page
    assert "Casey Caseworker" not in page and reference not in page
    # Naming A's caseworker in the address finds nothing either: not one of B's people.
    filtered = _page(other, person=str(casey.id))
    assert "We did not recognise one of the filters" in filtered and reference not in filtered


def test_a_caseworker_cannot_read_the_log(staff, signed_in):
    assert signed_in(staff("caseworker")).get(URL).status_code == 404
    assert signed_in(staff("admin")).get(URL).status_code == 404


def test_the_portal_menu_offers_the_log_to_managers_only(staff, signed_in):
    link = f'href="{URL}"'
    assert link in signed_in(staff("manager")).get("/portal/referrals").text
    assert link not in signed_in(staff("caseworker")).get("/portal/referrals").text
    assert 'href="/ur/portal/audit"' in signed_in(staff("manager")).get("/ur/portal/referrals").text
