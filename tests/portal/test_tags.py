"""An organisation's own tags (the pack's `tags`): staff tick them on a referral's page,
each change is in its history and the audit log, the inbox filters by one, and the CSV
export lists them. Statuses stay the same four."""

from __future__ import annotations

from tests.portal.casework import audit_rows, events, opened, references_listed, stored
from tests.portal.conftest import ORG_A, ORG_B

# areas/derbyshire.toml gives ORG_A three tags; ORG_B none.


def _tag(client, reference: str, *tags: str):
    return client.post(f"/portal/referrals/{reference}/tags", data={"tags-tags": list(tags)})


def test_staff_tick_tags_on_a_referral_and_it_is_in_history_and_audit(
    portal_app, staff, signed_in, referral
):
    reference = referral()
    client = signed_in(staff("caseworker", name="Casey Caseworker"))
    page = client.get(f"/portal/referrals/{reference}").text
    assert 'name="tags-tags" type="checkbox" value="passed-to-police"' in page
    assert _tag(client, reference, "passed-to-police", "needs-interpreter").status_code == 303
    assert stored(portal_app, reference).tags == "passed-to-police needs-interpreter"
    assert _tag(client, reference, "needs-interpreter").status_code == 303
    assert stored(portal_app, reference).tags == "needs-interpreter"
    lines = [opened(portal_app, e) for e in events(portal_app, reference) if e.kind == "tags"]
    assert lines == [
        {"added": ["passed-to-police", "needs-interpreter"], "removed": []},
        {"added": [], "removed": ["passed-to-police"]},
    ]
    records = audit_rows(portal_app, "referral_tags_changed", reference)
    assert [r.detail for r in records] == [
        "added: passed-to-police, needs-interpreter; removed: -",
        "added: -; removed: passed-to-police",
    ]
    page = client.get(f"/portal/referrals/{reference}").text
    assert "Tags changed" in page and "Removed: Passed to the police." in page
    assert stored(portal_app, reference).status == "new"  # statuses are untouched


def test_a_tag_the_organisation_does_not_have_is_refused_kindly(
    portal_app, staff, signed_in, referral
):
    reference = referral()
    client = signed_in(staff())
    response = _tag(client, reference, "made-up")
    assert response.status_code == 200 and "Error:" in response.text
    assert stored(portal_app, reference).tags == ""
    unchanged = _tag(client, reference)
    assert unchanged.status_code == 200 and "Nothing would change" in unchanged.text


def test_an_organisation_without_tags_offers_none(staff, signed_in, referral):
    reference = referral(ORG_B)
    client = signed_in(staff("caseworker", ORG_B))
    assert "tags-tags" not in client.get(f"/portal/referrals/{reference}").text
    assert 'name="tag"' not in client.get("/portal/referrals").text
    assert _tag(client, reference, "passed-to-police").status_code == 200


def test_another_organisations_staff_cannot_tag(portal_app, staff, signed_in, referral):
    reference = referral()
    assert (
        _tag(signed_in(staff("caseworker", ORG_B)), reference, "repeat-incident").status_code == 404
    )
    assert stored(portal_app, reference).tags == ""


def test_the_inbox_filters_by_tag(staff, signed_in, referral):
    tagged, other = referral(), referral()
    client = signed_in(staff())
    _tag(client, tagged, "repeat-incident")
    inbox = client.get("/portal/referrals").text
    assert 'name="tag"' in inbox and "Repeat incident" in inbox
    listed = references_listed(client.get("/portal/referrals?tag=repeat-incident"))
    assert listed == [tagged]
    unknown = client.get("/portal/referrals?tag=nope").text
    assert "We did not recognise one of the filters" in unknown and other in unknown


def test_tags_are_in_the_export_in_words(staff, signed_in, referral):
    import csv
    import io

    reference = referral()
    manager = signed_in(staff("manager"))
    _tag(manager, reference, "passed-to-police", "repeat-incident")
    text = manager.get("/portal/referrals/export.csv").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(text[1:])))
    assert row["tags"] == "Passed to the police; Repeat incident"
    assert "Tags added: Passed to the police, Repeat incident" in row["status_history"]


def test_tags_go_with_the_content_and_do_not_travel_with_a_pass_on(
    portal_app, staff, signed_in, referral
):
    reference = referral()
    client = signed_in(staff("manager"))
    receiver = signed_in(staff("caseworker", ORG_B))
    _tag(client, reference, "needs-interpreter")
    client.post(
        f"/portal/referrals/{reference}/pass-on",
        data={"organisation": ORG_B, "reason": "Their specialism"},
    )
    # Still the sender's while it waits; the receiver's from the moment they accept it.
    assert stored(portal_app, reference).tags == "needs-interpreter"
    assert receiver.post(f"/portal/referrals/{reference}/accept").status_code == 303
    assert stored(portal_app, reference).tags == ""
    second = referral()
    _tag(client, second, "needs-interpreter")
    client.post(f"/portal/referrals/{second}/erase", data={"reason": "Asked us to"})
    assert stored(portal_app, second).tags == ""
    assert ORG_A  # the tags are the organisation's own


def test_a_tag_the_pack_no_longer_lists_can_still_be_removed(
    portal_app, staff, signed_in, referral
):
    from sqlalchemy import update

    from againsthate.db.models import Referral
    from againsthate.extensions import db

    reference = referral()
    with portal_app.app_context():
        db.session.execute(
            update(Referral).where(Referral.reference == reference).values(tags="old-tag")
        )
        db.session.commit()
    client = signed_in(staff())
    page = client.get(f"/portal/referrals/{reference}").text
    assert 'type="checkbox" value="old-tag"' in page  # offered, so it can be unticked
    assert _tag(client, reference, "old-tag", "repeat-incident").status_code == 303
    assert stored(portal_app, reference).tags == "repeat-incident old-tag"
    assert _tag(client, reference).status_code == 303
    assert stored(portal_app, reference).tags == ""


def test_the_pages_with_tags_are_valid_html_and_keep_the_page_rules(tmp_path):
    """The referral page with its tags (and a refused change), and the inbox filtered by
    one, in every language: the Nu checker and our page rules."""
    from tests.conftest import ROOMY, make_app
    from tests.portal.conftest import add_referral, make_staff, session_client
    from tests.portal.test_casework_pages import test_casework_pages_keep_the_page_rules as rules
    from tests.test_html_valid import LANGUAGES, save_page
    from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check

    app = make_app(tmp_path / "app", WTF_CSRF_ENABLED=False, **ROOMY)
    folder = tmp_path / "pages"
    folder.mkdir()
    reference = add_referral(app, ORG_A)
    client = session_client(app, make_staff(app, "caseworker", ORG_A)[0])
    _tag(client, reference, "needs-interpreter")
    pages: list = []
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        page = f"{prefix}/portal/referrals/{reference}"
        for label, response in (
            ("referral with tags", client.get(page)),
            ("tags error", client.post(f"{page}/tags", data={"tags-tags": ["made-up"]})),
            ("inbox by tag", client.get(f"{prefix}/portal/referrals?tag=needs-interpreter")),
        ):
            save_page(folder, pages, f"{label} [{code}]", code, response, 200)
    nu_html_check(pages)
    rules(pages, tmp_path / "rules")
