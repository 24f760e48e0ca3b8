"""The search index: what is typed is normalised the same way as what was stored, only keyed
hashes are kept, and they go with the content (retention, erasure)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import Result
from sqlalchemy import delete, func, select

from againsthate import clock
from againsthate.db.models import Referral, ReferralIndex
from againsthate.extensions import db
from againsthate.services import retention, search
from againsthate.services.crypto import Keyring, new_key_entry, parse_keys
from tests.portal.casework import stored
from tests.portal.conftest import ANSWERS, ORG_A, add_referral


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("395P-CGS9", "395P-CGS9"),
        ("395p-cgs9", "395P-CGS9"),
        ("395P CGS9", "395P-CGS9"),
        ("395PCGS9", "395P-CGS9"),
        ("  395p cgs9 ", "395P-CGS9"),
        ("395P–CGS9", "395P-CGS9"),  # an en dash, as word processors turn a hyphen
        ("3 9 5 P - C G S 9", "395P-CGS9"),
        ("395P-CGS", None),  # too short
        ("395P-CGS99", None),  # too long
        ("395O-CGS9", None),  # O is not in the alphabet: not guessed to be 0 or Q
        ("I95P-CGS9", None),  # nor I as 1
        ("Sam", None),
        ("", None),
    ],
)
def test_a_reference_is_found_whatever_its_case_spaces_or_hyphen(typed, expected):
    assert search.reference(typed) == expected


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("phone", "07700 900982", "07700900982"),
        ("phone", "07700-900-982", "07700900982"),
        ("phone", "+44 7700 900982", "07700900982"),
        ("phone", "+44 (0)7700 900982", "07700900982"),
        ("phone", "0044 7700 900982", "07700900982"),
        ("phone", "447700900982", "07700900982"),
        ("phone", "01332 123456", "01332123456"),
        ("phone", "+48 601 234 567", "48601234567"),  # another country's: digits only
        ("phone", "Sam", ""),
        ("phone", "12345", ""),  # too few digits to be a number
        ("name", "Sam", "sam"),
        ("name", "  SAM   O'Neill ", "sam o'neill"),
        ("name", "Ｓａｍ", "sam"),  # full-width letters
        ("name", "Straße", "strasse"),
        ("email", " Sam@Example.ORG ", "sam@example.org"),
        ("email", "sam@example.org", "sam@example.org"),
    ],
)
def test_names_phones_and_emails_are_normalised(kind, typed, expected):
    assert search.NORMALISE[kind](typed) == expected


def _keyring(key_id: str) -> Keyring:
    return parse_keys(new_key_entry(key_id))


def test_a_digest_depends_on_the_key_and_is_not_the_value():
    one, two = _keyring("one"), _keyring("two")
    assert one.blind("one", "name:sam") == one.blind("one", "name:sam")
    assert one.blind("one", "name:sam") != two.blind("two", "name:sam")
    assert one.blind("one", "name:sam") != one.blind("one", "phone:sam")
    assert len(one.blind("one", "name:sam")) == 64
    assert "sam" not in one.blind("one", "name:sam")


def _index(app, reference: str) -> list[ReferralIndex]:
    with app.app_context():
        rows = db.session.scalars(
            select(ReferralIndex)
            .join(Referral, Referral.id == ReferralIndex.referral_id)
            .where(Referral.reference == reference)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _with_email(**more) -> dict:
    return {**ANSWERS, "methods": ["phone", "email"], "email": "Sam@Example.org", **more}


def test_each_of_name_phone_and_email_is_indexed_once_as_a_keyed_hash(portal_app):
    reference = add_referral(portal_app, answers=_with_email())
    rows = _index(portal_app, reference)
    assert sorted(r.kind for r in rows) == ["email", "name", "phone"]
    keyring = portal_app.extensions["againsthate.keyring"]
    assert {r.digest for r in rows} == {
        keyring.blind(keyring.current_id, f"name:{search.name('Sam')}"),
        keyring.blind(keyring.current_id, f"phone:{search.phone('07700 900 982')}"),
        keyring.blind(keyring.current_id, "email:sam@example.org"),
    }


def test_an_anonymous_referral_has_nothing_to_index(portal_app):
    reference = add_referral(
        portal_app, answers={**ANSWERS, "contact": "none", "name": None, "phone": None}
    )
    assert _index(portal_app, reference) == []


def _find(app, text: str, organisation: str = ORG_A) -> list[str]:
    with app.app_context():
        keyring = app.extensions["againsthate.keyring"]
        return [r.reference for r in search.find(db.session, keyring, text, organisation)]


def test_a_referral_is_found_by_each_kind_however_it_is_typed(portal_app):
    wanted = add_referral(portal_app, answers=_with_email(), reference="395P-CGS9")
    add_referral(portal_app, answers={**ANSWERS, "name": "Samira", "phone": "07700 900 983"})
    for typed in (
        "395p-cgs9",
        "395P CGS9",
        "395PCGS9",
        "sam",
        " SAM ",
        "+44 7700 900982",
        "07700900982",
        "SAM@example.org",
    ):
        assert _find(portal_app, typed) == [wanted], typed


def test_only_the_whole_value_is_found(portal_app):
    add_referral(portal_app, answers=_with_email(name="Samira Khan"))
    assert _find(portal_app, "Samira") == []
    assert _find(portal_app, "07700") == []
    assert _find(portal_app, "example.org") == []
    assert _find(portal_app, "") == []


def test_purging_and_erasing_remove_the_index_rows(portal_app):
    erased = add_referral(portal_app, answers=_with_email())
    purged = add_referral(portal_app, answers=_with_email())
    kept = add_referral(portal_app, answers=_with_email())
    now = clock.now()
    with portal_app.app_context():
        row = db.session.scalars(select(Referral).where(Referral.reference == purged)).one()
        row.status, row.closed_at = "closed", now - dt.timedelta(days=400)
        db.session.flush()
        retention.erase(db.session, erased, now, None, "asked by the person")
        assert retention.purge(db.session, now, 12) == [purged]
        db.session.commit()
    assert _index(portal_app, erased) == []
    assert _index(portal_app, purged) == []
    assert len(_index(portal_app, kept)) == 3
    # Found by reference still (not personal), never by the name any more.
    assert _find(portal_app, erased) == [erased]
    assert _find(portal_app, "Sam") == [kept]


def _run_index(app) -> Result:
    return app.test_cli_runner().invoke(args=["referrals", "index"])


def test_the_index_command_indexes_older_referrals_once(portal_app):
    first = add_referral(portal_app, answers=_with_email())
    second = add_referral(portal_app)
    gone = add_referral(portal_app)
    with portal_app.app_context():
        db.session.execute(delete(ReferralIndex))  # as before the index existed
        retention.erase(db.session, gone, clock.now(), None, "sent in error")
        db.session.commit()

    result = _run_index(portal_app)
    assert result.exit_code == 0, result.output
    assert "Indexed 2 referrals" in result.output
    assert len(_index(portal_app, first)) == 3
    assert len(_index(portal_app, second)) == 2  # name and phone
    assert _index(portal_app, gone) == []

    again = _run_index(portal_app)
    assert "Indexed 0 referrals" in again.output
    with portal_app.app_context():
        assert db.session.scalar(select(func.count(ReferralIndex.id))) == 5
    assert stored(portal_app, first).content  # the content itself is untouched


def test_after_a_key_rotation_old_rows_are_found_until_the_index_command_redoes_them(portal_app):
    reference = add_referral(portal_app)
    old = portal_app.extensions["againsthate.keyring"]
    rotated = Keyring((*parse_keys(new_key_entry("k2")).keys, *old.keys))
    portal_app.extensions["againsthate.keyring"] = rotated
    try:
        assert {r.key_id for r in _index(portal_app, reference)} == {old.current_id}
        assert _find(portal_app, "Sam") == [reference]  # hashed under every key

        assert "Indexed 1 referrals" in _run_index(portal_app).output
        assert {r.key_id for r in _index(portal_app, reference)} == {"k2"}
        assert len(_index(portal_app, reference)) == 2
        assert "Indexed 0 referrals" in _run_index(portal_app).output
        portal_app.extensions["againsthate.keyring"] = Keyring(rotated.keys[:1])  # old key gone
        assert _find(portal_app, "Sam") == [reference]
    finally:
        portal_app.extensions["againsthate.keyring"] = old


def test_the_erase_command_takes_a_reference_however_it_is_typed(portal_app):
    reference = add_referral(portal_app, reference="395P-CGS9")
    result = portal_app.test_cli_runner().invoke(
        args=["referrals", "erase", "395p cgs9", "--reason", "Asked by the person"]
    )
    assert result.exit_code == 0, result.output
    assert stored(portal_app, reference).purged_at is not None
