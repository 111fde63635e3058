"""Issue 6's round trip through the command line on a loaded demo practice: stored encounter ->
claims -> scrub -> 837P -> openrcm's validator and pyx12 with zero errors -> ``openrcm x12
parse`` gives back the same claim data. On SQLite and on PostgreSQL (database_url fixture)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.security.phi import generate_key
from openrcm.services.claim_output import LIVE
from openrcm.store.db import Database
from openrcm.store.models import Claim, Practice
from tests.claims.test_x837 import errors, pyx12_accepts
from tests.store.fixtures import engine_url


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = engine_url(database_url)
    monkeypatch.setenv("OPENRCM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENRCM_DATABASE_URL", url)
    monkeypatch.setenv("OPENRCM_PHI_KEYS", generate_key())
    return url


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _encounters(url: str) -> tuple[str, list[str]]:
    """The first demo practice and the encounters that have live claims, in a stable order."""
    db = Database(url)
    try:
        with db.system() as uow:
            practice = uow.session.scalars(select(Practice).order_by(Practice.name)).first()
            assert practice is not None
            encounters = sorted(set(uow.session.scalars(select(Claim.encounter_id).where(
                Claim.practice_id == practice.id, Claim.state.in_(LIVE)))))
            return practice.id, encounters
    finally:
        db.dispose()


def test_demo_encounters_round_trip_through_837(env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    _ok(runner, "db", "upgrade", "--json")
    _ok(runner, "demo", "load", "--patients", "4", "--json")
    practice, encounters = _encounters(env)
    assert encounters
    checked = 0
    for encounter in encounters[:3]:
        built: list[dict[str, Any]] = json.loads(_ok(
            runner, "claims", "build", "--practice", practice, "--encounter", encounter,
            "--json"))
        assert built and all(c["encounter_id"] == encounter for c in built)
        result = runner.invoke(app, ["claims", "scrub", "--practice", practice, "--encounter",
                                     encounter, "--no-ncci", "--no-icd10cm", "--as-of",
                                     "2026-03-02", "--json"])
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.stdout)
        assert [r["claim_id"] for r in report["reports"]] == [c["claim_id"] for c in built]
        out = tmp_path / f"{encounter}.837"
        _ok(runner, "claims", "export", "--practice", practice, "--encounter", encounter,
            "--format", "837p", "--date", "2026-03-02", "-o", str(out))
        text = out.read_text()
        assert errors(text) == []
        accepted, ack = pyx12_accepts(text, tmp_path)
        assert accepted, ack
        parsed = json.loads(_ok(runner, "x12", "parse", str(out), "--json"))
        assert parsed["errors"] == 0
        (tx,) = parsed["transactions"]
        view = tx["view"]
        assert view["kind"] == "837"
        _same_claims(built, view["value"])
        checked += 1
    pdf = tmp_path / "form.pdf"
    _ok(runner, "claims", "export", "--practice", practice, "--claim", built[0]["claim_id"],
        "--format", "cms1500", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert checked


def _same_claims(built: list[dict[str, Any]], parsed: dict[str, Any]) -> None:
    """The typed 837 view carries what was built (X12 text is upper case): claim id, payer,
    billing NPI and tax id, subscriber or patient, member id, total, diagnoses, and every
    line's code, modifiers, units, charge, pointers and date."""
    by_id = {c["id"]: c for c in parsed["claims"]}
    assert sorted(by_id) == sorted(c["claim_id"].upper() for c in built)
    for claim in built:
        got = by_id[claim["claim_id"].upper()]
        assert got["payer"]["id"] == claim["coverage"]["payer"]["payer_id"]
        assert got["billing_provider"]["entity"]["id"] == claim["billing_provider"]["npi"]
        assert got["billing_provider"]["tax_id"] == claim["billing_provider"]["tax_id"]
        assert got["subscriber"]["entity"]["id"] == claim["coverage"]["member_id"]
        person = got["patient"]["entity"] if got["patient"] else got["subscriber"]["entity"]
        assert person["last"] == claim["patient"]["last_name"].upper()
        assert person["first"] == claim["patient"]["first_name"].upper()
        assert [d["code"] for d in got["diagnoses"]] == [
            d["code"].replace(".", "") for d in claim["diagnoses"]]
        assert Decimal(got["charge"]) == sum(Decimal(ln["charge"]) for ln in claim["lines"])
        assert len(got["lines"]) == len(claim["lines"])
        for line, want in zip(got["lines"], claim["lines"], strict=True):
            assert line["code"] == want["procedure"]
            assert line["modifiers"] == want["modifiers"]
            assert Decimal(line["quantity"]) == Decimal(want["units"])
            assert Decimal(line["charge"]) == Decimal(want["charge"])
            assert line["pointers"] == want["pointers"]
            assert line["service_date"] == want["service_date"].replace("-", "")
