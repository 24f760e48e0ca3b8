"""Nothing someone typed is lost: expired forms, idle drafts and a database that fails."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from markupsafe import escape
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from againsthate.db.models import Draft, OutboxMessage, Referral
from againsthate.extensions import db
from againsthate.services import drafts, sending
from tests.referral.journey import (
    checked_values,
    complete_journey,
    count,
    counted,
    csrf_token,
    field_value,
    send,
    slug_of,
)

TYPED = 'They shouted "go home" & spat at me <b>twice</b>\nat the station.'
TIMED_OUT = "This page was open for a long time"
RESTARTED = "we deleted your earlier answers because nothing was saved for 2 hours"
PHONE_NUMBERS = ("999", "101", "0800 138 1625")


# --- (a) the form's CSRF token expired or is missing ---------------------------------------


@pytest.mark.parametrize("token", [None, "not-the-right-token"], ids=["missing", "wrong"])
def test_an_expired_form_keeps_the_typed_answer(csrf_app, token):
    client = csrf_app.test_client()
    page = client.get("/refer/who")
    assert (
        client.post("/refer/who", data={"who": "self", "csrf_token": csrf_token(page)}).status_code
        == 302
    )
    data = {"what": TYPED} | ({"csrf_token": token} if token else {})
    response = client.post("/refer/what", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert TIMED_OUT in body
    assert field_value(response, "what") == TYPED
    assert str(escape(TYPED)) in body  # escaped in the field, never as markup
    assert "<b>twice</b>" not in body
    # The page can be sent again as it is: it carries a fresh, valid token.
    again = client.post(
        "/refer/what",
        data={"what": field_value(response, "what"), "csrf_token": csrf_token(response)},
    )
    assert again.status_code == 302


def test_an_expired_form_keeps_a_chosen_option(csrf_app):
    client = csrf_app.test_client()
    client.get("/refer/who")
    response = client.post("/refer/who", data={"who": "witness"})
    assert response.status_code == 400
    assert checked_values(response, "who") == ["witness"]
    assert TIMED_OUT in response.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["what", "consent"])
def test_a_form_sent_with_no_session_at_all_is_not_shown_back(csrf_app, slug):
    """No session and no token: the quick exit ended the session and the browser sends a
    page's form again from its history (Back, then reload). Nothing of it may come back.
    (A browser closed and reopened looks the same; its draft was already out of reach
    without the session, so only the one answer on that page is lost. Safety first.)"""
    client = csrf_app.test_client()
    response = client.post(f"/refer/{slug}", data={"what": TYPED, "heard_other": TYPED})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/refer")  # the start page
    assert "shouted" not in response.get_data(as_text=True)
    assert "shouted" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_expired_form_on_a_later_question_keeps_earlier_answers(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/refer/who")
    client.post("/refer/who", data={"who": "self", "csrf_token": csrf_token(page)})
    client.get("/refer/what")
    response = client.post("/refer/what", data={"what": TYPED, "csrf_token": "stale"})
    assert response.status_code == 400
    assert checked_values(client.get("/refer/who"), "who") == ["self"]


def test_an_expired_send_goes_back_to_the_check_page_and_sends_nothing(csrf_app):
    client = csrf_app.test_client()
    journey = complete_journey(client, csrf=True)
    response = client.post(
        "/refer/check", data={"submission_key": journey.submission_key, "csrf_token": "stale"}
    )
    assert count(csrf_app, Referral) == 0
    assert response.status_code in (302, 303)
    assert slug_of(response.headers["Location"]) == "check"
    assert client.get("/refer/check").status_code == 200
    assert send(client, journey).status_code == 303  # a fresh press sends it


# --- (b) a draft idle for over 2 hours ---------------------------------------------------------


def _age_drafts(app, by: dt.timedelta) -> None:
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=dt.datetime.now(dt.UTC) - by))
        db.session.commit()


def _started(client) -> None:
    client.post("/refer/who", data={"who": "self"})
    client.post("/refer/what", data={"what": TYPED})


def test_a_draft_idle_for_just_under_2_hours_is_kept(app, client):
    _started(client)
    _age_drafts(app, dt.timedelta(hours=2) - dt.timedelta(minutes=1))
    assert field_value(client.get("/refer/what"), "what") == TYPED
    assert count(app, Draft) == 1


def test_a_draft_idle_for_over_2_hours_is_gone_on_the_next_visit(app, client):
    _started(client)
    _age_drafts(app, drafts.DRAFT_IDLE + dt.timedelta(minutes=1))
    response = client.get("/refer/check")
    assert response.status_code == 302
    assert response.headers["Location"] == "/refer"
    assert count(app, Draft) == 0
    start = client.get("/refer").get_data(as_text=True)
    assert "Continue where you left off" not in start
    assert client.get("/refer/what").headers["Location"] == "/refer"  # no form to refill
    assert checked_values(client.get("/refer/who"), "who") == []


def test_an_answer_sent_after_the_draft_expired_is_kept(app, client):
    _started(client)
    _age_drafts(app, drafts.DRAFT_IDLE + dt.timedelta(minutes=1))
    response = client.post("/refer/police", data={"police": "pass_on"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/refer/police-consent?restarted=1"
    following = client.get(response.headers["Location"])
    assert RESTARTED in following.get_data(as_text=True)
    assert checked_values(client.get("/refer/police"), "police") == ["pass_on"]
    # Only the new answer: the earlier ones went with the old draft.
    assert field_value(client.get("/refer/what"), "what") == ""
    assert count(app, Draft) == 1


def test_an_answer_sent_after_an_expired_draft_was_seen_is_kept(app, client):
    _started(client)
    _age_drafts(app, drafts.DRAFT_IDLE + dt.timedelta(minutes=1))
    client.get("/refer/check")  # notices the draft is gone, and deletes it
    response = client.post("/refer/what", data={"what": "Typed again, after the break"})
    assert response.status_code == 302
    assert RESTARTED in client.get(response.headers["Location"]).get_data(as_text=True)
    assert field_value(client.get("/refer/what"), "what") == "Typed again, after the break"


def test_flask_drafts_purge_deletes_only_idle_drafts(app, runner):
    idle, fresh = app.test_client(), app.test_client()
    _started(idle)
    _age_drafts(app, drafts.DRAFT_IDLE + dt.timedelta(minutes=1))
    _started(fresh)
    result = runner.invoke(args=["drafts", "purge"])
    assert result.exit_code == 0 and "Deleted 1 " in result.output
    assert count(app, Draft) == 1
    assert field_value(fresh.get("/refer/what"), "what") == TYPED


# --- (c) the database fails while sending -----------------------------------------------------


def _locked(*_args, **_kwargs):
    raise OperationalError("INSERT INTO referral …", {}, Exception("database is locked"))


def _assert_kind_unavailable_page(response) -> None:
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Sorry, we could not send your answers" in body
    assert "they are still saved" in body
    for number in PHONE_NUMBERS:
        assert number in body, number
    assert 'href="/refer/check"' in body


def test_a_database_failure_while_sending_keeps_the_draft(app, client, monkeypatch):
    journey = complete_journey(client)
    monkeypatch.setattr(sending, "submit", _locked)
    _assert_kind_unavailable_page(send(client, journey))
    assert count(app, Referral) == 0 and count(app, Draft) == 1

    monkeypatch.undo()
    check = client.get("/refer/check")
    assert check.status_code == 200
    assert "Someone shouted at me at the bus stop." in check.get_data(as_text=True)
    assert send(client, journey).status_code == 303
    assert count(app, Referral) == 1


def test_a_failed_commit_while_sending_leaves_nothing_half_stored(app, client, monkeypatch):
    """The referral, its statistics, its notice and the draft's deletion are one transaction."""
    journey = complete_journey(client, {"consent": {"consent": "y", "confirmation": "y"}})
    real_commit, real_flush = Session.commit, Session.flush

    # The service flushes the referral and the view commits: by then the flushed referral
    # may have left the session's (weakly held) identity map, so the flush notes it.
    def flush_noting_referrals(session, objects=None):
        if any(isinstance(obj, Referral) for obj in session.new):
            session.info["referral_flushed"] = True
        return real_flush(session, objects)

    def commit_fails_for_referrals(session):
        flushed = session.info.pop("referral_flushed", False)
        if flushed or any(
            isinstance(obj, Referral) for obj in [*session.new, *session.identity_map.values()]
        ):
            session.flush()  # the rows reached the database…
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))  # …then it failed
        return real_commit(session)

    monkeypatch.setattr(Session, "flush", flush_noting_referrals)
    monkeypatch.setattr(Session, "commit", commit_fails_for_referrals)
    _assert_kind_unavailable_page(send(client, journey))
    monkeypatch.undo()

    assert count(app, Referral) == 0
    assert counted(app) == 0
    assert count(app, OutboxMessage) == 0
    assert count(app, Draft) == 1
    assert client.get("/refer/check").status_code == 200
    assert send(client, journey).status_code == 303
    assert count(app, Referral) == 1 and count(app, OutboxMessage) == 2


def test_a_database_failure_while_saving_an_answer_keeps_it_on_the_page(app, client, monkeypatch):
    client.post("/refer/who", data={"who": "self"})
    monkeypatch.setattr(drafts, "save", _locked)
    response = client.post("/refer/what", data={"what": TYPED})
    assert response.status_code == 503
    assert field_value(response, "what") == TYPED
    assert "999" in html.unescape(response.get_data(as_text=True))
