"""Fixtures for services tests: the shared practice fixtures (tests/support/practice.py), and
``env``, the environment an ``openrcm`` command run by a test reads (home, database, PHI key)."""

from pathlib import Path

import pytest

from openrcm.security.phi import generate_key
from tests.store.fixtures import engine_url
from tests.support.practice import client, db, rt, world

__all__ = ["client", "db", "env", "rt", "world"]


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database URL the command will use."""
    url = engine_url(database_url)
    monkeypatch.setenv("OPENRCM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENRCM_DATABASE_URL", url)
    monkeypatch.setenv("OPENRCM_PHI_KEYS", generate_key())
    return url
