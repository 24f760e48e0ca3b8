"""Nothing lost: a note, a contact attempt or a status change sent after the staff session
timed out is kept (sealed, for the same member of staff, for a short time) and comes back
in its form on the referral's page once they sign in again. Never saved by itself."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from tests.portal.casework import events, main_of
from tests.portal.conftest import PASSWORD, code_now, make_staff, session_client

NOTE = "Rang twice; left no message as asked, try Thursday"


@pytest.fixture
def later(monkeypatch):
    """Move the clock on, past the idle limit (30 minutes), or by any amount."""

    def move(minutes: int = 31) -> dt.datetime:
        moment = clock.now() + dt.timedelta(minutes=minutes)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return move


def _sign_in(client, user, secret, at: dt.datetime, where: str = "/portal/sign-in"):
    """Sign in as the sign-in page does, at `where` (its address keeps the next= to go to)."""
    client.post(where, data={"email": user.email, "password": PASSWORD})
    return client.post("/portal/sign-in/code", data={"code": code_now(secret, at)})


def test_a_note_sent_after_the_session_timed_out_comes_back_after_signing_in(
    portal_app, referral, later
):
    reference = referral()
    user, secret = make_staff(portal_app, name="Kim Keeper")
    client = session_client(portal_app, user)
    assert client.get(f"/portal/referrals/{reference}").status_code == 200
    moment = later()

    sent = client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    assert sent.status_code in (302, 303) and "/portal/sign-in" in sent.location
    assert NOTE not in sent.location and "notes" not in sent.location

    landed = _sign_in(client, user, secret, moment, sent.location)
    assert landed.location.endswith(f"/portal/referrals/{reference}")
    page = client.get(landed.location)
    assert page.status_code == 200
    main = main_of(page)
    assert NOTE in main  # in the note's box, to send again
    assert "kept" in main and "not saved yet" in main
    assert [e.kind for e in events(portal_app, reference)] == []  # nothing saved by itself


def _checked(html: str, name: str) -> list[str]:
    """The values of the ticked inputs called `name`."""
    import re

    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags if " checked" in t]


def _kept_rows(app):
    from sqlalchemy import select

    from againsthate.db.models import KeptForm
    from againsthate.extensions import db

    with app.app_context():
        rows = db.session.scalars(select(KeptForm)).all()
        db.session.expunge_all()
        return list(rows)


def test_kept_forms_are_sealed_and_hold_no_csrf_token(portal_app, referral, later):
    reference = referral()
    user, _secret = make_staff(portal_app)
    client = session_client(portal_app, user)
    later()
    client.post(
        f"/portal/referrals/{reference}/notes", data={"note-text": NOTE, "csrf_token": "abc"}
    )
    [row] = _kept_rows(portal_app)
    assert row.user_id == user.id and row.kind == "note" and NOTE not in row.content
    opened = portal_app.extensions["againsthate.keyring"].open(row.content)
    assert NOTE in opened and "csrf" not in opened


def test_a_contact_attempt_and_a_status_change_come_back_too(portal_app, referral, later):
    reference = referral()
    user, secret = make_staff(portal_app)
    client = session_client(portal_app, user)
    moment = later()
    client.post(
        f"/portal/referrals/{reference}/contacts",
        data={
            "contact-method": "phone",
            "contact-message_left": "no",
            "contact-said_who": "no",
            "contact-note": "No answer at ten",
            "contact-understood": "y",
        },
    )
    sent = client.post(f"/portal/referrals/{reference}/status", data={"status-status": "contacted"})
    main = main_of(client.get(_sign_in(client, user, secret, moment, sent.location).location))
    assert "No answer at ten" in main
    assert _checked(main, "contact-method") == ["phone"]
    assert _checked(main, "contact-said_who") == ["no"]
    assert _checked(main, "contact-understood") == []  # ticked again on purpose, or not
    assert _checked(main, "status-status") == ["contacted"]
    assert events(portal_app, reference) == [] and _kept_rows(portal_app) == []


def test_another_member_of_staff_never_sees_it(portal_app, referral, later):
    reference = referral()
    writer, writer_secret = make_staff(portal_app, name="Wren Writer")
    other, other_secret = make_staff(portal_app, name="Otto Other")
    client = session_client(portal_app, writer)
    moment = later()
    sent = client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    # Someone else signs in on the same computer.
    landed = _sign_in(client, other, other_secret, moment, sent.location)
    assert NOTE not in client.get(landed.location).text
    assert len(_kept_rows(portal_app)) == 1  # still the writer's
    client.post("/portal/sign-out")
    moment = later(33)
    # The writer, later than the time it is kept for: gone.
    landed = _sign_in(portal_app.test_client(), writer, writer_secret, moment, sent.location)
    assert _kept_rows(portal_app) == [] or NOTE not in landed.text


def test_it_is_kept_for_thirty_minutes_and_the_purge_removes_it(portal_app, referral, later):
    reference = referral()
    user, _secret = make_staff(portal_app)
    client = session_client(portal_app, user)
    later()
    client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    assert len(_kept_rows(portal_app)) == 1
    later(31)
    result = portal_app.test_cli_runner().invoke(args=["drafts", "purge"])
    assert result.exit_code == 0, result.output
    assert _kept_rows(portal_app) == []


def test_without_a_session_it_is_kept_only_for_who_last_signed_in_in_this_browser(
    portal_app, referral, later
):
    from againsthate.services import staff_sessions

    reference = referral()
    user, secret = make_staff(portal_app)
    other, other_secret = make_staff(portal_app)
    client = portal_app.test_client()
    _sign_in(client, user, secret, clock.now())
    moment = later()
    client.delete_cookie(staff_sessions.COOKIE)  # a browser that lost its cookie
    sent = client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    assert "/portal/sign-in" in sent.location
    [row] = _kept_rows(portal_app)
    assert row.user_id is None and row.claim_hash and row.mark
    # Someone else signing in here does not get it; it is deleted.
    page = client.get(_sign_in(client, other, other_secret, moment, sent.location).location)
    assert NOTE not in page.text and _kept_rows(portal_app) == []

    # The same person does.
    client.post("/portal/sign-out")
    client = portal_app.test_client()
    moment = later(2)
    _sign_in(client, user, secret, moment)
    client.delete_cookie(staff_sessions.COOKIE)
    moment = later(3)
    sent = client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    page = client.get(_sign_in(client, user, secret, moment, sent.location).location)
    assert NOTE in main_of(page)


def test_nothing_is_kept_for_another_organisations_referral(portal_app, referral, later):
    from tests.portal.conftest import ORG_B

    reference = referral(ORG_B)
    user, _secret = make_staff(portal_app)
    client = session_client(portal_app, user)
    later()
    client.post(f"/portal/referrals/{reference}/notes", data={"note-text": NOTE})
    assert _kept_rows(portal_app) == []


def test_a_stale_csrf_token_keeps_the_note_too(tmp_path, later):
    """With CSRF on (the portal_app fixture has it off): a token from before the browser's
    session was lost is not the "form expired" page, nor lost."""
    from againsthate.extensions import db
    from tests.conftest import ROOMY, make_app
    from tests.portal.conftest import add_referral

    app = make_app(tmp_path, **ROOMY)
    try:
        reference = add_referral(app)
        user, _secret = make_staff(app)
        client = session_client(app, user)
        sent = client.post(
            f"/portal/referrals/{reference}/notes",
            data={"note-text": NOTE, "csrf_token": "stale"},
        )
        assert sent.status_code == 303
        assert sent.location.endswith(f"/portal/referrals/{reference}")
        page = client.get(sent.location)
        assert NOTE in main_of(page) and "not saved yet" in page.text
        # Any other portal form with a stale token: the kind page, as before.
        other = client.post("/portal/referrals/search", data={"csrf_token": "stale"})
        assert other.status_code == 400
    finally:
        with app.app_context():
            db.engine.dispose()


def test_any_other_button_pressed_after_the_timeout_leads_back_to_the_referral(
    portal_app, referral, later
):
    """Not only the kept forms: a button whose address takes only a POST (who has it,
    accept) never sends the person to a "page not found" after signing in."""
    reference = referral()
    user, secret = make_staff(portal_app)
    client = session_client(portal_app, user)
    moment = later()
    sent = client.post(f"/portal/referrals/{reference}/assign", data={"assign-to": str(user.id)})
    assert "/portal/sign-in?next=" in sent.location and "assign" not in sent.location
    landed = _sign_in(client, user, secret, moment, sent.location)
    assert landed.location.endswith(f"/portal/referrals/{reference}")
    assert client.get(landed.location).status_code == 200
