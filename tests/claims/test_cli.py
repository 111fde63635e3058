"""``openrcm claims build|scrub|export`` over JSON files."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from openrcm.claims.builder import Charge, ClaimContext, Encounter
from openrcm.claims.jsonio import to_json
from openrcm.claims.model import ClaimKind, Diagnosis
from openrcm.cli.claims import claims_app
from openrcm.x12.parser import parse
from tests.claims.factories import BILLING, COVERAGE, DOS, PATIENT, RENDERING, claim, institutional

RUN = CliRunner()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_build_then_scrub_then_export(tmp_path: Path) -> None:
    ctx = ClaimContext(
        practice="Maple",
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        patient=PATIENT,
        coverages=(COVERAGE,),
        encounter=Encounter("ENC5", ClaimKind.PROFESSIONAL),
        diagnoses=(Diagnosis("E11.9"),),
        charges=(Charge("L1", "99213", Decimal("120.00"), DOS, diagnoses=("E11.9",)),),
    )
    src = write(tmp_path, "ctx.json", to_json(ctx))
    out = tmp_path / "claims.json"
    res = RUN.invoke(claims_app, ["build", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "ENC5: 1 lines" in res.output
    res = RUN.invoke(
        claims_app,
        ["scrub", str(out), "--as-of", "2025-03-20", "--no-ncci", "--no-icd10cm", "--json"],
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["clean"] == 1 and report["reports"][0]["claim_id"] == "ENC5"
    x12 = tmp_path / "out.837"
    res = RUN.invoke(
        claims_app,
        [
            "export",
            str(out),
            "--format",
            "837p",
            "-o",
            str(x12),
            "--last-control",
            "41",
            "--sender",
            "MAPLE01",
            "--receiver",
            "CLEARHOUSE",
            "--submitter-phone",
            "5555551234",
            "--test",
            "--json",
            "--date",
            "2025-03-20",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["control_number"] == 42
    doc = parse(x12.read_text())
    assert [f for f in doc.all_findings() if f.severity == "error"] == []
    pdf = tmp_path / "form.pdf"
    res = RUN.invoke(
        claims_app, ["export", str(out), "--format", "cms1500", "-o", str(pdf), "--review"]
    )
    assert res.exit_code == 0, res.output
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_scrub_exit_codes_and_text(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", [to_json(claim()), to_json(claim(claim_id=""))])
    res = RUN.invoke(
        claims_app, ["scrub", str(bad), "--as-of", "2025-03-20", "--no-ncci", "--no-icd10cm"]
    )
    assert res.exit_code == 1
    assert "CLM-ID-FORMAT" in res.output and "1/2 clean" in res.output


def test_bad_input_says_where(tmp_path: Path) -> None:
    raw = to_json(claim())
    raw["lines"][0]["charge"] = 12.5
    path = write(tmp_path, "c.json", raw)
    res = RUN.invoke(claims_app, ["scrub", str(path), "--no-ncci", "--no-icd10cm"])
    assert res.exit_code == 2
    assert "claim 1: lines[0].charge: expected an amount as a string" in res.output
    notjson = tmp_path / "x.json"
    notjson.write_text("{")
    res = RUN.invoke(claims_app, ["scrub", str(notjson), "--no-ncci", "--no-icd10cm"])
    assert res.exit_code == 2 and "not JSON" in res.output
    inst = write(tmp_path, "i.json", to_json(institutional()))
    res = RUN.invoke(
        claims_app, ["export", str(inst), "--format", "837p", "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 2 and "use --format 837i" in res.output
    res = RUN.invoke(
        claims_app, ["export", str(inst), "--format", "837i", "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 2 and "needs --sender, --receiver, --submitter-phone" in res.output
