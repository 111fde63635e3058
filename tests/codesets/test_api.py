"""GET /codes/icd10cm/... through TestClient: models, problem+json errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openrcm.api.codes import get_settings, router
from openrcm.config import Settings


@pytest.fixture(scope="module")
def client(codeset_home: Path) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=codeset_home, database_url="sqlite://", phi_keys=())
    return TestClient(app)


def test_search(client: TestClient) -> None:
    res = client.get("/codes/icd10cm/search", params={"q": "dm2 with ckd", "date": "2026-03-01"})
    assert res.status_code == 200
    body = res.json()
    assert body["release"] == "FY2026"
    assert body["hits"][0]["code"] == "E11.22"
    assert body["hits"][0]["matched"].startswith("index:")


def test_show(client: TestClient) -> None:
    res = client.get("/codes/icd10cm/S09.90XA", params={"date": "2025-06-01"})
    assert res.status_code == 200
    body = res.json()
    assert body["billable"] and body["release"] == "FY2025"
    assert body["parents"][-1]["code"] == "S09.90"
    assert body["valid_to"] == "2026-09-30"


def test_validate(client: TestClient) -> None:
    res = client.get("/codes/icd10cm/validate",
                     params=[("code", "E11.22"), ("code", "E11.2"), ("code", "XYZ"),
                             ("date", "2026-03-01")])
    assert res.status_code == 200
    statuses = [(r["code"], r["status"], r["ok"]) for r in res.json()["results"]]
    assert statuses == [("E11.22", "billable", True), ("E11.2", "not-billable", False),
                        ("XYZ", "invalid", False)]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/codes/icd10cm/E11.99", {}, 404, "ICD10CM-UNKNOWN"),
        ("/codes/icd10cm/E1-1", {}, 422, "ICD10CM-MALFORMED"),
        ("/codes/icd10cm/E11.22", {"date": "2019-01-01"}, 422, "ICD10CM-DATE-OUTSIDE-RELEASES"),
        ("/codes/icd10cm/E11.22", {"date": "tomorrow"}, 422, "ICD10CM-BAD-DATE"),
        ("/codes/icd10cm/search", {"q": " "}, 422, "ICD10CM-EMPTY-QUERY"),
        ("/codes/icd10cm/validate", {"code": "E11.22", "date": "2040-01-01"}, 422,
         "ICD10CM-DATE-OUTSIDE-RELEASES"),
    ],
)
def test_errors_are_problem_json(
    client: TestClient, path: str, params: dict[str, str], status: int, code: str
) -> None:
    res = client.get(path, params=params)
    assert res.status_code == status
    assert res.headers["content-type"].startswith("application/problem+json")
    body = res.json()
    assert body["code"] == code and body["status"] == status and body["detail"]


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/codes/icd10cm/search", "/codes/icd10cm/validate", "/codes/icd10cm/{code}"} <= set(
        paths)
    assert "404" in paths["/codes/icd10cm/{code}"]["get"]["responses"]
