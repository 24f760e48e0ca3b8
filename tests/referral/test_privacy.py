"""What someone types is never written to disk in plain text, nor kept in their browser."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from againsthate.db.models import Draft, OutboxMessage, Referral
from againsthate.extensions import db
from tests.databases import rows_containing
from tests.referral.journey import EVERY_BRANCH, complete_journey, count, merge, rows, send


@pytest.fixture
def canary() -> str:
    return f"PLAINTEXT-CANARY-{uuid.uuid4().hex}"


def _canary_answers(canary: str) -> dict:
    return merge(
        EVERY_BRANCH,
        {
            "what": {"what": f"{canary} followed me home"},
            "where-place": {"where_place": f"{canary} street"},
            "about-other": {"about_other": f"{canary} other"},
            "police-reference": {"crime_reference": canary[-40:]},
            "contact-details": {
                "name": f"{canary} name",
                "email": f"{canary.lower()}@example.org",
                "address": f"{canary} address",
            },
            "contact-safety": {"phone_times": f"{canary} times"},
            "needs": {"language": f"{canary} lang", "access": f"{canary} access"},
            "heard": {"heard_other": f"{canary} heard"},
            "consent": {"consent": "y", "confirmation": "y"},
        },
    )


def _files_containing(folder: Path, needles: list[str]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes().lower()
            for needle in needles:
                if needle.lower().encode() in data:
                    found.append(f"{path.name}: {needle}")
    return found


def test_no_answer_is_on_disk_in_plain_text(app, client, canary, tmp_path):
    # One referral sent, and another person's answers still in progress.
    journey = complete_journey(client, _canary_answers(canary))
    assert canary in journey.text  # the check page does show it, to its owner
    assert send(client, journey).status_code == 303
    other = app.test_client()
    other.post("/refer/who", data={"who": "self"})
    other.post("/refer/what", data={"what": f"{canary} in progress"})
    assert count(app, Referral) == 1 and count(app, Draft) == 1 and count(app, OutboxMessage) == 2

    needles = [canary, canary.split("-")[-1], "07700 900982"]
    with app.app_context():
        assert rows_containing(db.engine, needles) == []  # every row, on any database
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        return  # PostgreSQL's files are the server's; its rows were read just above
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    assert database.exists() and database.parent == tmp_path
    # The write-ahead log as it is (the newest pages live there)…
    assert _files_containing(tmp_path, needles) == []
    # …and the database file once the log is written back into it.
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    assert _files_containing(tmp_path, needles) == []


def test_the_database_holds_only_sealed_answers(app, client, canary):
    client.post("/refer/who", data={"who": "self"})
    client.post("/refer/what", data={"what": canary})
    [draft] = rows(app, Draft)
    assert draft.answers.startswith("v1.") and canary not in draft.answers
    assert len(draft.token_hash) == 64  # a hash of the token, not the token


def _session(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "no session cookie"
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(cookie.value)


ALLOWED_SESSION_KEYS = {"draft_token", "sent_referral", "csrf_token"}


def test_the_session_cookie_holds_a_token_and_no_answers(app, client, canary):
    answers = _canary_answers(canary)
    journey = complete_journey(client, answers)
    session = _session(app, client)
    assert set(session) <= ALLOWED_SESSION_KEYS, set(session)
    assert set(session) >= {"draft_token"}
    assert canary not in repr(session).upper() and "Sam" not in repr(session)
    assert len(session["draft_token"]) >= 40  # a random token, nothing else

    send(client, journey)
    session = _session(app, client)
    assert set(session) <= ALLOWED_SESSION_KEYS, set(session)
    assert "draft_token" not in session
    assert set(session["sent_referral"]) == {"reference", "at"}
    assert canary not in repr(session).upper()


def test_the_session_cookie_cannot_be_read_by_scripts(client):
    response = client.post("/refer/who", data={"who": "self"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
