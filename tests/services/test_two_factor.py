"""One-time codes and recovery codes, and the password policy."""

from __future__ import annotations

import datetime as dt

import pytest

from againsthate.services import passwords, two_factor

NOW = dt.datetime(2026, 11, 22, 9, 0, 0, tzinfo=dt.UTC)


def test_the_current_code_is_accepted_and_gives_its_step():
    secret = two_factor.new_secret()
    step = two_factor.accepted_step(
        secret, two_factor.code_at(secret, NOW), last_step=None, now=NOW
    )
    assert step == int(NOW.timestamp()) // 30


def test_a_code_30_seconds_out_is_accepted_but_not_90():
    secret = two_factor.new_secret()
    near = two_factor.code_at(secret, NOW - dt.timedelta(seconds=30))
    far = two_factor.code_at(secret, NOW - dt.timedelta(seconds=90))
    assert two_factor.accepted_step(secret, near, last_step=None, now=NOW) is not None
    assert two_factor.accepted_step(secret, far, last_step=None, now=NOW) is None


def test_a_code_is_not_accepted_for_a_step_already_used():
    secret = two_factor.new_secret()
    code = two_factor.code_at(secret, NOW)
    step = two_factor.accepted_step(secret, code, last_step=None, now=NOW)
    assert two_factor.accepted_step(secret, code, last_step=step, now=NOW) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_malformed_codes_are_refused(code):
    assert two_factor.accepted_step(two_factor.new_secret(), code, last_step=None, now=NOW) is None


def test_spaces_in_a_code_do_not_matter():
    secret = two_factor.new_secret()
    code = two_factor.code_at(secret, NOW)
    assert two_factor.accepted_step(secret, f"{code[:3]} {code[3:]}", last_step=None, now=NOW)


@pytest.mark.parametrize(
    "zero",
    ["\u0660", "\u06f0", "\uff10"],
    ids=["arabic-indic", "extended-arabic-indic", "full-width"],
)
def test_a_code_typed_with_other_digits_is_read_as_its_number(zero):
    """A phone set to Arabic or Urdu types these digits: the same code, not a server error."""
    secret = two_factor.new_secret()
    code = two_factor.code_at(secret, NOW)
    typed = "".join(chr(ord(zero) + int(d)) for d in code)
    assert two_factor.accepted_step(secret, typed, last_step=None, now=NOW) is not None
    assert two_factor.accepted_step(secret, "\u00b2" * 6, last_step=None, now=NOW) is None  # ²


def test_recovery_codes_are_distinct_and_hash_the_same_however_typed():
    codes = two_factor.new_recovery_codes()
    assert len(set(codes)) == two_factor.RECOVERY_CODES
    assert two_factor.recovery_hash(codes[0]) == two_factor.recovery_hash(
        " " + codes[0].upper().replace("-", " ")
    )


def test_the_qr_code_is_inline_svg_and_names_the_account():
    uri = two_factor.provisioning_uri(
        two_factor.new_secret(), "sam@example.org", "Against Hate Derbyshire"
    )
    assert uri.startswith("otpauth://totp/") and "sam%40example.org" in uri
    assert two_factor.qr_svg(uri).startswith("<svg")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "short"),
        ("x" * 201, "long"),
        ("password123456", "common"),
        ("qwertyuiopasdf", "common"),
        ("Derbyshire2026!", "common"),
        ("plum orbit lantern seventeen", None),
    ],
)
def test_password_policy(password, problem):
    assert passwords.problem(password) == problem


def test_hashes_are_argon2id_and_verify():
    hashed = passwords.hash_password("plum orbit lantern seventeen")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "plum orbit lantern seventeen")
    assert not passwords.verify(hashed, "plum orbit lantern eighteen")
    assert not passwords.verify(None, "anything")
