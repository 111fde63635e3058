"""Issue 6's round trip through the command line on a loaded demo practice: stored encounter ->
claims -> scrub -> 837P (office visits) or 837I (the demo hospital's inpatient stay and
emergency visit) -> openrcm's validator and pyx12 with zero errors -> ``openrcm x12 parse``
gives back the same claim data. On SQLite and on PostgreSQL (database_url fixture)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.services.claim_output import LIVE
from openrcm.store.db import Database
from openrcm.store.models import Claim, Encounter, Practice
from tests.claims.test_x837 import errors, pyx12_accepts


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _encounters(url: str) -> tuple[str, list[tuple[str, bool]]]:
    """The first demo practice and the encounters that have live claims, in a stable order,
    each with whether it is a facility encounter (billed on an 837I)."""
    db = Database(url)
    try:
        with db.system() as uow:
            practice = uow.session.scalars(select(Practice).order_by(Practice.name)).first()
            assert practice is not None
            rows = uow.session.execute(
                select(Claim.encounter_id, Encounter.type_of_bill).join(
                    Encounter, Encounter.id == Claim.encounter_id)
                .where(Claim.practice_id == practice.id, Claim.state.in_(LIVE))).all()
            return practice.id, sorted({(e, tob is not None) for e, tob in rows})
    finally:
        db.dispose()


def test_demo_encounters_round_trip_through_837(env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    _ok(runner, "db", "upgrade", "--json")
    _ok(runner, "demo", "load", "--patients", "4", "--json")
    practice, found = _encounters(env)
    office = [e for e, facility in found if not facility]
    hospital = [e for e, facility in found if facility]
    assert office and len(hospital) == 2
    checked = 0
    for encounter in office[:3] + hospital:
        fmt = "837i" if encounter in hospital else "837p"
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
            "--format", fmt, "--date", "2026-03-02", "-o", str(out))
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
        if fmt == "837i":
            assert all(c["kind"] == "institutional" for c in built)
            assert [f["code"] for r in report["reports"] for f in r["findings"]
                    if f["severity"] == "error"] == []
            _same_facility(built, view["value"])
        checked += 1
    for claim_id, form in ((built[0]["claim_id"], "ub04"), (office_claim(env, office[0]),
                                                           "cms1500")):
        pdf = tmp_path / f"{form}.pdf"
        _ok(runner, "claims", "export", "--practice", practice, "--claim", claim_id,
            "--format", form, "-o", str(pdf))
        assert pdf.read_bytes().startswith(b"%PDF")
    assert checked == len(office[:3]) + 2


def office_claim(url: str, encounter: str) -> str:
    """A live claim of a professional demo encounter."""
    db = Database(url)
    try:
        with db.system() as uow:
            claim_id = uow.session.scalars(select(Claim.id).where(
                Claim.encounter_id == encounter, Claim.state.in_(LIVE))).first()
            assert claim_id is not None
            return claim_id
    finally:
        db.dispose()


def _same_facility(built: list[dict[str, Any]], parsed: dict[str, Any]) -> None:
    """The 837I's facility data: type of bill and frequency, CL1, statement and admission
    dates, POA indicators, admitting diagnosis, condition codes, attending and operating
    physicians and every line's revenue code."""
    by_id = {c["id"]: c for c in parsed["claims"]}
    for claim in built:
        got, inst = by_id[claim["claim_id"].upper()], claim["institutional"]
        assert got["facility_code"] + got["frequency"] == inst["type_of_bill"][1:]
        assert (got["admission_type"], got["admission_source"], got["patient_status"]) == (
            inst["admission_type"], inst["admission_source"], inst["patient_status"])
        dates = got["dates"]
        assert dates["434"] == "-".join(inst[k].replace("-", "")
                                        for k in ("statement_from", "statement_to"))
        if inst["admission_date"]:  # the demo stay has an occurrence and a value code
            assert inst["occurrences"] and inst["values"]
            assert dates["435"] == (inst["admission_date"].replace("-", "")
                                    + inst["admission_hour"].ljust(4, "0"))
        poa = [d["poa"] for d in got["diagnoses"] if d["qualifier"] != "ABJ"]
        assert poa == [d["poa"] for d in claim["diagnoses"]]
        admitting = [d["code"] for d in got["diagnoses"] if d["qualifier"] == "ABJ"]
        assert admitting == ([inst["admitting_diagnosis"]] if inst["admitting_diagnosis"]
                             else [])
        assert [c["code"] for c in got["other_codes"] if c["qualifier"] == "BG"] == inst[
            "condition_codes"]
        coded = {q: [c for c in got["other_codes"] if c["qualifier"] == q]
                 for q in ("BH", "BI", "BE")}
        assert [(c["code"], c["date"]) for c in coded["BH"]] == [
            (o["code"], o["on"].replace("-", "")) for o in inst["occurrences"]]
        assert [(c["code"], c["date"]) for c in coded["BI"]] == [
            (o["code"], "-".join(o[k].replace("-", "") for k in ("start", "end")))
            for o in inst["occurrence_spans"]]
        assert [(c["code"], Decimal(c["amount"])) for c in coded["BE"]] == [
            (v["code"], Decimal(v["amount"])) for v in inst["values"]]
        doctors = {p["entity"]: p["id"] for p in got["providers"]}
        assert doctors.get("71") == inst["attending"]["npi"]
        assert doctors.get("72") == (inst["operating"] or {}).get("npi")
        assert [ln["revenue_code"] for ln in got["lines"]] == [
            ln["revenue_code"] for ln in claim["lines"]]


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
        assert [d["code"] for d in got["diagnoses"] if d["qualifier"] != "ABJ"] == [
            d["code"].replace(".", "") for d in claim["diagnoses"]]
        assert Decimal(got["charge"]) == sum(Decimal(ln["charge"]) for ln in claim["lines"])
        assert len(got["lines"]) == len(claim["lines"])
        for line, want in zip(got["lines"], claim["lines"], strict=True):
            assert line["code"] == want["procedure"]
            assert line["modifiers"] == want["modifiers"]
            assert Decimal(line["quantity"]) == Decimal(want["units"])
            assert Decimal(line["charge"]) == Decimal(want["charge"])
            assert line["pointers"] == want["pointers"]
            inpatient = claim["kind"] == "institutional" and claim["institutional"][
                "admission_date"]  # an inpatient 837I has no line dates (claim-level 434)
            assert line["service_date"] == ("" if inpatient else
                                            want["service_date"].replace("-", ""))
