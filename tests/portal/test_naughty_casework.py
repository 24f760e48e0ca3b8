"""The Big List of Naughty Strings through every free-text field of handling a referral: the
note, the contact attempt's note, the reason for passing it on and the reason for erasing it.

No string may cause a failure; each is kept as typed (cleaned of control characters) and
comes back escaped, or, when nothing is left of it, is refused kindly.
"""

from __future__ import annotations

import pytest
from markupsafe import escape

from againsthate.extensions import db
from tests.conftest import ROOMY, make_app
from tests.portal.casework import SAFE_CONTACT, main_of
from tests.portal.conftest import ORG_A, ORG_B, add_referral, make_staff, session_client
from tests.referral.test_naughty_input import STRINGS, expected_display

# Tags a naughty string tries to smuggle in, and how many the portal layout itself has.
TAGS_IN_LAYOUT = {
    "<script": 1,
    "<img": 0,
    "<svg": 0,
    "<iframe": 0,
    "<body": 1,
    '<a href="javascript': 0,
}


def _no_markup_from_input(response) -> None:
    assert response.status_code < 500
    if response.status_code in (302, 303):
        return
    body = response.get_data(as_text=True).lower()
    assert "\x00" not in body
    for tag, expected in TAGS_IN_LAYOUT.items():
        assert body.count(tag) == expected, f"a {tag} tag from the input reached the page"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One app for all the strings: a manager of each organisation."""
    app = make_app(tmp_path_factory.mktemp("instance"), WTF_CSRF_ENABLED=False, **ROOMY)
    ours = session_client(app, make_staff(app, "manager", ORG_A)[0])
    theirs = session_client(app, make_staff(app, "manager", ORG_B)[0])
    baseline = ours.get(f"/portal/referrals/{add_referral(app)}")
    assert {tag: baseline.text.lower().count(tag) for tag in TAGS_IN_LAYOUT} == TAGS_IN_LAYOUT
    yield app, ours, theirs
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("text", STRINGS, ids=[f"blns-{n}" for n in range(len(STRINGS))])
def test_a_naughty_string_in_every_casework_field_is_kept_and_shown_escaped(world, text):
    app, ours, theirs = world
    shown = expected_display(text)
    escaped = str(escape(shown))
    reference = add_referral(app)
    page_url = f"/portal/referrals/{reference}"

    # A note (required) and a contact attempt's note (optional).
    note = ours.post(f"{page_url}/notes", data={"note-text": text})
    _no_markup_from_input(note)
    if shown:
        assert note.status_code == 303
    else:
        assert note.status_code == 200 and '<a href="#note-text">Enter the note</a>' in note.text
    contact = ours.post(f"{page_url}/contacts", data={**SAFE_CONTACT, "contact-note": text})
    assert contact.status_code == 303
    page = ours.get(page_url)
    _no_markup_from_input(page)
    if shown:
        history = main_of(page).split('id="history"', 1)[1]
        assert history.count(f'<p class="answer-text">{escaped}</p>') == 2

    # The reason for passing it on, which the receiver reads.
    passed = ours.post(f"{page_url}/pass-on", data={"organisation": ORG_B, "reason": text})
    _no_markup_from_input(passed)
    if shown:
        assert passed.status_code == 303
        page = theirs.get(page_url)
        _no_markup_from_input(page)
        assert f'Reason: <span class="answer-text">{escaped}</span>' in main_of(page)
        assert theirs.post(f"{page_url}/accept").status_code == 303
        holder = theirs
    else:
        assert passed.status_code == 200 and "Enter why you are passing it on" in passed.text
        holder = ours

    # The reason for erasing it, kept in the audit log and shown on the page afterwards.
    erased = holder.post(f"{page_url}/erase", data={"reason": text})
    _no_markup_from_input(erased)
    if shown:
        assert erased.status_code == 303
        page = holder.get(page_url)
        _no_markup_from_input(page)
        assert f'Reason given: <span class="answer-text">{escaped}</span>' in main_of(page)
    else:
        assert erased.status_code == 200 and "Enter why you are deleting it" in erased.text
