"""A manager's page of their organisation's audit log (/portal/audit) in Chromium: zero axe
violations, no sideways scrolling at 320 px, and no word broken mid-word, at the default
and the largest text size, in English and Urdu (right to left).

Here, not in tests/portal, to share this folder's one live server and browser."""

from __future__ import annotations

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import cases, staff_sessions
from tests.portal.conftest import ORG_A, add_referral, make_staff, session_client, session_token

from .test_accessibility import audit_visits

pytestmark = pytest.mark.browser

# Every cell of the table, checked where it is drawn: words wrap only between words (no
# overflow-wrap: anywhere or break-word, no hyphenation), and no cell's content is wider
# than the cell (which is what a word too long for its column would be).
BROKEN_WORDS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('.audit-table tbody th, .audit-table tbody td')) {
    const style = getComputedStyle(cell);
    if (style.overflowWrap !== 'normal' || style.wordBreak !== 'normal' || style.hyphens === 'auto')
      found.push(`${cell.textContent.trim().slice(0, 40)}: ${style.overflowWrap} ${style.wordBreak} ${style.hyphens}`);
    if (cell.scrollWidth > cell.clientWidth + 1)
      found.push(`${cell.textContent.trim().slice(0, 40)}: wider than its cell`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def audit_trail(live_server):
    """A manager of A, and a caseworker's looks and changes to show in the log."""
    app = live_server.app
    manager, _ = make_staff(app, "manager", ORG_A, name="Morgan Manager-Longname")
    caseworker, _ = make_staff(app, "caseworker", ORG_A, name="Casey Caseworker")
    client = session_client(app, caseworker)
    for _n in range(3):
        reference = add_referral(app)
        client.get(f"/portal/referrals/{reference}")
        # The live server's forms need CSRF tokens: the changes are made as the views do.
        with app.app_context():
            keyring = app.extensions["againsthate.keyring"]
            referral = cases.find(db.session, reference, ORG_A)
            by = db.session.get(StaffUser, caseworker.id)
            now = clock.now()
            cases.add_note(db.session, keyring, referral, "Rang", by=by, now=now)
            cases.change_status(
                db.session,
                keyring,
                referral,
                status="closed",
                outcome="referred_elsewhere",
                by=by,
                now=now,
            )
            cases.set_tags(
                db.session,
                keyring,
                referral,
                ["passed-to-police"],
                allowed=["passed-to-police"],
                by=by,
                now=now,
            )
            db.commit()

    def token() -> str:
        return session_token(app, manager)

    return token


@pytest.mark.looks  # the same whichever database is behind it
@pytest.mark.parametrize("width", ["desktop", "320"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_audit_log_has_no_axe_violations_reflows_and_breaks_no_word(
    new_context, live_server, axe_source, audit_trail, language, text_size, width
):
    context = new_context(width=width, text_size=text_size)
    context.add_cookies(
        [{"name": staff_sessions.COOKIE, "value": audit_trail(), "url": live_server.url}]
    )
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"

    def go(path):
        return lambda: page.goto(live_server(f"{prefix}{path}"))

    visits = [
        ("audit log", go("/portal/audit")),
        ("audit log, notes only", go("/portal/audit?action=referral_note_added")),
        ("audit log, unknown filter", go("/portal/audit?action=nope&page=99")),
    ]
    failures = audit_visits(page, visits, axe_source, language=language, width=width)
    for name, load in visits:
        load()
        assert page.locator(".audit-table tbody tr").count() > 0, name
        failures += [f"{name}: {problem}" for problem in page.evaluate(BROKEN_WORDS)]
    assert not failures, "\n".join(failures)
