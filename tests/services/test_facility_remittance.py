"""An 835 that pays a facility claim posts like a professional one: its service lines name
revenue codes (SVC01 ``NU:0120`` for a line without a procedure code, ``HC:80053`` with SVC04
``0300`` for one with), every line finds the claim line it pays, and the ledger moves the
whole billed amount off the payer's receivable; the patient share opens a secondary 837I
claim with the same revenue lines. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from fastapi.testclient import TestClient

from openrcm.services import claim_output, claims, ledger, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.bootstrap import Runtime
from openrcm.services.claim_states import ClaimState
from openrcm.services.context import Ctx
from openrcm.services.payer_loop import post_era
from openrcm.services.remittances import remittance_detail
from openrcm.x12.views.common import Adjustment
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment
from tests.api.world import Tenant, admin_ctx
from tests.claims.test_x837 import errors, pyx12_accepts
from tests.services.payer_loop_world import era
from tests.services.test_claims_institutional import LAB_DAY, _facility


def _line(qualifier: str, code: str, charge: str, paid: str, *adjs: tuple[str, str, str],
          revenue: str = "", units: int = 1, **dates: object) -> ServicePayment:
    return ServicePayment(qualifier, code, D(charge), D(paid), revenue_code=revenue,
                          units=D(units),
                          adjustments=tuple(Adjustment(g, r, D(a)) for g, r, a in adjs),
                          **dates)  # type: ignore[arg-type]


def _payment(ctx: Ctx, claim_id: str, pharmacy: ServicePayment, control: str) -> ClaimPayment:
    """Move the facility claim to accepted and build the payer's answer: room and lab paid
    with a contractual cut (and 100.00 patient share on the room), ``pharmacy`` as given."""
    for state in (ClaimState.READY, ClaimState.SUBMITTED, ClaimState.ACCEPTED_999,
                  ClaimState.ACCEPTED_277CA):
        claims.transition_claim(ctx, claim_id, claims.TransitionIn(to_state=state))
    lines = (  # billed: room 0120 x2 2400.00, lab 0300/80053 45.00, pharmacy 0250 x3 61.20
        _line("NU", "0120", "2400.00", "1800.00", ("CO", "45", "500.00"), ("PR", "1", "100.00"),
              units=2),
        _line("HC", "80053", "45.00", "30.00", ("CO", "45", "15.00"), revenue="0300",
              service_date=LAB_DAY),
        pharmacy,
    )
    return ClaimPayment(claim_id.upper(), "1", D("2506.20"), sum((ln.paid for ln in lines), D(0)),
                        D("100.00"), payer_control=control, facility_type="11", frequency="1",
                        lines=lines)


def test_an_835_paying_a_facility_claim_matches_its_revenue_lines_and_balances(
        client: TestClient, rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    _, claim_id = _facility(client, a)
    ctx = admin_ctx(rt, a)
    before = ledger.patient_account(ctx, a.ids["patient"])
    payment = _payment(ctx, claim_id, _line("NU", "0250", "61.20", "0", ("CO", "97", "61.20"),
                                            units=3), "PCNH1")
    assert payment.paid == D("1830.00")
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


def test_the_patient_share_of_a_facility_claim_goes_to_a_secondary_facility_claim(
        client: TestClient, rt: Runtime, world: tuple[Tenant, Tenant], tmp_path: Path) -> None:
    """The secondary claim the 835 opens keeps each line's revenue code, so it is an 837I
    with the same revenue lines and the primary payer's adjudication in its COB loops."""
    a, _ = world
    encounter_id, claim_id = _facility(client, a)
    ctx = admin_ctx(rt, a)
    supplement = records.create(ctx, p.PAYERS, s.PayerIn(
        payer_code="SUPP1", name="Supplement", claim_filing_indicator="CI"))
    records.create(ctx, p.COVERAGES, s.CoverageIn(
        payer_id=supplement.id, priority=2, member_id="SUP100",
        effective_from=date(2025, 1, 1)), parent_id=a.ids["patient"])
    payment = _payment(ctx, claim_id, _line("NU", "0250", "61.20", "41.20",
                                            ("CO", "45", "20.00"), units=3), "PCNH2")
    (posted,) = post_era(ctx, era(payment, payer="00431")).remittances
    assert posted.exceptions == []
    second = [c for c in claims.list_claims(ctx, limit=50).items
              if c.encounter_id == encounter_id and c.id != claim_id]
    assert len(second) == 1
    billed = claims.get_claim(ctx, second[0].id).lines
    assert [ln.revenue_code for ln in billed] == ["0120", "0300", "0250"]
    (value,) = claim_output.claims_of(ctx, claim_id=second[0].id)
    assert value.institutional is not None and value.coverage.payer.payer_id == "SUPP1"
    data, _, _ = claim_output.export(ctx, claim_output.ExportIn(
        format="837i", claim_id=second[0].id, on=date(2026, 1, 20)))
    text = data.decode()
    assert "SV2*0120" in text and "SVD*00431" in text
    assert errors(text) == []
    accepted, ack = pyx12_accepts(text, tmp_path)
    assert accepted, ack
