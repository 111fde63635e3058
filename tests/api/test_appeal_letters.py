"""The appeal letter route returns a PDF with the claim's facts (text read back by pdftotext)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from openrcm.security.roles import Role
from tests.api.world import Tenant
from tests.services.test_appeals import pdf_text


def test_appeal_letter_is_a_pdf_of_the_denial(client: TestClient, world: tuple[Tenant, Tenant],
                                              tmp_path: Path) -> None:
    a, _ = world
    response = client.get(
        f"/api/practices/{a.practice_id}/payer-loop/appeal-letters/{a.ids['denial_item']}",
        headers={"Authorization": f"Bearer {a.tokens[Role.BILLER]}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    assert f"Claim: {a.ids['claim']}" in text
    assert "CO-50" in text and "Request for reconsideration" in text
    assert "Payer claim number: (not assigned)" in text


def test_appeal_letter_of_a_follow_up_item_is_refused(client: TestClient,
                                                      world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    response = client.get(
        f"/api/practices/{a.practice_id}/payer-loop/appeal-letters/{a.ids['work_item']}",
        headers={"Authorization": f"Bearer {a.tokens[Role.BILLER]}"})
    assert response.status_code == 422
    assert "only denials have appeal letters" in response.text
