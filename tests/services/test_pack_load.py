"""`flask pack load` adds what is missing and says how much it added."""

from __future__ import annotations

from againsthate.db.models import NewsItem
from againsthate.extensions import db


def test_pack_load_adds_only_what_is_missing(app, runner):
    with app.app_context():
        total = db.session.query(NewsItem).count()
        db.session.delete(db.session.query(NewsItem).first())
        db.session.commit()
    first = runner.invoke(args=["pack", "load"])
    assert first.exit_code == 0 and f"Added 1 of the {total} news items" in first.output
    again = runner.invoke(args=["pack", "load"])
    assert f"Added 0 of the {total} news items" in again.output
    with app.app_context():
        assert db.session.query(NewsItem).count() == total


def test_pack_check_reads_the_pack_it_is_given(runner):
    result = runner.invoke(args=["pack", "check", "areas/hertfordshire.toml"])
    assert result.exit_code == 0, result.output
    assert "hertfordshire.toml: OK" in result.output
