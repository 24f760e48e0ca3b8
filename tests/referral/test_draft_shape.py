"""A draft keeps its bookkeeping (the pages saved, the submission key) beside the answers,
never among them; a draft saved before that (with "steps_done" among the answers) still
loads, resumes and sends after a deploy, since a draft lives for up to two hours."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from againsthate.db.models import Draft, Referral
from againsthate.extensions import db
from againsthate.services import drafts
from tests.referral.journey import (
    EVERY_BRANCH,
    Journey,
    complete_journey,
    reference_of,
    rows,
    send,
    submission_key,
)


def _stored(app) -> dict:
    with app.app_context():
        [draft] = db.session.scalars(select(Draft)).all()
        return json.loads(app.extensions["againsthate.keyring"].open(draft.answers))


def _store_the_old_way(app, answers: dict) -> None:
    """Seal `answers` as the code before this change did: bookkeeping among the answers."""
    with app.app_context():
        [draft] = db.session.scalars(select(Draft)).all()
        draft.answers = app.extensions["againsthate.keyring"].seal(json.dumps(answers))
        db.session.commit()


def test_a_draft_keeps_its_bookkeeping_apart_from_the_answers(app, client):
    complete_journey(client)
    stored = _stored(app)
    assert set(stored) == {"answers", "steps_done"}
    assert "steps_done" not in stored["answers"] and "who" in stored["answers"]
    assert not [key for key in stored["answers"] if key.startswith("_")]
    assert stored["steps_done"][0] == "about" and "consent" in stored["steps_done"]


def test_a_draft_loads_as_answers_bookkeeping_and_submission_key(app, client):
    journey = complete_journey(client)
    with client.session_transaction() as session:
        token = session[drafts.SESSION_KEY]
    keyring = app.extensions["againsthate.keyring"]
    with app.app_context():
        draft = drafts.load(db.session, keyring, token, dt.datetime.now(dt.UTC))
    assert draft is not None
    assert draft.submission_key == submission_key(journey.check)
    assert draft.answers["who"] == "self" and "steps_done" not in draft.answers
    assert "_submission_key" not in draft.answers
    assert "who" in draft.steps_done and "consent" in draft.steps_done


def test_a_draft_saved_the_old_way_loads_resumes_and_sends_without_bookkeeping(app, client):
    journey = complete_journey(client, EVERY_BRANCH)
    new = _stored(app)
    old = {**new["answers"], "steps_done": [s for s in new["steps_done"] if s != "needs"]}
    _store_the_old_way(app, old)

    with client.session_transaction() as session:
        token = session[drafts.SESSION_KEY]
    with app.app_context():
        draft = drafts.load(
            db.session, app.extensions["againsthate.keyring"], token, dt.datetime.now(dt.UTC)
        )
    assert draft is not None
    assert draft.answers == new["answers"]
    assert draft.steps_done == old["steps_done"]
    assert draft.submission_key == journey.submission_key

    # Where it resumes is read from the old bookkeeping: the one page not saved.
    assert client.get("/refer/check").headers["Location"].endswith("/refer/needs")
    assert client.post("/refer/needs", data=journey.answers["needs"]).status_code == 302
    assert set(_stored(app)) == {"answers", "steps_done"}  # saved again the new way
    check = client.get("/refer/check")
    assert check.status_code == 200
    response = send(client, Journey(check, journey.answers))
    assert response.status_code == 303
    [referral] = rows(app, Referral)
    assert referral.reference == reference_of(response.headers["Location"])
    content = json.loads(app.extensions["againsthate.keyring"].open(referral.content))
    assert content == new["answers"]
    assert "steps_done" not in content and "_submission_key" not in content
