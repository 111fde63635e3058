"""A secondary claim is its own claim: it keeps the primary's CLM01 (the patient account
number, TR3 2300) but has its own stored id, submission record and payer claim number, and an
acknowledgment from the primary payer never moves it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.services.payer_loop import claim_model, fetch_responses, ingest_ack, submit
from openrcm.store.db import Database
from openrcm.store.models import Claim, IdempotencyKey
from tests.services.payer_loop_world import D, build
from tests.store.fixtures import db

__all__ = ["db"]
SIM_DAY = date(2026, 3, 10)


def _claims(database: Database, payer_id: str) -> list[Claim]:
    with database.uow(None) as uow:
        rows = list(uow.session.scalars(select(Claim).where(Claim.payer_id == payer_id)))
        uow.session.expunge_all()
        return rows


def test_secondary_has_its_own_identity_and_ignores_the_primarys_acks(
        db: Database, tmp_path: Path) -> None:
    w = build(db, secondary=True, count=1, submitted=False)
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)
    first = submit(w.ctx, sim)
    fetch_responses(w.ctx, sim)
    sim.pay()
    fetch_responses(w.ctx, sim)
    second = submit(w.ctx, sim)
    assert first is not None and second is not None
    (primary,) = _claims(db, w.ids["payer"])
    (secondary,) = _claims(db, w.ids["payer2"])
    assert secondary.id != primary.id and secondary.state == "submitted"
    assert first.claims == [primary.id] and second.claims == [secondary.id]

    (ack_999,) = (tmp_path / "sim" / "inbox").glob("999-*")
    ingest_ack(w.ctx, ack_999.read_bytes(), submitted=second.claims)
    # the primary payer's 277CA arrives again: it is about the primary, not the secondary
    primary_277ca = sorted((tmp_path / "sim" / "inbox" / "archive").glob("277CA-*"))[0]
    again = ingest_ack(w.ctx, primary_277ca.read_bytes())
    assert again.accepted == [primary.id]
    (secondary,) = _claims(db, w.ids["payer2"])
    assert secondary.state == "accepted_999" and not secondary.payer_claim_control_number

    fetch_responses(w.ctx, sim)  # the supplement's own 277CA
    (secondary,) = _claims(db, w.ids["payer2"])
    assert secondary.state == "accepted_277ca"
    assert secondary.payer_claim_control_number not in ("", None,
                                                        primary.payer_claim_control_number)
    with db.uow(None) as uow:
        sent = {k.key.split(":")[2]: json.loads(k.response) for k in uow.session.scalars(
            select(IdempotencyKey).where(IdempotencyKey.key.like("837:claim:%")))}
    # one submission record per stored claim; both carry the same CLM01, as TR3 allows
    assert set(sent) == {primary.id, secondary.id}
    assert sent[primary.id]["batch"] != sent[secondary.id]["batch"]
    assert sent[primary.id]["clm01"] == sent[secondary.id]["clm01"] == primary.id


def test_secondary_carries_the_primarys_result_even_after_its_own_835(
        db: Database, tmp_path: Path) -> None:
    w = build(db, secondary=True, count=1, submitted=False)
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)
    for _ in range(2):  # the primary's round, then the secondary's
        submit(w.ctx, sim)
        fetch_responses(w.ctx, sim)
        sim.pay()
        fetch_responses(w.ctx, sim)
    (primary,) = _claims(db, w.ids["payer"])
    (secondary,) = _claims(db, w.ids["payer2"])
    assert secondary.state == "adjudicated_paid"
    # both 835s are posted under the primary's claim id; a corrected secondary (rebuilt now)
    # must still carry the primary payer's adjudication as COB, not its own
    value = claim_model(w.ctx, secondary.id)
    assert value.claim_id == primary.id
    (prior,) = value.prior_adjudications
    assert prior.payer_id == "SIMPPO" and prior.paid == 0  # the deductible took it all
    assert prior.patient_responsibility == D("92.00")
