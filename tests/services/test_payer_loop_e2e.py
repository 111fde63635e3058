"""End to end: practice -> claims -> simulator -> 999/277CA -> 835 -> ledger -> secondary
claims -> patient balances, reconciling to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.services import ledger
from openrcm.services.payer_loop import fetch_responses, kpis, submit
from openrcm.store.db import Database
from openrcm.store.models import Claim, PostingRow
from tests.services.payer_loop_world import D, build
from tests.store.fixtures import db

__all__ = ["db"]
SIM_DAY = date(2026, 3, 10)


def _states(database: Database) -> dict[str, list[str]]:
    with database.uow(None) as uow:
        out: dict[str, list[str]] = {}
        for payer, state in uow.session.execute(select(Claim.payer_id, Claim.state)):
            out.setdefault(payer, []).append(state)
        return out


def _sum(database: Database, practice: str, account: str) -> Decimal:
    with database.uow(practice) as uow:
        total = uow.session.execute(select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.practice_id == practice, PostingRow.account.like(account))).scalar_one()
        return Decimal(total)


def test_whole_loop_with_secondary_payer(db: Database, tmp_path: Path) -> None:
    w = build(db, secondary=True, count=2, codes=("99213", "36415"), submitted=False)
    practice = w.ctx.actor.practice_id
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)

    batch = submit(w.ctx, sim)
    assert batch is not None and batch.sent and len(batch.claims) == 2
    assert submit(w.ctx, sim) is None  # nothing left to send: never twice
    acks = fetch_responses(w.ctx, sim)
    assert sorted(a.kind for a in acks.acks) == ["277CA", "999"]
    assert _states(db)[w.ids["payer"]] == ["accepted_277ca"] * 2

    assert sim.pay() == 1
    posted = fetch_responses(w.ctx, sim)
    (era,) = posted.remittances
    cash_primary = era.remittances[0].amount
    assert era.remittances[0].posted == 2 and era.remittances[0].exceptions == []
    states = _states(db)
    assert sorted(states[w.ids["payer"]]) == ["adjudicated_paid"] * 2
    assert states[w.ids["payer2"]] == ["ready"] * 2  # secondary claims opened
    owed_by_secondary = _sum(db, practice, f"ar:ins:{w.ids['payer2']}:%")
    assert owed_by_secondary > 0

    second = submit(w.ctx, sim)
    assert second is not None and len(second.claims) == 2
    fetch_responses(w.ctx, sim)
    assert _states(db)[w.ids["payer2"]] == ["accepted_277ca"] * 2
    assert sim.pay() == 1
    (era2,) = fetch_responses(w.ctx, sim).remittances
    assert era2.remittances[0].exceptions == []
    assert era2.remittances[0].amount == owed_by_secondary  # supplement pays what was left

    charges = D("2") * (D("150.00") + D("150.00"))
    cash = _sum(db, practice, "cash")
    contractual = _sum(db, practice, "adj:contractual")
    assert cash == cash_primary + era2.remittances[0].amount
    assert cash + contractual == charges  # every cent of every charge accounted for
    assert _sum(db, practice, "ar:%") == 0
    account = ledger.patient_account(w.ctx, w.ids["patient"])
    assert account.patient_balance == 0 and account.insurance_balance == 0
    assert sorted(_states(db)[w.ids["payer2"]]) == ["adjudicated_paid"] * 2


def test_patient_owes_what_the_only_payer_left(db: Database, tmp_path: Path) -> None:
    w = build(db, count=1, submitted=False)
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)
    submit(w.ctx, sim)
    fetch_responses(w.ctx, sim)
    sim.pay()
    fetch_responses(w.ctx, sim)
    account = ledger.patient_account(w.ctx, w.ids["patient"])
    assert account.patient_balance == D("92.00")  # the whole allowance went to the deductible
    assert account.insurance_balance == 0


def test_days_to_payment_run_from_submission_to_the_835_payment_date(
        db: Database, tmp_path: Path) -> None:
    w = build(db, count=1, submitted=False)
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)  # pays dated 2026-03-10
    sent_at = replace(w.ctx, clock=lambda: datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    submit(sent_at, sim)
    fetch_responses(sent_at, sim)
    sim.pay()
    posted_late = replace(w.ctx, clock=lambda: datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    fetch_responses(posted_late, sim)  # the 835 is posted ten days after its payment date
    out = kpis(posted_late)
    assert (out.days_to_payment_mean, out.days_to_payment_median) == (D("7.0"), D(7))
