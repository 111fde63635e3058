"""Claims in the store: build from an encounter, move through the state machine, read.

Building a frequency-1 claim copies the encounter's finalized charges into lines and posts one
CHARGE journal entry per line to the payer's receivable. A frequency-7 (replacement) or 8 (void)
claim names an adjudicated original, carries its payer claim control number and moves the
original to ``replaced`` or ``voided``; its money follows from the payer's 835.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import select

from openrcm.ledger import journal
from openrcm.ledger.accounts import Account
from openrcm.money import ZERO
from openrcm.security.roles import Permission as P
from openrcm.services import audit
from openrcm.services.claim_states import ADJUDICATED, ClaimState, allowed_targets, transition
from openrcm.services.context import Ctx, authorize, requires
from openrcm.services.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from openrcm.services.ledger import store_entry
from openrcm.services.records import MAX_LIMIT, find
from openrcm.services.schemas import Id, Model, Page
from openrcm.store.db import UnitOfWork
from openrcm.store.models import Charge, Claim, ClaimEvent, ClaimLine, Coverage, Encounter
from openrcm.store.types import new_id

ControlNumber = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-z-]+$")]


class ClaimIn(Model):
    encounter_id: Id
    coverage_id: Id
    frequency_code: Literal["1", "7", "8"] = "1"
    replaces_claim_id: Id | None = None


class TransitionIn(Model):
    to_state: ClaimState
    reason: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f]*$")] = ""
    payer_claim_control_number: ControlNumber | None = None


class ClaimLineOut(Model):
    id: str
    line_number: int
    charge_id: str
    code: str
    modifiers: list[str]
    units: int
    charge_amount: Decimal
    revenue_code: str


class ClaimEventOut(Model):
    from_state: str
    to_state: str
    actor: str
    reason: str
    at: datetime


class ClaimOut(Model):
    id: str
    encounter_id: str
    patient_id: str
    coverage_id: str
    payer_id: str
    frequency_code: str
    payer_claim_control_number: str | None
    replaces_claim_id: str | None
    state: str
    total_charge: Decimal
    version: int
    lines: list[ClaimLineOut] = Field(default_factory=list)
    events: list[ClaimEventOut] = Field(default_factory=list)
    allowed_transitions: list[str] = Field(default_factory=list)


def _view(uow: UnitOfWork, claim: Claim, *, detail: bool) -> ClaimOut:
    out = ClaimOut(
        id=claim.id, encounter_id=claim.encounter_id, patient_id=claim.patient_id,
        coverage_id=claim.coverage_id, payer_id=claim.payer_id,
        frequency_code=claim.frequency_code,
        payer_claim_control_number=claim.payer_claim_control_number,
        replaces_claim_id=claim.replaces_claim_id, state=claim.state,
        total_charge=claim.total_charge, version=claim.version,
        allowed_transitions=allowed_targets(claim.state))
    if detail:
        out.lines = [ClaimLineOut(id=ln.id, line_number=ln.line_number, charge_id=ln.charge_id,
                                  code=ln.code, modifiers=[m for m in ln.modifiers.split(",")
                                                           if m],
                                  units=ln.units, charge_amount=ln.charge_amount,
                                  revenue_code=ln.revenue_code)
                     for ln in uow.session.scalars(select(ClaimLine).where(
                         ClaimLine.claim_id == claim.id).order_by(ClaimLine.line_number))]
        out.events = [ClaimEventOut(from_state=e.from_state, to_state=e.to_state,
                                    actor=e.actor, reason=e.reason, at=e.at)
                      for e in uow.session.scalars(select(ClaimEvent).where(
                          ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.at))]
    return out


def _move(ctx: Ctx, uow: UnitOfWork, claim: Claim, target: ClaimState, reason: str) -> None:
    edge = transition(claim.state, target)
    if edge is None:
        raise IllegalTransition(
            f"claim {claim.id} cannot go from {claim.state} to {target.value}; allowed: "
            f"{', '.join(allowed_targets(claim.state)) or 'none (final state)'}")
    authorize(ctx, edge.permission)
    uow.session.add(ClaimEvent(practice_id=claim.practice_id, claim_id=claim.id,
                               from_state=claim.state, to_state=target.value,
                               actor=ctx.actor.user_id, reason=reason or edge.evidence,
                               at=ctx.clock()))
    claim.state = target.value
    claim.version += 1
    claim.updated_at = ctx.clock()
    audit.record(ctx, uow, "claim.transition", f"claim:{claim.id}", phi=True,
                 detail={"from": edge.source.value, "to": target.value})


def _billed_charge_ids(uow: UnitOfWork, encounter_id: str) -> set[str]:
    live = [s.value for s in ClaimState if s not in (ClaimState.VOIDED, ClaimState.REPLACED)]
    return set(uow.session.scalars(
        select(ClaimLine.charge_id).join(Claim, Claim.id == ClaimLine.claim_id)
        .where(Claim.encounter_id == encounter_id, Claim.state.in_(live))))


@requires(P.CLAIM_WRITE)
def create_claim(ctx: Ctx, cmd: ClaimIn) -> ClaimOut:
    """Build a claim from an encounter's finalized charges (or replace/void an original)."""
    practice = ctx.actor.practice_id
    with ctx.uow() as uow:
        encounter = find(uow, Encounter, cmd.encounter_id, practice, "encounter")
        coverage = find(uow, Coverage, cmd.coverage_id, practice, "coverage")
        if coverage.patient_id != encounter.patient_id:
            raise InvalidInput("coverage_id is not a coverage of the encounter's patient",
                               field="coverage_id")
        dos = encounter.date_of_service
        if dos < coverage.effective_from or (coverage.effective_to is not None
                                             and dos > coverage.effective_to):
            raise InvalidInput("the coverage is not in effect on the date of service",
                               field="coverage_id")
        original: Claim | None = None
        control: str | None = None
        if cmd.frequency_code == "1":
            if cmd.replaces_claim_id:
                raise InvalidInput("replaces_claim_id is only for frequency 7 or 8",
                                   field="replaces_claim_id")
            billed = _billed_charge_ids(uow, encounter.id)
            charges = [c for c in uow.session.scalars(select(Charge).where(
                Charge.encounter_id == encounter.id, Charge.finalized_at.is_not(None))
                .order_by(Charge.created_at, Charge.id)) if c.id not in billed]
            if not charges:
                raise InvalidInput("the encounter has no finalized, unbilled charges",
                                   field="encounter_id")
            lines = [(c.id, c.code, c.modifiers, c.units, c.fee, c.revenue_code)
                     for c in charges]
        else:
            if not cmd.replaces_claim_id:
                raise InvalidInput("frequency 7 and 8 need replaces_claim_id",
                                   field="replaces_claim_id")
            original = find(uow, Claim, cmd.replaces_claim_id, practice, "claim")
            if ClaimState(original.state) not in ADJUDICATED:
                raise Conflict(f"claim {original.id} is {original.state}: only adjudicated "
                               "claims can be replaced or voided")
            if not original.payer_claim_control_number:
                raise Conflict(f"claim {original.id} has no payer claim control number")
            if original.encounter_id != encounter.id:
                raise InvalidInput("replaces_claim_id is a claim of another encounter",
                                   field="replaces_claim_id")
            control = original.payer_claim_control_number
            lines = [(ln.charge_id, ln.code, ln.modifiers, ln.units, ln.charge_amount,
                      ln.revenue_code)
                     for ln in uow.session.scalars(select(ClaimLine).where(
                         ClaimLine.claim_id == original.id).order_by(ClaimLine.line_number))]
        claim = Claim(practice_id=practice, encounter_id=encounter.id,
                      patient_id=encounter.patient_id, coverage_id=coverage.id,
                      payer_id=coverage.payer_id, frequency_code=cmd.frequency_code,
                      payer_claim_control_number=control,
                      replaces_claim_id=original.id if original else None,
                      total_charge=sum((ln[4] for ln in lines), ZERO),
                      created_at=ctx.clock(), updated_at=ctx.clock())
        uow.session.add(claim)
        uow.session.flush()
        for number, (charge_id, code, modifiers, units, amount, revenue) in enumerate(
                lines, start=1):
            line = ClaimLine(practice_id=practice, claim_id=claim.id, charge_id=charge_id,
                             line_number=number, code=code, modifiers=modifiers, units=units,
                             charge_amount=amount, revenue_code=revenue)
            uow.session.add(line)
            uow.session.flush()
            if cmd.frequency_code == "1" and amount > 0:
                store_entry(ctx, uow, journal.charge(
                    new_id(), encounter.date_of_service,
                    Account.ar_insurance(claim.payer_id, line.id, patient_id=claim.patient_id,
                                         claim_id=claim.id),
                    amount, memo=f"{code or revenue} x{units}", refs={"claim": claim.id}))
        if original is not None:
            _move(ctx, uow, original, ClaimState.REPLACED if cmd.frequency_code == "7"
                  else ClaimState.VOIDED, f"frequency-{cmd.frequency_code} claim {claim.id}")
        audit.record(ctx, uow, "claim.create", f"claim:{claim.id}", phi=True,
                     detail={"frequency": cmd.frequency_code})
        view = _view(uow, claim, detail=True)
        uow.commit()
        return view


@requires(P.CLAIM_WRITE)
def transition_claim(ctx: Ctx, claim_id: str, cmd: TransitionIn) -> ClaimOut:
    """Move a claim along a legal edge of the transition table (illegal edges are refused)."""
    with ctx.uow() as uow:
        claim = find(uow, Claim, claim_id, ctx.actor.practice_id, "claim")
        if cmd.payer_claim_control_number:
            claim.payer_claim_control_number = cmd.payer_claim_control_number
        _move(ctx, uow, claim, cmd.to_state, cmd.reason)
        view = _view(uow, claim, detail=True)
        uow.commit()
        return view


@requires(P.CLAIM_READ)
def get_claim(ctx: Ctx, claim_id: str) -> ClaimOut:
    """One claim with its lines and state history."""
    with ctx.uow() as uow:
        claim = uow.session.scalar(select(Claim).where(
            Claim.id == claim_id, Claim.practice_id == ctx.actor.practice_id))
        if claim is None:
            raise NotFound(f"claim {claim_id} not found")
        view = _view(uow, claim, detail=True)
        audit.record(ctx, uow, "claim.read", f"claim:{claim_id}", phi=True)
        uow.commit()
        return view


@requires(P.CLAIM_READ)
def list_claims(ctx: Ctx, *, limit: int = 50, cursor: str | None = None,
                state: str | None = None, patient_id: str | None = None,
                payer_id: str | None = None) -> Page[ClaimOut]:
    """A page of claims, filtered by state, patient or payer."""
    limit = max(1, min(limit, MAX_LIMIT))
    query = select(Claim).where(Claim.practice_id == ctx.actor.practice_id)
    filters: dict[str, Any] = {"state": state, "patient_id": patient_id, "payer_id": payer_id}
    for key, value in filters.items():
        if value is not None:
            query = query.where(getattr(Claim, key) == value)
    if cursor:
        query = query.where(Claim.id > cursor)
    with ctx.uow() as uow:
        rows = list(uow.session.scalars(query.order_by(Claim.id).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        items = [_view(uow, c, detail=False) for c in rows]
        audit.record(ctx, uow, "claim.list", "claim:*", phi=True,
                     detail={"ids": ",".join(c.id for c in rows)})
        uow.commit()
    return Page[ClaimOut](items=items, next_cursor=rows[-1].id if more and rows else None)
