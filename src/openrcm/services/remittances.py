"""A posted remittance in detail: which claim payment paid which claim and line.

Posting (``services.payer_loop.post_era``) records each 835 claim payment (CLP) and service
line (SVC) with the claim and claim line it was matched to, or the exception code when it went
to the exception queue; this module reads them back, a page of claim payments at a time (a
remittance can hold 100,000 of them). No PHI: claim ids, control numbers, codes and amounts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from openrcm.security.roles import Permission as P
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import InvalidInput
from openrcm.services.records import find
from openrcm.services.schemas import Model
from openrcm.store.models import Remittance, RemittanceClaim, RemittanceLine

MAX_PAGE = 1000


class RemittanceLineOut(Model):
    """One SVC and the billed line it paid (None: not matched)."""

    position: int
    procedure: str
    charge: Decimal
    paid: Decimal
    claim_line_id: str | None


class RemittanceClaimOut(Model):
    """One CLP: the claim it paid (None when it went to the exception queue) and its lines."""

    position: int
    patient_control: str
    payer_control: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal | None
    outcome: str
    exception: str
    claim_id: str | None
    lines: list[RemittanceLineOut]


class RemittanceDetailOut(Model):
    """A remittance with one page of its claim payments, in file order."""

    id: str
    payer_id: str
    trace_number: str
    paid_on: date
    total_amount: Decimal
    claims_total: int
    offset: int
    claims: list[RemittanceClaimOut]


@requires(P.LEDGER_READ)
def remittance_detail(ctx: Ctx, remittance_id: str, *, offset: int = 0, limit: int = 100
                      ) -> RemittanceDetailOut:
    """The remittance and its claim payments ``offset`` .. ``offset + limit`` with their links.

    Raises:
        NotFound: no such remittance in the caller's practice.
        InvalidInput: a negative offset, or a limit outside 1..MAX_PAGE.
    """
    if offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")
    practice = ctx.actor.practice_id
    with ctx.uow(read_only=True) as uow:
        remittance = find(uow, Remittance, remittance_id, practice, "remittance")
        session = uow.session
        total = session.scalar(select(func.count()).select_from(RemittanceClaim).where(
            RemittanceClaim.practice_id == practice,
            RemittanceClaim.remittance_id == remittance_id)) or 0
        rows = list(session.scalars(select(RemittanceClaim).where(
            RemittanceClaim.practice_id == practice,
            RemittanceClaim.remittance_id == remittance_id)
            .order_by(RemittanceClaim.position).offset(offset).limit(limit)))
        lines: dict[str, list[RemittanceLineOut]] = {}
        if rows:
            for line in session.scalars(select(RemittanceLine).where(
                    RemittanceLine.practice_id == practice,
                    RemittanceLine.remittance_claim_id.in_([r.id for r in rows]))
                    .order_by(RemittanceLine.position)):
                lines.setdefault(line.remittance_claim_id, []).append(RemittanceLineOut(
                    position=line.position, procedure=line.procedure, charge=line.charge,
                    paid=line.paid, claim_line_id=line.claim_line_id))
        return RemittanceDetailOut(
            id=remittance.id, payer_id=remittance.payer_id,
            trace_number=remittance.trace_number, paid_on=remittance.paid_on,
            total_amount=remittance.total_amount, claims_total=total, offset=offset,
            claims=[RemittanceClaimOut(
                position=r.position, patient_control=r.patient_control,
                payer_control=r.payer_control, status=r.status, charge=r.charge, paid=r.paid,
                patient_responsibility=r.patient_responsibility, outcome=r.outcome,
                exception=r.exception, claim_id=r.claim_id, lines=lines.get(r.id, []))
                for r in rows])
