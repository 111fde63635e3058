"""Money movements through the append-only journal, balances by SQL, idempotent posting.

Every entry is built by an ``openrcm.ledger.journal`` constructor (balanced by construction and
checked again with ``check_entry``) and stored as one journal row plus its postings; nothing here
ever updates or deletes them. Balances are ``SUM`` over postings, and agree with
``openrcm.ledger.balances`` over the same entries (the tests replay the journal to prove it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from openrcm.findings import has_errors
from openrcm.ledger import balances, journal
from openrcm.ledger.accounts import Account, AccountKind, LedgerError
from openrcm.ledger.journal import JournalEntry, Posting
from openrcm.money import ZERO
from openrcm.security.roles import Permission as P
from openrcm.services import audit
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import Conflict, InvalidInput, NotFound
from openrcm.services.records import find
from openrcm.services.schemas import Id, Model, SafeDate
from openrcm.store.db import UnitOfWork
from openrcm.store.models import (
    Adjustment,
    Claim,
    ClaimLine,
    IdempotencyKey,
    JournalEntryRow,
    Patient,
    Payment,
    PostingRow,
    Statement,
)
from openrcm.store.types import new_id

MAX_ENTRIES = 200


# --- storing and loading entries ---------------------------------------------------------


def store_entry(ctx: Ctx, uow: UnitOfWork, entry: JournalEntry) -> None:
    """Append one checked entry and its postings, and audit the money movement."""
    findings = journal.check_entry(entry)
    if has_errors(findings):
        raise InvalidInput(f"journal entry refused: {findings[0].message}")
    practice = ctx.actor.practice_id
    uow.session.add(JournalEntryRow(
        id=entry.entry_id, practice_id=practice, kind=entry.kind.value,
        effective_on=entry.effective_on, memo=entry.memo[:200], reverses=entry.reverses,
        refs=json.dumps(dict(entry.refs), sort_keys=True), created_by=ctx.actor.user_id,
        created_at=ctx.clock()))
    uow.session.flush()
    uow.session.add_all([
        PostingRow(practice_id=practice, entry_id=entry.entry_id, account=p.account.key,
                   amount=p.amount, account_kind=p.account.kind.value,
                   patient_id=p.account.patient_id, claim_id=p.account.claim_id,
                   payer_id=p.account.payer_id)
        for p in entry.postings])
    uow.session.flush()
    debits = sum((p.amount for p in entry.postings if p.amount > 0), ZERO)
    audit.record(ctx, uow, f"ledger.{entry.kind.value.lower()}", f"journal_entry:{entry.entry_id}",
                 phi=False, detail={"amount": str(debits), "kind": entry.kind.value})


def load_entries(uow: UnitOfWork, practice_id: str, *, patient_id: str | None = None,
                 limit: int | None = None) -> list[JournalEntry]:
    """Entries of the practice (optionally those touching one patient), oldest first."""
    query = select(JournalEntryRow).where(JournalEntryRow.practice_id == practice_id)
    if patient_id is not None:
        touching = select(PostingRow.entry_id).where(PostingRow.practice_id == practice_id,
                                                     PostingRow.patient_id == patient_id)
        query = query.where(JournalEntryRow.id.in_(touching))
    query = query.order_by(JournalEntryRow.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(reversed(list(uow.session.scalars(query))))
    postings: dict[str, list[Posting]] = {r.id: [] for r in rows}
    if rows:
        for p in uow.session.scalars(select(PostingRow).where(
                PostingRow.entry_id.in_(list(postings))).order_by(PostingRow.seq)):
            postings[p.entry_id].append(Posting(Account.parse(p.account), p.amount))
    return [JournalEntry(entry_id=r.id, kind=journal.EntryKind(r.kind),
                         effective_on=r.effective_on, postings=tuple(postings[r.id]),
                         memo=r.memo, reverses=r.reverses, refs=json.loads(r.refs))
            for r in rows]


def sql_balance(uow: UnitOfWork, practice_id: str, *, kinds: Iterable[AccountKind],
                patient_id: str | None = None, claim_id: str | None = None,
                payer_id: str | None = None) -> Decimal:
    """SUM of postings on accounts of ``kinds`` with the given dimensions."""
    query = select(func.sum(PostingRow.amount)).where(
        PostingRow.practice_id == practice_id,
        PostingRow.account_kind.in_([k.value for k in kinds]))
    if patient_id is not None:
        query = query.where(PostingRow.patient_id == patient_id)
    if claim_id is not None:
        query = query.where(PostingRow.claim_id == claim_id)
    if payer_id is not None:
        query = query.where(PostingRow.payer_id == payer_id)
    total = uow.session.scalar(query)
    return ZERO if total is None else Decimal(total)


# --- idempotency -------------------------------------------------------------------------


def idempotent(ctx: Ctx, key: str | None, request: str,
               run: Callable[[UnitOfWork], dict[str, Any]]) -> dict[str, Any]:
    """Run ``run`` once per (practice, key): a repeat returns the first result, posts nothing.

    ``request`` is the canonical text of the request; the same key with another request is
    refused rather than silently answered with the first result.

    Raises:
        Conflict: the key was used before with a different request.
    """
    digest = hashlib.sha256(request.encode()).hexdigest()
    if key is not None and not (1 <= len(key) <= 100):
        raise InvalidInput("Idempotency-Key must be 1-100 characters", field="Idempotency-Key")

    def replay(uow: UnitOfWork) -> dict[str, Any] | None:
        row = uow.session.scalar(select(IdempotencyKey).where(
            IdempotencyKey.practice_id == ctx.actor.practice_id, IdempotencyKey.key == key))
        if row is None:
            return None
        if row.request_hash != digest:
            raise Conflict("Idempotency-Key was already used for a different request",
                           field="Idempotency-Key")
        result: dict[str, Any] = json.loads(row.response)
        return result

    try:
        with ctx.uow() as uow:
            if key is not None and (earlier := replay(uow)) is not None:
                return earlier
            result = run(uow)
            if key is not None:
                uow.session.add(IdempotencyKey(
                    practice_id=ctx.actor.practice_id, key=key, user_id=ctx.actor.user_id,
                    request_hash=digest, response=json.dumps(result, default=str)))
                uow.session.flush()
            uow.commit()
            return result
    except IntegrityError:
        if key is None:
            raise
        with ctx.uow() as uow:  # a concurrent request with the same key won the race
            earlier = replay(uow)
        if earlier is None:
            raise
        return earlier


# --- commands ----------------------------------------------------------------------------


class PaymentIn(Model):
    source: Literal["patient", "insurance"]
    claim_line_id: Id | None = None
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("9999999.99"), max_digits=9,
                                     decimal_places=2)]
    received_on: SafeDate
    method: Literal["check", "eft", "card", "cash"] = "check"
    reference: Annotated[str, Field(max_length=50, pattern=r"^[0-9A-Za-z -]*$")] = ""


class AdjustmentIn(Model):
    kind: Literal["contractual", "write_off", "transfer_to_patient"]
    claim_line_id: Id
    responsible: Literal["insurance", "patient"] = "insurance"
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("9999999.99"), max_digits=9,
                                     decimal_places=2)]
    effective_on: SafeDate
    reason_code: Annotated[str, Field(max_length=10, pattern=r"^[0-9A-Za-z-]*$")] = ""
    write_off_reason: Literal["bad_debt", "small_balance", "timely_filing", "charity",
                              "other"] = "other"


class PostingResult(Model):
    entry_id: str
    record_id: str
    kind: str
    amount: Decimal
    patient_balance: Decimal


class EntryView(Model):
    entry_id: str
    kind: str
    effective_on: date
    memo: str
    reverses: str | None
    postings: list[dict[str, str]]


class AccountView(Model):
    patient_id: str
    patient_balance: Decimal
    insurance_balance: Decimal
    credit: Decimal
    entries: list[EntryView]


def _line(uow: UnitOfWork, ctx: Ctx, claim_line_id: str, patient_id: str
          ) -> tuple[ClaimLine, Claim]:
    line = find(uow, ClaimLine, claim_line_id, ctx.actor.practice_id, "claim line")
    claim = find(uow, Claim, line.claim_id, ctx.actor.practice_id, "claim")
    if claim.patient_id != patient_id:
        raise InvalidInput("claim_line_id is not a line of this patient's claims",
                           field="claim_line_id")
    return line, claim


def _patient_due(uow: UnitOfWork, ctx: Ctx, patient_id: str) -> Decimal:
    return sql_balance(uow, ctx.actor.practice_id, kinds=[AccountKind.AR_PATIENT],
                       patient_id=patient_id)


@requires(P.PAYMENT_POST)
def post_payment(ctx: Ctx, patient_id: str, cmd: PaymentIn, *,
                 idempotency_key: str | None = None) -> PostingResult:
    """Post money received from a patient or a payer (once per Idempotency-Key)."""

    def run(uow: UnitOfWork) -> dict[str, Any]:
        find(uow, Patient, patient_id, ctx.actor.practice_id, "patient")
        entry_id = new_id()
        payer_id: str | None = None
        try:
            if cmd.source == "patient":
                applied: list[tuple[Account, Decimal]] = []
                if cmd.claim_line_id:
                    line, claim = _line(uow, ctx, cmd.claim_line_id, patient_id)
                    applied.append((Account.ar_patient(patient_id, line.id,
                                                       claim_id=claim.id), cmd.amount))
                entry = journal.patient_payment(
                    entry_id, cmd.received_on, patient_id, applied,
                    credit=ZERO if applied else cmd.amount, memo=f"{cmd.method} payment")
            else:
                if not cmd.claim_line_id:
                    raise InvalidInput("an insurance payment needs claim_line_id",
                                       field="claim_line_id")
                line, claim = _line(uow, ctx, cmd.claim_line_id, patient_id)
                payer_id = claim.payer_id
                account = Account.ar_insurance(claim.payer_id, line.id,
                                               patient_id=patient_id, claim_id=claim.id)
                entry = journal.insurance_payment(entry_id, cmd.received_on, claim.payer_id,
                                                  [(account, cmd.amount)],
                                                  memo=f"{cmd.method} payment")
        except LedgerError as exc:
            raise InvalidInput(str(exc)) from exc
        store_entry(ctx, uow, entry)
        payment = Payment(practice_id=ctx.actor.practice_id, source=cmd.source,
                          patient_id=patient_id, payer_id=payer_id,
                          claim_line_id=cmd.claim_line_id, amount=cmd.amount,
                          received_on=cmd.received_on, method=cmd.method,
                          reference=cmd.reference, journal_entry_id=entry_id,
                          created_by=ctx.actor.user_id)
        uow.session.add(payment)
        uow.session.flush()
        return PostingResult(entry_id=entry_id, record_id=payment.id, kind=entry.kind.value,
                             amount=cmd.amount,
                             patient_balance=_patient_due(uow, ctx, patient_id)
                             ).model_dump(mode="json")

    request = f"{patient_id}|{cmd.model_dump_json()}"
    return PostingResult.model_validate(idempotent(ctx, idempotency_key, request, run))


@requires(P.ADJUSTMENT_WRITE)
def post_adjustment(ctx: Ctx, patient_id: str, cmd: AdjustmentIn, *,
                    idempotency_key: str | None = None) -> PostingResult:
    """Post a contractual adjustment, a write-off or a transfer to patient responsibility."""

    def run(uow: UnitOfWork) -> dict[str, Any]:
        find(uow, Patient, patient_id, ctx.actor.practice_id, "patient")
        line, claim = _line(uow, ctx, cmd.claim_line_id, patient_id)
        ins = Account.ar_insurance(claim.payer_id, line.id, patient_id=patient_id,
                                   claim_id=claim.id)
        pat = Account.ar_patient(patient_id, line.id, claim_id=claim.id)
        receivable = ins if cmd.responsible == "insurance" else pat
        entry_id = new_id()
        try:
            if cmd.kind == "contractual":
                entry = journal.contractual_adjustment(entry_id, cmd.effective_on, receivable,
                                                       cmd.amount, memo=cmd.reason_code)
            elif cmd.kind == "write_off":
                entry = journal.write_off(entry_id, cmd.effective_on, receivable, cmd.amount,
                                          cmd.write_off_reason, memo=cmd.reason_code)
            else:
                entry = journal.transfer(entry_id, cmd.effective_on, ins, pat, cmd.amount,
                                         memo=cmd.reason_code)
        except LedgerError as exc:
            raise InvalidInput(str(exc)) from exc
        store_entry(ctx, uow, entry)
        row = Adjustment(practice_id=ctx.actor.practice_id, kind=cmd.kind,
                         patient_id=patient_id, payer_id=claim.payer_id,
                         claim_line_id=line.id, reason_code=cmd.reason_code, amount=cmd.amount,
                         effective_on=cmd.effective_on, journal_entry_id=entry_id,
                         created_by=ctx.actor.user_id)
        uow.session.add(row)
        uow.session.flush()
        return PostingResult(entry_id=entry_id, record_id=row.id, kind=entry.kind.value,
                             amount=cmd.amount,
                             patient_balance=_patient_due(uow, ctx, patient_id)
                             ).model_dump(mode="json")

    request = f"{patient_id}|{cmd.model_dump_json()}"
    return PostingResult.model_validate(idempotent(ctx, idempotency_key, request, run))


@requires(P.LEDGER_READ)
def patient_account(ctx: Ctx, patient_id: str, *, limit: int = 50) -> AccountView:
    """A patient's balances (derived by SQL) and most recent journal entries."""
    practice = ctx.actor.practice_id
    with ctx.uow() as uow:
        find(uow, Patient, patient_id, practice, "patient")
        entries = load_entries(uow, practice, patient_id=patient_id,
                               limit=max(1, min(limit, MAX_ENTRIES)))
        sums: dict[str, Decimal | None] = {kind: total for kind, total in uow.session.execute(
            select(PostingRow.account_kind, func.sum(PostingRow.amount))
            .where(PostingRow.practice_id == practice, PostingRow.patient_id == patient_id)
            .group_by(PostingRow.account_kind))}
        view = AccountView(
            patient_id=patient_id,
            patient_balance=sums.get(AccountKind.AR_PATIENT.value) or ZERO,
            insurance_balance=sums.get(AccountKind.AR_INSURANCE.value) or ZERO,
            credit=ZERO - (sums.get(AccountKind.PATIENT_CREDIT.value) or ZERO),
            entries=[EntryView(entry_id=e.entry_id, kind=e.kind.value,
                               effective_on=e.effective_on, memo=e.memo, reverses=e.reverses,
                               postings=[{"account": p.account.key, "amount": str(p.amount)}
                                         for p in e.postings])
                     for e in entries])
        audit.record(ctx, uow, "ledger.read", f"patient:{patient_id}", phi=True)
        uow.commit()
        return view


# --- patient statements ------------------------------------------------------------------


class StatementIn(Model):
    statement_date: SafeDate


class StatementOut(Model):
    id: str
    patient_id: str
    statement_date: date
    balance: Decimal
    status: str


@requires(P.STATEMENT_WRITE)
def create_statement(ctx: Ctx, patient_id: str, cmd: StatementIn) -> StatementOut:
    """Record a statement of what the patient owes now (patient responsibility only)."""
    with ctx.uow() as uow:
        find(uow, Patient, patient_id, ctx.actor.practice_id, "patient")
        due = _patient_due(uow, ctx, patient_id)
        if due <= ZERO:
            raise Conflict(f"patient {patient_id} owes nothing: no statement to send")
        row = Statement(practice_id=ctx.actor.practice_id, patient_id=patient_id,
                        statement_date=cmd.statement_date, balance=due, status="draft")
        uow.session.add(row)
        uow.session.flush()
        audit.record(ctx, uow, "statement.create", f"statement:{row.id}", phi=True,
                     detail={"patient": patient_id})
        view = StatementOut(id=row.id, patient_id=patient_id, statement_date=row.statement_date,
                            balance=row.balance, status=row.status)
        uow.commit()
        return view


@requires(P.STATEMENT_READ)
def list_statements(ctx: Ctx, patient_id: str) -> list[StatementOut]:
    """The patient's statements, newest first (at most 100)."""
    with ctx.uow() as uow:
        find(uow, Patient, patient_id, ctx.actor.practice_id, "patient")
        rows = uow.session.scalars(select(Statement).where(
            Statement.practice_id == ctx.actor.practice_id, Statement.patient_id == patient_id)
            .order_by(Statement.statement_date.desc(), Statement.id).limit(100))
        views = [StatementOut(id=r.id, patient_id=r.patient_id, statement_date=r.statement_date,
                              balance=r.balance, status=r.status) for r in rows]
        audit.record(ctx, uow, "statement.list", f"patient:{patient_id}", phi=True)
        uow.commit()
        return views


# --- corrections and reports -------------------------------------------------------------


class ReversalIn(Model):
    entry_id: Annotated[str, Field(min_length=1, max_length=64)]
    effective_on: SafeDate
    memo: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f]*$")] = ""


@requires(P.ADJUSTMENT_WRITE)
def reverse_entry(ctx: Ctx, patient_id: str, cmd: ReversalIn, *,
                  idempotency_key: str | None = None) -> PostingResult:
    """Correct a mistake the only way the ledger allows: a reversing entry (never an edit)."""

    def run(uow: UnitOfWork) -> dict[str, Any]:
        find(uow, Patient, patient_id, ctx.actor.practice_id, "patient")
        entries = load_entries(uow, ctx.actor.practice_id, patient_id=patient_id)
        original = next((e for e in entries if e.entry_id == cmd.entry_id), None)
        if original is None:
            raise NotFound(f"journal entry {cmd.entry_id} not found for this patient")
        try:
            entry = journal.reverse(original, new_id(), cmd.effective_on, journal=entries,
                                    memo=cmd.memo or f"reversal of {original.entry_id}")
        except LedgerError as exc:
            raise Conflict(str(exc)) from exc
        store_entry(ctx, uow, entry)
        amount = sum((p.amount for p in entry.postings if p.amount > 0), ZERO)
        return PostingResult(entry_id=entry.entry_id, record_id=entry.entry_id,
                             kind=entry.kind.value, amount=amount,
                             patient_balance=_patient_due(uow, ctx, patient_id)
                             ).model_dump(mode="json")

    request = f"{patient_id}|{cmd.model_dump_json()}"
    return PostingResult.model_validate(idempotent(ctx, idempotency_key, request, run))


class AgingRowOut(Model):
    party: str
    amounts: dict[str, Decimal]
    total: Decimal


class AgingOut(Model):
    as_of: date
    labels: list[str]
    rows: list[AgingRowOut]
    totals: dict[str, Decimal]
    practice_ar: Decimal


@requires(P.LEDGER_READ)
def practice_aging(ctx: Ctx, as_of: date) -> AgingOut:
    """Accounts receivable by responsible party (payer or patient) and age, replayed from the
    journal by ``openrcm.ledger.balances.aging``."""
    with ctx.uow() as uow:
        entries = load_entries(uow, ctx.actor.practice_id)
        report = balances.aging(entries, as_of)
        audit.record(ctx, uow, "ledger.aging", "practice_ar", phi=True,
                     detail={"as_of": as_of.isoformat()})
        uow.commit()
    labels = list(report.labels)
    return AgingOut(
        as_of=as_of, labels=labels,
        rows=[AgingRowOut(party=row.party, amounts=dict(zip(labels, row.amounts, strict=True)),
                          total=row.total) for row in report.rows],
        totals=dict(zip(labels, report.totals, strict=True)),
        practice_ar=sum(report.totals, ZERO))
