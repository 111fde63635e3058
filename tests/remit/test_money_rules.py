"""Underpayments, secondary claims from the primary's result, and KPIs."""

from __future__ import annotations

from datetime import date

import pytest

from openrcm.claims.model import Responsibility
from openrcm.remit.kpi import kpis
from openrcm.remit.model import Action, ExpectedLine, LineAdjustment, LinePosting
from openrcm.remit.plan import plan_remittance
from openrcm.remit.secondary import SecondaryError, next_coverage, secondary_claim
from openrcm.remit.underpayment import contracted_amount, underpayment
from tests.remit.support import DOS, PAID_ON, D, billed, cas, clp, era, svc
from tests.support.claims import PPO, SECONDARY, SUPP, claim

SCHEDULE = {("99213", ""): D("92.00"), ("20610", "RT"): D("70.00"), ("20610", ""): D("65.00")}


def test_underpayment_against_the_contracted_rate() -> None:
    line = ExpectedLine("L1", "99213", D("150"), DOS)
    paid = LinePosting("L1", D("60"), (LineAdjustment("PR", "2", D("20"), Action.TRANSFER),))
    found = underpayment(SCHEDULE, line, paid)
    assert found is not None and found.short == D("12.00")
    exact = LinePosting("L1", D("72"), (LineAdjustment("PR", "2", D("20"), Action.TRANSFER),))
    assert underpayment(SCHEDULE, line, exact) is None
    assert underpayment(SCHEDULE, line, LinePosting("L1", D("0"))) is None  # a denial
    assert underpayment(SCHEDULE, line, paid, reported_allowed=D("92")) is None


def test_contracted_amount_uses_the_modifier_row_then_the_plain_row_times_units() -> None:
    assert contracted_amount(SCHEDULE, ExpectedLine("a", "20610", D(1), None, ("RT",))) == D("70")
    assert contracted_amount(SCHEDULE, ExpectedLine("a", "20610", D(1), None, ("LT",))) == D("65")
    assert contracted_amount(SCHEDULE, ExpectedLine("a", "99213", D(1), None, (), D(2))) == D(184)
    assert contracted_amount(SCHEDULE, ExpectedLine("a", "11111", D(1))) is None


def test_secondary_claim_carries_the_primary_adjudication() -> None:
    first = claim("C1", dx="J06.9", others=(SECONDARY,))
    remit = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "40"),
                                          cas("PR", "2", "30"))))
    posting = plan_remittance(remit, PPO.payer_id, [
        billed(payer=PPO.payer_id, next_payer=SUPP.payer_id)]).claims[0]
    nxt = secondary_claim(first, posting, PAID_ON, "C1S")
    assert nxt.claim_id == "C1S" and nxt.payer.payer_id == SUPP.payer_id
    assert nxt.coverage.responsibility is Responsibility.SECONDARY
    (prior,) = nxt.prior_adjudications
    assert prior.paid == D("80") and prior.payer_id == PPO.payer_id
    assert prior.patient_responsibility == D("30")
    assert [c.payer.payer_id for c in nxt.other_coverages] == [PPO.payer_id]
    assert next_coverage(nxt) is None
    with pytest.raises(SecondaryError, match="no further coverage"):
        secondary_claim(nxt, posting, PAID_ON, "C1T")


def test_kpis_over_plans() -> None:
    good = era(clp("C1", "150", "100", svc("99213", "150", "100", cas("CO", "45", "50"))),
               clp("C2", "150", "0", svc("99213", "150", "0", cas("CO", "50", "150"))),
               clp("C9", "150", "10", svc("99213", "150", "10", cas("CO", "45", "140"))))
    plan = plan_remittance(good, "P1", [billed("C1"), billed("C2")])
    result = kpis([plan], [(date(2026, 3, 1), date(2026, 3, 15)),
                           (date(2026, 3, 1), date(2026, 3, 31))])
    assert (result.claims, result.auto_posted) == (3, 2)
    assert result.auto_post_rate == D("0.6667")
    assert result.denial_rate["medical necessity"] == D("0.5000")
    assert result.denial_rate["coding"] == 0
    assert result.days_to_payment_mean == D("22.0") and result.days_to_payment_median == D(22)
