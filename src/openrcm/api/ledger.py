"""Patient account routes: balances and entries, payments and adjustments (idempotent)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query

from openrcm.api.dependencies import CtxDep
from openrcm.services import ledger

router = APIRouter(prefix="/api/practices/{practice_id}/patients/{patient_id}", tags=["ledger"])
Id = Annotated[str, Path(min_length=1, max_length=36)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100,
                                       description="same key, same request: posted once")]


@router.get("/account", response_model=ledger.AccountView)
def account(patient_id: Id, ctx: CtxDep,
            limit: Annotated[int, Query(ge=1, le=ledger.MAX_ENTRIES)] = 50
            ) -> ledger.AccountView:
    """The patient's balances (derived from the journal) and recent entries."""
    return ledger.patient_account(ctx, patient_id, limit=limit)


@router.post("/payments", response_model=ledger.PostingResult, status_code=201)
def post_payment(patient_id: Id, body: ledger.PaymentIn, ctx: CtxDep,
                 idempotency_key: IdemKey = None) -> ledger.PostingResult:
    """Post a patient or insurance payment; repeat with the same Idempotency-Key is a no-op
    that returns the first result."""
    return ledger.post_payment(ctx, patient_id, body, idempotency_key=idempotency_key)


@router.post("/adjustments", response_model=ledger.PostingResult, status_code=201)
def post_adjustment(patient_id: Id, body: ledger.AdjustmentIn, ctx: CtxDep,
                    idempotency_key: IdemKey = None) -> ledger.PostingResult:
    """Post a contractual adjustment, a write-off or a transfer to the patient."""
    return ledger.post_adjustment(ctx, patient_id, body, idempotency_key=idempotency_key)


@router.post("/statements", response_model=ledger.StatementOut, status_code=201)
def create_statement(patient_id: Id, body: ledger.StatementIn, ctx: CtxDep
                     ) -> ledger.StatementOut:
    """Record a statement of the patient's current balance due."""
    return ledger.create_statement(ctx, patient_id, body)


@router.get("/statements", response_model=list[ledger.StatementOut])
def list_statements(patient_id: Id, ctx: CtxDep) -> list[ledger.StatementOut]:
    """The patient's statements, newest first."""
    return ledger.list_statements(ctx, patient_id)


@router.post("/reversals", response_model=ledger.PostingResult, status_code=201)
def reverse_entry(patient_id: Id, body: ledger.ReversalIn, ctx: CtxDep,
                  idempotency_key: IdemKey = None) -> ledger.PostingResult:
    """Reverse one of the patient's journal entries (corrections never edit the ledger)."""
    return ledger.reverse_entry(ctx, patient_id, body, idempotency_key=idempotency_key)


reports = APIRouter(prefix="/api/practices/{practice_id}/ledger", tags=["ledger"])


@reports.get("/aging", response_model=ledger.AgingOut)
def aging(ctx: CtxDep, as_of: Annotated[date | None, Query(ge=date(1900, 1, 1),
                                                           le=date(2099, 12, 31))] = None
          ) -> ledger.AgingOut:
    """Accounts receivable by payer or patient and age bucket, as of a date (default today)."""
    return ledger.practice_aging(ctx, as_of or ctx.clock().date())
