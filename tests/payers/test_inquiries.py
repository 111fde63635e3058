"""270 -> 271 benefits summary and estimate; 276 -> 277 claim status."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openrcm.payers.claim_status import read_277
from openrcm.payers.eligibility import estimate, read_271
from openrcm.payers.requests import Inquiry, StatusQuery, eligibility_270, status_276
from openrcm.payers.simulator.config import default_config, parse_config
from openrcm.payers.simulator.engine import SimState, handle, pay_cycle
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.parser import parse
from tests.payers.support import DOS, NPI, TODAY, D, claim, x837

ENV = Envelope("CLINIC", "OPENRCMSIM", 5, 5, TODAY, "1200")
ASK = Inquiry("SIMPPO", "SIMULATED PPO", NPI, "SIM CLINIC", "M100", "DOE", "ALEX", None, "T1")
CORPUS = Path(__file__).parents[1] / "x12" / "conformance" / "fixtures" / "271" / "pass"


def test_eligibility_round_trip_gives_a_readable_summary_and_estimate() -> None:
    _, replies = handle(SimState(), default_config(), eligibility_270(ASK, ENV, TODAY), TODAY)
    (benefits,) = read_271(replies[0].text)
    assert benefits.found and benefits.active
    assert benefits.deductible == D("200.00") and benefits.deductible_remaining == D("200.00")
    assert benefits.copay_for("30") == D("25.00")
    assert benefits.coinsurance_for("30") == D("0.20")
    assert "coverage: active (SIMULATED PPO)" in benefits.summary()
    est = estimate(benefits, D("300.00"))
    assert (est.deductible, est.copay, est.coinsurance) == (D("200.00"), D("25.00"), D("15.00"))
    assert est.patient == D("240.00")
    assert est.summary() == ("estimate for an allowed amount of 300.00: deductible 200.00, "
                             "copay 25.00, coinsurance 15.00; the patient pays 240.00, the "
                             "plan 60.00")


def test_deductible_met_shows_in_the_next_271() -> None:
    config = default_config()
    state, _ = handle(SimState(), config, x837(claim("C1")), TODAY)
    state, _ = pay_cycle(state, config, TODAY)
    _, replies = handle(state, config, eligibility_270(ASK, ENV, TODAY), TODAY)
    (benefits,) = read_271(replies[0].text)
    assert benefits.deductible_remaining == D("108.00")


def test_unknown_and_inactive_members() -> None:
    config = parse_config("payers: {P: {name: X}}\nmembers: {M1: {payer: P, active: false}}")
    ask = Inquiry("P", "X", NPI, "C", "M2", "DOE", "A", None, "T")
    _, replies = handle(SimState(), config, eligibility_270(ask, ENV, TODAY), TODAY)
    (missing,) = read_271(replies[0].text)
    assert not missing.found and "subscriber not found" in missing.summary()[0]
    assert estimate(missing, D("50")).patient == D("50")
    ask = Inquiry("P", "X", NPI, "C", "M1", "DOE", "A", None, "T")
    _, replies = handle(SimState(), config, eligibility_270(ask, ENV, TODAY), TODAY)
    (inactive,) = read_271(replies[0].text)
    assert inactive.found and not inactive.active


def test_a_payer_the_clearinghouse_does_not_know_is_a_rejected_inquiry() -> None:
    ask = Inquiry("NOSUCH", "X", NPI, "C", "M1", "DOE", "A", None, "T")
    _, replies = handle(SimState(), default_config(), eligibility_270(ask, ENV, TODAY), TODAY)
    assert parse(replies[0].text).all_findings() == []  # a valid 271 (TR3), AAA in 2100A
    (answer,) = read_271(replies[0].text)
    assert (answer.member_id, answer.found) == ("", False)
    assert answer.summary() == [
        "the payer did not answer: invalid participant identification (payer id not known)"]
    assert estimate(answer, D("50")).patient == D("50")


def test_public_271_samples_read() -> None:
    (sub,) = read_271((CORPUS / "lfh--subscriber-health-benefit-check.271").read_bytes())
    assert sub.member_id == "123456789" and sub.active and sub.plan == "GOLD 123 PLAN"
    assert sub.copay_for("98") == D("10.00")  # in network; the 30.00 row is out of network


def test_claim_status_before_and_after_payment() -> None:
    config = default_config()
    state, _ = handle(SimState(), config, x837(claim("C1")), TODAY)
    ask = [StatusQuery("C1", Decimal("150.00"), DOS), StatusQuery("C9", Decimal("1"), DOS)]
    _, replies = handle(state, config, status_276(ASK, ENV, ask), TODAY)
    pending, missing = read_277(replies[0].text)
    assert pending.claim_id == "C1" and pending.status == "A2:20" and not pending.finalized
    assert missing.status == "A4:35" and "not found" in missing.meaning
    state, _ = pay_cycle(state, config, TODAY)
    _, replies = handle(state, config, status_276(ASK, ENV, ask[:1]), TODAY)
    (paid,) = read_277(replies[0].text)
    # all of the allowance went to the deductible: processed per contract, nothing paid
    assert paid.finalized and paid.status == "F1:107" and paid.paid == D("0.00")
    assert "contract" in paid.meaning
