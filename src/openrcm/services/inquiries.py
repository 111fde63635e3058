"""Eligibility (270/271) and claim status (276/277) inquiries, for the API and the CLI alike.

The front desk asks before a visit whether a patient's coverage is active and what the patient
will owe; a biller asks a payer where a claim stands. Both send one request through the
clearinghouse adapter and read the answer that comes back. Anything else that comes back in
the same fetch (acknowledgments, remittances) is applied to claims and the ledger as ``responses
fetch`` would, never left unread.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator
from sqlalchemy import select

from openrcm.payers.adapter import Adapter, AdapterError, OutboundFile
from openrcm.payers.claim_status import read_277
from openrcm.payers.eligibility import estimate, read_271
from openrcm.payers.requests import Inquiry, StatusQuery, eligibility_270, status_276
from openrcm.security.roles import Permission as P
from openrcm.security.roles import Role
from openrcm.services import audit, payer_loop, records
from openrcm.services import practice as practice_records
from openrcm.services import schemas as s
from openrcm.services.clearinghouse import ClearinghouseUnavailable
from openrcm.services.context import SYSTEM_ACTOR, Actor, Ctx, requires
from openrcm.services.errors import InvalidInput, NotFound
from openrcm.services.schemas import Amount, Id, Model, Name, SafeDate
from openrcm.store.models import Claim, Coverage, Encounter, IdempotencyKey, Payer, Provider
from openrcm.x12.builders.envelope import Envelope

ServiceType = Annotated[str, Field(pattern=r"^[0-9A-Z]{1,2}$")]


class EligibilityIn(Model):
    """Whose coverage to ask about: a registered patient's coverage (``patient_id``, and
    ``coverage_id`` or else the primary one), or a subscriber not registered yet (``payer_code``,
    ``member_id`` and name). ``allowed``: the planned service's allowed amount, to estimate
    what the patient will owe."""

    patient_id: Id | None = None
    coverage_id: Id | None = None
    payer_code: Annotated[str, Field(max_length=80, pattern=r"^[0-9A-Za-z]*$")] = ""
    member_id: Annotated[str, Field(max_length=50, pattern=r"^[0-9A-Za-z-]*$")] = ""
    last_name: Name | None = None
    first_name: Name | None = None
    birth_date: SafeDate | None = None
    service_type: ServiceType = "30"
    allowed: Amount | None = None

    @model_validator(mode="after")
    def _one_form(self) -> EligibilityIn:
        if self.patient_id is None and not (self.payer_code and self.member_id
                                             and self.last_name and self.first_name):
            raise ValueError("give patient_id, or payer_code, member_id, last_name and "
                             "first_name")
        return self


class EstimateOut(Model):
    """The patient's expected share of the allowed amount, and how it splits."""

    allowed: Decimal
    deductible: Decimal
    copay: Decimal
    coinsurance: Decimal
    patient: Decimal


class EligibilityOut(Model):
    """The 271's answer in plain lines, the estimate's last (``answered`` False: no 271 came
    back yet)."""

    trace: str
    answered: bool
    found: bool | None = None
    active: bool | None = None
    summary: list[str] = Field(default_factory=list)
    estimate: EstimateOut | None = None
    applied: list[str] = Field(default_factory=list)


class StatusOut(Model):
    """The 277's first status for the claim (``answered`` False: no 277 came back yet)."""

    trace: str
    claim_id: str
    answered: bool
    status: str = ""
    meaning: str = ""
    paid: Decimal | None = None
    payer_control: str = ""
    applied: list[str] = Field(default_factory=list)


def _trace(prefix: str) -> str:
    """A trace number (TRN02, and the request's file name) no other request shares."""
    return f"{prefix}{time.time_ns()}"


def _asking_provider(ctx: Ctx) -> tuple[str, str]:
    """The practice's billing provider (an organization first, else an individual who bills)."""
    with ctx.uow(read_only=True) as uow:
        rows = list(uow.session.execute(select(
            Provider.kind, Provider.npi, Provider.organization_name, Provider.last_name).where(
            Provider.practice_id == ctx.actor.practice_id,
            Provider.referring_only.is_(False)).order_by(Provider.created_at)))
    row = next((r for r in rows if r.kind == "organization"), rows[0] if rows else None)
    if row is None:
        raise InvalidInput("the practice has no provider to ask as (add one first)")
    return row.npi, (row.organization_name or row.last_name).upper()


def _exchange(ctx: Ctx, adapter: Adapter, name: str, kind: str, text: str, resource: str
              ) -> tuple[list[bytes], list[str]]:
    """Send the request (audited: it discloses the member to the payer), fetch what came back
    and apply what is not an answer; return the answers' contents and the names of the files
    applied.

    Those files are applied by the system, as a scheduled fetch would: they came back from the
    clearinghouse whoever asked, and an adapter returns each file only once, so they must not
    be refused for the asker's role (a front desk checking eligibility may not post 835s).
    """
    try:
        adapter.submit(OutboundFile(name, kind, text.encode()))
    except AdapterError as exc:
        raise ClearinghouseUnavailable(str(exc)) from exc
    with ctx.uow() as uow:
        audit.record(ctx, uow, f"{kind}.sent", resource, phi=True, detail={"file": name})
        uow.commit()
    try:
        files = adapter.fetch()
    except AdapterError as exc:
        raise ClearinghouseUnavailable(str(exc)) from exc
    system = replace(ctx, actor=Actor(user_id=SYSTEM_ACTOR, practice_id=ctx.actor.practice_id,
                                      roles=frozenset({Role.ADMIN})))
    applied = payer_loop.apply_responses(system, files)
    return ([f.content for f in files if f.name in applied.other],
            [f.name for f in files if f.name not in applied.other])


def _envelope(receiver: str, today: date) -> Envelope:
    return Envelope("OPENRCM", receiver[:15], int(time.time()) % 999_999_999 or 1, 1, today)


def _inquiry(ctx: Ctx, request: EligibilityIn, trace: str) -> Inquiry:
    """Who asks whom about which member: the practice's billing provider, and the subscriber
    named in ``request`` or of a registered patient's coverage (audited reads of the patient
    and coverage)."""
    if request.patient_id is None:
        assert request.last_name is not None and request.first_name is not None
        with ctx.uow(read_only=True) as uow:
            payer_name = uow.session.scalar(select(Payer.name).where(
                Payer.practice_id == ctx.actor.practice_id,
                Payer.payer_code == request.payer_code))
        payer_code, member_id = request.payer_code, request.member_id
        who = s.Person(first_name=request.first_name, last_name=request.last_name,
                       birth_date=request.birth_date)
    else:
        coverage_id = request.coverage_id
        if coverage_id is None:
            with ctx.uow(read_only=True) as uow:
                coverage_id = uow.session.scalar(select(Coverage.id).where(
                    Coverage.practice_id == ctx.actor.practice_id,
                    Coverage.patient_id == request.patient_id).order_by(Coverage.priority)
                    .limit(1))
            if coverage_id is None:
                raise NotFound(f"patient {request.patient_id} has no coverage",
                               field="patient_id")
        patient: s.PatientOut = records.get(ctx, practice_records.PATIENTS, request.patient_id)
        coverage: s.CoverageOut = records.get(ctx, practice_records.COVERAGES, coverage_id,
                                              parent_id=request.patient_id)
        payer: s.PayerOut = records.get(ctx, practice_records.PAYERS, coverage.payer_id)
        payer_code, payer_name, member_id = payer.payer_code, payer.name, coverage.member_id
        who = coverage.subscriber or s.Person(first_name=patient.first_name,
                                              last_name=patient.last_name,
                                              birth_date=patient.birth_date)
    npi, provider = _asking_provider(ctx)
    return Inquiry(payer_code, (payer_name or payer_code).upper(), npi, provider, member_id,
                   who.last_name.upper(), who.first_name.upper(), who.birth_date, trace)


@requires(P.ELIGIBILITY_CHECK)
def check_eligibility(ctx: Ctx, adapter: Adapter, request: EligibilityIn) -> EligibilityOut:
    """Send a 270 and read the 271: coverage, deductible and out-of-pocket remaining, copay and
    coinsurance for the service type, and with ``allowed`` the patient's estimated share."""
    inquiry = _inquiry(ctx, request, _trace("E"))
    today = ctx.clock().date()
    who = f"patient:{request.patient_id}" if request.patient_id else f"payer:{inquiry.payer_id}"
    answers, applied = _exchange(ctx, adapter, f"270-{inquiry.trace}.x12", "270",
                                 eligibility_270(inquiry, _envelope(inquiry.payer_id, today),
                                                 today, request.service_type), who)
    found = [b for content in answers for b in read_271(content)]
    if not found:
        return EligibilityOut(trace=inquiry.trace, answered=False, applied=applied)
    benefits = found[0]
    share, lines = None, benefits.summary()
    if request.allowed is not None:
        e = estimate(benefits, request.allowed, request.service_type)
        share = EstimateOut(allowed=e.allowed, deductible=e.deductible, copay=e.copay,
                            coinsurance=e.coinsurance, patient=e.patient)
        lines.append(e.summary())
    return EligibilityOut(trace=inquiry.trace, answered=True, found=benefits.found,
                          active=benefits.active, summary=lines, estimate=share,
                          applied=applied)


@requires(P.CLAIM_SUBMIT)
def check_status(ctx: Ctx, adapter: Adapter, claim_id: str) -> StatusOut:
    """Send a 276 for a submitted claim and read the 277.

    The payer knows the claim by what was sent: the CLM01 of its submission record (a
    secondary claim carries its primary's), its charge and date of service, and its payer
    claim number once the payer gave one.
    """
    with ctx.uow(read_only=True) as uow:
        claim = uow.session.get(Claim, claim_id)
        if claim is None or claim.practice_id != ctx.actor.practice_id:
            raise NotFound(f"claim {claim_id} not found")
        records_sent = {int(key.rsplit(":", 1)[1]): response for key, response in
                        uow.session.execute(select(IdempotencyKey.key, IdempotencyKey.response)
                                            .where(IdempotencyKey.practice_id ==
                                                   ctx.actor.practice_id,
                                                   IdempotencyKey.key.like(
                                                       f"837:claim:{claim.id}:%")))}
        if not records_sent:
            raise InvalidInput(f"claim {claim_id} has not been submitted", field="claim_id")
        sent = records_sent[max(records_sent)]  # the latest submission of the claim
        encounter = uow.session.get(Encounter, claim.encounter_id)
        assert encounter is not None
        clm01 = str(json.loads(sent)["clm01"])
        query = StatusQuery(clm01.upper(), claim.total_charge, encounter.date_of_service, None,
                            claim.payer_claim_control_number or "")
        coverage_id, patient_id = claim.coverage_id, claim.patient_id
    inquiry = _inquiry(ctx, EligibilityIn(patient_id=patient_id, coverage_id=coverage_id),
                       _trace("S"))
    answers, applied = _exchange(ctx, adapter, f"276-{inquiry.trace}.x12", "276", status_276(
        inquiry, _envelope(inquiry.payer_id, ctx.clock().date()), [query]), f"claim:{claim_id}")
    statuses = [st for content in answers for st in read_277(content)]
    if not statuses:
        return StatusOut(trace=inquiry.trace, claim_id=claim_id, answered=False,
                         applied=applied)
    st = next((x for x in statuses if x.claim_id.lower() == clm01.lower()), statuses[0])
    return StatusOut(trace=inquiry.trace, claim_id=claim_id, answered=True, status=st.status,
                     meaning=st.meaning, paid=st.paid, payer_control=st.payer_control,
                     applied=applied)
