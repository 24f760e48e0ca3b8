"""`make audit` never passes on silence: pip-audit offline skips every package and still
says "No known vulnerabilities found" (scripts/audit.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answering(monkeypatch, audit, packages):
    def run(args, **_kwargs):
        return subprocess.CompletedProcess(args, 0, json.dumps({"dependencies": packages}), "")

    monkeypatch.setattr(audit.subprocess, "run", run)


OURS = {"name": "againsthate", "skip_reason": "distribution marked as editable"}
OFFLINE = {
    "name": "flask",
    "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)",
}


def test_an_offline_audit_says_so_and_fails(monkeypatch, audit, capsys):
    _answering(monkeypatch, audit, [OURS, OFFLINE])
    assert audit.pip_audit() == 2
    assert "NOT AUDITED" in capsys.readouterr().out


def test_a_known_vulnerability_fails(monkeypatch, audit, capsys):
    _answering(
        monkeypatch,
        audit,
        [
            OURS,
            {
                "name": "jinja2",
                "version": "2.10",
                "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"]}],
            },
        ],
    )
    assert audit.pip_audit() == 1
    assert "jinja2 2.10: PYSEC-2019-217 (fixed in 2.10.1)" in capsys.readouterr().out


def test_a_real_clean_audit_passes(monkeypatch, audit):
    _answering(monkeypatch, audit, [OURS, {"name": "flask", "version": "3.1.3", "vulns": []}])
    assert audit.pip_audit() == 0
