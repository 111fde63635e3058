"""The demo practice's facility side: a hospital billing an inpatient stay and an emergency
visit on institutional claims (837I / UB-04).

Everything is synthetic and fixed (no random draws), so the rest of the demo data stays what
it was: a hospital location and organisation provider (billing ZIP+4, as the 837I requires),
a hospitalist and a surgeon, one patient with a commercial plan, and two encounters with
claims left in draft:

- a three-day inpatient stay (type of bill 0111): admission date, hour, type and point of
  origin, discharge hour and status, attending and operating physicians, admitting
  diagnosis, four diagnoses with present-on-admission indicators (one acquired in the
  hospital), an occurrence code (11, onset of symptoms two days before admission), a value
  code (01, the semi-private room rate), revenue-coded room and board, pharmacy, lab, imaging
  and emergency lines, the lab and pharmacy on the day after admission;
- an outpatient emergency visit (type of bill 0131) with HCPCS-coded revenue lines and a
  condition code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from openrcm.services import claims, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.context import Ctx

HOSPITAL = "Demo Community Hospital"
PAYER_CODE = "DBCB1"
"""The patient's plan: Demo Blue Cross (loaded with the professional demo data)."""


@dataclass(frozen=True)
class Stay:
    """One demo facility encounter: its encounter fields, diagnoses and charges."""

    days_ago: int
    length: int
    type_of_bill: str
    place_of_service: str
    setting: str
    diagnoses: tuple[tuple[str, str], ...]
    charges: tuple[tuple[str, str, int, str, int], ...]  # revenue, HCPCS, units, fee, day
    condition_codes: tuple[str, ...] = ()
    inpatient: bool = False
    occurrences: tuple[tuple[str, int], ...] = ()  # code, days from the date of service
    values: tuple[tuple[str, str], ...] = ()  # code, amount


STAYS = (
    Stay(20, 3, "0111", "21", "inpatient",
         (("J18.9", "Y"), ("E11.9", "Y"), ("I10", "Y"), ("N39.0", "N")),
         (("0120", "", 3, "3750.00", 0), ("0250", "", 1, "412.50", 1),
          ("0301", "80053", 1, "45.00", 1), ("0324", "71046", 1, "180.00", 0),
          ("0450", "99284", 1, "650.00", 0)),
         inpatient=True, occurrences=(("11", -2),), values=(("01", "1250.00"),)),
    Stay(10, 0, "0131", "23", "outpatient", (("S93.401A", ""),),
         (("0450", "99283", 1, "420.00", 0), ("0320", "73610", 1, "160.00", 0),
          ("0270", "", 1, "35.00", 0)), condition_codes=("A9",)),
)


def load(ctx: Ctx, today: date, npi: Callable[[], str]) -> tuple[int, int, int]:
    """Add the hospital, its patient and encounters with draft claims to the practice of
    ``ctx`` (``npi`` makes a new valid NPI); returns how many patients, encounters and
    claims were created."""
    location = records.create(ctx, p.LOCATIONS, s.LocationIn(
        name=HOSPITAL, address_line1="1 Hospital Drive", city="Springfield", state="IL",
        postal_code="627011234", place_of_service="21", npi=npi()))
    hospital = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="organization", npi=npi(), organization_name=HOSPITAL,
        taxonomy="282N00000X", tax_id="371234567"))
    hospitalist = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi=npi(), first_name="Hana", last_name="Ibsen",
        taxonomy="208M00000X"))
    surgeon = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi=npi(), first_name="Rafael", last_name="Ortiz",
        taxonomy="208600000X"))
    payer = records.list_(ctx, p.PAYERS, filters={"payer_code": PAYER_CODE}).items[0]
    patient = records.create(ctx, p.PATIENTS, s.PatientIn(
        first_name="Odette", last_name="Whitcombe", birth_date=date(1958, 4, 12), sex="F",
        address=s.Address(line1="42 Birch Lane", city="Springfield", state="IL",
                          postal_code="62704"), phone="217-555-0142"))
    coverage = records.create(ctx, p.COVERAGES, s.CoverageIn(
        payer_id=payer.id, priority=1, member_id="BCX77120456", group_number="G4410",
        effective_from=date(2025, 1, 1)), parent_id=patient.id)
    for stay in STAYS:
        start = today - timedelta(days=stay.days_ago)
        encounter = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
            patient_id=patient.id, location_id=location.id, date_of_service=start,
            place_of_service=stay.place_of_service, setting=stay.setting,
            rendering_provider_id=hospitalist.id, billing_provider_id=hospital.id,
            type_of_bill=stay.type_of_bill, patient_status="01",
            admission_date=start if stay.inpatient else None,
            admission_hour="09" if stay.inpatient else "",
            admission_type="1" if stay.inpatient else "",
            admission_source="1" if stay.inpatient else "",
            discharge_date=start + timedelta(days=stay.length),
            discharge_hour="14" if stay.inpatient else "",
            attending_provider_id=hospitalist.id,
            operating_provider_id=surgeon.id if stay.inpatient else None,
            admitting_diagnosis="R06.02" if stay.inpatient else "",
            condition_codes=list(stay.condition_codes),
            occurrence_codes=[s.OccurrenceIn(code=code, on=start + timedelta(days=days))
                              for code, days in stay.occurrences],
            value_codes=[s.ValueCodeIn(code=code, amount=Decimal(amount))
                         for code, amount in stay.values]))
        for sequence, (code, poa) in enumerate(stay.diagnoses, start=1):
            records.create(ctx, p.DIAGNOSES, s.DiagnosisIn.model_validate(
                {"code": code, "sequence": sequence, "poa": poa}), parent_id=encounter.id)
        for revenue, code, units, fee, day in stay.charges:
            charge = records.create(ctx, p.CHARGES, s.ChargeIn(
                code=code, revenue_code=revenue, units=units, fee=Decimal(fee),
                service_date=start + timedelta(days=day) if day else None),
                parent_id=encounter.id)
            p.finalize_charge(ctx, encounter.id, charge.id)
        claims.create_claim(ctx, claims.ClaimIn(encounter_id=encounter.id,
                                                coverage_id=coverage.id))
    return 1, len(STAYS), len(STAYS)
