"""A post too big for the site (issue 12, item 6): refused with a kind, translated 413
page that gives the phone numbers, and nothing of it kept."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from againsthate.db.models import Draft, Referral
from againsthate.extensions import db

FIVE_MB = 5 * 1024 * 1024
TITLE = "That was too long to send"


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_five_megabyte_answer_is_refused_kindly_and_not_kept(app, lang):
    prefix = "" if lang == "en" else f"/{lang}"
    client = app.test_client()
    assert client.post(f"{prefix}/refer/who", data={"who": "self"}).status_code == 302
    response = client.post(f"{prefix}/refer/what", data={"what": "Q" * FIVE_MB})
    assert response.status_code == 413
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert len(body) < 100_000  # the answer is not echoed back
    with app.test_request_context(), force_locale(lang):
        title = gettext(TITLE)
    assert lang == "en" or title != TITLE, "translated"
    assert f'lang="{lang}"' in body and f"<h1>{title}</h1>" in body
    assert "0800 138 1625" in body and "101" in body and "999" in body
    with app.app_context():
        assert db.session.query(Referral).count() == 0
        assert all(len(draft.answers) < 100_000 for draft in db.session.query(Draft))


def test_the_longest_answer_allowed_in_any_script_still_fits(app):
    """5,000 characters of Gujarati is about 45 KB once form-encoded: well inside the limit."""
    client = app.test_client()
    client.post("/refer/who", data={"who": "self"})
    response = client.post("/refer/what", data={"what": "\u0a97" * 5000})
    assert response.status_code == 302


def test_the_limit_is_a_setting(tmp_path):
    from tests.conftest import make_app

    small = make_app(tmp_path, WTF_CSRF_ENABLED=False, MAX_REQUEST_KB=1)
    assert small.config["MAX_CONTENT_LENGTH"] == 1024 == small.config["MAX_FORM_MEMORY_SIZE"]
    client = small.test_client()
    client.post("/refer/who", data={"who": "self"})
    assert client.post("/refer/what", data={"what": "Q" * 2000}).status_code == 413
    with small.app_context():
        db.engine.dispose()
