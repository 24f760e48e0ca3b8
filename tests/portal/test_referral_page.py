"""A referral's page: answers, the contact-safety banner, status, notes, contact attempts,
history; who may see it (404 for anyone else), and that every look is audited."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from markupsafe import escape

from againsthate import clock
from againsthate.extensions import db
from tests.conftest import make_app
from tests.databases import rows_containing
from tests.portal.casework import (
    SAFE_CONTACT,
    audit_rows,
    events,
    files_containing,
    main_of,
    opened,
    stored,
)
from tests.portal.conftest import ANSWERS, ORG_A, ORG_B, add_referral, make_staff, session_client


def _page(client, reference: str):
    response = client.get(f"/portal/referrals/{reference}")
    assert response.status_code == 200
    return response


# What it shows -----------------------------------------------------------------------------


def test_the_page_shows_every_answer_escaped(staff, signed_in, referral):
    answers = {
        **ANSWERS,
        "what": "<script>alert('what')</script> & then \"more\"",
        "name": "<b>Sam</b>",
        "where_place": "<img src=x onerror=alert(1)>",
    }
    reference = referral(answers=answers)
    page = _page(signed_in(staff()), reference)
    main = main_of(page)
    assert "&lt;script&gt;alert(&#39;what&#39;)&lt;/script&gt; &amp; then &#34;more&#34;" in main
    assert "&lt;b&gt;Sam&lt;/b&gt;" in main and "&lt;img src=x onerror=alert(1)&gt;" in main
    assert "<script" not in main and "<img" not in main and "<b>" not in main
    # The rows are the check page's (answers.summary): a page of small answers is one row
    # of short lines, and a follow-up is shown in its question's row.
    for question, answer in [
        ("What happened?", None),
        ("How we can contact you", "07700 900 982"),
        ("Keeping you safe when we contact you", "weekdays between 10am and 2pm"),
        ("When did it happen?", "3 October 2026"),
    ]:
        assert f"<dt>{question}</dt>" in main
        if answer:
            assert answer in main
    assert (
        '<span class="line-question">Phone:</span> <span class="answer-text">07700 900 982</span>'
        in main
    )
    assert "<title>Referral " + reference in page.text
    assert main.count("<h1") == 1


def test_the_contact_safety_banner_is_at_the_top(staff, signed_in, referral):
    reference = referral()
    main = main_of(_page(signed_in(staff()), reference))
    banner = re.search(
        r'<section class="contact-safety" aria-labelledby="contact-safety-heading">'
        r".*?</section>",
        main,
        re.DOTALL,
    )
    assert banner, "no banner"
    text = banner.group(0)
    assert (
        '<h2 class="heading-m" id="contact-safety-heading">Before you contact this person</h2>'
        in text
    )
    for wish in [
        "Only contact by: Phone",
        "Do not leave a message",
        "Only call: weekdays between 10am and 2pm",
        "Do not say who we are when calling",
        "Needs an interpreter: Polish",
    ]:
        assert f"<li>{wish}</li>" in text
    # The first thing after the heading, with the action in it and its form right after:
    # before where it has got to, the answers and the history.
    assert 'href="#contact">Record a contact attempt</a>' in text
    assert main.index(text) < main.index('id="contact"') < main.index("Where it has got to")
    assert main.index("Where it has got to") < main.index("What they told us")
    # The wishes that keep them safe before the preferences, apart from them.
    assert text.index("Do not say who we are") < text.index('class="wishes-preferences"')
    assert text.index('class="wishes-preferences"') < text.index("Needs an interpreter")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"contact": "none"}, ["Anonymous: do not try to contact them"]),
        (
            {
                "methods": ["email", "post"],
                "email": "s@example.org",
                "address": "1 Street",
                "email_say_who": "no",
                "post_say_who": "no",
            },
            [
                "Only contact by: Email, Post",
                "Do not say who we are in emails",
                "Do not put our name on the envelope",
            ],
        ),
        ({"bsl": True, "interpreter": "no", "language": ""}, ["Uses British Sign Language"]),
    ],
)
def test_the_banner_follows_the_answers(staff, signed_in, referral, changes, expected):
    reference = referral(answers={**ANSWERS, **changes})
    main = main_of(_page(signed_in(staff()), reference))
    for wish in expected:
        assert f"<li>{wish}</li>" in main


def test_their_own_words_in_the_banner_are_escaped(staff, signed_in, referral):
    reference = referral(
        answers={
            **ANSWERS,
            "phone_times": "<img src=x onerror=alert(1)> after 6",
            "language": "<script>x</script>",
        }
    )
    main = main_of(_page(signed_in(staff()), reference))
    assert "<li>Only call: &lt;img src=x onerror=alert(1)&gt; after 6</li>" in main
    assert "<li>Needs an interpreter: &lt;script&gt;x&lt;/script&gt;</li>" in main


def test_a_new_referral_shows_its_waiting_time(staff, signed_in, referral):
    reference = referral(created_at=clock.now() - dt.timedelta(days=2, hours=3))
    assert "<dt>Waiting</dt><dd>2 days</dd>" in _page(signed_in(staff()), reference).text


# Who may see it ----------------------------------------------------------------------------

ROUTES = [
    ("get", ""),
    ("post", "/status"),
    ("post", "/notes"),
    ("post", "/contacts"),
    ("get", "/pass-on"),
    ("post", "/pass-on"),
    ("get", "/erase"),
    ("post", "/erase"),
]
DATA = {
    **SAFE_CONTACT,
    "status-status": "closed",
    "status-outcome": "supported",
    "note-text": "a note",
    "organisation": ORG_A,
    "reason": "a reason",
}


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_another_organisations_referral_is_not_found(
    staff, signed_in, referral, portal_app, method, path, role
):
    theirs = referral(ORG_B)
    client = signed_in(staff(role, ORG_A))
    response = getattr(client, method)(f"/portal/referrals/{theirs}{path}", data=DATA)
    assert response.status_code == 404
    assert (
        getattr(client, method)(f"/portal/referrals/BCDF-GHJK{path}", data=DATA).status_code == 404
    )
    row = stored(portal_app, theirs)
    assert (row.organisation, row.status, row.content != "") == (ORG_B, "new", True)
    assert events(portal_app, theirs) == []
    assert audit_rows(portal_app, reference=theirs) == []


def test_a_reference_longer_than_any_is_not_found(staff, signed_in):
    assert signed_in(staff()).get("/portal/referrals/" + "X" * 17).status_code == 404


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_administrators_get_404_by_default(staff, signed_in, referral, method, path):
    reference = referral()
    client = signed_in(staff("admin"))
    assert (
        getattr(client, method)(f"/portal/referrals/{reference}{path}", data=DATA).status_code
        == 404
    )


@pytest.fixture
def reading_admin_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, ADMIN_CAN_READ_REFERRALS=True)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_administrators_may_read_but_not_change_when_allowed(reading_admin_app):
    app = reading_admin_app
    reference = add_referral(app, ORG_B)
    admin, _ = make_staff(app, "admin")
    client = session_client(app, admin)
    page = _page(client, reference)
    assert "You are reading this referral as an administrator." in page.text
    assert "Someone shouted at me at the bus stop." in page.text
    assert '<form method="post" action="/portal/referrals/' not in page.text
    assert "/pass-on" not in page.text and "/erase" not in page.text
    [viewed] = audit_rows(app, "referral_viewed", reference)
    assert (viewed.actor_id, viewed.detail, viewed.organisation) == (
        admin.id,
        "administrator, read only",
        ORG_B,
    )
    for method, path in ROUTES[1:]:
        response = getattr(client, method)(f"/portal/referrals/{reference}{path}", data=DATA)
        assert response.status_code == 404, path
    assert events(app, reference) == [] and stored(app, reference).status == "new"


def test_every_look_at_a_referral_is_audited(staff, signed_in, referral, portal_app):
    reference = referral()
    user = staff()
    client = signed_in(user)
    _page(client, reference)
    _page(client, reference)
    client.post(f"/portal/referrals/{reference}/notes", data={"note-text": ""})  # shown again
    # Every look is on record; looks within half an hour of the last are "again" (one visit).
    viewed = audit_rows(portal_app, "referral_viewed", reference)
    again = audit_rows(portal_app, "referral_viewed_again", reference)
    assert (len(viewed), len(again)) == (1, 2)
    assert {(v.actor_id, v.organisation, v.detail) for v in viewed + again} == {
        (user.id, ORG_A, "")
    }


def test_the_page_needs_signing_in(portal_app, referral):
    reference = referral()
    response = portal_app.test_client().get(f"/portal/referrals/{reference}")
    assert response.status_code == 302 and "/portal/sign-in" in response.location
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_is_never_stored(staff, signed_in, referral):
    assert _page(signed_in(staff()), referral()).headers["Cache-Control"] == "no-store"


# Status --------------------------------------------------------------------------------------


def _status(client, reference, **data):
    return client.post(
        f"/portal/referrals/{reference}/status", data={f"status-{k}": v for k, v in data.items()}
    )


def test_closing_needs_an_outcome(staff, signed_in, referral, portal_app):
    reference = referral()
    response = _status(signed_in(staff()), reference, status="closed")
    assert response.status_code == 200
    assert "<title>Error: Referral" in response.text
    assert (
        '<a href="#status-outcome-0">Select an outcome to close the referral</a>' in response.text
    )
    row = stored(portal_app, reference)
    assert (row.status, row.closed_at, row.outcome) == ("new", None, None)
    assert events(portal_app, reference) == []


def test_closing_sets_the_outcome_and_date_and_reopening_clears_them(
    staff, signed_in, referral, portal_app, monkeypatch
):
    reference = referral()
    client = signed_in(staff())
    closed_at = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: closed_at)
    response = _status(client, reference, status="closed", outcome="supported")
    assert response.status_code == 303 and response.location.endswith(
        f"/portal/referrals/{reference}"
    )
    row = stored(portal_app, reference)
    assert (row.status, row.outcome) == ("closed", "supported")
    assert row.closed_at.replace(tzinfo=dt.UTC) == closed_at
    page = client.get(response.location).text
    assert re.search(
        r'<div role="status"><p class="notice">Status changed to Closed\. Outcome: '
        r"Support given\.</p></div>",
        page,
    )

    assert _status(client, reference, status="in_support", outcome="declined").status_code == 303
    row = stored(portal_app, reference)
    assert (row.status, row.outcome, row.closed_at) == ("in_support", None, None)
    lines = [opened(portal_app, e) for e in events(portal_app, reference)]
    assert lines == [
        {"from": "new", "to": "closed", "outcome": "supported"},
        {"from": "closed", "to": "in_support", "outcome": None},
    ]
    assert [a.detail for a in audit_rows(portal_app, "referral_status_changed")] == [
        "new to closed (supported)",
        "closed to in_support",
    ]
    assert "From Closed to In support" in client.get(f"/portal/referrals/{reference}").text


@pytest.mark.parametrize(
    "data", [{}, {"status": "archived"}, {"status": "closed", "outcome": "won"}, {"status": "new"}]
)
def test_a_wrong_status_is_refused_kindly(staff, signed_in, referral, portal_app, data):
    reference = referral()
    response = _status(signed_in(staff()), reference, **data)
    assert response.status_code == 200 and "<title>Error:" in response.text
    assert stored(portal_app, reference).status == "new"
    assert events(portal_app, reference) == []


# Notes ---------------------------------------------------------------------------------------


def _note(client, reference, text):
    return client.post(f"/portal/referrals/{reference}/notes", data={"note-text": text})


def test_a_note_is_added_to_the_history_newest_first(staff, signed_in, referral, portal_app):
    reference = referral()
    client = signed_in(staff(name="Robin Caseworker"))
    assert _note(client, reference, "First note").status_code == 303
    assert _note(client, reference, "  Second\r\nnote\x00  ").status_code == 303
    page = client.get(f"/portal/referrals/{reference}").text
    assert '<p class="notice">Note added.</p>' in page
    assert page.index("Second\nnote") < page.index("First note")
    assert "Robin Caseworker, Derbyshire Victim Services" in page
    assert [a.detail for a in audit_rows(portal_app, "referral_note_added")] == ["", ""]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the note"),
        ("   \x00 ", "Enter the note"),
        ("x" * 5001, "Use 5000 characters or fewer"),
    ],
)
def test_a_note_must_have_words_and_not_too_many(
    staff, signed_in, referral, portal_app, text, message
):
    reference = referral()
    response = _note(signed_in(staff()), reference, text)
    assert response.status_code == 200
    assert f'<a href="#note-text">{message}</a>' in response.text
    assert events(portal_app, reference) == []


def test_a_note_of_5000_characters_is_kept(staff, signed_in, referral, portal_app):
    reference = referral()
    assert _note(signed_in(staff()), reference, "y" * 5000).status_code == 303
    assert opened(portal_app, events(portal_app, reference)[0]) == {"text": "y" * 5000}


def test_notes_and_history_are_sealed_never_on_disk_in_plain_text(
    staff, signed_in, referral, portal_app, tmp_path
):
    canary = f"NOTE-CANARY-{uuid.uuid4().hex}"
    reference = referral()
    client = signed_in(staff())
    staff("caseworker", ORG_B)  # someone there to accept it
    _note(client, reference, f"{canary} note")
    client.post(
        f"/portal/referrals/{reference}/contacts",
        data={**SAFE_CONTACT, "contact-note": f"{canary} contact"},
    )
    client.post(
        f"/portal/referrals/{reference}/pass-on",
        data={"organisation": ORG_B, "reason": f"{canary} reason"},
    )
    lines = events(portal_app, reference)
    assert [e.kind for e in lines] == ["note", "contact", "passed_on"]
    assert all(e.detail.startswith("v1.") and canary not in e.detail for e in lines)
    assert all(canary not in a.detail for a in audit_rows(portal_app))

    needles = [canary, canary.split("-")[-1]]
    with portal_app.app_context():
        assert rows_containing(db.engine, needles) == []  # every row, on any database
    if not portal_app.config["DATABASE_URL"].startswith("sqlite"):
        return  # PostgreSQL's files are the server's; its rows were read just above
    database = Path(portal_app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    assert database.parent == tmp_path
    assert files_containing(tmp_path, needles) == []  # the write-ahead log as it is…
    with portal_app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    assert files_containing(tmp_path, needles) == []  # …and the database once it is written back


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert('note')</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click me</a>',
        '"><svg onload=alert(1)>',
        "javascript:alert(document.cookie)",
    ],
)
def test_markup_in_a_note_is_shown_as_text(staff, signed_in, referral, attack):
    reference = referral()
    client = signed_in(staff())
    baseline = client.get(f"/portal/referrals/{reference}").text.lower()
    assert _note(client, reference, attack).status_code == 303
    page = client.get(f"/portal/referrals/{reference}").text
    main = main_of(client.get(f"/portal/referrals/{reference}"))
    assert str(escape(attack)) in main
    lowered = page.lower()
    for tag in ("<script", "<img", "<svg", '<a href="javascript'):
        assert lowered.count(tag) == baseline.count(tag), tag
    # No real tag with an event handler (the text "onerror=" may be shown, escaped).
    handlers = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=")
    assert handlers.findall(lowered) == handlers.findall(baseline) == []


# Contact attempts --------------------------------------------------------------------------


def _contact(client, reference, **fields):
    data = {**SAFE_CONTACT, **{f"contact-{k}": v for k, v in fields.items()}}
    return client.post(f"/portal/referrals/{reference}/contacts", data=data)


def test_a_contact_attempt_that_keeps_to_their_wishes_is_recorded_at_once(
    staff, signed_in, referral, portal_app
):
    reference = referral()
    client = signed_in(staff())
    response = _contact(client, reference, note="No answer")
    assert response.status_code == 303
    [line] = events(portal_app, reference)
    detail = opened(portal_app, line)
    assert detail.pop("made_at")  # no time typed: now
    assert detail == {
        "method": "phone",
        "message_left": False,
        "said_who": False,
        "note": "No answer",
        "breaches": [],
        "result": "no_answer",
        "next_try": None,
    }
    [record] = audit_rows(portal_app, "referral_contact_logged")
    assert record.detail == "by phone, no_answer"
    page = client.get(response.location).text
    assert '<p class="notice">Contact attempt recorded.</p>' in page
    assert "Against what the person asked" not in page


@pytest.mark.parametrize(
    ("fields", "reasons"),
    [
        ({"method": "email"}, ["They did not choose this way of being contacted"]),
        ({"message_left": "yes"}, ["They said it is not safe to leave a message"]),
        ({"said_who": "yes"}, ["They asked us not to say who we are"]),
        (
            {"method": "text", "message_left": "yes"},
            [
                "They did not choose this way of being contacted",
                "They said it is not safe to leave a message",
            ],
        ),
    ],
)
def test_an_attempt_against_their_wishes_needs_confirming_and_is_marked(
    staff, signed_in, referral, portal_app, fields, reasons
):
    reference = referral()
    client = signed_in(staff())
    first = _contact(client, reference, **fields)
    assert first.status_code == 200
    assert "<title>Error: Referral" in first.text
    warning = re.search(
        r'<div class="warning" id="contact-breaches">.*?</div>', first.text, re.DOTALL
    )
    assert warning and re.findall(r"<li>(.*?)</li>", warning.group(0)) == reasons
    assert (
        '<input class="checkbox-input" id="contact-understood" name="contact-understood" type="checkbox" value="y">'
        in first.text
    )
    assert '<a href="#contact-understood">Tick the box to confirm' in first.text
    # Nothing recorded by accident: only the refusal, as a line of its own.
    [refusal] = events(portal_app, reference)
    assert refusal.kind == "contact_refused"
    assert "Contact attempt stopped" in first.text[first.text.index('id="history"') :]

    confirmed = _contact(client, reference, understood="y", **fields)
    assert confirmed.status_code == 303
    refusal, line = events(portal_app, reference)
    assert (line.kind, refusal.kind) == ("contact", "contact_refused")
    assert opened(portal_app, line)["breaches"]
    [record] = audit_rows(portal_app, "referral_contact_logged")
    assert "against wishes" in record.detail
    page = client.get(confirmed.location).text
    assert "Contact attempt recorded, against what the person asked." in page
    history = page[page.index('id="history"') :]
    assert "Against what the person asked:" in history
    assert all(f"<li>{reason}</li>" in history for reason in reasons)


def test_any_contact_with_an_anonymous_referral_needs_confirming(
    staff, signed_in, referral, portal_app
):
    reference = referral(answers={**ANSWERS, "contact": "none"})
    response = _contact(signed_in(staff()), reference)
    assert response.status_code == 200
    assert "They asked to stay anonymous: no one should contact them" in response.text
    assert [e.kind for e in events(portal_app, reference)] == ["contact_refused"]


def test_the_contact_form_asks_for_every_answer(staff, signed_in, referral, portal_app):
    reference = referral()
    response = signed_in(staff()).post(
        f"/portal/referrals/{reference}/contacts", data={"contact-method": "fax"}
    )
    assert response.status_code == 200
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.DOTALL).group(0)
    assert re.findall(r'<a href="#([^"]+)">', summary) == [
        "contact-method-0",
        "contact-result-0",
        "contact-message_left-0",
        "contact-said_who-0",
    ]
    assert events(portal_app, reference) == []


def test_the_forms_work_with_csrf_protection_on(tmp_path):
    app = make_app(tmp_path)  # CSRF on, as in production
    user, _ = make_staff(app)
    reference = add_referral(app)
    client = session_client(app, user)
    page = client.get(f"/portal/referrals/{reference}").text
    for prefix in ("contact", "status", "note"):
        assert f'id="{prefix}-csrf_token"' in page
    token = re.search(
        r'id="note-csrf_token" name="note-csrf_token" type="hidden" value="([^"]+)"', page
    )
    # No token: refused (nothing saved), and what was typed is kept for the form again.
    refused = client.post(f"/portal/referrals/{reference}/notes", data={"note-text": "hello"})
    assert refused.status_code == 303 and events(app, reference) == []
    assert "not saved yet" in client.get(refused.location).text
    assert (
        client.post(
            f"/portal/referrals/{reference}/notes",
            data={"note-text": "hello", "note-csrf_token": token.group(1)},
        ).status_code
        == 303
    )
    with app.app_context():
        db.engine.dispose()


def test_forms_on_the_page_have_unique_ids(staff, signed_in, referral):
    page = _page(signed_in(staff()), referral()).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
