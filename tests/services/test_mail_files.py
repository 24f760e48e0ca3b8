"""Email written to files (development, or production with MAIL_TO_FILES=1): readable by
the site's user only, and gone with their outbox rows, by `flask outbox purge` and by
erasing the referral they are about."""

from __future__ import annotations

import datetime as dt
import stat

from sqlalchemy import select

from againsthate import clock
from againsthate.db.models import OutboxMessage
from againsthate.extensions import db
from tests.conftest import ROOMY
from tests.referral.journey import complete_journey, sent_reference


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _send_referral(app, name: str) -> str:
    """A referral sent through the journey with a confirmation asked for: the organisation's
    notice and the person's confirmation (their address, their reference) are queued."""
    client = app.test_client()
    journey = complete_journey(
        client,
        {
            "contact-details": {"name": name, "email": f"{name.lower()}@example.org"},
            "consent": {"consent": "y", "confirmation": "y"},
        },
    )
    return sent_reference(client, journey)


def _files(app) -> dict[str, str]:
    """File name -> text, of every email written so far."""
    folder = app.config["INSTANCE_PATH"] / "outbox"
    return {path.name: path.read_text() for path in sorted(folder.glob("*.eml"))}


def _mail_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def test_email_files_and_their_folder_are_for_the_sites_user_only(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, **ROOMY)
    folder = app.config["INSTANCE_PATH"] / "outbox"
    folder.mkdir(mode=0o755)  # left by an older version, open to every user
    folder.chmod(0o755)
    _send_referral(app, "Robin")
    assert app.test_cli_runner().invoke(args=["outbox", "send"]).exit_code == 0
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2
    assert _mode(folder) == 0o700
    assert {_mode(path) for path in files} == {0o600}


def test_outbox_purge_deletes_the_files_of_the_messages_it_deletes(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, **ROOMY)
    _send_referral(app, "Robin")
    runner = app.test_cli_runner()
    runner.invoke(args=["outbox", "send"])
    old = _files(app)
    with app.app_context():  # sent 31 days ago
        for row in db.session.scalars(select(OutboxMessage)):
            row.created_at = clock.now() - dt.timedelta(days=31)
        db.session.commit()
    newer = _send_referral(app, "Kit")
    runner.invoke(args=["outbox", "send"])
    assert len(_files(app)) == 4

    result = runner.invoke(args=["outbox", "purge"])
    assert "Deleted 2 finished messages" in result.output
    left = _files(app)
    assert len(left) == 2 and not set(left) & set(old)
    assert all(newer in text for text in left.values())
    assert not any("robin@example.org" in text for text in left.values())


def test_erasing_a_referral_deletes_its_email_and_their_files(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, **ROOMY)
    erased = _send_referral(app, "Robin")
    kept = _send_referral(app, "Kit")
    runner = app.test_cli_runner()
    runner.invoke(args=["outbox", "send"])
    assert len(_files(app)) == 4

    result = runner.invoke(args=["referrals", "erase", erased, "--reason", "Asked by the person"])
    assert result.exit_code == 0, result.output
    left = _files(app)
    assert len(left) == 2
    assert all(kept in text and erased not in text for text in left.values())
    assert not any("robin@example.org" in text for text in left.values())
    assert len(_mail_rows(app)) == 2
    assert all(erased not in row.subject for row in _mail_rows(app))
