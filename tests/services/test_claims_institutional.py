"""A facility encounter registered through the API (type of bill, admission and discharge,
attending and operating physicians, diagnoses with POA, revenue-coded charges with their own
days, condition, occurrence, occurrence span and value codes) becomes an institutional claim:
scrubbed, written as an 837I that openrcm's validator and pyx12 accept and the typed view
reads back, and printed on a UB-04. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from openrcm.claims.forms import ub04_pages
from openrcm.claims.model import (
    ClaimKind,
    Frequency,
    Occurrence,
    OccurrenceSpan,
    ValueCode,
)
from openrcm.claims.scrub import scrubber
from openrcm.payers.adapter import EnrollmentStatus, InboundFile, OutboundFile, SubmitReceipt
from openrcm.security.roles import Role
from openrcm.services import claim_output, claims, payer_loop, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.bootstrap import Runtime
from openrcm.services.claim_states import ClaimState
from openrcm.services.errors import InvalidInput
from openrcm.x12.parser import parse
from openrcm.x12.views.claim import claim_file_of
from tests.api.world import Tenant, admin_ctx
from tests.claims.test_x837 import errors, pyx12_accepts

ADMITTED = date(2026, 1, 10)
CHARGES = (("0120", "", 2, "2400.00"), ("0300", "80053", 1, "45.00"),
           ("0250", "", 3, "61.20"))
LAB_DAY = date(2026, 1, 11)
"""The lab charge's own service date (the others take the admission date)."""
CODES = {"occurrence_codes": [{"code": "11", "on": "2026-01-08"}],
         "occurrence_spans": [{"code": "74", "from_date": "2026-01-11",
                               "through_date": "2026-01-12"}],
         "value_codes": [{"code": "01", "amount": "1200.00"}, {"code": "80", "amount": "2.00"}]}


def _post(client: TestClient, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (200, 201), response.text
    data: dict[str, Any] = response.json()
    return data


def _facility(client: TestClient, a: Tenant) -> tuple[str, str]:
    """Register a hospital, its doctors and an inpatient stay with charges; bill it.
    Returns the encounter id and the claim id."""
    base = f"/api/practices/{a.practice_id}"
    admin, coder = a.tokens[Role.ADMIN], a.tokens[Role.CODER]
    location = _post(client, admin, f"{base}/locations", {
        "name": "Test Hospital", "address_line1": "9 Care Way", "city": "Springfield",
        "state": "IL", "postal_code": "627019876", "place_of_service": "21"})
    hospital = _post(client, admin, f"{base}/providers", {
        "kind": "organization", "npi": "1245319599", "organization_name": "Test Hospital",
        "taxonomy": "282N00000X", "tax_id": "376543210"})
    surgeon = _post(client, admin, f"{base}/providers", {
        "kind": "individual", "npi": "1679576722", "first_name": "Rafa", "last_name": "Cut",
        "taxonomy": "208600000X"})
    encounter = _post(client, admin, f"{base}/encounters", {
        "patient_id": a.ids["patient"], "location_id": location["id"],
        "date_of_service": ADMITTED.isoformat(), "place_of_service": "21",
        "setting": "inpatient", "rendering_provider_id": a.ids["provider"],
        "billing_provider_id": hospital["id"], "type_of_bill": "111",
        "admission_date": ADMITTED.isoformat(), "admission_hour": "0815",
        "admission_type": "2", "admission_source": "1", "discharge_date": "2026-01-12",
        "discharge_hour": "11", "patient_status": "01",
        "attending_provider_id": a.ids["provider"], "operating_provider_id": surgeon["id"],
        "admitting_diagnosis": "R10.9", "condition_codes": ["01", "A1"], **CODES})
    assert encounter["type_of_bill"] == "0111"
    assert encounter["condition_codes"] == ["01", "A1"]
    assert {k: encounter[k] for k in CODES} == CODES
    eid = encounter["id"]
    for sequence, (code, poa) in enumerate((("K35.80", "Y"), ("E11.9", "Y"), ("L03.311", "N")),
                                           start=1):
        _post(client, coder, f"{base}/encounters/{eid}/diagnoses",
              {"code": code, "sequence": sequence, "poa": poa})
    for revenue, code, units, fee in CHARGES:
        dated = {"service_date": LAB_DAY.isoformat()} if revenue == "0300" else {}
        charge = _post(client, admin, f"{base}/encounters/{eid}/charges", {
            "code": code, "revenue_code": revenue, "units": units, "fee": fee, **dated})
        assert charge["revenue_code"] == revenue
        assert charge["service_date"] == dated.get("service_date")
        _post(client, admin, f"{base}/encounters/{eid}/charges/{charge['id']}/finalize", {})
    claim = _post(client, a.tokens[Role.BILLER], f"{base}/claims",
                  {"encounter_id": eid, "coverage_id": a.ids["coverage"]})
    assert [ln["revenue_code"] for ln in claim["lines"]] == [c[0] for c in CHARGES]
    return eid, claim["id"]


def test_facility_encounter_to_837i_and_ub04(client: TestClient, rt: Runtime,
                                             world: tuple[Tenant, Tenant],
                                             tmp_path: Path) -> None:
    a, _ = world
    encounter_id, claim_id = _facility(client, a)
    ctx = admin_ctx(rt, a)
    (claim,) = claim_output.claims_of(ctx, encounter_id=encounter_id)
    inst = claim.institutional
    assert claim.kind is ClaimKind.INSTITUTIONAL and inst is not None
    assert claim.claim_id == claim_id and claim.frequency is Frequency.ORIGINAL
    assert inst.type_of_bill == "0111" and inst.admission_date == ADMITTED
    assert (inst.admission_hour, inst.admission_type, inst.admission_source) == ("0815", "2", "1")
    assert (inst.discharge_hour, inst.patient_status) == ("11", "01")
    assert (inst.statement_from, inst.statement_to) == (ADMITTED, date(2026, 1, 12))
    assert inst.attending is not None and inst.attending.npi == "1234567893"
    assert inst.operating is not None and inst.operating.name == "Cut"
    assert inst.admitting_diagnosis == "R109" and inst.condition_codes == ("01", "A1")
    assert [(d.code, d.poa) for d in claim.diagnoses] == [
        ("K3580", "Y"), ("E119", "Y"), ("L03311", "N")]
    assert [(ln.revenue_code, ln.procedure, ln.units, ln.charge, ln.pointers)
            for ln in claim.lines] == [(r, c, Decimal(u), Decimal(f), ())
                                       for r, c, u, f in CHARGES]
    assert [ln.service_date for ln in claim.lines] == [ADMITTED, LAB_DAY, ADMITTED]
    assert inst.occurrences == (Occurrence("11", date(2026, 1, 8)),)
    assert inst.occurrence_spans == (OccurrenceSpan("74", LAB_DAY, date(2026, 1, 12)),)
    assert inst.values == (ValueCode("01", Decimal("1200.00")), ValueCode("80", Decimal(2)))
    assert claim.billing_provider.is_organization and claim.billing_provider.address is not None
    assert claim.billing_provider.address.zip == "627019876"

    report = claim_output.scrub(ctx, scrubber(), claim_output.ScrubIn(
        encounter_id=encounter_id, as_of=date(2026, 1, 20)))
    assert [f.code for r in report.claims for f in r.findings if f.severity == "error"] == []

    data, media, name = claim_output.export(ctx, claim_output.ExportIn(
        format="837i", encounter_id=encounter_id, on=date(2026, 1, 20)))
    text = data.decode()
    assert media == "application/edi-x12" and name == "837I-000000001.x12"
    assert errors(text) == []
    accepted, ack = pyx12_accepts(text, tmp_path)
    assert accepted, ack
    (tx,) = list(parse(text).transactions())
    view = claim_file_of(tx)
    (read,) = view.claims
    assert view.kind == "institutional" and read.id == claim_id.upper()
    assert (read.facility_code, read.frequency) == ("11", "1")
    assert (read.admission_type, read.admission_source, read.patient_status) == ("2", "1", "01")
    assert read.dates == {"096": "1100", "434": "20260110-20260112", "435": "202601100815"}
    assert [(d.qualifier, d.code, d.poa) for d in read.diagnoses] == [
        ("ABK", "K3580", "Y"), ("ABJ", "R109", ""), ("ABF", "E119", "Y"), ("ABF", "L03311", "N")]
    assert [c.code for c in read.other_codes if c.qualifier == "BG"] == ["01", "A1"]
    assert [(c.qualifier, c.code, c.date, c.amount) for c in read.other_codes
            if c.qualifier != "BG"] == [("BI", "74", "20260111-20260112", None),
                                        ("BH", "11", "20260108", None),
                                        ("BE", "01", "", Decimal(1200)),
                                        ("BE", "80", "", Decimal(2))]
    assert {(e.entity, e.id) for e in read.providers} == {("71", "1234567893"),
                                                           ("72", "1679576722")}
    assert [(ln.revenue_code, ln.code, ln.charge) for ln in read.lines] == [
        (r, c, Decimal(f)) for r, c, _, f in CHARGES]

    (page,) = ub04_pages(claim, date(2026, 1, 20))
    assert (page.boxes["31a.code"], page.boxes["31a.date"]) == ("11", "010826")
    assert (page.boxes["35a.code"], page.boxes["35a.from"]) == ("74", "011126")
    assert [(page.boxes[f"{b}a.code"], page.boxes[f"{b}a.amount"]) for b in ("39", "40")] == [
        ("01", "1200 00"), ("80", "2 00")]
    assert [row["45"] for row in page.lines] == ["011026", "011126", "011026"]
    pdf, media, name = claim_output.export(ctx, claim_output.ExportIn(
        format="ub04", claim_id=claim_id, review=True))
    assert media == "application/pdf" and pdf.startswith(b"%PDF")
    assert name == f"UB04-{claim_id}.pdf"


def test_format_must_fit_the_claim_kind(client: TestClient, rt: Runtime,
                                        world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    encounter_id, _ = _facility(client, a)
    ctx = admin_ctx(rt, a)
    for fmt, other in (("837p", "837i"), ("cms1500", "ub04")):
        with pytest.raises(InvalidInput, match=f"facility claim: export it as {other}"):
            claim_output.export(ctx, claim_output.ExportIn(format=fmt,
                                                           encounter_id=encounter_id))
    with pytest.raises(InvalidInput, match="professional claim: export it as 837p"):
        claim_output.export(ctx, claim_output.ExportIn(format="837i",
                                                       encounter_id=a.ids["encounter"]))
    response = client.post(f"/api/practices/{a.practice_id}/claims/export",
                           json={"format": "ub04", "encounter_id": encounter_id},
                           headers={"Authorization": f"Bearer {a.tokens[Role.BILLER]}"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_outpatient_series_lines_carry_their_own_days(rt: Runtime, world: tuple[Tenant, Tenant],
                                                      tmp_path: Path) -> None:
    """An outpatient facility claim over several days (TOB 0131) sends each line's own day
    (DTP*472) and the statement period through the last one."""
    a, _ = world
    ctx = admin_ctx(rt, a)
    hospital = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="organization", npi="1245319599", organization_name="Test Hospital",
        taxonomy="282N00000X", tax_id="376543210"))
    location = records.create(ctx, p.LOCATIONS, s.LocationIn(
        name="Test Hospital", address_line1="9 Care Way", city="Springfield", state="IL",
        postal_code="627019876", place_of_service="22"))
    visit = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
        patient_id=a.ids["patient"], location_id=location.id, date_of_service=ADMITTED,
        place_of_service="22", rendering_provider_id=a.ids["provider"],
        billing_provider_id=hospital.id, type_of_bill="0131", patient_status="01",
        discharge_date=date(2026, 1, 14), attending_provider_id=a.ids["provider"]))
    records.create(ctx, p.DIAGNOSES, s.DiagnosisIn(code="M54.50", sequence=1),
                   parent_id=visit.id)
    days = (ADMITTED, date(2026, 1, 12), date(2026, 1, 14))
    for day in days:
        charge = records.create(ctx, p.CHARGES, s.ChargeIn(
            code="97110", revenue_code="0420", fee=Decimal("95.00"), service_date=day),
            parent_id=visit.id)
        p.finalize_charge(ctx, visit.id, charge.id)
    claim = claims.create_claim(ctx, claims.ClaimIn(encounter_id=visit.id,
                                                    coverage_id=a.ids["coverage"]))
    (value,) = claim_output.claims_of(ctx, claim_id=claim.id)
    assert [ln.service_date for ln in value.lines] == list(days)
    data, _, _ = claim_output.export(ctx, claim_output.ExportIn(
        format="837i", claim_id=claim.id, on=date(2026, 1, 20)))
    text = data.decode()
    assert errors(text) == []
    accepted, ack = pyx12_accepts(text, tmp_path)
    assert accepted, ack
    (tx,) = list(parse(text).transactions())
    (read,) = claim_file_of(tx).claims
    assert [ln.service_date for ln in read.lines] == [d.strftime("%Y%m%d") for d in days]
    assert read.dates is not None and read.dates["434"] == "20260110-20260114"


def test_facility_input_is_checked(rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    ctx = admin_ctx(rt, a)
    fields: dict[str, Any] = {"patient_id": a.ids["patient"], "date_of_service": ADMITTED,
                              "rendering_provider_id": a.ids["provider"],
                              "billing_provider_id": a.ids["provider"], "type_of_bill": "0111"}
    for bad in ({"discharge_date": date(2026, 1, 9)}, {"admission_hour": "25"},
                {"type_of_bill": "0911"}, {"condition_codes": ["1"]},
                {"admitting_diagnosis": "XYZ"},
                {"occurrence_codes": [{"code": "70", "on": ADMITTED}]},  # a span code
                {"occurrence_codes": [{"code": "1", "on": ADMITTED}]},
                {"occurrence_codes": [{"code": "11"}]},
                {"occurrence_spans": [{"code": "11", "from_date": ADMITTED,
                                       "through_date": ADMITTED}]},  # an occurrence code
                {"occurrence_spans": [{"code": "74", "from_date": ADMITTED,
                                       "through_date": date(2026, 1, 9)}]},
                {"value_codes": [{"code": "00", "amount": "1.00"}]},
                {"value_codes": [{"code": "01", "amount": "1.005"}]},
                {"value_codes": [{"code": "01", "amount": "-1.00"}]},
                {"value_codes": [{"code": "01", "amount": "1.00"}] * 13}):
        with pytest.raises(ValidationError):
            s.EncounterIn(**(fields | bad))
    organization = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="organization", npi="1245319599", organization_name="Org"))
    with pytest.raises(InvalidInput, match="attending_provider_id must name an individual"):
        records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
            **fields, attending_provider_id=organization.id))
    with pytest.raises(ValidationError, match="procedure code, a revenue code or both"):
        s.ChargeIn(code="")
    with pytest.raises(InvalidInput, match="revenue code only needs its fee"):
        records.create(ctx, p.CHARGES, s.ChargeIn(revenue_code="0250"),
                       parent_id=a.ids["encounter"])
    stay = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
        **fields, discharge_date=date(2026, 1, 12)))
    records.create(ctx, p.DIAGNOSES, s.DiagnosisIn(code="J18.9", sequence=1),
                   parent_id=stay.id)
    for outside in (date(2026, 1, 9), date(2026, 1, 13)):
        with pytest.raises(InvalidInput, match="service_date is outside the encounter"):
            records.create(ctx, p.CHARGES, s.ChargeIn(
                revenue_code="0250", fee=Decimal(1), service_date=outside), parent_id=stay.id)



class _Outbox:
    """An adapter that keeps what it is sent."""

    name = "outbox"

    def __init__(self) -> None:
        self.sent: list[OutboundFile] = []

    def submit(self, batch: OutboundFile) -> SubmitReceipt:
        self.sent.append(batch)
        return SubmitReceipt(batch.name, str(len(self.sent)))

    def fetch(self) -> list[InboundFile]:
        return []

    def enrollment(self, payer_id: str, transaction: str) -> EnrollmentStatus:
        return EnrollmentStatus.ENROLLED


def test_submit_sends_facility_claims_as_their_own_837i_batch(
        client: TestClient, rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    _, facility_claim = _facility(client, a)
    ctx = admin_ctx(rt, a)
    for claim_id in (a.ids["claim"], facility_claim):
        claims.transition_claim(ctx, claim_id, claims.TransitionIn(to_state=ClaimState.READY))
    outbox = _Outbox()
    first = payer_loop.submit(ctx, outbox)
    second = payer_loop.submit(ctx, outbox)
    assert first is not None and second is not None
    assert (first.claims, second.claims) == ([a.ids["claim"]], [facility_claim])
    assert [f.name[:5] for f in outbox.sent] == ["837P-", "837I-"]
    text = outbox.sent[1].content.decode()
    assert "005010X223A2" in text and "SV2*0120" in text and errors(text) == []
    assert payer_loop.submit(ctx, outbox) is None


def _adjudicate(ctx: Any, claim_id: str, control: str) -> None:
    for state in (ClaimState.READY, ClaimState.SUBMITTED, ClaimState.ACCEPTED_999,
                  ClaimState.ACCEPTED_277CA):
        claims.transition_claim(ctx, claim_id, claims.TransitionIn(to_state=state))
    claims.transition_claim(ctx, claim_id, claims.TransitionIn(
        to_state=ClaimState.ADJUDICATED_PAID, payer_claim_control_number=control))


def test_replacement_claims_carry_frequency_and_payer_control_number(
        client: TestClient, rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """A frequency-7 claim goes out as such (CLM05-3 7, REF*F8; type of bill 0117 on the
    facility claim), professional and institutional alike."""
    a, _ = world
    facility_encounter, facility_claim = _facility(client, a)
    ctx = admin_ctx(rt, a)
    for encounter, original, control, tob in (
            (a.ids["encounter"], a.ids["claim"], "PCN100", ""),
            (facility_encounter, facility_claim, "PCN200", "0117")):
        _adjudicate(ctx, original, control)
        replacement = claims.create_claim(ctx, claims.ClaimIn(
            encounter_id=encounter, coverage_id=a.ids["coverage"], frequency_code="7",
            replaces_claim_id=original))
        (value,) = claim_output.claims_of(ctx, claim_id=replacement.id)
        assert value.frequency is Frequency.REPLACEMENT
        assert value.payer_claim_control_number == control
        if tob:
            assert value.institutional is not None and value.institutional.type_of_bill == tob
        data, _, _ = claim_output.export(ctx, claim_output.ExportIn(
            format="837i" if tob else "837p", claim_id=replacement.id, on=date(2026, 1, 20)))
        text = data.decode()
        assert f"REF*F8*{control}~" in text and errors(text) == []
