"""The payer simulator takes 837I facility claims: a 999 naming the institutional guide, a
277CA, and an 835 that pays revenue-coded lines (per diem for room and board, a rate or a
share of the charge by revenue code, the fee schedule for a line's HCPCS code) with the type
of bill in CLP08/CLP09 and the statement period in DTM*232/233."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from openrcm.claims.model import (
    Adjustment,
    Frequency,
    LineAdjudication,
    PriorAdjudication,
    Responsibility,
)
from openrcm.money import ZERO
from openrcm.payers.acks import read_277ca, read_999
from openrcm.payers.simulator.config import ConfigError, default_config, parse_config
from openrcm.payers.simulator.engine import SimState, handle, pay_cycle
from openrcm.payers.simulator.intake import claims_of, front_end_edits, line_day
from openrcm.remit.plan import balance_problem
from openrcm.x12.parser import parse
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment, remittance_of
from tests.payers.support import BLUE, DOS, TODAY, D, facility, revenue, x837

CONFIG = default_config()
SUPPLEMENT = replace(BLUE, payer=replace(BLUE.payer, payer_id="SIMSUPP"),
                     responsibility=Responsibility.SECONDARY)


def _cas(line: ServicePayment) -> dict[tuple[str, str], D]:
    return {(a.group, a.reason): a.amount for a in line.adjustments}


def _paid(state: SimState) -> tuple[SimState, ClaimPayment]:
    state, replies = pay_cycle(state, CONFIG, TODAY)
    (reply,) = replies
    document = parse(reply.text)
    assert [f.message for f in document.findings] == [], "the simulator's 835 is valid X12"
    (tx,) = document.transactions()
    remit = remittance_of(tx)
    assert balance_problem(remit) == ""
    (payment,) = remit.claims
    return state, payment


def test_an_837i_gets_a_999_for_the_institutional_guide_and_a_277ca() -> None:
    state, replies = handle(SimState(), CONFIG, x837(facility("H1")), TODAY)
    assert [r.kind for r in replies] == ["999", "277CA"]
    assert "AK1*HC*1*005010X223A2~" in replies[0].text
    (ack,) = read_999(replies[0].text)
    assert ack.sets[0].accepted
    (verdict,) = read_277ca(replies[1].text)
    assert verdict.accepted and verdict.payer_id == "DBCB1" and verdict.payer_control
    assert [p.claim.id for p in state.pending] == ["H1"]


def test_inpatient_lines_are_priced_per_diem_by_share_of_charge_and_by_hcpcs() -> None:
    stay = facility("H1", revenue("R1", "0120", "", "3750.00", 3),
                    revenue("R2", "0250", "", "412.50"),
                    revenue("R3", "0301", "80053", "45.00"))
    state, _ = handle(SimState(), CONFIG, x837(stay), TODAY)
    state, payment = _paid(state)
    assert (payment.facility_type, payment.frequency) == ("11", "1")  # type of bill 111
    assert (payment.statement_start, payment.statement_end) == (DOS, date(2026, 3, 5))
    assert payment.filing_indicator == "BL" and payment.status == "1"
    room, pharmacy, lab = payment.lines
    assert (room.qualifier, room.code, room.revenue_code, room.units) == ("NU", "0120", "",
                                                                           D(3))
    # 3 days at the 980.00 per diem; the 500.00 deductible, then 20 % coinsurance
    assert _cas(room) == {("CO", "45"): D("810.00"), ("PR", "1"): D("500.00"),
                          ("PR", "2"): D("488.00")}
    assert room.paid == D("1952.00")
    # pharmacy at 45 % of the charge (185.625 -> 185.63)
    assert (pharmacy.qualifier, pharmacy.code) == ("NU", "0250")
    assert _cas(pharmacy) == {("CO", "45"): D("226.87"), ("PR", "2"): D("37.13")}
    # the lab line by its HCPCS code (12.00), revenue code in SVC04
    assert (lab.qualifier, lab.code, lab.revenue_code) == ("HC", "80053", "0301")
    assert lab.paid == D("9.60")
    # inpatient lines carry no day of their own: the claim's DTM*232/233 period covers them
    assert [ln.service_date for ln in payment.lines] == [None] * 3
    assert payment.paid == D("2110.10") and payment.patient_responsibility == D("1027.53")
    for line in payment.lines:  # every billed cent is paid, written down or the patient's
        assert line.paid + sum(a.amount for a in line.adjustments) == line.charge
    assert state.deductible_met == {"DBCB1:BCX1": D("500.00")}


def test_outpatient_claim_uses_the_rate_by_revenue_code_and_its_type_of_bill() -> None:
    later = date(2026, 3, 3)
    visit = facility("E1", revenue("E1R1", "0450", "99283", "420.00"),
                     revenue("E1R2", "0270", "", "35.00", day=later), type_of_bill="137",
                     days=1)
    visit = replace(visit, frequency=Frequency.REPLACEMENT,
                    payer_claim_control_number="PCN0001")
    state, _ = handle(SimState(), CONFIG, x837(visit), TODAY)
    _, payment = _paid(state)
    assert (payment.facility_type, payment.frequency) == ("13", "7")  # a replacement
    er, supplies = payment.lines
    assert (er.qualifier, er.code, er.revenue_code) == ("HC", "99283", "0450")
    assert _cas(er) == {("CO", "45"): D("210.00"), ("PR", "1"): D("210.00")}
    assert (supplies.qualifier, supplies.code) == ("NU", "0270")
    assert _cas(supplies) == {("CO", "45"): D("17.00"), ("PR", "1"): D("18.00")}  # 18.00 rate
    assert (er.service_date, supplies.service_date) == (DOS, later)  # outpatient line days
    assert payment.paid == ZERO and payment.status == "1"  # all to the deductible


def test_a_facility_line_without_its_own_day_is_dated_by_the_statement_period() -> None:
    (tx,) = parse(x837(facility("H1")), validate=False).transactions()
    (received,) = claims_of(tx)
    assert received.facility_qualifier == "A"
    assert all(not ln.service_date for ln in received.lines)
    assert {line_day(received, ln) for ln in received.lines} == {DOS}
    assert front_end_edits(received, frozenset({"DBCB1"}), TODAY) == []
    early = front_end_edits(received, frozenset({"DBCB1"}), date(2026, 3, 1))
    assert [(r.category, r.status) for r in early] == [("A7", "187")] * 4  # lines, period


def test_a_stay_billed_before_its_statement_period_ends_is_rejected() -> None:
    (tx,) = parse(x837(facility("H1", days=20)), validate=False).transactions()
    (received,) = claims_of(tx)
    (rejection,) = front_end_edits(received, frozenset({"DBCB1"}), TODAY)
    assert (rejection.category, rejection.status) == ("A7", "187")
    assert "statement period" in rejection.reason
    undated = replace(received, dates={})
    reasons = [r.reason for r in front_end_edits(undated, frozenset({"DBCB1"}), TODAY)]
    assert reasons == [f"line {n} has no date of service" for n in (1, 2, 3)] + [
        "the facility claim has no statement period"]


def test_a_secondary_facility_claim_is_paid_on_the_primary_patient_share() -> None:
    first = facility("H1", revenue("R1", "0120", "", "3750.00", 3),
                     revenue("R2", "0301", "80053", "45.00"))
    state, _ = handle(SimState(), CONFIG, x837(first), TODAY)
    state, primary = _paid(state)
    prior = PriorAdjudication("DBCB1", Responsibility.PRIMARY, primary.paid, TODAY, lines=(
        LineAdjudication("R1", "", D("1952.00"), D(3), (
            Adjustment("CO", "45", D("810.00")), Adjustment("PR", "1", D("500.00")),
            Adjustment("PR", "2", D("488.00")))),
        LineAdjudication("R2", "80053", D("28.00"), D(1), (
            Adjustment("CO", "45", D("10.00")), Adjustment("PR", "2", D("7.00"))))))
    second = replace(first, coverage=SUPPLEMENT, other_coverages=(BLUE,),
                     prior_adjudications=(prior,))
    state, replies = handle(state, CONFIG, x837(second, control=2), TODAY)
    (verdict,) = read_277ca(replies[1].text)
    assert verdict.accepted and verdict.payer_id == "SIMSUPP"
    _, payment = _paid(state)
    assert payment.status == "2" and (payment.facility_type, payment.frequency) == ("11", "1")
    room, lab = payment.lines
    assert (room.code, room.paid, _cas(room)) == ("0120", D("988.00"),
                                                  {("OA", "23"): D("2762.00")})
    assert (lab.code, lab.revenue_code, lab.paid) == ("80053", "0301", D("7.00"))


@pytest.mark.parametrize(("yaml", "message"), [
    ("per_diem: {'0250': 100}", "room-and-board codes (01xx)"),
    ("revenue_schedule: {'250': 10}", "four digits"),
    ("percent_of_charge: {'0250': 1.5}", "fraction between 0 and 1"),
    ("per_diem: {'0120': -1}", "must not be negative"),
])
def test_facility_pricing_configuration_errors_name_the_key(yaml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        parse_config(f"payers: {{H: {{name: HOSP, {yaml}}}}}")
    assert str(info.value).startswith("payers.H.")


def test_facility_pricing_is_read_as_exact_decimals() -> None:
    rules = parse_config("payers: {H: {per_diem: {'0120': 980.10}, revenue_schedule: "
                         "{'0270': 18}, percent_of_charge: {'0250': 0.45}}}").payers["H"]
    assert rules.per_diem == {"0120": D("980.10")}
    assert rules.revenue_schedule == {"0270": D("18.00")}
    assert rules.percent_of_charge == {"0250": D("0.45")}
