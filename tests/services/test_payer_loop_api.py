"""The payer loop routes (mounted on a test app: see the H6 report for mounting)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from openrcm.api import payer_loop as payer_loop_api
from openrcm.api.app import create_app
from openrcm.security.roles import Role
from openrcm.services.bootstrap import Runtime
from openrcm.store.db import Database
from tests.api.world import Tenant, build_world, runtime
from tests.services.payer_loop_world import era, payment
from tests.store.fixtures import db

WORLD_DOS = date(2026, 1, 5)  # the date of service of the world's encounter

__all__ = ["db"]


@pytest.fixture
def rt(db: Database) -> Runtime:
    return runtime(db)


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    app = create_app()
    if not any(getattr(r, "path", "").endswith("/payer-loop/kpis") for r in app.routes):
        app.include_router(payer_loop_api.router)
    app.state.runtime = rt
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_post_835_then_kpis_and_role_checks(client: TestClient, rt: Runtime) -> None:
    a, _ = build_world(rt)
    base = f"/api/practices/{a.practice_id}/payer-loop"
    admin = {"Authorization": f"Bearer {a.tokens[Role.ADMIN]}"}
    content = era(payment(a.ids["claim"], "99213", "120.00", "70.00", ("CO", "45", "30.00"),
                          ("PR", "2", "20.00"), day=WORLD_DOS), payer="00431")
    auditor = {"Authorization": f"Bearer {a.tokens[Role.AUDITOR]}"}
    assert client.post(f"{base}/remittances", content=content, headers=auditor).status_code == 403
    first = client.post(f"{base}/remittances", content=content, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["remittances"][0]["posted"] == 1
    assert client.post(f"{base}/remittances", content=content, headers=admin).json()[
        "duplicate"]
    bad = client.post(f"{base}/remittances", content=b"not x12", headers=admin)
    assert bad.status_code == 422
    kpis = client.get(f"{base}/kpis", headers=admin).json()
    assert kpis["claims"] == 1 and kpis["auto_post_rate"] == "1.0000"


def test_other_practice_cannot_post(client: TestClient, rt: Runtime) -> None:
    a, b = build_world(rt)
    content = era(payment(a.ids["claim"], "99213", "120.00", "70.00", ("CO", "45", "50.00")),
                  payer="00431")
    other = {"Authorization": f"Bearer {b.tokens[Role.ADMIN]}"}
    response = client.post(f"/api/practices/{a.practice_id}/payer-loop/remittances",
                           content=content, headers=other)
    assert response.status_code in (403, 404)
    assert isinstance(a, Tenant)
