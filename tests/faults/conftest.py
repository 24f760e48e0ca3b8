"""Servers of the fault tests' own, started once a module: stopping them on purpose
must not disturb any other test."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .servers import PrivatePostgres, PrivateRedis


@pytest.fixture(scope="module")
def postgres():
    # Not under pytest's temporary folder: that is private to root, and PostgreSQL runs
    # as its own user, who must reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="againsthate-postgres-"))
    server = PrivatePostgres(folder)
    server.start()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # a test may have left it stopped
        server.stop("fast")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.kill()
