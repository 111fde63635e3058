"""Fixtures for tests that drive the services or the API: a database on each engine, the
runtime and app on it, and the two-practice world (tests/api/world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openrcm.api.app import create_app
from openrcm.claims.scrub import scrubber
from openrcm.services.bootstrap import Runtime
from openrcm.store.db import Database
from tests.api.world import Tenant, build_world, runtime
from tests.store.fixtures import db

__all__ = ["client", "db", "rt", "world"]


@pytest.fixture
def rt(db: Database, tmp_path: Path) -> Runtime:
    return runtime(db, tmp_path / "home")


@pytest.fixture
def world(rt: Runtime) -> tuple[Tenant, Tenant]:
    return build_world(rt)


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    app = create_app()
    app.state.runtime = rt
    app.state.claims_scrubber = scrubber()  # the TR3 and payer edits; no code tables to load
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
