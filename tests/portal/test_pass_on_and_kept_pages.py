"""The pages and states this work adds are valid HTML (the Nu HTML Checker), in English and
Urdu, CSRF on: a referral passed on and waiting (sender), the same to accept (receiver),
the return form and its error, the inbox listing both, the sender's line once accepted,
and a referral's page with forms kept when the session ended."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate import clock
from againsthate.db.models import StaffUser
from againsthate.extensions import db
from againsthate.services import kept_forms
from tests.conftest import ROOMY, make_app
from tests.portal.conftest import ORG_A, ORG_B, add_referral, make_staff, session_client
from tests.portal.test_casework_pages import _token
from tests.test_html_valid import Rendered, save_page
from tests.test_html_valid import test_every_page_is_valid_html as nu_html_check


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Rendered]:
    app = make_app(tmp_path_factory.mktemp("pass-on-html"), **ROOMY)  # CSRF on
    folder = tmp_path_factory.mktemp("pass-on-pages")
    sender_user = make_staff(app, "caseworker", ORG_A)[0]
    sender = session_client(app, sender_user)
    receiver = session_client(app, make_staff(app, "caseworker", ORG_B)[0])
    waiting, accepted, kept = (add_referral(app, ORG_A) for _ in range(3))

    def pass_on(reference: str) -> None:
        url = f"/portal/referrals/{reference}/pass-on"
        token = _token(sender.get(url).text)
        answer = sender.post(
            url, data={"organisation": ORG_B, "reason": "Specialist", "csrf_token": token}
        )
        assert answer.status_code == 303

    pass_on(waiting)
    pass_on(accepted)
    page = receiver.get(f"/portal/referrals/{accepted}").text
    assert (
        receiver.post(
            f"/portal/referrals/{accepted}/accept", data={"csrf_token": _token(page)}
        ).status_code
        == 303
    )
    receiver.get("/portal/referrals")  # the flashed message, shown once
    pages: list[Rendered] = []
    for code in ("en", "ur"):
        prefix = "" if code == "en" else f"/{code}"

        def keep(label, response, expected=200, code=code):
            save_page(folder, pages, f"{label} [{code}]", code, response, expected)

        keep("inbox, passed on", sender.get(f"{prefix}/portal/referrals"))
        keep("passed on, waiting", sender.get(f"{prefix}/portal/referrals/{waiting}"))
        keep("passed on, accepted", sender.get(f"{prefix}/portal/referrals/{accepted}"))
        keep("inbox, passed to you", receiver.get(f"{prefix}/portal/referrals"))
        keep("to accept", receiver.get(f"{prefix}/portal/referrals/{waiting}"))
        return_url = f"{prefix}/portal/referrals/{waiting}/return"
        form = receiver.get(return_url)
        keep("return", form)
        keep(
            "return error",
            receiver.post(return_url, data={"reason": "", "csrf_token": _token(form.text)}),
        )
        with app.app_context():
            kept_forms.keep(
                db.session,
                app.extensions["againsthate.keyring"],
                kind="note",
                reference=kept,
                form={"note-text": "Kept <b>text</b>"},
                user=db.session.get(StaffUser, sender_user.id),
                browser_mark=None,
                now=clock.now() - dt.timedelta(minutes=1),
            )
            db.session.commit()
        keep("kept note", sender.get(f"{prefix}/portal/referrals/{kept}"))
    yield pages
    with app.app_context():
        db.engine.dispose()


def test_the_new_pages_and_states_are_valid_html(rendered):
    assert len(rendered) == 2 * 8
    assert all("Kept &lt;b&gt;text&lt;/b&gt;" in p.html for p in rendered if "kept" in p.url)
    nu_html_check(rendered)
