"""Eligibility and claim status as the API offers them, through the payer simulator, on both
engines: a registered patient's coverage or a subscriber not registered yet, the estimate, the
disclosure audited, status asked by what was sent (a secondary claim by its primary's CLM01),
and files that come back with an answer applied by the system whatever the asker's role."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.security.roles import Role
from openrcm.services.errors import Forbidden, InvalidInput
from openrcm.services.inquiries import EligibilityIn, check_eligibility, check_status
from openrcm.services.payer_loop import fetch_responses, submit
from openrcm.store.db import Database
from openrcm.store.models import AuditEventRow, Claim
from tests.services.payer_loop_world import D, World, build
from tests.store.fixtures import db

__all__ = ["db"]
SIM_DAY = date(2026, 3, 10)


def _as(w: World, role: Role) -> World:
    return World(replace(w.ctx, actor=replace(w.ctx.actor, user_id=f"user-{role.value}",
                                              roles=frozenset({role}))), w.ids, w.claims)


def _sim(tmp_path: Path) -> SimulatorAdapter:
    return SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)


def test_eligibility_of_a_registered_patient_with_estimate_and_audit(
        db: Database, tmp_path: Path) -> None:
    w = _as(build(db, submitted=False), Role.FRONT_DESK)
    out = check_eligibility(w.ctx, _sim(tmp_path), EligibilityIn(
        patient_id=w.ids["patient"], allowed=D("100.00")))
    assert out.answered and out.found and out.active
    assert "deductible: 200.00 (remaining 200.00)" in out.summary
    assert out.estimate is not None and out.estimate.patient == D("100.00")  # all deductible
    with db.uow(None) as uow:
        actions = set(uow.session.execute(select(
            AuditEventRow.action, AuditEventRow.resource, AuditEventRow.phi).where(
            AuditEventRow.actor == "user-front_desk")).tuples())
    assert ("270.sent", f"patient:{w.ids['patient']}", True) in actions
    assert ("patient.read", f"patient:{w.ids['patient']}", True) in actions


def test_eligibility_of_a_subscriber_not_registered_yet(db: Database, tmp_path: Path) -> None:
    w = build(db, submitted=False)
    out = check_eligibility(w.ctx, _sim(tmp_path), EligibilityIn(
        payer_code="SIMPPO", member_id="NEW1", last_name="Quill", first_name="Ansel"))
    assert out.answered and out.found and out.active
    with pytest.raises(ValidationError, match="give patient_id, or payer_code"):
        EligibilityIn(payer_code="SIMPPO", member_id="NEW1")


def test_a_coder_may_not_check_eligibility(db: Database, tmp_path: Path) -> None:
    w = _as(build(db, submitted=False), Role.CODER)
    with pytest.raises(Forbidden):
        check_eligibility(w.ctx, _sim(tmp_path), EligibilityIn(patient_id=w.ids["patient"]))


def test_answers_bring_back_other_files_which_the_system_applies(
        db: Database, tmp_path: Path) -> None:
    w = build(db, submitted=False)
    sim = _sim(tmp_path)
    submit(w.ctx, sim)
    fetch_responses(w.ctx, sim)
    assert sim.pay() == 1  # an 835 now waits in the inbox
    desk = _as(w, Role.FRONT_DESK)  # may not post 835s itself
    out = check_eligibility(desk.ctx, sim, EligibilityIn(patient_id=w.ids["patient"]))
    assert out.answered and [n for n in out.applied if n.startswith("835")]
    with db.uow(None) as uow:
        state = uow.session.scalar(select(Claim.state).where(Claim.id == w.claims[0].id))
        posted_by = set(uow.session.scalars(select(AuditEventRow.actor).where(
            AuditEventRow.action.like("remittance%"))))
    assert state == "adjudicated_paid"
    assert posted_by <= {"system"}


def test_status_is_asked_by_what_was_sent(db: Database, tmp_path: Path) -> None:
    w = build(db, secondary=True, submitted=False)
    sim = _sim(tmp_path)
    with pytest.raises(InvalidInput, match="has not been submitted"):
        check_status(w.ctx, sim, w.claims[0].id)
    submit(w.ctx, sim)
    fetch_responses(w.ctx, sim)
    first = check_status(w.ctx, sim, w.claims[0].id)
    assert first.answered and first.status == "A2:20" and first.payer_control
    sim.pay()
    fetch_responses(w.ctx, sim)
    submit(w.ctx, sim)  # the secondary claim, sent under its primary's CLM01
    fetch_responses(w.ctx, sim)
    with db.uow(None) as uow:
        secondary = uow.session.scalar(select(Claim.id).where(
            Claim.payer_id == w.ids["payer2"]))
    assert secondary is not None
    second = check_status(w.ctx, sim, secondary)
    assert second.answered and second.status == "A2:20"
    assert second.payer_control not in ("", first.payer_control)
    billed = _as(w, Role.CODER)
    with pytest.raises(Forbidden):
        check_status(billed.ctx, sim, secondary)
