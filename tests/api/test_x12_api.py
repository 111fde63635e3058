"""The X12 routes: a signed-in member validates, reads and acknowledges a file; strangers cannot.

Permissions, tenancy and the PHI-read audit of these routes are also covered for every role by
test_permissions.py (their rows in routes.py); this file checks what the answers hold.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from openrcm.security.roles import Role
from openrcm.services.bootstrap import Runtime
from openrcm.store.models import AuditEventRow
from tests.api.world import Tenant
from tests.x12.conftest import FIXTURES

GOOD = (FIXTURES / "835" / "multiple-claims-single-check.edi").read_bytes()
BAD = (FIXTURES / "bad" / "cob-contractural-adjustment.835").read_bytes()


def _post(client: TestClient, tenant: Tenant, route: str, content: bytes,
          role: Role = Role.BILLER) -> dict[str, object]:
    response = client.post(f"/api/practices/{tenant.practice_id}/x12/{route}", content=content,
                           headers={"content-type": "text/plain",
                                    "Authorization": f"Bearer {tenant.tokens[role]}"})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_validate_parse_and_ack(client: TestClient, world: tuple[Tenant, Tenant],
                                rt: Runtime) -> None:
    a, _ = world
    assert _post(client, a, "validate", GOOD)["valid"] is True
    bad = _post(client, a, "validate", BAD)
    findings = bad["findings"]
    assert bad["valid"] is False and isinstance(findings, list)
    assert findings[0]["location"]["segment_id"] == "BPR"
    parsed = _post(client, a, "parse", GOOD)
    transactions = parsed["transactions"]
    assert isinstance(transactions, list) and transactions[0]["set"] == "835"
    ack = _post(client, a, "ack?control=3", BAD)
    assert "AK9*R" in str(ack["ack_999"]) and "*000000003*" in str(ack["ack_999"])
    with rt.db.uow(None) as uow:
        reads = [(e.actor, e.practice_id, e.phi) for e in uow.session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "x12.parse"))]
    assert reads == [(a.users[Role.BILLER], a.practice_id, True)]


def test_signed_out_callers_are_refused(client: TestClient, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    for route in ("validate", "parse", "ack"):
        response = client.post(f"/api/practices/{a.practice_id}/x12/{route}", content=GOOD,
                               headers={"content-type": "text/plain"})
        assert response.status_code == 401, route
        assert response.json()["code"] == "unauthenticated"


def test_ack_control_number_out_of_range_is_a_422(client: TestClient,
                                                  world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    response = client.post(f"/api/practices/{a.practice_id}/x12/ack?control=0", content=GOOD,
                           headers={"content-type": "text/plain",
                                    "Authorization": f"Bearer {a.tokens[Role.BILLER]}"})
    assert response.status_code == 422
