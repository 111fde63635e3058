"""The payer loop's use cases: post 835s, read acknowledgments, submit claims.

835 posting is **idempotent** and **atomic**. A file is identified by its SHA-256 and each
remittance in it by (payer, trace number, amount); both keys are written in the same database
transaction as the money, so the same file — or the same remittance inside another file —
posts once. The whole file is one transaction: a refused remittance (it does not balance, its
payer is unknown) refuses the file, and a process killed midway leaves nothing behind because
nothing is committed before the last row. Entries are built by the ledger's checked
constructors (through ``openrcm.remit``) and written in bulk, with one audit event per file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import chain, groupby
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from openrcm.claims import model
from openrcm.claims.x837 import Party, next_control_numbers, write_837
from openrcm.ledger import journal
from openrcm.ledger.accounts import Account, AccountKind
from openrcm.ledger.journal import JournalEntry
from openrcm.money import ZERO
from openrcm.payers.acks import read_277ca, read_999
from openrcm.payers.adapter import Adapter, AdapterError, InboundFile, OutboundFile
from openrcm.remit.entries import ADJUDICATION, decode_adjudication, plan_entries, reversal_entries
from openrcm.remit.kpi import days_to_payment
from openrcm.remit.model import (
    Action,
    ClaimPosting,
    Denial,
    ExpectedClaim,
    ExpectedLine,
    PostingPlan,
)
from openrcm.remit.pieces import remittance_pieces
from openrcm.remit.plan import plan_remittance, totals_problem
from openrcm.remit.rules import DENIAL_CATEGORIES
from openrcm.remit.underpayment import FeeSchedule as FeeSchedule_
from openrcm.remit.underpayment import underpayment
from openrcm.security.roles import Permission as P
from openrcm.services import audit, claims_institutional, practice, records
from openrcm.services import schemas as s
from openrcm.services.claim_states import ClaimState, transition
from openrcm.services.context import Ctx, authorize, requires
from openrcm.services.errors import Conflict, InvalidInput
from openrcm.services.schemas import Model
from openrcm.store.bulk import insert_rows, update_rows
from openrcm.store.db import UnitOfWork
from openrcm.store.models import (
    Charge,
    Claim,
    ClaimEvent,
    ClaimLine,
    Coverage,
    Diagnosis,
    Encounter,
    FeeSchedule,
    FeeScheduleItem,
    IdempotencyKey,
    JournalEntryRow,
    Location,
    Payer,
    PostingRow,
    Remittance,
    RemittanceClaim,
    RemittanceLine,
    WorkItem,
)
from openrcm.store.types import new_id
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.tokens import X12SyntaxError
from openrcm.x12.views.remittance import Remittance as RemittanceView

CHUNK = 500
CLAIMS_PER_CHUNK = 2000
BATCH_CONTEXT = "payer_loop.batch"
"""PHI cipher context of the recorded 837 bytes (they hold names, dates of birth, ids)."""
DENIAL_DUE_DAYS = 30
Progress = Callable[[int], None]
"""Called with the number of claim payments posted so far (for progress bars)."""


class RemittanceOut(Model):
    """What happened to one 835 transaction of a file."""

    trace_number: str
    payer_id: str
    amount: Decimal
    claims: int
    posted: int
    exceptions: list[str]
    denials: int
    entries: int
    duplicate: bool = False
    remittance_id: str = ""
    """The stored remittance (its claim payment links: ``services.remittances``); empty for a
    duplicate."""


class EraOut(Model):
    """The result of posting one file; ``duplicate`` when it had been posted before."""

    file_hash: str
    duplicate: bool
    remittances: list[RemittanceOut]


# --- loading what the remittance is about -------------------------------------------------


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _payer_of(uow: UnitOfWork, practice: str, view: RemittanceView) -> Payer:
    code = view.payer.id
    payer = uow.session.scalar(select(Payer).where(
        Payer.practice_id == practice, Payer.payer_code == code)) if code else None
    if payer is None:
        raise InvalidInput(f"remittance {view.trace_number}: payer id {code or '(none)'} in "
                           "N1*PR is not a payer of this practice; nothing was posted")
    return payer


class BilledClaim(NamedTuple):
    """The columns of a claim row posting reads and moves (read as plain tuples: loading
    100,000 ORM objects cost more CPU than posting them)."""

    id: str
    practice_id: str
    encounter_id: str
    patient_id: str
    coverage_id: str
    payer_id: str
    state: str
    version: int
    payer_claim_control_number: str | None
    total_charge: Decimal


class _Line(NamedTuple):
    id: str
    claim_id: str
    charge_id: str
    code: str
    modifiers: str
    units: int
    charge_amount: Decimal
    revenue_code: str


_CLAIM_COLUMNS = [Claim.__table__.c[name] for name in BilledClaim._fields]
_LINE_COLUMNS = [ClaimLine.__table__.c[name] for name in _Line._fields]


class _Claims:
    """The billed claims an 835 from one payer can be about, read in a few queries.

    A secondary claim is billed under the primary claim's id (CLM01) and line ids, so the
    ledger keeps one receivable per (payer, claim line); ``state_rows`` maps that ledger claim
    id to the claim row of this payer whose state the remittance moves.
    """

    def __init__(self, uow: UnitOfWork, practice: str, payer: Payer, view: RemittanceView):
        self.expected: list[ExpectedClaim] = []
        self.state_rows: dict[str, BilledClaim] = {}
        session = uow.session
        refs = [p.reference for p in view.provider_adjustments if p.reference]
        ids = sorted({c.patient_control.lower() for c in view.claims}
                     | {r.lower() for r in refs})
        found: dict[str, BilledClaim] = {}
        for chunk in _chunks(ids):
            for row in session.execute(select(*_CLAIM_COLUMNS).where(
                    Claim.practice_id == practice, Claim.id.in_(chunk))):
                found[row[0]] = BilledClaim(*row)
        # CLP07 is looked at only when CLP01 names no claim of this payer (ClaimIndex matches
        # CLP01 first), and for PLB references: most files then need no such query at all.
        own = {cid for cid, c in found.items() if c.payer_id == payer.id}
        pcns = sorted({c.payer_control for c in view.claims
                       if c.payer_control and c.patient_control.lower() not in own}
                      | set(refs))
        for chunk in _chunks(pcns):
            for row in session.execute(select(*_CLAIM_COLUMNS).where(
                    Claim.practice_id == practice, Claim.payer_claim_control_number.in_(chunk),
                    Claim.payer_id == payer.id)):
                found.setdefault(row[0], BilledClaim(*row))
        if not found:
            return
        lines: dict[str, list[_Line]] = {}
        line_days: dict[str, date] = {}
        for chunk in _chunks(sorted(found)):
            for row in session.execute(select(*_LINE_COLUMNS, Charge.service_date).join(
                    Charge, Charge.id == ClaimLine.charge_id).where(
                    ClaimLine.claim_id.in_(chunk)).order_by(ClaimLine.line_number)):
                lines.setdefault(row[1], []).append(_Line(*row[:-1]))
                if row[-1] is not None:  # a facility charge on its own day of the stay
                    line_days[row[0]] = row[-1]
        patients = sorted({c.patient_id for c in found.values()})
        coverages: dict[str, list[tuple[str, str, int, date, date | None]]] = {}
        for chunk in _chunks(patients):
            for cov in session.execute(select(
                    Coverage.id, Coverage.patient_id, Coverage.payer_id, Coverage.priority,
                    Coverage.effective_from, Coverage.effective_to).where(
                    Coverage.practice_id == practice, Coverage.patient_id.in_(chunk))):
                coverages.setdefault(cov[1], []).append(
                    (cov[0], cov[2], cov[3], cov[4], cov[5]))
        days: dict[str, date] = {}
        for chunk in _chunks(sorted({c.encounter_id for c in found.values()})):
            for eid, served in session.execute(select(Encounter.id, Encounter.date_of_service)
                                               .where(Encounter.id.in_(chunk))):
                days[eid] = served
        secondaries = self._secondaries(uow, practice, payer, found, lines)
        for claim in found.values():
            state_row = claim if claim.payer_id == payer.id else secondaries.get(claim.id)
            if state_row is None:
                continue
            day = days.get(claim.encounter_id)
            held = coverages.get(claim.patient_id, [])
            priority = next((c[2] for c in held if c[0] == state_row.coverage_id), 1)
            following = sorted((c for c in held
                                if c[2] > priority and c[3] <= (day or date.max)
                                and (c[4] is None or day is None or c[4] >= day)),
                               key=lambda c: c[2])
            self.state_rows[claim.id] = state_row
            self.expected.append(ExpectedClaim(
                claim.id, claim.patient_id, payer.id,
                tuple(ExpectedLine(ln.id, ln.code, ln.charge_amount, line_days.get(ln.id, day),
                                   tuple(m for m in ln.modifiers.split(",") if m) if ln.modifiers
                                   else (), Decimal(ln.units), ln.revenue_code)
                      for ln in lines.get(claim.id, [])),
                state_row.payer_claim_control_number or "",
                following[0][1] if following else None))

    @staticmethod
    def _secondaries(uow: UnitOfWork, practice: str, payer: Payer,
                     found: dict[str, BilledClaim], lines: dict[str, list[_Line]]
                     ) -> dict[str, BilledClaim]:
        """Claims of ``payer`` billing the same charges as a found claim of another payer."""
        others = {cid: c for cid, c in found.items() if c.payer_id != payer.id}
        if not others:
            return {}
        by_charge = {ln.charge_id: cid for cid in others for ln in lines.get(cid, [])}
        out: dict[str, BilledClaim] = {}
        for chunk in _chunks(sorted(by_charge)):
            for row in uow.session.execute(
                    select(*_CLAIM_COLUMNS, ClaimLine.charge_id)
                    .join(ClaimLine, ClaimLine.claim_id == Claim.id)
                    .where(Claim.practice_id == practice, Claim.payer_id == payer.id,
                           ClaimLine.charge_id.in_(chunk))):
                out.setdefault(by_charge[row[-1]], BilledClaim(*row[:-1]))
        return out


# --- writing ----------------------------------------------------------------------------------


_VALUE: dict[str, str] = {member: member.value for member in (*journal.EntryKind, *AccountKind)}
"""Entry and account kinds as plain strings (a dictionary hit instead of the enum's ``value``
descriptor, 100,000s of times per file)."""
_REFS_JSON = json.JSONEncoder(sort_keys=True)
"""One encoder for every entry's refs (``json.dumps(..., sort_keys=True)`` builds a new one
per call, a measurable share of posting 100,000 claims)."""


def store_entries(ctx: Ctx, uow: UnitOfWork, entries: Sequence[JournalEntry]) -> None:
    """Append entries and their postings with two bulk inserts.

    The rows are exactly those ``services.ledger.store_entry`` writes. The entries come
    straight from the ledger's constructors, which refuse an unbalanced or malformed entry
    (``check_entry``), so they are not checked a second time here; the money movement is
    audited once per file by the caller instead of once per entry. Rows go to the driver as
    tuples (``store.bulk``): SQLAlchemy's per-row parameter handling cost more CPU than the
    database's own work.
    """
    if not entries:
        return
    entry_rows = []
    posting_rows = []
    dumps = _REFS_JSON.encode
    last: Mapping[str, str] | None = None
    refs = ""
    for entry in entries:
        eid = entry.entry_id
        if entry.refs != last:  # a claim's later entries repeat its refs: encoded once
            last, refs = entry.refs, dumps(dict(entry.refs))
        entry_rows.append((eid, _VALUE[entry.kind], entry.effective_on, entry.memo[:200],
                           entry.reverses, refs))
        for p in entry.postings:
            account = p.account
            posting_rows.append((eid, account.key, p.amount, _VALUE[account.kind],
                                 account.patient_id, account.claim_id, account.payer_id))
    connection = uow.session.connection()
    practice = ctx.actor.practice_id
    insert_rows(connection, JournalEntryRow,
                ("id", "kind", "effective_on", "memo", "reverses", "refs"), entry_rows,
                {"practice_id": practice, "created_by": ctx.actor.user_id,
                 "created_at": ctx.clock()})
    insert_rows(connection, PostingRow,
                ("entry_id", "account", "amount", "account_kind", "patient_id", "claim_id",
                 "payer_id"), posting_rows, {"practice_id": practice})


def _earlier_postings(uow: UnitOfWork, practice: str, claim_id: str, payer_control: str
                      ) -> list[JournalEntry]:
    """Entries an earlier 835 posted for the claim under that payer claim number."""
    rows = list(uow.session.scalars(select(JournalEntryRow).where(
        JournalEntryRow.practice_id == practice, JournalEntryRow.id.like("era-%"),
        JournalEntryRow.refs.like(f'%"claim": "{claim_id}"%')).order_by(JournalEntryRow.seq)))
    keep = []
    for row in rows:
        refs = json.loads(row.refs)
        if refs.get("source") == "835" and refs.get("payer_control") == payer_control:
            keep.append(row)
    if not keep:
        return []
    legs: dict[str, list[journal.Posting]] = {r.id: [] for r in keep}
    for posting in uow.session.scalars(select(PostingRow).where(
            PostingRow.entry_id.in_(list(legs))).order_by(PostingRow.seq)):
        legs[posting.entry_id].append(journal.Posting(Account.parse(posting.account),
                                                      posting.amount))
    reversed_ids = set(uow.session.scalars(select(JournalEntryRow.reverses).where(
        JournalEntryRow.reverses.in_(list(legs)))))
    return [JournalEntry(r.id, journal.EntryKind(r.kind), r.effective_on, tuple(legs[r.id]),
                         r.memo, r.reverses, json.loads(r.refs))
            for r in keep if r.id not in reversed_ids]


def _advance(ctx: Ctx, uow: UnitOfWork, claim: Claim, target: ClaimState, reason: str) -> None:
    """Move a claim if the transition table allows it (a late or repeated response does not
    move a claim backwards); the event records why."""
    if claim.state == target.value or transition(claim.state, target.value) is None:
        return
    uow.session.add(ClaimEvent(practice_id=claim.practice_id, claim_id=claim.id,
                               from_state=claim.state, to_state=target.value,
                               actor=ctx.actor.user_id, reason=reason[:200], at=ctx.clock()))
    claim.state = target.value
    claim.version += 1
    claim.updated_at = ctx.clock()


def _advance_many(ctx: Ctx, uow: UnitOfWork, moves: list[tuple[BilledClaim, ClaimState, str]],
                  controls: dict[str, str]) -> None:
    """:func:`_advance` for a whole remittance: events and claim updates as two executemany
    statements instead of one ORM flush per claim (large 835s move thousands of claims)."""
    now = ctx.clock()
    events: list[tuple[str, str, str, str, str]] = []
    updates: list[tuple[str, str | None, int, datetime, str]] = []
    for claim, target, reason in moves:
        state = claim.state
        if state != target.value and transition(state, target.value) is not None:
            events.append((new_id(), claim.id, state, target.value, reason[:200]))
            state = target.value
        control = controls.get(claim.id)
        if state != claim.state or (control and control != claim.payer_claim_control_number):
            updates.append((state, control or claim.payer_claim_control_number,
                            claim.version + (state != claim.state), now, claim.id))
    connection = uow.session.connection()
    insert_rows(connection, ClaimEvent,
                ("id", "claim_id", "from_state", "to_state", "reason"), events,
                {"practice_id": ctx.actor.practice_id, "actor": ctx.actor.user_id, "at": now})
    update_rows(connection, Claim,
                ("state", "payer_claim_control_number", "version", "updated_at"), "id", updates)


def _state_row(uow: UnitOfWork, claim: Claim | None, target: ClaimState,
               payer_id: str | None = None) -> Claim | None:
    """The claim row an acknowledgment moves: ``claim`` itself, or — a secondary claim being
    billed under its primary's id (CLM01) — the claim billing the same charges.

    When the answering payer is known (``payer_id``, from the 277CA's NM1*PR) only that
    payer's claim is taken, so a late answer from the primary payer never moves the secondary
    claim; otherwise the first claim that can take the transition. None when no row can.
    """
    if claim is None:
        return None
    if payer_id is not None and claim.payer_id == payer_id:
        return claim if transition(claim.state, target.value) is not None else None
    if payer_id is None and transition(claim.state, target.value) is not None:
        return claim
    charges = select(ClaimLine.charge_id).where(ClaimLine.claim_id == claim.id)
    query = select(Claim).join(ClaimLine, ClaimLine.claim_id == Claim.id).where(
        Claim.id != claim.id, ClaimLine.charge_id.in_(charges))
    if payer_id is not None:
        query = query.where(Claim.payer_id == payer_id)
    for other in uow.session.scalars(query.distinct()):
        if transition(other.state, target.value) is not None:
            return other
    return None


def _adjudicated_state(posting: ClaimPosting) -> ClaimState:
    held = sum((ln.total(Action.HOLD) for ln in posting.lines), ZERO)
    if posting.status == "4" or (posting.paid == 0 and held > 0):
        return ClaimState.DENIED
    return ClaimState.PARTIALLY_PAID if held > 0 else ClaimState.ADJUDICATED_PAID


def _secondary_claim(ctx: Ctx, uow: UnitOfWork, primary: BilledClaim, payer_id: str) -> None:
    """Open the claim to the next payer (same charges, state ready) unless one exists."""
    coverage = uow.session.scalar(select(Coverage).where(
        Coverage.practice_id == primary.practice_id, Coverage.patient_id == primary.patient_id,
        Coverage.payer_id == payer_id).order_by(Coverage.priority))
    if coverage is None:
        return
    lines = list(uow.session.scalars(select(ClaimLine).where(
        ClaimLine.claim_id == primary.id).order_by(ClaimLine.line_number)))
    exists = uow.session.scalar(select(Claim.id).join(ClaimLine, ClaimLine.claim_id == Claim.id)
                                .where(Claim.payer_id == payer_id,
                                       ClaimLine.charge_id.in_([ln.charge_id for ln in lines]))
                                .limit(1))
    if exists is not None:
        return
    second = Claim(practice_id=primary.practice_id, encounter_id=primary.encounter_id,
                   patient_id=primary.patient_id, coverage_id=coverage.id, payer_id=payer_id,
                   frequency_code="1", state=ClaimState.READY.value,
                   total_charge=primary.total_charge, created_at=ctx.clock(),
                   updated_at=ctx.clock())
    uow.session.add(second)
    uow.session.flush()
    uow.session.add_all([ClaimLine(practice_id=primary.practice_id, claim_id=second.id,
                                   charge_id=ln.charge_id, line_number=ln.line_number,
                                   code=ln.code, modifiers=ln.modifiers, units=ln.units,
                                   charge_amount=ln.charge_amount, revenue_code=ln.revenue_code)
                      for ln in lines])


def _key(uow: UnitOfWork, ctx: Ctx, key: str, response: str) -> None:
    uow.session.add(IdempotencyKey(practice_id=ctx.actor.practice_id, key=key[:100],
                                   user_id=ctx.actor.user_id,
                                   request_hash=hashlib.sha256(key.encode()).hexdigest(),
                                   response=response))
    uow.session.flush()


def _seen(uow: UnitOfWork, ctx: Ctx, key: str) -> IdempotencyKey | None:
    return uow.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.practice_id == ctx.actor.practice_id, IdempotencyKey.key == key[:100]))


def _remittance_key(payer: Payer, view: RemittanceView) -> str:
    digest = hashlib.sha256(f"{payer.id}|{view.trace_number}|{view.amount}".encode())
    return f"835:trn:{digest.hexdigest()[:48]}"


def _contract(uow: UnitOfWork, practice_id: str, payer_id: str, on: date) -> FeeSchedule_:
    """The payer's contracted allowed amounts in force on ``on`` (empty when none)."""
    rows = uow.session.execute(
        select(FeeScheduleItem.code, FeeScheduleItem.modifier, FeeScheduleItem.amount)
        .join(FeeSchedule, FeeSchedule.id == FeeScheduleItem.fee_schedule_id)
        .where(FeeSchedule.practice_id == practice_id, FeeSchedule.payer_id == payer_id,
               FeeSchedule.effective_from <= on,
               (FeeSchedule.effective_to.is_(None)) | (FeeSchedule.effective_to >= on)))
    return {(code, modifier or ""): amount for code, modifier, amount in rows}


def _underpayments(ctx: Ctx, uow: UnitOfWork, plan: PostingPlan, billed: _Claims,
                   schedule: FeeSchedule_, today: date) -> None:
    """A work item for each line the payer allowed below its contract."""
    lines = {ln.line_id: ln for claim in billed.expected for ln in claim.lines}
    work = []
    for posting in plan.claims:
        row = billed.state_rows.get(posting.claim_id)
        for line in posting.lines:
            found = underpayment(schedule, lines[line.line_id], line) \
                if line.line_id in lines and not posting.reversal else None
            if found is not None:
                work.append({"id": new_id(), "practice_id": ctx.actor.practice_id,
                             "kind": "underpayment", "claim_id": row.id if row else None,
                             "due_on": today + timedelta(days=DENIAL_DUE_DAYS), "status": "open",
                             "summary": (f"{found.procedure} allowed {found.allowed}, contract "
                                         f"{found.contracted}: underpaid {found.short}")[:200],
                             "created_at": ctx.clock()})
    if work:
        uow.session.connection().execute(insert(WorkItem), work)


def _balanced(view: RemittanceView) -> list[RemittanceView]:
    """A piece of a remittance as balanced sub-remittances: its claim payments (paid = their
    sum) and, in the last piece, its PLB adjustments on their own."""
    out = []
    if view.claims:
        out.append(replace(view, claims=view.claims, provider_adjustments=(),
                           amount=sum((c.paid for c in view.claims), ZERO)))
    if view.provider_adjustments:
        out.append(replace(view, claims=(), provider_adjustments=view.provider_adjustments,
                           amount=-sum((p.amount for p in view.provider_adjustments), ZERO)))
    return out


def _post_one(ctx: Ctx, uow: UnitOfWork, pieces: Iterator[RemittanceView], prefix: str,
              today: date, progress: Callable[[int], None] | None = None) -> RemittanceOut:
    """Post one 835 transaction arriving in pieces of at most CLAIMS_PER_CHUNK claims.

    Only one piece is held at a time. The balance (BPR02 = sum CLP04 - sum PLB) is summed as
    the pieces go by and checked after the last one, before the caller commits: a refused
    remittance rolls the whole file back, so nothing of it is ever committed.
    """
    practice = ctx.actor.practice_id
    view = next(pieces)
    payer = _payer_of(uow, practice, view)
    payer_id = payer.id
    key = _remittance_key(payer, view)
    if _seen(uow, ctx, key) is not None:
        claims = len(view.claims) + sum(len(p.claims) for p in pieces)
        return RemittanceOut(trace_number=view.trace_number, payer_id=payer_id,
                             amount=view.amount, claims=claims, posted=0,
                             exceptions=[], denials=0, entries=0, duplicate=True)
    on = view.payment_date or today
    remittance_id = new_id()  # written first: the claim payment links point at it
    uow.session.add(Remittance(id=remittance_id, practice_id=practice, payer_id=payer_id,
                               trace_number=view.trace_number[:50], paid_on=on,
                               total_amount=view.amount, created_at=ctx.clock()))
    uow.session.flush()
    schedule = _contract(uow, practice, payer_id, on)
    exceptions: list[str] = []
    posted = denials = count = claims = 0
    paid = withheld = ZERO
    parts = (part for whole in chain([view], pieces) for part in _balanced(whole))
    for k, piece in enumerate(parts):
        offset = claims
        claims += len(piece.claims)
        paid += sum((c.paid for c in piece.claims), ZERO)
        withheld += sum((p.amount for p in piece.provider_adjustments), ZERO)
        billed = _Claims(uow, practice, payer, piece)
        plan = plan_remittance(piece, payer_id, billed.expected)
        if plan.refused:  # pieces balance by construction; kept as a guard
            raise InvalidInput(f"remittance {view.trace_number} refused: {plan.refused}")
        entries: list[JournalEntry] = []
        unplaced = ZERO
        exceptions += [f"{e.code}: {e.message}" for e in plan.exceptions]
        failed = {e.position: e.code for e in reversed(plan.exceptions)}
        for n, posting in enumerate(c for c in plan.claims if c.reversal):
            earlier = _earlier_postings(uow, practice, posting.claim_id, posting.payer_control)
            undo = reversal_entries(earlier, f"{prefix}-{k}r{n}", on)
            cash = sum((p.amount for e in undo for p in e.postings if p.account.key == "cash"),
                       ZERO)
            if not undo or cash != posting.paid:
                unplaced += posting.paid
                failed[posting.position] = "REMIT-REVERSAL-UNMATCHED"
                exceptions.append(f"REMIT-REVERSAL-UNMATCHED: reversal of payer claim "
                                  f"{posting.payer_control} does not match an earlier posting")
                continue
            entries += undo
        entries += plan_entries(plan, f"{prefix}-{k}", on)
        if unplaced:
            entries.append(journal.provider_adjustment(
                f"{prefix}-{k}u", on, payer_id, "unmatched", -unplaced,
                against=Account.unapplied(payer_id),
                refs={"remittance": view.trace_number, "source": "835"}))
        store_entries(ctx, uow, entries)
        _links(ctx, uow, remittance_id, piece, plan, billed, offset, failed)
        _effects(ctx, uow, plan, billed, today)
        if schedule:
            _underpayments(ctx, uow, plan, billed, schedule, today)
        posted += plan.claims_received - plan.claims_unmatched
        denials += len(plan.denials)
        count += len(entries)
        uow.session.flush()
        uow.session.expunge_all()  # nothing of this piece is needed again
        if progress is not None:
            progress(len(piece.claims))
    problem = totals_problem(view.amount, paid, withheld)
    if problem:
        raise InvalidInput(f"remittance {view.trace_number} refused: {problem}; nothing in the "
                           "file was posted")
    summary = RemittanceOut(trace_number=view.trace_number, payer_id=payer_id,
                            amount=view.amount, claims=claims, posted=posted,
                            exceptions=exceptions, denials=denials, entries=count,
                            remittance_id=remittance_id)
    _key(uow, ctx, key, summary.model_dump_json())
    return summary


def _links(ctx: Ctx, uow: UnitOfWork, remittance_id: str, piece: RemittanceView,
           plan: PostingPlan, billed: _Claims, offset: int, failed: dict[int, str]) -> None:
    """Record which claim and line each claim payment and service line of a piece paid.

    Args:
        offset: claim payments of the remittance in the pieces before this one.
        failed: position in the piece -> the exception code of a payment that did not post.
    """
    postings = {p.position: p for p in plan.claims}
    claim_rows: list[tuple[object, ...]] = []
    line_rows: list[tuple[object, ...]] = []
    for n, payment in enumerate(piece.claims, start=1):
        posting = postings.get(n)
        row = billed.state_rows.get(posting.claim_id) if posting is not None else None
        code = failed.get(n, "")
        outcome = ("exception" if code or posting is None
                   else "reversal" if posting.reversal else "posted")
        link = new_id()
        claim_rows.append((link, offset + n, row.id if row is not None else None,
                           payment.patient_control[:38], payment.payer_control[:50],
                           payment.status[:2], payment.charge, payment.paid,
                           payment.patient_responsibility, outcome, code[:40]))
        matched = (posting.lines if posting is not None and outcome == "posted"
                   and len(posting.lines) == len(payment.lines) else ())
        for m, svc in enumerate(payment.lines, start=1):
            line_rows.append((new_id(), link, m, matched[m - 1].line_id if matched else None,
                              svc.code[:48], svc.charge, svc.paid))
    connection = uow.session.connection()
    practice = {"practice_id": ctx.actor.practice_id}
    insert_rows(connection, RemittanceClaim,
                ("id", "position", "claim_id", "patient_control", "payer_control", "status",
                 "charge", "paid", "patient_responsibility", "outcome", "exception"),
                claim_rows, {**practice, "remittance_id": remittance_id})
    insert_rows(connection, RemittanceLine,
                ("id", "remittance_claim_id", "position", "claim_line_id", "procedure", "charge",
                 "paid"), line_rows, practice)


def _effects(ctx: Ctx, uow: UnitOfWork, plan: PostingPlan, billed: _Claims, today: date
             ) -> None:
    """Claim states, payer claim numbers, secondary claims and work items of a plan."""
    due = today + timedelta(days=DENIAL_DUE_DAYS)
    work: list[dict[str, object]] = []
    moves: list[tuple[BilledClaim, ClaimState, str]] = []
    controls: dict[str, str] = {}
    secondaries: list[tuple[BilledClaim, str]] = []
    for posting in plan.claims:
        row = billed.state_rows.get(posting.claim_id)
        if row is None or posting.reversal:
            continue
        if posting.payer_control:
            controls[row.id] = posting.payer_control[:50]
        moves.append((row, _adjudicated_state(posting), f"835 {plan.trace_number}"))
        moved = sum((ln.total(Action.TRANSFER) for ln in posting.lines), ZERO)
        if posting.next_payer_id and moved > 0:
            secondaries.append((row, posting.next_payer_id))
    _advance_many(ctx, uow, moves, controls)
    for row, payer_id in secondaries:
        _secondary_claim(ctx, uow, row, payer_id)
    for denial in plan.denials:
        row = billed.state_rows.get(denial.claim_id)
        work.append({"practice_id": ctx.actor.practice_id, "kind": "denial",
                     "claim_id": row.id if row else None, "due_on": due, "status": "open",
                     "summary": denial_summary(denial), "created_at": ctx.clock()})
    for item in plan.exceptions:
        work.append({"practice_id": ctx.actor.practice_id, "kind": "era_exception",
                     "claim_id": None, "due_on": today + timedelta(days=7), "status": "open",
                     "summary": f"{item.code} {plan.trace_number}: {item.message}"[:200],
                     "created_at": ctx.clock()})
    if work:
        uow.session.execute(insert(WorkItem), work)


def denial_summary(denial: Denial) -> str:
    """A denial work item's summary: ``CO-50 medical necessity: <next action>`` (the prefix
    appeal letters and the KPIs read back), the payer's remark codes (RARC), then the CARC in
    words as far as the column's 200 characters allow (the appeal letter has all of it)."""
    text = f"{denial.group}-{denial.reason} {denial.category}: {denial.next_action}"
    if denial.remarks:
        text += f" | RARC {', '.join(code for code, _ in denial.remarks)}"
    if denial.description:
        text += f" | CARC {denial.reason}: {denial.description}"
    return text if len(text) <= 200 else text[:199] + "\u2026"


@requires(P.PAYMENT_POST)
def post_era(ctx: Ctx, content: bytes, *, today: date | None = None,
             progress: Progress | None = None) -> EraOut:
    """Post every 835 in a file, once, all or nothing.

    Raises:
        InvalidInput: not X12, no 835 in it, or a remittance refused (with the reason).
    """
    digest = hashlib.sha256(content).hexdigest()
    day = today or ctx.clock().date()
    file_key = f"835:file:{digest}"
    with ctx.uow() as uow:
        earlier = _seen(uow, ctx, file_key)
        if earlier is not None:
            return EraOut(file_hash=digest, duplicate=True, remittances=[
                RemittanceOut.model_validate(r) for r in json.loads(earlier.response)])
        results: list[RemittanceOut] = []
        done = 0
        try:
            for n, (_, transaction) in enumerate(groupby(
                    remittance_pieces(content, CLAIMS_PER_CHUNK), key=lambda p: p.transaction)):

                def advance(claims: int) -> None:
                    nonlocal done
                    done += claims
                    if progress is not None:
                        progress(done)

                results.append(_post_one(ctx, uow, (p.view for p in transaction),
                                         f"era-{digest[:16]}-{n}", day,
                                         advance))
        except X12SyntaxError as exc:
            raise InvalidInput(f"not an X12 file: {exc}") from exc
        if not results:
            raise InvalidInput("the file holds no 835 remittance")
        _key(uow, ctx, file_key, json.dumps([r.model_dump(mode="json") for r in results]))
        audit.record(ctx, uow, "remit.post", f"era:{digest[:16]}", phi=False, detail={
            "remittances": str(len(results)), "claims": str(done),
            "entries": str(sum(r.entries for r in results))})
        try:
            uow.commit()
        except IntegrityError as exc:
            raise Conflict("this remittance was posted at the same time by another process"
                           ) from exc
        return EraOut(file_hash=digest, duplicate=False, remittances=results)


# --- acknowledgments ---------------------------------------------------------------------------


class AckOut(Model):
    """What an acknowledgment file did: claims accepted and rejected (with reasons)."""

    kind: str
    accepted: list[str]
    rejected: dict[str, list[str]]


@requires(P.CLAIM_WRITE)
def ingest_ack(ctx: Ctx, content: bytes, *, submitted: Sequence[str] = ()) -> AckOut:
    """Apply a 999 or 277CA to the claims it is about.

    A 277CA moves each claim to accepted (with the payer's claim number) or to rejected with a
    work item for the biller giving the reasons in plain words. A 999 rejecting a transaction
    set rejects the claims of the batch (``submitted``: their ids, from the submission record).
    """
    practice = ctx.actor.practice_id
    accepted: list[str] = []
    rejected: dict[str, list[str]] = {}
    verdicts = read_277ca(content)
    acks = [] if verdicts else read_999(content)
    if not verdicts and not acks:
        raise InvalidInput("the file is neither a 999 nor a 277CA")
    kind = "277CA" if verdicts else "999"
    for ack in acks:
        ok = all(item.accepted for item in ack.sets)
        for claim_id in submitted:
            if ok:
                accepted.append(claim_id)
            else:
                rejected.setdefault(claim_id, []).append(
                    "the clearinghouse rejected the file's syntax (999)")
    for verdict in verdicts:  # CLM01 comes back upper-cased; claim ids are lower case
        if verdict.accepted:
            accepted.append(verdict.claim_id.lower())
        else:
            rejected[verdict.claim_id.lower()] = list(verdict.reasons)
    pcns = {v.claim_id.lower(): v.payer_control for v in verdicts}
    with ctx.uow() as uow:
        rows = {c.id: c for chunk in _chunks(sorted({*accepted, *rejected}))
                for c in uow.session.scalars(select(Claim).where(
                    Claim.practice_id == practice, Claim.id.in_(chunk)))}
        codes = {code: pid for code, pid in uow.session.execute(select(
            Payer.payer_code, Payer.id).where(Payer.practice_id == practice))}
        answering = {v.claim_id.lower(): codes.get(v.payer_id) for v in verdicts}
        for claim_id in accepted:
            row = _state_row(uow, rows.get(claim_id), ClaimState.ACCEPTED_277CA
                             if kind == "277CA" else ClaimState.ACCEPTED_999,
                             answering.get(claim_id))
            if row is None:
                continue
            if pcns.get(claim_id):
                row.payer_claim_control_number = pcns[claim_id][:50]
            target = ClaimState.ACCEPTED_277CA if kind == "277CA" else ClaimState.ACCEPTED_999
            _advance(ctx, uow, row, target, f"{kind} accepted")
        for claim_id, reasons in rejected.items():
            row = _state_row(uow, rows.get(claim_id), ClaimState.REJECTED_FRONT_END,
                             answering.get(claim_id))
            if row is None:
                continue
            _advance(ctx, uow, row, ClaimState.REJECTED_FRONT_END, f"{kind}: {'; '.join(reasons)}")
            uow.session.add(WorkItem(practice_id=practice, kind="rejection", claim_id=row.id,
                                     due_on=ctx.clock().date() + timedelta(days=3),
                                     summary=f"{kind} rejected: {'; '.join(reasons)}"[:200],
                                     created_at=ctx.clock()))
        audit.record(ctx, uow, "claim.ack", f"ack:{kind}", phi=False,
                     detail={"accepted": str(len(accepted)), "rejected": str(len(rejected))})
        uow.commit()
    return AckOut(kind=kind, accepted=accepted, rejected=rejected)


# --- submission ------------------------------------------------------------------------------


class BatchOut(Model):
    """One submitted batch: its control number, file name and the claims in it; ``sent``
    False with the adapter's ``problem`` when the clearinghouse did not take it (it is
    recorded and sent again by the next submit)."""

    control: int
    name: str
    claims: list[str]
    sha256: str
    sent: bool
    problem: str = ""


def _address(row: Location | None) -> model.Address | None:
    if row is None or not row.address_line1:
        return None
    return model.Address(row.address_line1, row.city, row.state, row.postal_code)


def _provider(ctx: Ctx, provider_id: str, address: model.Address | None) -> model.Provider:
    row: s.ProviderOut = records.get(ctx, practice.PROVIDERS, provider_id)
    organization = row.kind == "organization"
    return model.Provider(row.npi, row.organization_name if organization else row.last_name,
                          "" if organization else row.first_name, organization,
                          row.tax_id, "EI", row.taxonomy, address)


def _person(patient: s.PatientOut) -> model.Person:
    address = None
    if patient.address is not None:
        a = patient.address
        address = model.Address(a.line1, a.city, a.state, a.postal_code, a.line2)
    return model.Person(patient.id, patient.last_name, patient.first_name, patient.birth_date,
                        patient.sex, address)


_ORDER = (model.Responsibility.PRIMARY, model.Responsibility.SECONDARY,
          model.Responsibility.TERTIARY)


def _responsibility(priority: int) -> model.Responsibility:
    return _ORDER[min(max(priority, 1), 3) - 1]


def _coverage(ctx: Ctx, coverage_id: str, priority: int, payer: model.Payer,
              patient: s.PatientOut) -> model.Coverage:
    cov: s.CoverageOut = records.get(ctx, practice.COVERAGES, coverage_id, parent_id=patient.id)
    return model.Coverage(payer, _responsibility(priority), _person(patient), cov.member_id,
                          cov.relationship_code, cov.group_number, cov.effective_from,
                          cov.effective_to)


def _prior(uow: UnitOfWork, primary: Claim, billed: Mapping[str, ClaimLine], control: str,
           foreign: set[str], payer_code: str, priority: int) -> model.PriorAdjudication | None:
    """One earlier payer's 835 result, read back from the journal (see remit.entries).

    Every payer's 835 is posted under the primary's claim id (later claims keep its CLM01), so
    a payer's result is told apart by the payer claim number (CLP07) it gave its own claim,
    ``control``. Without one, the latest result that carries none of the ``foreign`` numbers
    (the other payers' claims of the same charges) is taken. It is dated with the 835's
    payment date (the entry's effective date), which the 837 reports as DTP*573. ``billed``:
    the primary's lines by id.
    """
    query = select(JournalEntryRow.refs, JournalEntryRow.effective_on).where(
        JournalEntryRow.practice_id == primary.practice_id, JournalEntryRow.id.like("era-%"),
        JournalEntryRow.refs.like(f'%"claim": "{primary.id}"%'),
        JournalEntryRow.refs.like(f'%"{ADJUDICATION}"%'))
    if control:
        query = query.where(JournalEntryRow.refs.like(f'%"payer_control": "{control}"%'))
    rows = uow.session.execute(query.order_by(JournalEntryRow.seq.desc()))
    for refs_text, on in rows:
        refs = json.loads(refs_text)
        if not control and refs.get("payer_control") in foreign:
            continue
        lines = decode_adjudication(refs[ADJUDICATION])
        return model.PriorAdjudication(
            payer_code, _responsibility(priority), sum((paid for paid, _ in lines.values()), ZERO),
            on, lines=tuple(model.LineAdjudication(
                line_id, billed[line_id].code if line_id in billed else "", paid,
                Decimal(billed[line_id].units if line_id in billed else 1),
                tuple(model.Adjustment(a.group, a.reason, a.amount) for a in adjustments))
                for line_id, (paid, adjustments) in lines.items()))
    return None


def _earlier_claims(sharing: Sequence[tuple[Claim, int]], claim: Claim, priority: int
                    ) -> list[tuple[Claim, int]]:
    """Of the claims ``sharing`` a charge with ``claim`` (with their coverage priorities, in
    payment order), those to the payers before its own, one per payer."""
    out: dict[str, tuple[Claim, int]] = {}
    for row, rank in sharing:
        if row.id != claim.id and row.payer_id != claim.payer_id and rank < priority:
            out.setdefault(row.payer_id, (row, rank))
    return list(out.values())


def claim_model(ctx: Ctx, claim_id: str) -> model.Claim:
    """A stored claim as the claims package's value, ready for the 837 writer.

    A secondary or tertiary claim is billed under its primary claim's id and line ids (the
    ledger keeps one receivable per payer and line), with each earlier payer's 835 result as
    COB data, in payment order. Stored rows
    are read in one unit of work; PHI is then read through the audited record service. A
    facility encounter's claim (the encounter has a type of bill) is completed as an
    institutional claim by :func:`openrcm.services.claims_institutional.as_institutional`.
    """
    with ctx.uow() as uow:
        claim = uow.session.get(Claim, claim_id)
        if claim is None or claim.practice_id != ctx.actor.practice_id:
            raise InvalidInput(f"claim {claim_id} not found")
        encounter = uow.session.get(Encounter, claim.encounter_id)
        assert encounter is not None
        location = uow.session.get(Location, encounter.location_id) if encounter.location_id \
            else uow.session.scalar(select(Location).where(
                Location.practice_id == claim.practice_id).order_by(Location.created_at).limit(1))
        coverages = list(uow.session.scalars(select(Coverage).where(
            Coverage.patient_id == claim.patient_id).order_by(Coverage.priority)))
        payers = {p.id: p for p in uow.session.scalars(select(Payer).where(
            Payer.id.in_([c.payer_id for c in coverages])))}
        lines = list(uow.session.scalars(select(ClaimLine).where(
            ClaimLine.claim_id == claim.id).order_by(ClaimLine.line_number)))
        own = next(c for c in coverages if c.id == claim.coverage_id)
        billed_id, line_ids = claim.id, {ln.id: ln.id for ln in lines}
        prior: tuple[model.PriorAdjudication, ...] = ()
        sharing = list(uow.session.execute(  # the claims of the same charges, payment order
            select(Claim, Coverage.priority).join(ClaimLine, ClaimLine.claim_id == Claim.id)
            .join(Coverage, Coverage.id == Claim.coverage_id)
            .where(ClaimLine.charge_id == lines[0].charge_id)
            .order_by(Coverage.priority, Claim.created_at)).tuples()) \
            if own.priority > 1 and lines else []
        earlier = _earlier_claims(sharing, claim, own.priority)
        if earlier:
            primary = earlier[0][0]
            billed = {ln.id: ln for ln in uow.session.scalars(
                select(ClaimLine).where(ClaimLine.claim_id == primary.id))}
            by_charge = {ln.charge_id: ln.id for ln in billed.values()}
            billed_id = primary.id
            line_ids = {ln.id: by_charge.get(ln.charge_id, ln.id) for ln in lines}
            numbers = {row.payer_claim_control_number for row, _ in sharing
                       if row.payer_claim_control_number}
            found = (_prior(uow, primary, billed, row.payer_claim_control_number or "",
                            numbers - {row.payer_claim_control_number},
                            payers[row.payer_id].payer_code, rank)
                     for row, rank in earlier if row.payer_id in payers)
            prior = tuple(p for p in found if p is not None)
        diagnoses = tuple(model.Diagnosis(d.code) for d in uow.session.scalars(
            select(Diagnosis).where(Diagnosis.encounter_id == encounter.id)
            .order_by(Diagnosis.sequence)))
        pointers = {c.id: tuple(int(x) for x in (c.diagnosis_pointers or "1").split(",") if x)
                    for c in uow.session.scalars(select(Charge).where(
                        Charge.encounter_id == encounter.id))}
        address = _address(location)
        payer_of = {pid: model.Payer(p.payer_code, p.name, p.claim_filing_indicator,
                                     p.timely_filing_days) for pid, p in payers.items()}
        plans = [(c.id, c.priority, c.payer_id) for c in coverages]
        own_plan = (own.id, own.priority, own.payer_id)
        patient_id, place = claim.patient_id, encounter.place_of_service
        rendering_id, billing_id = encounter.rendering_provider_id, encounter.billing_provider_id
        encounter_id = encounter.id
        frequency = model.Frequency(claim.frequency_code)
        control = claim.payer_claim_control_number or ""
        service_lines = tuple(model.ServiceLine(
            line_ids[ln.id], ln.code, ln.charge_amount, encounter.date_of_service,
            Decimal(ln.units), tuple(m for m in ln.modifiers.split(",") if m),
            pointers.get(ln.charge_id, (1,))) for ln in lines)
    patient: s.PatientOut = records.get(ctx, practice.PATIENTS, patient_id)
    this = _coverage(ctx, own_plan[0], own_plan[1], payer_of[own_plan[2]], patient)
    others = tuple(_coverage(ctx, cid, priority, payer_of[pid], patient)
                   for cid, priority, pid in plans if cid != own_plan[0])
    rendering = None
    if rendering_id != billing_id:
        rendering = _provider(ctx, rendering_id, None)
    return claims_institutional.as_institutional(ctx, claim_id, model.Claim(
        billed_id, model.ClaimKind.PROFESSIONAL, _provider(ctx, billing_id, address), this,
        _person(patient), diagnoses, service_lines, place_of_service=place,
        rendering_provider=rendering, other_coverages=others, prior_adjudications=prior,
        encounter_id=encounter_id, frequency=frequency, payer_claim_control_number=control))


def _last_control(uow: UnitOfWork, practice_id: str) -> int:
    keys = uow.session.scalars(select(IdempotencyKey.key).where(
        IdempotencyKey.practice_id == practice_id, IdempotencyKey.key.like("837:batch:%")))
    return max((int(k.rsplit(":", 1)[1]) for k in keys), default=0)


@requires(P.CLAIM_SUBMIT)
def submit(ctx: Ctx, adapter: Adapter, *, claim_ids: Sequence[str] | None = None,
           sender: str = "OPENRCM", receiver: str = "CLEARINGHOUSE",
           phone: str = "5555550100") -> BatchOut | None:
    """Send ready claims (all, or ``claim_ids``) in one 837 batch; None when none is ready.

    A batch holds one kind: professional claims go as 837P, facility claims as 837I. When
    both kinds are ready, the kind of the oldest ready claim goes now and the other stays
    ready for the next call.

    The batch (its exact bytes, encrypted, control number and claims) is recorded and the
    claims moved to submitted in one transaction *before* the adapter sends it, and each claim
    gets a submission key, so a retry or a second run can never send a claim twice; a recorded batch
    that the adapter did not confirm is sent by :func:`resend_pending`.
    """
    practice_id = ctx.actor.practice_id
    today = ctx.clock().date()
    query = select(Claim.id, Claim.version).where(Claim.practice_id == practice_id,
                                                  Claim.state == ClaimState.READY.value)
    if claim_ids is not None:
        query = query.where(Claim.id.in_(list(claim_ids)))
    with ctx.uow() as uow:
        ready = [(cid, version) for cid, version in uow.session.execute(
            query.order_by(Claim.created_at, Claim.id))
            if _seen(uow, ctx, f"837:claim:{cid}:{version}") is None]
    if not ready:
        return None
    values = [claim_model(ctx, cid) for cid, _ in ready]
    kind = values[0].kind
    same = [i for i, v in enumerate(values) if v.kind is kind]
    ready, values = [ready[i] for i in same], [values[i] for i in same]
    with ctx.uow() as uow:
        rows = [uow.session.get(Claim, cid) for cid, _ in ready]
        if any(r is None or r.state != ClaimState.READY.value for r in rows):
            raise Conflict("a claim changed while the batch was being built; submit again")
        control = next_control_numbers(_last_control(uow, practice_id), 1)[0]
        env = Envelope(sender[:15], receiver[:15], control, control, today,
                       ctx.clock().strftime("%H%M"))
        text = write_837(values, env, Party("OPENRCM PRACTICE", sender, "BILLING", phone),
                         Party(receiver, receiver), control)
        name = f"837{'I' if kind is model.ClaimKind.INSTITUTIONAL else 'P'}-{control:09d}.x12"
        digest = hashlib.sha256(text.encode()).hexdigest()
        for row, value in zip(rows, values, strict=True):
            assert row is not None
            _key(uow, ctx, f"837:claim:{row.id}:{row.version}", json.dumps(
                {"batch": control, "clm01": value.claim_id}))
            _advance(ctx, uow, row, ClaimState.SUBMITTED, f"837 batch {control}")
        _key(uow, ctx, f"837:batch:{control:09d}", json.dumps(
            {"name": name, "claims": [cid for cid, _ in ready], "sha256": digest,
             "x12": ctx.cipher.encrypt(text, context=BATCH_CONTEXT)}))
        audit.record(ctx, uow, "claim.submit", f"batch:{control}", phi=False,
                     detail={"claims": str(len(rows)), "sha256": digest})
        uow.commit()
    problem = _send(ctx, adapter, control, name, text)
    return BatchOut(control=control, name=name, claims=[cid for cid, _ in ready], sha256=digest,
                    sent=problem is None, problem=problem or "")


def _send(ctx: Ctx, adapter: Adapter, control: int, name: str, text: str) -> str | None:
    """Hand a recorded batch to the adapter; None once it is confirmed sent, else the
    adapter's reason (the batch stays recorded for :func:`resend_pending`)."""
    try:
        adapter.submit(OutboundFile(name, "837", text.encode()))
    except AdapterError as exc:
        if "already sent" not in str(exc):
            return str(exc)
    with ctx.uow() as uow:
        if _seen(uow, ctx, f"837:sent:{control:09d}") is None:
            _key(uow, ctx, f"837:sent:{control:09d}", name)
            uow.commit()
    return None


@requires(P.CLAIM_SUBMIT)
def resend_pending(ctx: Ctx, adapter: Adapter) -> list[str]:
    """Send recorded batches the adapter never confirmed (same name, same bytes)."""
    with ctx.uow() as uow:
        batches = {k.key.rsplit(":", 1)[1]: json.loads(k.response) for k in uow.session.scalars(
            select(IdempotencyKey).where(IdempotencyKey.practice_id == ctx.actor.practice_id,
                                         IdempotencyKey.key.like("837:batch:%")))}
        sent = set(k.rsplit(":", 1)[1] for k in uow.session.scalars(
            select(IdempotencyKey.key).where(IdempotencyKey.practice_id == ctx.actor.practice_id,
                                             IdempotencyKey.key.like("837:sent:%"))))
    return [b["name"] for control, b in sorted(batches.items()) if control not in sent
            and _send(ctx, adapter, int(control), b["name"],
                      ctx.cipher.decrypt(b["x12"], context=BATCH_CONTEXT)) is None]


class FetchOut(Model):
    """What ``responses fetch`` did with each file received."""

    files: list[str]
    acks: list[AckOut]
    remittances: list[EraOut]
    other: list[str]


@requires(P.CLAIM_WRITE)
def fetch_responses(ctx: Ctx, adapter: Adapter) -> FetchOut:
    """Fetch what came back and apply it: acknowledgments to claims, 835s to the ledger.

    Both permissions are checked before the fetch: an adapter returns each file once, so a
    caller who may not apply what comes back must not take it from the inbox.
    """
    authorize(ctx, P.PAYMENT_POST)
    return apply_responses(ctx, adapter.fetch())


def apply_responses(ctx: Ctx, files: Sequence[InboundFile]) -> FetchOut:
    """Apply files already fetched (999s, then 277CAs, then 835s); others are listed only.

    For callers that fetch for another reason: an eligibility or status check takes its 271 or
    277 from the same inbox and must not swallow the acknowledgments and remittances that
    arrived with it.
    """
    out = FetchOut(files=[], acks=[], remittances=[], other=[])
    sorted_in: list[tuple[int, InboundFile]] = []
    for item in files:
        out.files.append(item.name)
        if read_999(item.content):
            sorted_in.append((0, item))
        elif read_277ca(item.content):
            sorted_in.append((1, item))
        elif _is_835(item.content):
            sorted_in.append((2, item))
        else:
            out.other.append(item.name)
    # a 999 answers before the 277CA that follows it, and both before any 835
    for rank, item in sorted(sorted_in, key=lambda pair: pair[0]):
        if rank == 0:
            out.acks.append(ingest_ack(ctx, item.content, submitted=_batch_claims(ctx, item)))
        elif rank == 1:
            out.acks.append(ingest_ack(ctx, item.content))
        else:
            out.remittances.append(post_era(ctx, item.content))
    return out


def _is_835(content: bytes) -> bool:
    """An interchange whose first transaction set is an 835 (ISA04 is the element separator)."""
    head = content.lstrip()[:8192]
    if not head.startswith(b"ISA") or len(head) < 4:
        return False
    sep = head[3:4]
    return b"ST" + sep + b"835" + sep in head


def _batch_claims(ctx: Ctx, item: InboundFile) -> list[str]:
    """The claims of the batch a 999 answers (AK102 = our GS06 = the batch control number)."""
    groups = [a.group_control for a in read_999(item.content)]
    with ctx.uow() as uow:
        out: list[str] = []
        for group in groups:
            if not group.isdigit():
                continue
            record = _seen(uow, ctx, f"837:batch:{int(group):09d}")
            if record is not None:
                out += json.loads(record.response)["claims"]
        return out


# --- KPIs -----------------------------------------------------------------------------------


class KpiOut(Model):
    """Remittance KPIs of the practice (see ``openrcm.remit.kpi`` for the definitions)."""

    claims: int
    auto_posted: int
    auto_post_rate: Decimal
    lines_denied: dict[str, int]
    denial_rate: dict[str, Decimal]
    days_to_payment_mean: Decimal | None
    days_to_payment_median: Decimal | None


@requires(P.LEDGER_READ)
def kpis(ctx: Ctx) -> KpiOut:
    """Auto-post rate (claim payments posted without a person), denials per category per
    claim payment received, and days from a claim's first submission to the payment date of
    the first 835 that adjudicated it without denying it (CLP02 not 4; its BPR16, not the day
    openrcm posted the file)."""
    practice_id = ctx.actor.practice_id
    with ctx.uow() as uow:
        summaries = [RemittanceOut.model_validate_json(r) for r in uow.session.scalars(
            select(IdempotencyKey.response).where(IdempotencyKey.practice_id == practice_id,
                                                  IdempotencyKey.key.like("835:trn:%")))]
        denied: dict[str, int] = dict.fromkeys(DENIAL_CATEGORIES, 0)
        for summary in uow.session.scalars(select(WorkItem.summary).where(
                WorkItem.practice_id == practice_id, WorkItem.kind == "denial")):
            category = summary.split(" ", 1)[1].split(":", 1)[0] if " " in summary else ""
            if category in denied:
                denied[category] += 1
        sent: dict[str, date] = {}
        for claim_id, at in uow.session.execute(select(ClaimEvent.claim_id, ClaimEvent.at).where(
                ClaimEvent.practice_id == practice_id,
                ClaimEvent.to_state == ClaimState.SUBMITTED.value).order_by(ClaimEvent.at)):
            sent.setdefault(claim_id, at.date())
        paid: dict[str, date] = {}
        for paid_claim, on in uow.session.execute(
                select(RemittanceClaim.claim_id, Remittance.paid_on)
                .join(Remittance, Remittance.id == RemittanceClaim.remittance_id)
                .where(RemittanceClaim.practice_id == practice_id,
                       RemittanceClaim.outcome == "posted", RemittanceClaim.status != "4")
                .order_by(Remittance.paid_on)):
            if paid_claim is not None:
                paid.setdefault(paid_claim, on)
    claims = sum(s.claims for s in summaries)
    auto = sum(s.posted for s in summaries)
    mean, median = days_to_payment((sent[c], on) for c, on in paid.items() if c in sent)
    rate = (Decimal(auto) / claims).quantize(Decimal("0.0001")) if claims else Decimal(0)
    return KpiOut(claims=claims, auto_posted=auto, auto_post_rate=rate, lines_denied=denied,
                  denial_rate={c: (Decimal(n) / claims).quantize(Decimal("0.0001"))
                               if claims else Decimal(0) for c, n in denied.items()},
                  days_to_payment_mean=mean, days_to_payment_median=median)
