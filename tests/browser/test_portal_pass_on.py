"""The pass-on states in chromium: zero axe violations and no sideways scrolling at 320 px,
in English and Urdu, at default and largest text: the sender's "passed on, waiting", the
receiver's page to accept or return, the return form and its error, the inbox listing both,
and the sender's one line once accepted."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import cases, staff_sessions
from tests.portal.conftest import ORG_A, ORG_B, add_referral, make_staff

from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def passes(live_server):
    """Referrals of A passed to B: one waiting, one accepted; tokens for a sender and a
    receiver."""
    app = live_server.app
    from againsthate import notifications
    from againsthate.areas import current_pack

    sender, _ = make_staff(app, "caseworker", ORG_A)
    receiver, _ = make_staff(app, "caseworker", ORG_B)
    waiting, accepted = add_referral(app, ORG_A), add_referral(app, ORG_A)
    with app.test_request_context():
        keyring = app.extensions["againsthate.keyring"]
        by = db.session.get(StaffUser, sender.id)
        for reference in (waiting, accepted):
            referral = cases.find(db.session, reference, ORG_A)
            cases.pass_on(
                db.session,
                keyring,
                current_pack(),
                referral,
                to=ORG_B,
                reason="Specialist help",
                by=by,
                now=clock.now(),
                emails=notifications.ReferralEmails(),
            )
        db.session.flush()
        cases.accept(
            db.session,
            keyring,
            cases.find(db.session, accepted, ORG_A),
            by=db.session.get(StaffUser, receiver.id),
            now=clock.now(),
        )
        db.session.commit()

    def token(user) -> str:
        with app.app_context():
            made = staff_sessions.start(db.session, db.session.get(StaffUser, user.id), clock.now())
            db.commit()
            return made

    return (
        {"waiting": waiting, "accepted": accepted},
        lambda: token(sender),
        lambda: token(receiver),
    )


def _page(new_context, live_server, token, **options):
    context = new_context(**options)
    context.add_cookies([{"name": staff_sessions.COOKIE, "value": token(), "url": live_server.url}])
    return context.new_page()


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_pass_on_states_have_no_axe_violations_and_reflow(
    new_context, live_server, axe_source, passes, language, text_size, width
):
    references, sender_token, receiver_token = passes
    prefix = "" if language == "en" else f"/{language}"
    failures = []
    for token, visits in (
        (
            sender_token,
            [
                ("inbox, passed on", f"{prefix}/portal/referrals"),
                ("waiting", f"{prefix}/portal/referrals/{references['waiting']}"),
                ("accepted", f"{prefix}/portal/referrals/{references['accepted']}"),
            ],
        ),
        (
            receiver_token,
            [
                ("inbox, passed to you", f"{prefix}/portal/referrals"),
                ("to accept", f"{prefix}/portal/referrals/{references['waiting']}"),
                ("return", f"{prefix}/portal/referrals/{references['waiting']}/return"),
            ],
        ),
    ):
        page = _page(new_context, live_server, token, width=width, text_size=text_size)
        failures += audit_visits(
            page,
            [
                (name, lambda path=path, page=page: page.goto(live_server(path)))
                for name, path in visits
            ],
            axe_source,
            language=language,
            width=width,
        )
        if token is receiver_token:

            def return_error(page=page):
                page.goto(live_server(f"{prefix}/portal/referrals/{references['waiting']}/return"))
                with page.expect_navigation():
                    page.locator("main form button[type=submit]").click()

            failures += audit_visits(
                page, [("return error", return_error)], axe_source, language=language, width=width
            )
    assert not failures, "\n".join(failures)
