"""The practice's records as resources: set-up, patients, coverage, encounters, coding, fees.

Each :class:`~openrcm.services.records.Resource` below is data; the hooks hold the few rules
that are more than a column copy (account numbers, blind indexes, charge fees from the charge
master, diagnosis pointers that must exist, finalized charges that may not change).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import or_, select

from openrcm.money import cents
from openrcm.security.phi import PhiCipher
from openrcm.security.roles import Permission as P
from openrcm.services import audit, records
from openrcm.services import schemas as s
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import Conflict, InvalidInput, NotFound
from openrcm.services.records import MAX_LIMIT, Resource, find, to_view
from openrcm.store.db import UnitOfWork
from openrcm.store.models import (
    Charge,
    Claim,
    Coverage,
    Diagnosis,
    Encounter,
    EncounterDocument,
    FeeSchedule,
    FeeScheduleItem,
    Location,
    Membership,
    Patient,
    Payer,
    Plan,
    Practice,
    Provider,
    Remittance,
    WorkItem,
)


def name_dob_key(last_name: str, birth_date: str) -> str:
    """What the name + birth date blind index is computed over."""
    return f"{last_name}|{birth_date}"


def _patient_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    cipher = ctx.cipher
    values["last_name_index"] = cipher.blind_index(values["last_name"],
                                                   context="patient.last_name")
    values["name_dob_index"] = cipher.blind_index(
        name_dob_key(values["last_name"], values["birth_date"]), context="patient.name_dob")
    if "id" not in values:
        values["account_number"] = f"A{secrets.randbelow(10**9):09d}"


def _patient_search(cipher: PhiCipher, given: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if given.get("account_number"):
        out["account_number"] = given["account_number"]
    if given.get("member_id_index"):
        out["member_id_index"] = given["member_id_index"]
    last, dob = given.get("last_name"), given.get("birth_date")
    if last and dob:
        out["name_dob_index"] = cipher.blind_index(name_dob_key(last, dob),
                                                   context="patient.name_dob")
    elif last:
        out["last_name_index"] = cipher.blind_index(last, context="patient.last_name")
    elif dob:
        raise InvalidInput("birth_date search needs last_name too", field="birth_date")
    return out


def _coverage_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    values["member_id_index"] = ctx.cipher.blind_index(values["member_id"],
                                                       context="coverage.member_id")
    plan_id = values.get("plan_id")
    if plan_id:
        plan = find(uow, Plan, plan_id, ctx.actor.practice_id, "plan")
        if plan.payer_id != values["payer_id"]:
            raise InvalidInput("plan_id belongs to another payer", field="plan_id")


def _encounter_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    practice = ctx.actor.practice_id
    for key in ("rendering_provider_id", "billing_provider_id"):
        provider = find(uow, Provider, values[key], practice, "provider")
        if provider.referring_only:
            raise InvalidInput(f"{key} names a referring-only provider", field=key)
    for key in ("attending_provider_id", "operating_provider_id"):
        if values.get(key) and find(uow, Provider, values[key], practice,
                                    "provider").kind != "individual":
            raise InvalidInput(f"{key} must name an individual provider", field=key)
    if values.get("type_of_bill"):
        values["type_of_bill"] = values["type_of_bill"].rjust(4, "0")
    values["condition_codes"] = ",".join(values.get("condition_codes") or ())
    for key, fields in _FACILITY_CODES:
        values[key] = ",".join(":".join(_stored_text(item[f]) for f in fields)
                               for item in values.get(key) or ())


def _stored_text(value: object) -> str:
    """A code, an ISO date or an amount with its two decimals (never an exponent)."""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


_FACILITY_CODES = (("occurrence_codes", ("code", "on")),
                   ("occurrence_spans", ("code", "from_date", "through_date")),
                   ("value_codes", ("code", "amount")))
"""How occurrence, span and value codes are stored (see ``store.models.Encounter``)."""


def _document_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    values["created_by"] = ctx.actor.user_id


def charge_master_fee(uow: UnitOfWork, practice_id: str, code: str, modifier: str,
                      on: date) -> Decimal | None:
    """The practice's own fee for a code on a date (the charge master has no payer)."""
    row = uow.session.execute(
        select(FeeScheduleItem.amount, FeeScheduleItem.modifier)
        .join(FeeSchedule, FeeSchedule.id == FeeScheduleItem.fee_schedule_id)
        .where(FeeSchedule.practice_id == practice_id, FeeSchedule.payer_id.is_(None),
               FeeScheduleItem.code == code,
               FeeScheduleItem.modifier.in_({modifier, ""}),
               FeeSchedule.effective_from <= on,
               or_(FeeSchedule.effective_to.is_(None), FeeSchedule.effective_to >= on))
        .order_by(FeeScheduleItem.modifier.desc(), FeeSchedule.effective_from.desc())
    ).first()
    return None if row is None else Decimal(row[0])


def _charge_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    practice = ctx.actor.practice_id
    encounter = find(uow, Encounter, values["encounter_id"], practice, "encounter")
    if "id" in values:
        charge = find(uow, Charge, values["id"], practice, "charge")
        if charge.finalized_at is not None:
            raise Conflict("a finalized charge cannot be changed; void the claim instead")
    else:
        values["entered_by"] = ctx.actor.user_id
    sequences = set(uow.session.scalars(select(Diagnosis.sequence)
                                        .where(Diagnosis.encounter_id == encounter.id)))
    missing = [p for p in values["diagnosis_pointers"] if p not in sequences]
    if missing:
        raise InvalidInput(f"diagnosis pointer {missing[0]} has no diagnosis on the encounter",
                           field="diagnosis_pointers")
    served = values.get("service_date")
    last = encounter.discharge_date or encounter.date_of_service
    if served is not None and not encounter.date_of_service <= served <= last:
        raise InvalidInput(f"service_date is outside the encounter ({encounter.date_of_service}"
                           f" to {last})", field="service_date")
    if values.get("fee") is None:
        if not values["code"]:
            raise InvalidInput("a charge with a revenue code only needs its fee", field="fee")
        unit = charge_master_fee(uow, practice, values["code"],
                                 (values["modifiers"] or [""])[0],
                                 served or encounter.date_of_service)
        if unit is None:
            raise InvalidInput(f"no fee given and the charge master has no fee for "
                               f"{values['code']}", field="fee")
        values["fee"] = cents(unit * values["units"])


def _fee_schedule_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    end = values.get("effective_to")
    if end is not None and end < values["effective_from"]:
        raise InvalidInput("effective_to is before effective_from", field="effective_to")


LOCATIONS = Resource("location", Location, s.LocationIn, s.LocationOut, P.PROVIDER_READ,
                     P.PRACTICE_ADMIN, deletable=True)
PROVIDERS = Resource("provider", Provider, s.ProviderIn, s.ProviderOut, P.PROVIDER_READ,
                     P.PROVIDER_WRITE, filters=("npi", "referring_only"))
PAYERS = Resource("payer", Payer, s.PayerIn, s.PayerOut, P.PAYER_READ, P.PAYER_WRITE,
                  filters=("payer_code",))
PLANS = Resource("plan", Plan, s.PlanIn, s.PlanOut, P.PAYER_READ, P.PAYER_WRITE,
                 parent=("payer_id", Payer), deletable=True)
PATIENTS = Resource(
    "patient", Patient, s.PatientIn, s.PatientOut, P.PATIENT_READ, P.PATIENT_WRITE,
    phi={"first_name": "patient.first_name", "last_name": "patient.last_name",
         "birth_date": "patient.birth_date", "address": "patient.address",
         "phone": "patient.phone", "email": "patient.email", "guarantor": "patient.guarantor"},
    filters=("account_number",), audited_reads=True, before_write=_patient_write)
COVERAGES = Resource(
    "coverage", Coverage, s.CoverageIn, s.CoverageOut, P.PATIENT_READ, P.COVERAGE_WRITE,
    phi={"subscriber": "coverage.subscriber", "member_id": "coverage.member_id"},
    parent=("patient_id", Patient), refs={"payer_id": Payer, "plan_id": Plan},
    filters=("payer_id",), audited_reads=True, before_write=_coverage_write)
ENCOUNTERS = Resource(
    "encounter", Encounter, s.EncounterIn, s.EncounterOut, P.ENCOUNTER_READ, P.ENCOUNTER_WRITE,
    refs={"patient_id": Patient, "location_id": Location, "rendering_provider_id": Provider,
          "billing_provider_id": Provider, "referring_provider_id": Provider,
          "attending_provider_id": Provider, "operating_provider_id": Provider},
    filters=("patient_id", "date_of_service", "status"), audited_reads=True,
    before_write=_encounter_write)
DOCUMENTS = Resource(
    "document", EncounterDocument, s.DocumentIn, s.DocumentOut, P.ENCOUNTER_READ,
    P.ENCOUNTER_WRITE, phi={"content": "document.content"}, parent=("encounter_id", Encounter),
    audited_reads=True, before_write=_document_write)
DIAGNOSES = Resource(
    "diagnosis", Diagnosis, s.DiagnosisIn, s.DiagnosisOut, P.ENCOUNTER_READ, P.CODING_WRITE,
    parent=("encounter_id", Encounter), audited_reads=True, deletable=True)
CHARGES = Resource(
    "charge", Charge, s.ChargeIn, s.ChargeOut, P.ENCOUNTER_READ, P.CHARGE_WRITE,
    parent=("encounter_id", Encounter), csv=("modifiers", "diagnosis_pointers"),
    audited_reads=True, before_write=_charge_write)
FEE_SCHEDULES = Resource(
    "fee_schedule", FeeSchedule, s.FeeScheduleIn, s.FeeScheduleOut, P.FEE_SCHEDULE_READ,
    P.FEE_SCHEDULE_WRITE, refs={"payer_id": Payer}, filters=("payer_id",),
    before_write=_fee_schedule_write)
FEE_ITEMS = Resource(
    "fee_item", FeeScheduleItem, s.FeeItemIn, s.FeeItemOut, P.FEE_SCHEDULE_READ,
    P.FEE_SCHEDULE_WRITE, parent=("fee_schedule_id", FeeSchedule), filters=("code",),
    deletable=True)
def _work_item_write(ctx: Ctx, uow: UnitOfWork, values: dict[str, Any]) -> None:
    owner = values.get("owner_user_id")
    if owner and uow.session.scalar(select(Membership.id).where(
            Membership.practice_id == ctx.actor.practice_id,
            Membership.user_id == owner)) is None:
        raise InvalidInput("owner_user_id is not a member of this practice",
                           field="owner_user_id")


REMITTANCES = Resource(
    "remittance", Remittance, s.RemittanceIn, s.RemittanceOut, P.LEDGER_READ, P.PAYMENT_POST,
    refs={"payer_id": Payer}, filters=("payer_id", "trace_number", "paid_on"))
WORK_ITEMS = Resource(
    "work_item", WorkItem, s.WorkItemIn, s.WorkItemOut, P.WORKITEM_READ, P.WORKITEM_WRITE,
    refs={"claim_id": Claim},
    filters=("kind", "status", "owner_user_id", "claim_id"), audited_reads=True,
    before_write=_work_item_write)


@requires(P.CHARGE_WRITE)
def finalize_charge(ctx: Ctx, encounter_id: str, charge_id: str) -> s.ChargeOut:
    """Mark a charge final (who and when): it can then be billed but no longer edited."""
    with ctx.uow() as uow:
        charge = find(uow, Charge, charge_id, ctx.actor.practice_id, "charge")
        if charge.encounter_id != encounter_id:
            raise NotFound(f"charge {charge_id} not found")
        if charge.finalized_at is not None:
            raise Conflict(f"charge {charge_id} is already finalized")
        charge.finalized_by = ctx.actor.user_id
        charge.finalized_at = ctx.clock()
        audit.record(ctx, uow, "charge.finalize", f"charge:{charge_id}", phi=True)
        view = to_view(CHARGES, ctx.cipher, charge)
        uow.commit()
    assert isinstance(view, s.ChargeOut)
    return view


class PracticeOut(s.Model):
    id: str
    name: str
    organization_id: str
    npi: str | None
    tax_id: str | None


def practice_view(ctx: Ctx) -> PracticeOut:
    """The caller's practice (any member may read its own practice's name and ids)."""
    with ctx.uow(read_only=True) as uow:
        row = uow.session.get(Practice, ctx.actor.practice_id)
        if row is None:
            raise NotFound(f"practice {ctx.actor.practice_id} not found")
        return PracticeOut(id=row.id, name=row.name, organization_id=row.organization_id,
                           npi=row.npi, tax_id=row.tax_id)


class PatientSearch(s.Model):
    """Find patients by PHI without putting PHI in a URL: sent as a POST body."""

    last_name: s.Name | None = None
    birth_date: s.SafeDate | None = None
    member_id: Annotated[str, Field(min_length=1, max_length=50,
                                    pattern=r"^[0-9A-Za-z-]+$")] | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 50
    cursor: Annotated[str, Field(max_length=36)] | None = None


@requires(P.PATIENT_READ)
def search_patients(ctx: Ctx, query: PatientSearch) -> s.Page[Any]:
    """Exact-match search over encrypted fields through their blind indexes."""
    given: dict[str, str] = {}
    if query.last_name:
        given["last_name"] = query.last_name
    if query.birth_date:
        given["birth_date"] = query.birth_date.isoformat()
    filters = _patient_search(ctx.cipher, given)
    if not filters and not query.member_id:
        raise InvalidInput("give last_name (optionally with birth_date) or member_id")
    if query.member_id:
        index = ctx.cipher.blind_index(query.member_id, context="coverage.member_id")
        with ctx.uow() as uow:
            owners = sorted(set(uow.session.scalars(select(Coverage.patient_id).where(
                Coverage.practice_id == ctx.actor.practice_id,
                Coverage.member_id_index == index))))
        if not owners:
            return s.Page[Any](items=[])
        if len(owners) == 1:
            filters["id"] = owners[0]
        else:
            return _by_ids(ctx, owners[: query.limit])
    return records.list_(ctx, PATIENTS, limit=query.limit, cursor=query.cursor,
                         filters=filters)


def _by_ids(ctx: Ctx, ids: list[str]) -> s.Page[Any]:
    items = [records.get(ctx, PATIENTS, i) for i in ids]
    return s.Page[Any](items=items)
