"""Facility encounters billed as institutional claims (837I / UB-04).

An encounter with a type of bill is a facility stay or visit: its claims go out as 837I
(005010X223A2) or on a UB-04, not as 837P / CMS-1500. The stored claim is first read exactly
as for a professional claim (:func:`openrcm.services.payer_loop.claim_model`: providers, payer
and coverage sequence, patient and subscriber with PHI reads audited, lines, prior payers'
results); :func:`as_institutional` then adds what only a facility claim has, from the same
rows: the type of bill with the claim's frequency digit, admission and discharge data, the
statement period, attending and operating providers, every diagnosis (up to 25) with its
present-on-admission indicator, the admitting diagnosis, condition, occurrence, occurrence
span and value codes, and each line's revenue code and own day of service (a charge dated
within the stay; the encounter's date otherwise). Institutional lines point at no diagnosis
(the 837I has no pointers).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from openrcm.claims import model
from openrcm.services import practice, records
from openrcm.services import schemas as s
from openrcm.services.context import Ctx
from openrcm.services.errors import InvalidInput
from openrcm.store.models import Charge, Claim, ClaimLine, Diagnosis, Encounter

MAX_DIAGNOSES = 25
"""Principal plus 24 other diagnoses: what the 837I's HI segments and the UB-04 carry."""


def _provider(ctx: Ctx, provider_id: str | None) -> model.Provider | None:
    """An attending or operating clinician (individual: last and first name, NPI, taxonomy)."""
    if provider_id is None:
        return None
    row: s.ProviderOut = records.get(ctx, practice.PROVIDERS, provider_id)
    return model.Provider(row.npi, row.last_name, row.first_name, taxonomy=row.taxonomy)


def as_institutional(ctx: Ctx, claim_id: str, value: model.Claim) -> model.Claim:
    """``value`` (stored claim ``claim_id`` as read for the 837) as an institutional claim
    when its encounter is a facility encounter; ``value`` itself otherwise."""
    with ctx.uow(read_only=True) as uow:
        claim = uow.session.get(Claim, claim_id)
        if claim is None or claim.practice_id != ctx.actor.practice_id:
            raise InvalidInput(f"claim {claim_id} not found")
        encounter = uow.session.get(Encounter, claim.encounter_id)
        assert encounter is not None
        if encounter.type_of_bill is None:
            return value
        diagnoses = tuple(model.Diagnosis(d.code, d.poa) for d in uow.session.scalars(
            select(Diagnosis).where(Diagnosis.encounter_id == encounter.id)
            .order_by(Diagnosis.sequence)))[:MAX_DIAGNOSES]
        revenue = list(uow.session.execute(
            select(ClaimLine.revenue_code, Charge.service_date)
            .join(Charge, Charge.id == ClaimLine.charge_id)
            .where(ClaimLine.claim_id == claim.id).order_by(ClaimLine.line_number)))
        tob = encounter.type_of_bill[:3] + claim.frequency_code
        start: date = encounter.date_of_service
        end: date = encounter.discharge_date or start
        facts = (encounter.admission_type, encounter.admission_source, encounter.patient_status,
                 encounter.admission_date, encounter.admission_hour, encounter.discharge_hour,
                 encounter.admitting_diagnosis,
                 tuple(c for c in encounter.condition_codes.split(",") if c))
        coded = (_items(encounter.occurrence_codes), _items(encounter.occurrence_spans),
                 _items(encounter.value_codes))
        people = (encounter.attending_provider_id, encounter.operating_provider_id)
    if len(revenue) != len(value.lines):
        raise InvalidInput(f"claim {claim_id} changed while it was read; read it again",
                           field="claim_id")
    kind, source, status, admitted, hour, discharge_hour, admitting, conditions = facts
    inst = model.Institutional(
        tob, kind, source, status, admitted, hour, discharge_hour, start, end,
        _provider(ctx, people[0]), admitting, operating=_provider(ctx, people[1]),
        condition_codes=conditions,
        occurrences=tuple(model.Occurrence(c, date.fromisoformat(on)) for c, on in coded[0]),
        occurrence_spans=tuple(model.OccurrenceSpan(c, date.fromisoformat(a),
                                                    date.fromisoformat(b))
                               for c, a, b in coded[1]),
        values=tuple(model.ValueCode(c, Decimal(amount)) for c, amount in coded[2]))
    lines = tuple(replace(line, revenue_code=code, pointers=(),
                          service_date=served or line.service_date)
                  for line, (code, served) in zip(value.lines, revenue, strict=True))
    return replace(value, kind=model.ClaimKind.INSTITUTIONAL, diagnoses=diagnoses, lines=lines,
                   institutional=inst, rendering_provider=None)


def _items(stored: str) -> list[list[str]]:
    """The stored ``code:a[:b]`` items of one code list (see ``store.models.Encounter``)."""
    return [item.split(":") for item in stored.split(",") if item]
