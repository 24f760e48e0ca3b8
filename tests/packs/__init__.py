"""Packs written for tests, with the files they name beside them."""

from pathlib import Path

from againsthate.paths import AREAS

# Every key a pack may have, optional ones included (README.md, "Every key").
EVERY_KEY = Path(__file__).with_name("every-key.toml")

BSL_RULE = '[[routing]]\nbsl = true\norganisation = "derbyshire-victim-services"\n\n'


def derbyshire_with_a_bsl_rule(folder: Path, routing_tests: str = "") -> Path:
    """Derbyshire's pack with a first rule that sends anyone who uses British Sign Language
    to Derbyshire Victim Services (issue 14), and the [[routing_tests]] given, if any."""
    text = (AREAS / "derbyshire.toml").read_text(encoding="utf-8")
    first_rule = "[[routing]]\n"
    assert first_rule in text
    path = folder / "pack.toml"
    path.write_text(
        text.replace(first_rule, BSL_RULE + first_rule, 1) + routing_tests, encoding="utf-8"
    )
    return path
