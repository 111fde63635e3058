"""The demo hospital's claims go round the payer loop: the two facility claims of the demo
(an inpatient stay, type of bill 0111, and an emergency visit, 0131) are submitted as one
837I batch to the payer simulator, accepted by its 999 and 277CA, paid by an 835 on revenue
codes, and posted with the ledger reconciling to the cent. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services import claims, demo_facility, ledger, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.claim_states import ClaimState
from openrcm.services.context import Actor, Ctx
from openrcm.services.demo import make_npi
from openrcm.services.payer_loop import fetch_responses, submit
from openrcm.services.remittances import remittance_detail
from openrcm.store.db import Database
from openrcm.store.models import PostingRow
from openrcm.x12.parser import parse
from openrcm.x12.views.remittance import remittance_of
from tests.store.fixtures import db, new_practice

__all__ = ["db"]
DEMO_DAY = date(2026, 3, 1)
SIM_DAY = date(2026, 3, 10)
CHARGES = Decimal("5037.50") + Decimal("615.00")  # the stay's five lines, the visit's three


def _sum(database: Database, practice: str, account: str) -> Decimal:
    with database.uow(practice) as uow:
        total = uow.session.execute(select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.practice_id == practice, PostingRow.account.like(account))).scalar_one()
        return Decimal(total)


def test_demo_facility_claims_are_paid_by_the_simulator_and_post_to_the_cent(
        db: Database, tmp_path: Path) -> None:
    practice = new_practice(db, "Demo hospital")
    ctx = Ctx(db=db, cipher=PhiCipher([generate_key()]),
              actor=Actor(user_id="tester", practice_id=practice,
                          roles=frozenset({Role.ADMIN})))
    records.create(ctx, p.PAYERS, s.PayerIn(payer_code=demo_facility.PAYER_CODE,
                                            name="Demo Blue Cross", claim_filing_indicator="BL"))
    demo_facility.load(ctx, DEMO_DAY, partial(make_npi, random.Random(4111)))
    drafts = claims.list_claims(ctx, limit=10).items
    assert len(drafts) == 2
    for draft in drafts:
        claims.transition_claim(ctx, draft.id, claims.TransitionIn(to_state=ClaimState.READY))
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)

    batch = submit(ctx, sim)
    assert batch is not None and batch.sent and len(batch.claims) == 2
    sent = next((tmp_path / "sim").rglob("837I-*.x12")).read_text()
    assert "005010X223A2" in sent
    acks = fetch_responses(ctx, sim)
    assert sorted(a.kind for a in acks.acks) == ["277CA", "999"]
    assert {claims.get_claim(ctx, d.id).state for d in drafts} == {"accepted_277ca"}

    assert sim.pay() == 1
    (era,) = fetch_responses(ctx, sim).remittances
    (posted,) = era.remittances
    assert posted.posted == 2 and posted.exceptions == []
    detail = remittance_detail(ctx, posted.remittance_id)
    assert {c.outcome for c in detail.claims} == {"posted"}
    for paid in detail.claims:  # every 835 line found the revenue line it pays
        assert paid.claim_id is not None
        billed = {ln.id for ln in claims.get_claim(ctx, paid.claim_id).lines}
        assert {ln.claim_line_id for ln in paid.lines} == billed
    assert {claims.get_claim(ctx, d.id).state for d in drafts} == {"adjudicated_paid"}

    cash = _sum(db, practice, "cash")
    contractual = _sum(db, practice, "adj:contractual")
    patients = sum((ledger.patient_account(ctx, pid).patient_balance
                    for pid in {c.patient_id for c in drafts}), Decimal(0))
    # allowed: room 3 x 980.00 per diem, pharmacy 45 % of 412.50, the HCPCS lines by the fee
    # schedule (12 + 38 + 330 + 210 + 41), supplies 18.00 by revenue code = 3,774.63
    assert contractual == CHARGES - Decimal("3774.63")
    assert cash == posted.amount == Decimal("2619.70")
    assert patients == Decimal("1154.93")  # the 500.00 deductible and 20 % coinsurance
    assert cash + contractual + patients == CHARGES  # every cent of every charge accounted
    assert _sum(db, practice, "ar:ins:%") == 0

    (paid_file,) = (tmp_path / "sim").rglob("835-*.x12")
    doc = parse(paid_file.read_bytes())
    assert [f.message for f in doc.findings] == []
    (tx,) = doc.transactions()
    payments = remittance_of(tx).claims
    assert sorted((c.facility_type, c.frequency) for c in payments) == [("11", "1"),
                                                                        ("13", "1")]
    svc = {(ln.qualifier, ln.code, ln.revenue_code) for c in payments for ln in c.lines}
    assert {("NU", "0120", ""), ("NU", "0250", ""), ("HC", "99284", "0450")} <= svc
