"""A patient with three coverages: the tertiary claim carries both earlier payers' results as
COB (2320 SBR P and S, 2430 SVD from each), the simulator pays what the secondary left, and
the ledger reconciles to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from openrcm.claims.model import Responsibility
from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.payers.simulator.config import parse_config
from openrcm.services import ledger
from openrcm.services.context import Ctx
from openrcm.services.payer_loop import claim_model, fetch_responses, submit
from openrcm.store.db import Database
from openrcm.store.models import Claim, IdempotencyKey, PostingRow
from tests.services.payer_loop_world import D, build
from tests.store.fixtures import db

__all__ = ["db"]
SIM_DAY = date(2026, 3, 10)
CONFIG = """
payers:
  SIMPPO: {name: SIMULATED PPO, deductible: 0, coinsurance: 0.20,
           fee_schedule: {"99213": 100.00}}
  SIMSUPP: {name: SIMULATED SUPPLEMENT, coinsurance: 0.50}
  SIMTERT: {name: SIMULATED STATE PLAN, coinsurance: 0.00, filing_indicator: MC}
"""


def _claim_of(database: Database, payer_id: str) -> Claim:
    with database.uow(None) as uow:
        (row,) = uow.session.scalars(select(Claim).where(Claim.payer_id == payer_id))
        uow.session.expunge(row)
        return row


def _sum(database: Database, practice: str, account: str) -> Decimal:
    with database.uow(practice) as uow:
        return Decimal(uow.session.execute(
            select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
                PostingRow.practice_id == practice, PostingRow.account.like(account))
        ).scalar_one())


def _round(ctx: Ctx, sim: SimulatorAdapter) -> None:
    """One payer's turn: submit, acknowledgments, adjudication, the 835 posted."""
    assert submit(ctx, sim) is not None
    fetch_responses(ctx, sim)
    assert sim.pay() == 1
    fetch_responses(ctx, sim)


def test_tertiary_claim_carries_primary_and_secondary_results(
        db: Database, tmp_path: Path) -> None:
    w = build(db, secondary=True, tertiary=True, count=1, submitted=False)
    practice = w.ctx.actor.practice_id
    sim = SimulatorAdapter(tmp_path / "sim", parse_config(CONFIG), today=lambda: SIM_DAY)
    _round(w.ctx, sim)  # primary: allowed 100, CO-45 50, PR-2 20, paid 80
    _round(w.ctx, sim)  # secondary: half of the 20, PR-2 10 left for the next payer
    primary = _claim_of(db, w.ids["payer"])
    secondary = _claim_of(db, w.ids["payer2"])
    tertiary = _claim_of(db, w.ids["payer3"])
    assert tertiary.state == "ready"

    value = claim_model(w.ctx, tertiary.id)
    assert value.claim_id == primary.id  # CLM01 stays the patient account number
    assert value.coverage.responsibility is Responsibility.TERTIARY
    first, second = value.prior_adjudications
    assert (first.payer_id, first.responsibility, first.paid) == (
        "SIMPPO", Responsibility.PRIMARY, D("80.00"))
    assert first.patient_responsibility == D("20.00")
    assert (second.payer_id, second.responsibility, second.paid) == (
        "SIMSUPP", Responsibility.SECONDARY, D("10.00"))
    assert second.patient_responsibility == D("10.00")
    # the secondary, rebuilt now, still carries only the primary's result
    (only,) = claim_model(w.ctx, secondary.id).prior_adjudications
    assert only.payer_id == "SIMPPO"

    _round(w.ctx, sim)  # tertiary: pays the 10 the secondary left
    with db.uow(None) as uow:
        sent = [k.response for k in uow.session.scalars(select(IdempotencyKey).where(
            IdempotencyKey.key.like("837:batch:%")).order_by(IdempotencyKey.key))]
    assert len(sent) == 3
    assert _claim_of(db, w.ids["payer3"]).state == "adjudicated_paid"
    assert _sum(db, practice, "cash") == D("100.00")
    assert _sum(db, practice, "adj:contractual") == D("50.00")
    assert _sum(db, practice, "ar:%") == 0
    account = ledger.patient_account(w.ctx, w.ids["patient"])
    assert account.patient_balance == 0 and account.insurance_balance == 0
    (text,) = [t for t in (p.read_text() for p in (tmp_path / "sim").rglob("837P-*"))
               if "SBR*T*" in t]
    assert "SBR*P*" in text and "SBR*S*" in text  # 2320: both earlier payers
    assert "SVD*SIMPPO*80*" in text and "SVD*SIMSUPP*10*" in text  # 2430: each one's line
    assert f"DTP*573*D8*{SIM_DAY:%Y%m%d}" in text  # the day the payer paid, not the service
