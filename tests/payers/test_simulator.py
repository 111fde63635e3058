"""The payer simulator: 837 in, 999 + 277CA back, 835s after a payment cycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openrcm.claims.model import Adjustment, LineAdjudication, PriorAdjudication, Responsibility
from openrcm.money import ZERO
from openrcm.payers.acks import read_277ca, read_999
from openrcm.payers.claim_status import read_277
from openrcm.payers.requests import Inquiry, StatusQuery, status_276
from openrcm.payers.simulator.config import default_config
from openrcm.payers.simulator.engine import SimState, handle, pay_cycle
from openrcm.payers.simulator.intake import claims_of, front_end_edits
from openrcm.remit.plan import balance_problem
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.parser import parse
from openrcm.x12.views.remittance import Remittance, remittance_of
from tests.payers.support import (
    DOS,
    NPI,
    PRIMARY,
    SECONDARY,
    TODAY,
    D,
    claim,
    elsewhere,
    line,
    with_npi,
    x837,
)

CONFIG = default_config()


def _remits(texts: list[str]) -> list[Remittance]:
    documents = [parse(t) for t in texts]
    assert [f.message for d in documents for f in d.findings] == [], "valid 835s"
    return [remittance_of(tx) for d in documents for tx in d.transactions()]


def test_837_gets_999_and_277ca_with_front_end_rejections_in_plain_words() -> None:
    good = claim("C1")
    bad = elsewhere(claim("C2"))
    state, replies = handle(SimState(), CONFIG, x837(good, bad), TODAY)
    kinds = [r.kind for r in replies]
    assert kinds == ["999", "277CA", "277CA"]  # one 277CA per payer
    (ack,) = read_999(replies[0].text)
    assert ack.sets[0].accepted
    verdicts = {a.claim_id: a for r in replies[1:] for a in read_277ca(r.text)}
    assert verdicts["C1"].accepted and verdicts["C1"].payer_control
    assert not verdicts["C2"].accepted and verdicts["C2"].statuses == ("A3:116:PR",)
    assert "incorrect payer" in verdicts["C2"].reasons[0]
    assert [p.claim.id for p in state.pending] == ["C1"]


def test_front_end_edits_in_the_typed_claim() -> None:
    bad = with_npi(claim("C1", line("L1", "99213", "150.00")), "1234567890")
    (tx,) = parse(x837(bad), validate=False).transactions()
    (received,) = claims_of(tx)
    assert [(r.category, r.status) for r in front_end_edits(
        received, frozenset({"SIMPPO"}), TODAY)] == [("A7", "562")]
    assert [(r.category, r.status) for r in front_end_edits(
        received, frozenset({"OTHER"}), DOS)] == [("A3", "116"), ("A7", "562")]
    early = front_end_edits(received, frozenset({"SIMPPO"}), date(2026, 3, 1))
    assert ("A7", "187") in [(r.category, r.status) for r in early]  # dated in the future


def test_payment_cycle_adjudicates_with_fee_schedule_deductible_copay_and_coinsurance() -> None:
    office = claim("C1", line("L1", "99213", "150.00"), line("L2", "36415", "20.00"))
    state, _ = handle(SimState(), CONFIG, x837(office), TODAY)
    state, replies = pay_cycle(state, CONFIG, TODAY)
    (remit,) = _remits([r.text for r in replies])
    assert balance_problem(remit) == "" and remit.method == "ACH"
    (payment,) = remit.claims
    first = payment.lines[0]
    cas = {(a.group, a.reason): a.amount for a in first.adjustments}
    assert cas[("CO", "45")] == D("58.00")  # 150 - 92 allowed
    assert cas[("PR", "1")] == D("92.00")  # the deductible (200) eats the whole allowance
    second = {(a.group, a.reason): a.amount for a in payment.lines[1].adjustments}
    assert second[("PR", "1")] == D("3.00")
    assert state.deductible_met["SIMPPO:M100"] == D("95.00")
    # the next visit pays: deductible 105 left, then copay 25, coinsurance 20%
    state, _ = handle(state, CONFIG, x837(claim("C2", line("L3", "99214", "200.00")),
                                          control=2), TODAY)
    state, replies = pay_cycle(state, CONFIG, TODAY)
    (remit,) = _remits([r.text for r in replies])
    cas = {(a.group, a.reason): a.amount for a in remit.claims[0].lines[0].adjustments}
    assert cas == {("CO", "45"): D("69.00"), ("PR", "1"): D("105.00"),
                   ("PR", "3"): D("25.00"), ("PR", "2"): D("0.20")}
    assert remit.claims[0].paid == D("0.80")


def test_denials_bundling_medical_necessity_missing_ndc() -> None:
    c = claim("C1", line("L1", "20610", "250.00"), line("L2", "96372", "40.00"),
              line("L3", "97110", "60.00"), line("L4", "J1100", "10.00"), dx="J06.9")
    state, _ = handle(SimState(), CONFIG, x837(c), TODAY)
    _, replies = pay_cycle(state, CONFIG, TODAY)
    (remit,) = _remits([r.text for r in replies])
    reasons = [[(a.group, a.reason) for a in ln.adjustments] for ln in remit.claims[0].lines]
    assert reasons[1] == [("CO", "97")] and reasons[2] == [("CO", "50")]
    assert reasons[3] == [("CO", "16")]
    assert remit.claims[0].lines[3].remarks == ("M119",)


def test_bundling_bypassed_by_modifier_59() -> None:
    c = claim("C1", line("L1", "20610", "250.00"), line("L2", "96372", "40.00", "59"))
    state, _ = handle(SimState(), CONFIG, x837(c), TODAY)
    _, replies = pay_cycle(state, CONFIG, TODAY)
    (remit,) = _remits([r.text for r in replies])
    assert ("CO", "97") not in [(a.group, a.reason) for a in remit.claims[0].lines[1].adjustments]


def test_same_inputs_same_bytes() -> None:
    def run() -> list[str]:
        state, first = handle(SimState(), CONFIG, x837(claim("C1")), TODAY)
        _, second = pay_cycle(state, CONFIG, TODAY)
        return [r.text for r in first + second]
    assert run() == run()


def test_reversal_and_recoupment_cycles_stay_balanced() -> None:
    rules = replace(CONFIG.payers["SIMPPO"], reversal_rate=D("1"), deductible=ZERO)
    config = replace(CONFIG, payers={**CONFIG.payers, "SIMPPO": rules})
    state, _ = handle(SimState(), config, x837(claim("C1")), TODAY)
    state, replies = pay_cycle(state, config, TODAY)
    state, replies = pay_cycle(state, config, TODAY)
    (remit,) = _remits([r.text for r in replies])
    assert [c.status for c in remit.claims] == ["22", "1"]
    assert remit.claims[0].paid == -remit.claims[1].paid + 1
    assert balance_problem(remit) == "" and remit.amount == D("1.00")
    recoup = replace(rules, reversal_rate=ZERO, recoupment_rate=D("1"))
    config = replace(CONFIG, payers={**CONFIG.payers, "SIMPPO": recoup})
    state, _ = handle(state, config, x837(claim("C2"), control=2), TODAY)
    state, replies = pay_cycle(state, config, TODAY)
    (remit,) = _remits([r.text for r in replies])
    assert remit.provider_adjustments and remit.provider_adjustments[0].reason == "WO"
    (recouped,) = [p for p in state.paid if p.recouped]  # named by the payer's claim number
    assert remit.provider_adjustments[0].reference == recouped.payment.payer_control != ""
    assert balance_problem(remit) == ""


def _status(state: SimState, payer: str, claim_id: str) -> str:
    ask = Inquiry(payer, payer, NPI, "SIM CLINIC", "M100", "DOE", "ALEX", None, "T1")
    env = Envelope("CLINIC", "OPENRCMSIM", 9, 9, TODAY, "1200")
    _, replies = handle(state, CONFIG, status_276(ask, env, [StatusQuery(claim_id, D("150"),
                                                                         DOS)]), TODAY)
    (answer,) = read_277(replies[0].text)
    return answer.status


def test_secondary_claim_keeps_clm01_but_is_its_own_claim_at_its_payer() -> None:
    first = claim("C1")
    state, replies = handle(SimState(), CONFIG, x837(first), TODAY)
    (primary_ack,) = read_277ca(replies[1].text)
    state, _ = pay_cycle(state, CONFIG, TODAY)
    prior = PriorAdjudication("SIMPPO", Responsibility.PRIMARY, ZERO, TODAY, lines=(
        LineAdjudication("C1L1", "99213", ZERO, D(1), (Adjustment("CO", "45", D("58.00")),
                                                       Adjustment("PR", "1", D("92.00")))),))
    second = replace(first, coverage=SECONDARY, other_coverages=(PRIMARY,),
                     prior_adjudications=(prior,))
    state, replies = handle(state, CONFIG, x837(second, control=2), TODAY)
    (secondary_ack,) = read_277ca(replies[1].text)
    assert (primary_ack.claim_id, primary_ack.payer_id) == ("C1", "SIMPPO")
    assert (secondary_ack.claim_id, secondary_ack.payer_id) == ("C1", "SIMSUPP")
    assert secondary_ack.accepted and secondary_ack.payer_control != primary_ack.payer_control
    # each payer answers a 276 about its own copy: the primary's result is not overwritten
    assert _status(state, "SIMPPO", "C1") == "F1:107"
    assert _status(state, "SIMSUPP", "C1") == "A2:20"
    state, replies = pay_cycle(state, CONFIG, TODAY)
    (remit,) = _remits([r.text for r in replies])
    (payment,) = remit.claims
    assert payment.patient_control == "C1" and payment.status == "2"
    assert payment.payer_control == secondary_ack.payer_control
    assert payment.paid == D("92.00")  # the supplement pays the primary's deductible
    assert _status(state, "SIMSUPP", "C1") == "F1:65"
    assert _status(state, "SIMPPO", "C1") == "F1:107"


def test_payer_claim_numbers_are_never_reused_by_reposts() -> None:
    rules = replace(CONFIG.payers["SIMPPO"], reversal_rate=D("1"), deductible=ZERO)
    config = replace(CONFIG, payers={**CONFIG.payers, "SIMPPO": rules})
    state, _ = handle(SimState(), config, x837(claim("C1"), claim("C2")), TODAY)
    numbers: list[str] = []
    for _ in range(3):  # every cycle reverses and reposts every payment, all on one day
        state, replies = pay_cycle(state, config, TODAY)
        numbers += [c.payer_control for r in _remits([r.text for r in replies])
                    for c in r.claims if c.status != "22"]
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert state.known["SIMPPO:C1"].payer_control in numbers[-2:]  # a 277 names the repost
