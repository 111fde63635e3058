"""Ledger invariants through the service layer and the claim state machine, on both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from openrcm.ledger import balances
from openrcm.ledger.accounts import AccountKind
from openrcm.security.roles import Role
from openrcm.services import claims, ledger, practice, records, schemas
from openrcm.services.bootstrap import Runtime
from openrcm.services.claim_states import TRANSITIONS, ClaimState, Stage
from openrcm.services.errors import Conflict, IllegalTransition, InvalidInput
from tests.api.world import Tenant, admin_ctx


def _sql(rt: Runtime, t: Tenant, kinds: list[AccountKind], **dims: str) -> Decimal:
    with rt.db.uow(t.practice_id) as uow:
        return ledger.sql_balance(uow, t.practice_id, kinds=kinds, **dims)


def test_sql_balances_equal_replayed_journal(rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """Balances derived by SQL equal openrcm.ledger.balances over the same stored entries."""
    a, _ = world
    ctx = admin_ctx(rt, a)
    patient, line = a.ids["patient"], a.ids["claim_line"]
    day = date(2026, 2, 1)
    ledger.post_payment(ctx, patient, ledger.PaymentIn(
        source="insurance", claim_line_id=line, amount=Decimal("70.00"), received_on=day))
    ledger.post_adjustment(ctx, patient, ledger.AdjustmentIn(
        kind="contractual", claim_line_id=line, amount=Decimal("30.00"), effective_on=day))
    ledger.post_adjustment(ctx, patient, ledger.AdjustmentIn(
        kind="transfer_to_patient", claim_line_id=line, amount=Decimal("15.00"),
        effective_on=day))
    ledger.post_payment(ctx, patient, ledger.PaymentIn(
        source="patient", claim_line_id=line, amount=Decimal("10.00"), received_on=day))
    with rt.db.uow(a.practice_id) as uow:
        entries = ledger.load_entries(uow, a.practice_id)
    ar = [AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT]
    assert _sql(rt, a, [AccountKind.AR_PATIENT], patient_id=patient) == \
        balances.patient_balance(entries, patient) == Decimal("5.00")
    assert _sql(rt, a, ar, patient_id=patient) == \
        balances.patient_balance(entries, patient, include_insurance=True) == Decimal("10.00")
    assert _sql(rt, a, ar, claim_id=a.ids["claim"]) == \
        balances.claim_balance(entries, a.ids["claim"])
    assert _sql(rt, a, ar) == balances.practice_ar(entries)
    # money neither appears nor vanishes: every stored entry sums to zero
    assert all(sum(p.amount for p in e.postings) == 0 for e in entries)
    view = ledger.patient_account(ctx, patient)
    assert view.patient_balance == Decimal("5.00") and view.credit == Decimal("20.00")


def test_idempotency_key_posts_once(client: TestClient, world: tuple[Tenant, Tenant],
                                    rt: Runtime) -> None:
    """The same Idempotency-Key twice returns the first result and posts one entry."""
    a, _ = world
    url = f"/api/practices/{a.practice_id}/patients/{a.ids['patient']}/payments"
    headers = {"Authorization": f"Bearer {a.tokens[Role.BILLER]}", "Idempotency-Key": "k-1"}
    payload = {"source": "patient", "amount": "12.34", "received_on": "2026-02-02"}
    first = client.post(url, json=payload, headers=headers)
    second = client.post(url, json=payload, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    with rt.db.uow(a.practice_id) as uow:
        entries = ledger.load_entries(uow, a.practice_id, patient_id=a.ids["patient"])
    assert sum(1 for e in entries if e.entry_id == first.json()["entry_id"]) == 1
    assert len([e for e in entries if e.kind.value == "patient_payment"]) == 2  # seed + this
    other = client.post(url, json={**payload, "amount": "99.00"}, headers=headers)
    assert other.status_code == 409 and other.json()["code"] == "conflict"


def test_claim_state_machine_keeps_rejections_apart_from_denials(
        rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """Front-end rejection and adjudication denial are separate paths; illegal moves fail."""
    a, _ = world
    ctx = admin_ctx(rt, a)
    claim_id = a.ids["claim"]

    def move(state: ClaimState, **kw: str) -> claims.ClaimOut:
        return claims.transition_claim(ctx, claim_id, claims.TransitionIn(to_state=state, **kw))

    move(ClaimState.READY)
    move(ClaimState.SUBMITTED)
    move(ClaimState.REJECTED_FRONT_END, reason="999 IK5 R")
    with pytest.raises(IllegalTransition) as err:
        move(ClaimState.DENIED)
    assert err.value.code == "illegal_transition" and "draft" in err.value.message
    for state in (ClaimState.DRAFT, ClaimState.READY, ClaimState.SUBMITTED,
                  ClaimState.ACCEPTED_999, ClaimState.ACCEPTED_277CA):
        move(state)
    with pytest.raises(IllegalTransition):
        move(ClaimState.REJECTED_FRONT_END)
    with pytest.raises(Conflict):  # a replacement needs an adjudicated original
        claims.create_claim(ctx, claims.ClaimIn(encounter_id=a.ids["encounter"],
                                                coverage_id=a.ids["coverage"],
                                                frequency_code="7", replaces_claim_id=claim_id))
    done = move(ClaimState.DENIED, payer_claim_control_number="PCN123")
    assert [e.to_state for e in done.events][-1] == "denied"
    replacement = claims.create_claim(ctx, claims.ClaimIn(
        encounter_id=a.ids["encounter"], coverage_id=a.ids["coverage"], frequency_code="7",
        replaces_claim_id=claim_id))
    assert replacement.payer_claim_control_number == "PCN123"
    assert claims.get_claim(ctx, claim_id).state == "replaced"
    with pytest.raises(IllegalTransition):
        move(ClaimState.CLOSED)


def test_transition_table_separates_front_end_from_adjudication() -> None:
    """No front-end edge ends in an adjudication outcome, and vice versa."""
    front_end_targets = {t.target for t in TRANSITIONS if t.stage is Stage.FRONT_END}
    adjudication_targets = {t.target for t in TRANSITIONS if t.stage is Stage.ADJUDICATION}
    assert ClaimState.REJECTED_FRONT_END in front_end_targets
    assert ClaimState.REJECTED_FRONT_END not in adjudication_targets
    assert ClaimState.DENIED in adjudication_targets
    assert ClaimState.DENIED not in front_end_targets


def test_reversal_corrects_by_a_new_entry_and_aging_replays(
        rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """A reversal cancels an entry exactly, cannot be repeated, and aging sums to practice AR."""
    a, _ = world
    ctx = admin_ctx(rt, a)
    patient = a.ids["patient"]
    before = ledger.patient_account(ctx, patient)
    result = ledger.reverse_entry(ctx, patient, ledger.ReversalIn(
        entry_id=a.ids["payment_entry"], effective_on=date(2026, 2, 1)))
    after = ledger.patient_account(ctx, patient)
    assert after.credit == before.credit - Decimal("20.00")
    assert result.kind == "reversal"
    with pytest.raises(Conflict):
        ledger.reverse_entry(ctx, patient, ledger.ReversalIn(
            entry_id=a.ids["payment_entry"], effective_on=date(2026, 2, 1)))
    report = ledger.practice_aging(ctx, date(2026, 3, 1))
    ar = [AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT]
    assert report.practice_ar == _sql(rt, a, ar) == Decimal("120.00")


def test_claims_need_coverage_in_effect_and_work_items_need_members(
        rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """A lapsed coverage cannot be billed; a work item cannot be owned by an outsider."""
    a, b = world
    ctx = admin_ctx(rt, a)
    lapsed = records.create(ctx, practice.COVERAGES, schemas.CoverageIn(
        payer_id=a.ids["payer"], priority=2, member_id="OLD1", effective_from=date(2024, 1, 1),
        effective_to=date(2025, 12, 31)), parent_id=a.ids["patient"])
    with pytest.raises(InvalidInput) as err:
        claims.create_claim(ctx, claims.ClaimIn(encounter_id=a.ids["encounter"],
                                                coverage_id=lapsed.id))
    assert err.value.field == "coverage_id"
    with pytest.raises(InvalidInput):
        records.create(ctx, practice.WORK_ITEMS, schemas.WorkItemIn(
            kind="denial", owner_user_id=b.users[Role.ADMIN]))
    item = records.create(ctx, practice.WORK_ITEMS, schemas.WorkItemIn(
        kind="denial", owner_user_id=a.users[Role.BILLER], due_on=date(2026, 2, 1)))
    assert item.owner_user_id == a.users[Role.BILLER]
