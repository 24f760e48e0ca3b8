"""The database goes away in the middle of sending a referral (a real PostgreSQL,
stopped as a crash would stop it), then comes back."""

from __future__ import annotations

from sqlalchemy import event

from againsthate.db.models import Draft, OutboxMessage, Referral
from againsthate.extensions import db
from tests.conftest import ROOMY, make_app
from tests.referral.journey import complete_journey, count, counted, reference_of, send

STOP_HATE_PHONE = "0800 138 1625"  # the national line in the demonstration pack


def test_a_submission_cut_off_by_the_database_is_kept_and_goes_when_it_returns(tmp_path, postgres):
    app = make_app(tmp_path, DATABASE_URL=postgres.url, WTF_CSRF_ENABLED=False, **ROOMY)
    client = app.test_client()
    journey = complete_journey(client, {"what": {"what": "They followed me home."}})

    def crash_at_the_referral_insert(_conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO referral "):
            postgres.stop()  # the referral's own statement meets a database that has gone

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", crash_at_the_referral_insert)
    try:
        response = send(client, journey)
    finally:
        event.remove(engine, "before_cursor_execute", crash_at_the_referral_insert)

    # A kind page that says the answers are kept, with another way to get help.
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your answers have not been sent, but they are still saved" in page
    assert STOP_HATE_PHONE in page and response.headers["Cache-Control"] == "no-store"
    # While it is down, the phone numbers stay one click away on every page asked for.
    for path in ["/", "/report", "/refer/check", "/healthz"]:
        down = client.get(path)
        assert down.status_code in {200, 503}, (path, down.status_code)
        if path != "/healthz":
            assert STOP_HATE_PHONE in down.get_data(as_text=True), path
    assert client.get("/healthz").status_code == 503

    postgres.start()
    # Nothing half-written: no referral, no count, no email; the draft is still there.
    assert (count(app, Referral), counted(app), count(app, OutboxMessage)) == (0, 0, 0)
    assert count(app, Draft) == 1
    # The site recovers by itself: the same person presses Send again, once.
    assert client.get("/healthz").status_code == 200
    again = send(client, journey)
    assert again.status_code == 303, again.get_data(as_text=True)[:500]
    reference = reference_of(again.headers["Location"])
    assert reference in client.get(again.headers["Location"]).get_data(as_text=True)
    assert (count(app, Referral), counted(app)) == (1, 1)
    assert count(app, Draft) == 0
    with app.app_context():
        db.engine.dispose()


def test_a_question_answered_while_the_database_is_down_is_not_lost(tmp_path, postgres):
    app = make_app(tmp_path, DATABASE_URL=postgres.url, WTF_CSRF_ENABLED=False, **ROOMY)
    client = app.test_client()
    assert client.post("/refer/who", data={"who": "self"}).status_code == 302
    postgres.stop()
    try:
        typed = "A man spat at me on the tram."
        response = client.post("/refer/what", data={"what": typed})
        # The page comes back with what they typed in it, and says it was not saved.
        assert response.status_code == 503
        assert typed in response.get_data(as_text=True)
    finally:
        postgres.start()
    assert client.post("/refer/what", data={"what": typed}).status_code == 302
    assert count(app, Draft) == 1
    with app.app_context():
        db.engine.dispose()
