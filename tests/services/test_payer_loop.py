"""835 posting through the services: reconciles to the cent, idempotent, atomic."""

from __future__ import annotations

from dataclasses import replace as dc_replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from openrcm.services import ledger, payer_loop, practice, records, schemas
from openrcm.services.errors import InvalidInput
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database
from openrcm.store.models import (
    Claim,
    IdempotencyKey,
    JournalEntryRow,
    PostingRow,
    Remittance,
    WorkItem,
)
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.parser import parse
from openrcm.x12.views.remittance import ProviderAdjustment, remittance_of
from tests.services.payer_loop_world import PAID_ON, D, build, era, payment
from tests.store.fixtures import db

__all__ = ["db"]


def _count(database: Database, model: Any, practice: str) -> int:
    with database.uow(practice) as uow:
        query = select(func.count()).select_from(model).where(model.practice_id == practice)
        return int(uow.session.execute(query).scalar_one())


def _state(database: Database, claim_id: str) -> str:
    with database.uow(None) as uow:
        return str(uow.session.scalar(select(Claim.state).where(Claim.id == claim_id)))


def test_posting_moves_money_state_and_work_once(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    content = era(payment(claim.id, "99213", "150.00", "80.00", ("CO", "45", "40.00"),
                          ("PR", "2", "30.00")))
    result = post_era(w.ctx, content)
    assert not result.duplicate and result.remittances[0].posted == 1
    account = ledger.patient_account(w.ctx, w.ids["patient"])
    assert account.patient_balance == D("30.00")
    assert _state(db, claim.id) == "adjudicated_paid"
    again = post_era(w.ctx, content)
    assert again.duplicate and again.remittances[0].entries == result.remittances[0].entries
    assert ledger.patient_account(w.ctx, w.ids["patient"]).patient_balance == D("30.00")
    assert _count(db, Remittance, w.ctx.actor.practice_id) == 1


def test_same_remittance_inside_another_file_posts_once(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    body = payment(claim.id, "99213", "150.00", "100.00", ("CO", "45", "50.00"))
    post_era(w.ctx, era(body, control=1))
    second = post_era(w.ctx, era(body, control=2))  # new envelope, same TRN and amount
    assert not second.duplicate and second.remittances[0].duplicate
    assert _count(db, Remittance, w.ctx.actor.practice_id) == 1


def test_unbalanced_file_is_refused_and_posts_nothing(db: Database) -> None:
    w = build(db)
    before = _count(db, JournalEntryRow, w.ctx.actor.practice_id)
    bad = era(payment(w.claims[0].id, "99213", "150.00", "80.00", ("CO", "45", "70.00")),
              amount="99.00")
    with pytest.raises(InvalidInput, match="does not equal"):
        post_era(w.ctx, bad)
    assert _count(db, JournalEntryRow, w.ctx.actor.practice_id) == before
    assert _count(db, IdempotencyKey, w.ctx.actor.practice_id) == 0


def test_unbalanced_file_in_pieces_is_refused_after_the_last_piece_and_posts_nothing(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces are posted as they stream by; the balance fails only at the end, and the
    whole file's transaction is rolled back: no entry, key, claim state or work item stays."""
    monkeypatch.setattr(payer_loop, "CLAIMS_PER_CHUNK", 1)
    w = build(db, count=3)
    before = _count(db, JournalEntryRow, w.ctx.actor.practice_id)
    states = {c.id: c.state for c in w.claims}
    bad = era(*(payment(c.id, "99213", "150.00", "80.00", ("CO", "45", "70.00"))
                for c in w.claims), amount="239.99")
    with pytest.raises(InvalidInput, match=r"does not equal the claim payments 240\.00"):
        post_era(w.ctx, bad)
    assert _count(db, JournalEntryRow, w.ctx.actor.practice_id) == before
    assert _count(db, IdempotencyKey, w.ctx.actor.practice_id) == 0
    assert _count(db, WorkItem, w.ctx.actor.practice_id) == 0
    with db.uow(w.ctx.actor.practice_id) as uow:
        assert {c.id: c.state for c in uow.session.scalars(select(Claim))} == states


def test_denial_becomes_a_work_item_and_the_claim_is_denied(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    post_era(w.ctx, era(payment(claim.id, "99213", "150.00", "0", ("CO", "50", "150.00"),
                                status="4")))
    assert _state(db, claim.id) == "denied"
    with db.uow(w.ctx.actor.practice_id) as uow:
        (item,) = uow.session.execute(select(WorkItem.claim_id, WorkItem.summary).where(
            WorkItem.kind == "denial")).all()
    assert item[0] == claim.id and "medical necessity" in item[1]


def test_reversal_and_repost(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    post_era(w.ctx, era(payment(claim.id, "99213", "150.00", "80.00", ("CO", "45", "40.00"),
                                ("PR", "2", "30.00")), trace="T1"))
    reverse = payment(claim.id, "99213", "-150.00", "-80.00", ("CO", "45", "-40.00"),
                      ("PR", "2", "-30.00"), status="22")
    repost = payment(claim.id, "99213", "150.00", "90.00", ("CO", "45", "40.00"),
                     ("PR", "2", "20.00"), pcn="PCN2")
    result = post_era(w.ctx, era(reverse, repost, trace="T2", control=2))
    assert result.remittances[0].exceptions == []
    assert ledger.patient_account(w.ctx, w.ids["patient"]).patient_balance == D("20.00")


def test_unknown_claim_goes_to_the_exception_queue(db: Database) -> None:
    w = build(db)
    result = post_era(w.ctx, era(payment("NOT-OURS", "99213", "150.00", "80.00",
                                         ("CO", "45", "70.00"))))
    assert result.remittances[0].exceptions[0].startswith("REMIT-CLAIM-UNMATCHED")
    with db.uow(w.ctx.actor.practice_id) as uow:
        kinds = list(uow.session.scalars(select(WorkItem.kind)))
    assert kinds == ["era_exception"]


def test_plb_recoupment_and_pieces(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payer_loop, "CLAIMS_PER_CHUNK", 1)  # every claim its own piece
    w = build(db, count=3)
    first, second, third = w.claims
    post_era(w.ctx, era(payment(first.id, "99213", "150.00", "100.00", ("CO", "45", "50.00")),
                        payment(second.id, "99213", "150.00", "100.00", ("CO", "45", "50.00")),
                        trace="T1"))
    # the payer takes 30.00 back from the first claim out of the next check
    base = next(parse(era(payment(third.id, "99213", "150.00", "100.00",
                                  ("CO", "45", "50.00")), trace="T2")).transactions())
    view = remittance_of(base)
    view = dc_replace(view, amount=D("70.00"), provider_adjustments=(
        ProviderAdjustment("1234567893", None, "WO", first.id.upper(), D("30.00")),))
    envelope = Envelope("P", "C", 3, 3, PAID_ON)
    result = post_era(w.ctx, write_remittance([view], envelope).encode())
    assert result.remittances[0].posted == 1 and result.remittances[0].exceptions == []
    with db.uow(w.ctx.actor.practice_id) as uow:
        cash = uow.session.execute(select(func.sum(PostingRow.amount)).where(
            PostingRow.account == "cash")).scalar_one()
        reopened = uow.session.execute(select(func.sum(PostingRow.amount)).where(
            PostingRow.claim_id == first.id, PostingRow.account.like("ar:ins:%"))).scalar_one()
    assert cash == D("270.00") and reopened == D("30.00")


def test_underpayment_against_the_payers_contract_becomes_work(db: Database) -> None:
    w = build(db)
    schedule = records.create(w.ctx, practice.FEE_SCHEDULES, schemas.FeeScheduleIn(
        name="PPO contract", payer_id=w.ids["payer"], effective_from=date(2026, 1, 1))).id
    records.create(w.ctx, practice.FEE_ITEMS, schemas.FeeItemIn(
        code="99213", amount=D("100.00")), parent_id=schedule)
    post_era(w.ctx, era(payment(w.claims[0].id, "99213", "150.00", "60.00",
                                ("CO", "45", "70.00"), ("PR", "2", "20.00"))))
    with db.uow(w.ctx.actor.practice_id) as uow:
        summaries = list(uow.session.scalars(select(WorkItem.summary).where(
            WorkItem.kind == "underpayment")))
    assert summaries == ["99213 allowed 80.00, contract 100.00: underpaid 20.00"]
