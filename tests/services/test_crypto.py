"""Sealing referral content: AES-256-GCM, key ids, rotation and the key commands."""

from __future__ import annotations

import base64
import json

import pytest

from againsthate.db.models import Draft, OutboxMessage, Referral
from againsthate.extensions import db
from againsthate.services.crypto import CryptoError, Keyring, new_key_entry, parse_keys
from tests.conftest import make_app
from tests.referral.journey import checked_values, complete_journey, count, rows, send

TEXT = "Someone shouted at me — ŵ, اردو, 😀\nand followed me home."


def keyring(*ids: str) -> Keyring:
    return parse_keys(",".join(new_key_entry(i) for i in ids))


def _payload(sealed: str) -> bytes:
    return base64.urlsafe_b64decode(sealed.split(".", 2)[2])


def _with_payload(sealed: str, raw: bytes) -> str:
    version, key_id, _ = sealed.split(".", 2)
    return f"{version}.{key_id}.{base64.urlsafe_b64encode(raw).decode()}"


def test_a_sealed_value_opens_to_the_same_text():
    ring = keyring("k1")
    sealed = ring.seal(TEXT)
    assert ring.open(sealed) == TEXT
    assert sealed.startswith("v1.k1.")
    assert "Someone" not in sealed and "shouted" not in sealed


def test_sealing_twice_gives_different_values():
    ring = keyring("k1")
    assert ring.seal(TEXT) != ring.seal(TEXT)  # a fresh nonce each time


def test_the_empty_text_round_trips():
    ring = keyring("k1")
    assert ring.open(ring.seal("")) == ""


@pytest.mark.parametrize("position", [0, 11, 12, 20, -1])  # nonce, ciphertext, tag
def test_a_changed_byte_is_refused(position):
    ring = keyring("k1")
    sealed = ring.seal(TEXT)
    raw = bytearray(_payload(sealed))
    raw[position] ^= 0x01
    with pytest.raises(CryptoError):
        ring.open(_with_payload(sealed, bytes(raw)))


def test_a_shortened_value_is_refused():
    ring = keyring("k1")
    sealed = ring.seal(TEXT)
    with pytest.raises(CryptoError):
        ring.open(_with_payload(sealed, _payload(sealed)[:-1]))


def test_a_value_moved_to_another_key_id_is_refused():
    """Both keys known: the key id is bound into the authenticated data, so relabelling
    a value (even to a key with the same bytes) does not open it."""
    k1 = new_key_entry("k1")
    same_key_other_id = "k2:" + k1.split(":", 1)[1]
    ring = parse_keys(f"{k1},{same_key_other_id}")
    sealed = ring.seal(TEXT)
    assert sealed.startswith("v1.k1.")
    with pytest.raises(CryptoError):
        ring.open(sealed.replace("v1.k1.", "v1.k2.", 1))


def test_a_changed_format_version_is_refused():
    ring = keyring("k1")
    with pytest.raises(CryptoError):
        ring.open("v2" + ring.seal(TEXT)[2:])


def test_the_wrong_key_is_refused():
    sealed = parse_keys(new_key_entry("k1")).seal(TEXT)
    other_key_same_id = parse_keys(new_key_entry("k1"))
    with pytest.raises(CryptoError):
        other_key_same_id.open(sealed)


def test_an_unknown_key_id_is_refused():
    sealed = keyring("k1").seal(TEXT)
    with pytest.raises(CryptoError, match="k1"):
        keyring("k2").open(sealed)


@pytest.mark.parametrize(
    "value", ["", "not sealed", "v1.k1", "v1.k1.!!!not base64!!!", "v1.k1.AAAA"]
)
def test_a_value_that_is_not_sealed_is_refused_with_crypto_error(value):
    with pytest.raises(CryptoError):
        keyring("k1").open(value)


def test_after_rotation_old_values_still_open_and_new_ones_use_the_new_key():
    old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
    before = parse_keys(old_entry)
    sealed_long_ago = before.seal(TEXT)

    rotated = parse_keys(f"{new_entry},{old_entry}")
    assert rotated.current_id == "new"
    assert rotated.open(sealed_long_ago) == TEXT
    assert rotated.key_id_of(rotated.seal("x")) == "new"


def test_reseal_moves_a_value_to_the_current_key():
    old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
    sealed = parse_keys(old_entry).seal(TEXT)
    rotated = parse_keys(f"{new_entry},{old_entry}")

    moved = rotated.reseal(sealed)
    assert rotated.key_id_of(moved) == "new"
    assert parse_keys(new_entry).open(moved) == TEXT  # the old key is no longer needed
    assert rotated.reseal(moved) == moved  # already current: unchanged


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"k1:{_b64(b'x' * 16)}", "32 bytes"),  # AES-128 length: too short
        (f"k1:{_b64(b'x' * 31)}", "32 bytes"),
        (f"k1:{_b64(b'x' * 33)}", "32 bytes"),
        ("k1:", "32 bytes"),
        ("k1:not base64 at all", "32 bytes"),
        (f"k1:{_b64(b'x' * 32)},k1:{_b64(b'y' * 32)}", "twice"),
        (f"bad id:{_b64(b'x' * 32)}", "key id"),
        (f"bad.id:{_b64(b'x' * 32)}", "key id"),  # a dot would break the sealed format
        (f"{'k' * 33}:{_b64(b'x' * 32)}", "key id"),
        (f":{_b64(b'x' * 32)}", "key id"),
        ("", "no keys"),
        (" , ", "no keys"),
    ],
)
def test_parse_keys_refuses_bad_entries(text, problem):
    with pytest.raises(CryptoError, match=problem):
        parse_keys(text)


def test_parse_keys_reads_several_keys_current_first():
    ring = parse_keys(f" {new_key_entry('a-1')} , {new_key_entry('b_2')} ")
    assert [k for k, _ in ring.keys] == ["a-1", "b_2"]
    assert ring.current_id == "a-1"
    assert all(len(key) == 32 for _, key in ring.keys)


def test_flask_keys_new_prints_a_usable_entry(runner):
    result = runner.invoke(args=["keys", "new", "2026-rotation"])
    assert result.exit_code == 0, result.output
    entry = result.output.strip()
    ring = parse_keys(entry)
    assert ring.current_id == "2026-rotation"
    assert ring.open(ring.seal(TEXT)) == TEXT
    again = runner.invoke(args=["keys", "new", "2026-rotation"]).output.strip()
    assert again != entry  # a fresh random key each time


def test_the_app_refuses_to_start_with_a_bad_key(tmp_path):
    with pytest.raises(CryptoError):
        make_app(tmp_path, REFERRAL_KEYS="k1:short")


def _sealed_values(app) -> list[tuple[str, str]]:
    values = []
    for referral in rows(app, Referral):
        values.append(("referral.content", referral.content))
    for draft in rows(app, Draft):
        values.append(("draft.answers", draft.answers))
    for message in rows(app, OutboxMessage):
        values += [("outbox.recipient", message.recipient), ("outbox.body", message.body)]
    return values


def _data_under_old_key(tmp_path, old_entry: str):
    """A sent referral (with its notice and a confirmation email) and a draft in progress,
    all sealed with the key "old". Returns the journey and the sealed values."""
    old_app = make_app(tmp_path, WTF_CSRF_ENABLED=False, REFERRAL_KEYS=old_entry)
    sender = old_app.test_client()
    journey = complete_journey(sender, {"consent": {"consent": "y", "confirmation": "y"}})
    assert send(sender, journey).status_code == 303
    in_progress = old_app.test_client()
    in_progress.post("/refer/who", data={"who": "witness"})
    in_progress.post("/refer/what", data={"what": "Still writing this"})
    with old_app.app_context():
        db.engine.dispose()
    assert count(old_app, Referral) == 1 and count(old_app, Draft) == 1
    assert count(old_app, OutboxMessage) == 2
    before = _sealed_values(old_app)
    assert {parse_keys(old_entry).key_id_of(v) for _, v in before} == {"old"}
    return journey, before


@pytest.fixture
def rotated_app(tmp_path):
    """Data under "old", then the app restarted with REFERRAL_KEYS="new:…,old:…"."""
    old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
    journey, before = _data_under_old_key(tmp_path, old_entry)
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, REFERRAL_KEYS=f"{new_entry},{old_entry}")
    app.rotation = {"old": old_entry, "new": new_entry, "before": before, "journey": journey}
    yield app
    with app.app_context():
        db.engine.dispose()


def test_flask_keys_reencrypt_moves_every_stored_value_to_the_new_key(rotated_app):
    app, rotation = rotated_app, rotated_app.rotation
    result = app.test_cli_runner().invoke(args=["keys", "reencrypt"])
    assert result.exit_code == 0, result.output

    after = _sealed_values(app)
    before = rotation["before"]
    assert len(after) == len(before) == 6  # 1 referral, 1 draft, 2 messages x 2
    only_new = parse_keys(rotation["new"])
    old_ring = parse_keys(rotation["old"])
    for (name, old_value), (_, new_value) in zip(before, after, strict=True):
        assert only_new.key_id_of(new_value) == "new", name
        assert only_new.open(new_value) == old_ring.open(old_value), name

    # The content is intact and readable without the old key.
    content = json.loads(only_new.open(rows(app, Referral)[0].content))
    assert content["what"] == rotation["journey"].answers["what"]["what"]

    again = app.test_cli_runner().invoke(args=["keys", "reencrypt"])
    assert again.exit_code == 0, again.output
    assert _sealed_values(app) == after  # safe to run again: nothing sealed twice


def test_flask_keys_reencrypt_reports_how_many_rows_of_each_table_changed(rotated_app):
    runner = rotated_app.test_cli_runner()
    first = runner.invoke(args=["keys", "reencrypt"]).output
    # Two outbox messages (each with a sealed recipient and body) are two rows.
    assert (
        "{'referral': 1, 'draft': 1, 'outbox_message': 2, 'referral_event': 0, 'staff_user': 0, 'kept_form': 0}"
        in first
    )
    second = runner.invoke(args=["keys", "reencrypt"]).output
    assert (
        "{'referral': 0, 'draft': 0, 'outbox_message': 0, 'referral_event': 0, 'staff_user': 0, 'kept_form': 0}"
        in second
    )


def test_after_reencrypt_the_old_key_can_be_removed(tmp_path):
    old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
    first = make_app(tmp_path, WTF_CSRF_ENABLED=False, REFERRAL_KEYS=old_entry)
    browser = first.test_client()
    browser.post("/refer/who", data={"who": "self"})
    with first.app_context():
        db.engine.dispose()
    rotated = make_app(tmp_path, WTF_CSRF_ENABLED=False, REFERRAL_KEYS=f"{new_entry},{old_entry}")
    assert rotated.test_cli_runner().invoke(args=["keys", "reencrypt"]).exit_code == 0
    with rotated.app_context():
        db.engine.dispose()

    new_only = make_app(tmp_path, WTF_CSRF_ENABLED=False, REFERRAL_KEYS=new_entry)
    try:
        # The same browser carries on: its draft opens with the new key alone.
        page = new_only.test_client()
        with browser.session_transaction() as old_session:
            token = old_session["draft_token"]
        with page.session_transaction() as new_session:
            new_session["draft_token"] = token
        response = page.get("/refer/who")
        assert response.status_code == 200
        assert checked_values(response, "who") == ["self"]
    finally:
        with new_only.app_context():
            db.engine.dispose()
