import pytest

from againsthate.services.postcodes import expand_districts, outward_code
from againsthate.services.preferences import Preferences


@pytest.mark.parametrize(
    ("typed", "outward"),
    [
        ("DE22 1AB", "DE22"),
        ("de221ab", "DE22"),
        (" de1 ", "DE1"),
        ("EC1A 1BB", "EC1A"),
        ("S40", "S40"),
        ("W1B 2AB", "W1B"),
    ],
)
def test_outward_code_keeps_only_the_first_part(typed, outward):
    assert outward_code(typed) == outward


@pytest.mark.parametrize("typed", ["", "hello", "12345", "DE", "DE22 1A", "<script>"])
def test_not_a_postcode(typed):
    assert outward_code(typed) is None


def test_ranges():
    assert expand_districts(["DE1-DE3", "S40"]) == {"DE1", "DE2", "DE3", "S40"}


@pytest.mark.parametrize("raw", [None, "", "garbage", "huge|DE1|1", "large|<b>|1|extra"])
def test_unexpected_cookie_values_fall_back_to_defaults(raw):
    prefs = Preferences.decode(raw)
    assert prefs.text_size in ("default", "large", "largest")
    assert prefs.district in (None, "DE1")


def test_preferences_round_trip():
    prefs = Preferences(text_size="largest", district="DE22", remember=True)
    assert Preferences.decode(prefs.encode()) == prefs
