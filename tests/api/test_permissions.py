"""Evidence: the permission matrix (every role x every endpoint), tenant isolation on every
endpoint, and an audit record for every PHI read, on SQLite and PostgreSQL.

Cases are generated from the application's OpenAPI route table: a new endpoint without an
entry in tests/api/routes.py fails ``test_every_route_is_in_the_table``.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from openrcm.security.roles import Role, allowed
from openrcm.services.bootstrap import Runtime
from openrcm.store.models import AuditEventRow
from tests.api.routes import EXPECTED, body, practice_operations, url
from tests.api.world import Tenant


def _call(client: TestClient, method: str, target: str, token: str,
          payload: dict[str, Any] | None) -> Any:
    return client.request(method.upper(), target, json=payload,
                          headers={"Authorization": f"Bearer {token}"})


def _ordered() -> list[tuple[str, str]]:
    """Reads first, then writes, deletes last (so deletes do not starve later cases)."""
    rank = {"get": 0, "post": 1, "put": 2, "delete": 3}
    return sorted(EXPECTED, key=lambda op: (rank[op[0]], op[1]))


def test_every_route_is_in_the_table(client: TestClient) -> None:
    """The expected-permission table and the live route table list the same operations."""
    live = practice_operations(client.app.openapi())  # type: ignore[attr-defined]
    assert live == set(EXPECTED), (
        f"untested routes: {sorted(live - set(EXPECTED))}; "
        f"stale entries: {sorted(set(EXPECTED) - live)}")


def test_permission_matrix(client: TestClient, world: tuple[Tenant, Tenant]) -> None:
    """Each role gets 403 exactly where its permissions do not reach, and never a 5xx."""
    a, _ = world
    wrong: list[str] = []
    for method, path in _ordered():
        permission, _ = EXPECTED[(method, path)]
        for role in Role:
            response = _call(client, method, url(path, a.practice_id, a.ids), a.tokens[role],
                             body(method, path, a.ids))
            may = permission is None or allowed([role], permission)
            if response.status_code >= 500:
                wrong.append(f"{role} {method} {path}: {response.status_code}")
            elif may and response.status_code == 403:
                wrong.append(f"{role} {method} {path}: 403 but role has {permission}")
            elif not may and (response.status_code != 403
                              or response.json()["code"] != "forbidden"):
                wrong.append(f"{role} {method} {path}: {response.status_code}, expected 403")
    assert wrong == []


def test_other_practice_is_not_found_on_every_endpoint(client: TestClient,
                                                       world: tuple[Tenant, Tenant]) -> None:
    """A's admin naming practice B, or B's records under A, gets 404; lists never leak B."""
    a, b = world
    admin = a.tokens[Role.ADMIN]
    leaks: list[str] = []
    b_ids = set(b.ids.values())
    for method, path in _ordered():
        # 1. practice B in the path: B's existence is not even confirmed
        response = _call(client, method, url(path, b.practice_id, b.ids), admin,
                         body(method, path, b.ids))
        if response.status_code != 404:
            leaks.append(f"B path {method} {path}: {response.status_code}")
        # 2. practice A in the path, B's record ids in path and body
        response = _call(client, method, url(path, a.practice_id, b.ids), admin,
                         body(method, path, b.ids))
        has_ids = "{" in path.replace("{practice_id}", "")
        if has_ids and response.status_code not in (404, 422):
            leaks.append(f"B ids {method} {path}: {response.status_code}")
        if response.status_code < 300 and any(i in response.text for i in b_ids):
            leaks.append(f"B data in {method} {path}")
    assert leaks == []


def test_every_phi_read_is_audited(client: TestClient, world: tuple[Tenant, Tenant],
                                   rt: Runtime) -> None:
    """Every endpoint that reads PHI appends a phi=True audit event naming who and what."""
    a, _ = world
    token = a.tokens[Role.AUDITOR]
    missing: list[str] = []
    for (method, path), (_, phi) in sorted(EXPECTED.items()):
        if not phi:
            continue
        with rt.db.uow(None) as uow:
            before = uow.session.scalar(select(func.max(AuditEventRow.seq))) or 0
        response = _call(client, method, url(path, a.practice_id, a.ids), token,
                         body(method, path, a.ids))
        assert response.status_code == 200, (path, response.text)
        with rt.db.uow(None) as uow:
            events = list(uow.session.scalars(select(AuditEventRow).where(
                AuditEventRow.seq > before)))
            if not any(e.phi and e.actor == a.users[Role.AUDITOR]
                       and e.practice_id == a.practice_id for e in events):
                missing.append(f"{method} {path}")
    assert missing == []
