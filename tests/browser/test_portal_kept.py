"""Nothing lost, in chromium (CSRF on): a note typed as the session times out is kept and
comes back after signing in again, by keyboard alone; and the page showing it has no axe
violations and reflows at 320 px, in English and Urdu, at default and largest text."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from againsthate import clock
from againsthate.db.models import StaffSession, StaffUser
from againsthate.extensions import db
from againsthate.services import kept_forms, staff_sessions
from tests.browser.test_staff_journey import heading, press_button, type_into
from tests.portal.conftest import ORG_A, PASSWORD, add_referral, code_now, make_staff

from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser

NOTE = "Rang at ten, no answer; try Thursday after 2pm"


def _time_out(app, user) -> None:
    """What 30 minutes without a request does to the session (staff_sessions.resume)."""
    with app.app_context():
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
            .values(ended_at=clock.now(), end_reason="idle")
        )
        db.session.commit()


def test_a_note_typed_as_the_session_times_out_is_kept_by_keyboard(new_context, live_server):
    app = live_server.app
    user, secret = make_staff(app, "caseworker", ORG_A, name="Kit Keyboard")
    reference = add_referral(app, ORG_A)
    page = new_context().new_page()
    moment = clock.now()

    page.goto(live_server("/portal/sign-in"))
    type_into(page, "input[name=email]", user.email)
    type_into(page, "input[name=password]", PASSWORD)
    press_button(page, "Continue")
    type_into(page, "input[name=code]", code_now(secret, moment))
    press_button(page, "Sign in")
    page.goto(live_server(f"/portal/referrals/{reference}"))
    type_into(page, "textarea[name=note-text]", NOTE)

    _time_out(app, user)
    press_button(page, "Add the note")
    assert heading(page) == "Sign in to the portal"
    assert NOTE not in page.url

    type_into(page, "input[name=email]", user.email)
    type_into(page, "input[name=password]", PASSWORD)
    press_button(page, "Continue")
    type_into(page, "input[name=code]", code_now(secret, moment + dt.timedelta(seconds=30)))
    press_button(page, "Sign in")
    assert reference in heading(page)
    assert page.input_value("textarea[name=note-text]") == NOTE
    assert "It is not saved yet" in page.locator("main [role=status]").inner_text()
    assert NOTE not in page.locator("#history ~ *").first.inner_text()

    press_button(page, "Add the note")  # pressed again: now it is saved
    assert "Note added." in page.locator("main [role=status]").inner_text()
    assert NOTE in page.content() and page.input_value("textarea[name=note-text]") == ""


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_kept_state_has_no_axe_violations_and_reflows(
    new_context, live_server, axe_source, language, text_size, width
):
    app = live_server.app
    user, _secret = make_staff(app, "caseworker", ORG_A)
    reference = add_referral(app, ORG_A)
    with app.app_context():
        person = db.session.get(StaffUser, user.id)
        token = staff_sessions.start(db.session, person, clock.now())
        for kind, fields in (
            ("note", {"note-text": NOTE}),
            ("contact", {"contact-method": "phone", "contact-note": "No answer"}),
            ("status", {"status-status": "contacted"}),
        ):
            kept_forms.keep(
                db.session,
                app.extensions["againsthate.keyring"],
                kind=kind,
                reference=reference,
                form=fields,
                user=person,
                browser_mark=None,
                now=clock.now(),
            )
        db.session.commit()
    context = new_context(width=width, text_size=text_size)
    context.add_cookies([{"name": staff_sessions.COOKIE, "value": token, "url": live_server.url}])
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    failures = audit_visits(
        page,
        [("kept", lambda: page.goto(live_server(f"{prefix}/portal/referrals/{reference}")))],
        axe_source,
        language=language,
        width=width,
    )
    assert not failures, "\n".join(failures)
    assert page.input_value("textarea[name=note-text]") == NOTE
