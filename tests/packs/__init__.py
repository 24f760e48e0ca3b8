"""Packs written for tests, with the files they name beside them."""

from pathlib import Path

# Every key a pack may have, optional ones included (README.md, "Every key").
EVERY_KEY = Path(__file__).with_name("every-key.toml")
