"""Fixtures for pages served from a pack written in the test: `pack_file(text)` writes the
pack and gives its path; `pack_app(text)` gives an app serving it on a database of its own."""

from __future__ import annotations

import pytest

from tests.conftest import ROOMY


@pytest.fixture
def pack_file(tmp_path):
    def write(text: str):
        path = tmp_path / "pack.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def pack_app(tmp_path, new_app, pack_file):
    def make(text: str):
        return new_app(
            tmp_path / "instance", WTF_CSRF_ENABLED=False, AREA_PACK=pack_file(text), **ROOMY
        )

    return make
