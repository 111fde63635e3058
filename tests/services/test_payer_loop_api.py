"""The payer loop routes (mounted on a test app: see the H6 report for mounting)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

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
def rt(db: Database, tmp_path: Path) -> Runtime:
    return runtime(db, tmp_path / "home")


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


def test_submit_fetch_and_ask_through_the_practice_clearinghouse(
        client: TestClient, rt: Runtime) -> None:
    a, _ = build_world(rt)
    base = f"/api/practices/{a.practice_id}/payer-loop"
    biller = {"Authorization": f"Bearer {a.tokens[Role.BILLER]}"}
    desk = {"Authorization": f"Bearer {a.tokens[Role.FRONT_DESK]}"}
    # the installation's simulator, configured in home/adapters.yaml with the world's payer
    rt.settings.home.mkdir(parents=True, exist_ok=True)
    payers = rt.settings.home / "payers.yaml"
    payers.write_text('payers: {"00431": {name: A MEDICARE, deductible: 100.00, '
                      'coinsurance: 0.20}}\n')
    (rt.settings.home / "adapters.yaml").write_text(f"simulator: {{config: '{payers}'}}\n")
    moved = client.post(f"/api/practices/{a.practice_id}/claims/{a.ids['claim']}/transitions",
                        json={"to_state": "ready"}, headers=biller)
    assert moved.status_code == 200, moved.text
    sent = client.post(f"{base}/submissions", json={}, headers=biller)
    assert sent.status_code == 200, sent.text
    assert sent.json()["batch"]["claims"] == [a.ids["claim"]]
    assert client.post(f"{base}/submissions", json={}, headers=biller).json()["batch"] is None
    # the simulator answered into this practice's own folder under the runtime's home
    assert (rt.settings.home / "clearinghouse" / a.practice_id / "outbox").is_dir()
    fetched = client.post(f"{base}/responses", headers=biller)
    assert fetched.status_code == 200, fetched.text
    assert sorted(ack["kind"] for ack in fetched.json()["acks"]) == ["277CA", "999"]
    assert client.post(f"{base}/responses", headers=desk).status_code == 403
    asked = client.post(f"{base}/eligibility", json={"patient_id": a.ids["patient"],
                                                     "allowed": "80.00"}, headers=desk)
    assert asked.status_code == 200, asked.text
    answer = asked.json()
    assert answer["answered"] and answer["active"]
    assert "deductible: 100.00 (remaining 100.00)" in answer["summary"]
    assert answer["estimate"]["patient"] == "80.00"  # all of it to the deductible
    missing = client.post(f"{base}/eligibility", json={"member_id": "X1"}, headers=desk)
    assert missing.status_code == 422
    status = client.post(f"{base}/claims/{a.ids['claim']}/status", headers=biller)
    assert status.status_code == 200, status.text
    assert status.json()["answered"] and status.json()["status"] == "A2:20"
