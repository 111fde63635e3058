"""An 835 that pays a facility claim posts like a professional one: its service lines name
revenue codes (SVC01 ``NU:0120`` for a line without a procedure code, ``HC:80053`` with SVC04
``0300`` for one with), every line finds the claim line it pays, and the ledger moves the
whole billed amount off the payer's receivable. On SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal as D

from fastapi.testclient import TestClient

from openrcm.services import claims, ledger
from openrcm.services.bootstrap import Runtime
from openrcm.services.claim_states import ClaimState
from openrcm.services.payer_loop import post_era
from openrcm.services.remittances import remittance_detail
from openrcm.x12.views.common import Adjustment
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment
from tests.api.world import Tenant, admin_ctx
from tests.services.payer_loop_world import era
from tests.services.test_claims_institutional import LAB_DAY, _facility


def _line(qualifier: str, code: str, charge: str, paid: str, *adjs: tuple[str, str, str],
          revenue: str = "", units: int = 1, **dates: object) -> ServicePayment:
    return ServicePayment(qualifier, code, D(charge), D(paid), revenue_code=revenue,
                          units=D(units),
                          adjustments=tuple(Adjustment(g, r, D(a)) for g, r, a in adjs),
                          **dates)  # type: ignore[arg-type]


def test_an_835_paying_a_facility_claim_matches_its_revenue_lines_and_balances(
        client: TestClient, rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    _, claim_id = _facility(client, a)
    ctx = admin_ctx(rt, a)
    for state in (ClaimState.READY, ClaimState.SUBMITTED, ClaimState.ACCEPTED_999,
                  ClaimState.ACCEPTED_277CA):
        claims.transition_claim(ctx, claim_id, claims.TransitionIn(to_state=state))
    before = ledger.patient_account(ctx, a.ids["patient"])
    lines = (  # billed: room 0120 x2 2400.00, lab 0300/80053 45.00, pharmacy 0250 x3 61.20
        _line("NU", "0120", "2400.00", "1800.00", ("CO", "45", "500.00"), ("PR", "1", "100.00"),
              units=2),
        _line("HC", "80053", "45.00", "30.00", ("CO", "45", "15.00"), revenue="0300",
              service_date=LAB_DAY),
        _line("NU", "0250", "61.20", "0", ("CO", "97", "61.20"), units=3),
    )
    payment = ClaimPayment(claim_id.upper(), "1", D("2506.20"), D("1830.00"), D("100.00"),
                           payer_control="PCNH1", facility_type="11", frequency="1",
                           lines=lines)
    result = post_era(ctx, era(payment, payer="00431"))
    (posted,) = result.remittances
    assert posted.exceptions == [] and posted.posted == 1
    detail = remittance_detail(ctx, posted.remittance_id)
    (paid,) = detail.claims
    assert (paid.claim_id, paid.outcome) == (claim_id, "posted")
    billed = {ln["revenue_code"]: ln["id"] for ln in claims.get_claim(ctx, claim_id).model_dump()[
        "lines"]}
    assert [(ln.claim_line_id, ln.paid) for ln in paid.lines] == [
        (billed["0120"], D(1800)), (billed["0300"], D(30)), (billed["0250"], D(0))]
    after = ledger.patient_account(ctx, a.ids["patient"])
    # Paid, contractual and patient share leave the payer's receivable; the pharmacy line's
    # CO-97 (bundled) is held for review there (remit adjustment rules), not written off.
    held = D("61.20")
    assert after.insurance_balance == before.insurance_balance - D("2506.20") + held
    assert after.patient_balance == before.patient_balance + D("100.00")
    assert claims.get_claim(ctx, claim_id).state == "partially_paid"  # the held line
