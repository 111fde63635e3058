"""The /api/claims tools: build, scrub and export over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from openrcm.api.app import create_app
from openrcm.api.dependencies import principal
from openrcm.claims.builder import Charge, ClaimContext, Encounter
from openrcm.claims.jsonio import to_json
from openrcm.claims.model import ClaimKind, Diagnosis
from openrcm.claims.scrub import scrubber
from tests.claims.factories import (
    BILLING,
    COVERAGE,
    DOS,
    PATIENT,
    RENDERING,
    claim,
    institutional,
    line,
)

RULES = """
pack: t
rules:
  - id: T-NO-81002
    payers: [ACME1]
    kind: not_covered
    codes: ["81002"]
"""


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app()
    app.state.claims_scrubber = scrubber()
    app.dependency_overrides[principal] = lambda: object()
    with TestClient(app) as c:
        yield c


def test_signed_out_callers_are_refused() -> None:
    app = create_app()
    app.state.claims_scrubber = scrubber()
    with TestClient(app) as c:
        assert c.post("/api/claims/scrub", json=to_json(claim())).status_code == 401


def test_build(client: TestClient) -> None:
    ctx = ClaimContext(
        practice="Maple",
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        patient=PATIENT,
        coverages=(COVERAGE,),
        encounter=Encounter("ENC8", ClaimKind.PROFESSIONAL),
        diagnoses=(Diagnosis("E11.9"),),
        charges=tuple(Charge(f"L{i}", "99213", Decimal("50.00"), DOS) for i in range(8)),
    )
    res = client.post("/api/claims/build", params={"max_lines": 6}, json=to_json(ctx))
    assert res.status_code == 200, res.text
    assert [c["claim_id"] for c in res.json()] == ["ENC8-1", "ENC8-2"]
    res = client.post("/api/claims/build", params={"bill_to": "S"}, json=to_json(ctx))
    assert res.status_code == 422 and "no secondary coverage" in res.text


def test_scrub_with_and_without_rule_pack(client: TestClient) -> None:
    body = [to_json(claim()), to_json(claim(claim_id="", lines=(line("99214"),)))]
    res = client.post("/api/claims/scrub", params={"as_of": "2025-03-20"}, json=body)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["clean"] == 1 and data["by_edit"] == {"CLM-ID-FORMAT": 1}
    res = client.post(
        "/api/claims/scrub",
        params={"as_of": "2025-03-20", "rule_pack": RULES},
        json=to_json(claim()),
    )
    assert res.json()["by_edit"] == {"PAYER-T-NO-81002": 1}
    res = client.post("/api/claims/scrub", params={"rule_pack": "pack: x"}, json=to_json(claim()))
    assert res.status_code == 422 and "rules" in res.text
    bad = to_json(claim())
    bad["lines"][0]["service_date"] = "03/10/2025"
    res = client.post("/api/claims/scrub", json=bad)
    assert res.status_code == 422 and "claims[0]: lines[0].service_date" in res.text


def test_export(client: TestClient) -> None:
    res = client.post(
        "/api/claims/export/837p",
        params={
            "last_control": 7,
            "on": "2025-03-20",
            "sender": "MAPLE01",
            "receiver": "CLEARHOUSE",
            "submitter_phone": "5555551234",
        },
        json=to_json(claim()),
    )
    assert res.status_code == 200, res.text
    assert res.headers["x-control-number"] == "8" and res.text.startswith("ISA*")
    res = client.post("/api/claims/export/ub04", json=to_json(institutional()))
    assert res.status_code == 200 and res.content.startswith(b"%PDF-")
    res = client.post("/api/claims/export/837i", json=to_json(claim()))
    assert res.status_code == 422 and "needs sender" in res.text
    ids = {"sender": "S1", "receiver": "R1", "submitter_phone": "5555551234"}
    res = client.post("/api/claims/export/837i", params=ids, json=to_json(claim()))
    assert res.status_code == 422 and "institutional" in res.text
