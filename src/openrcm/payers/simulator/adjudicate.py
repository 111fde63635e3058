"""Adjudication of one accepted claim by a simulated payer: the 835 claim payment.

Line by line, in the order real payers apply them: missing information (CO-16), bundling
(CO-97), medical necessity (CO-50) deny the line; otherwise the allowed amount comes from the
fee schedule (CO-45 writes down the rest; a facility line is priced by the HCPCS code it
carries, else by its revenue code: a room-and-board per diem, a rate per unit or a share of
the charge), then the deductible (PR-1), copay (PR-3) and coinsurance (PR-2). A secondary
claim is paid on the prior payer's patient responsibility (the rest is OA-23). A facility
claim's 835 names its revenue codes (SVC01 ``NU``, or SVC04 beside a HCPCS code) and its type
of bill (CLP08 facility type, CLP09 frequency). Pure: the member's deductible met so far comes
in and goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openrcm.money import ZERO, cents
from openrcm.payers.simulator.config import BYPASS_MODIFIERS, PayerRules
from openrcm.payers.simulator.intake import (
    diagnosis_codes,
    is_institutional,
    line_day,
    prior_result,
    service_day,
    statement_period,
    units,
)
from openrcm.x12.views.claim import Claim, Line
from openrcm.x12.views.common import Adjustment
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment

STATUS = {"P": "1", "S": "2", "T": "3"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The claim payment and the member's deductible met after it."""

    payment: ClaimPayment
    deductible_met: Decimal


def _denial(line: Line, rules: PayerRules, claim: Claim) -> tuple[str, str] | None:
    """(CARC, RARC) when the line is denied outright, else None."""
    if line.code in rules.ndc_required and (line.drug is None or not line.drug.ndc):
        return "16", "M119"
    for first, second in rules.bundles:
        if line.code == second and not BYPASS_MODIFIERS & set(line.modifiers) and any(
                other.code == first and line_day(claim, other) == line_day(claim, line)
                for other in claim.lines):
            return "97", "M15"
    prefixes = rules.medical_necessity.get(line.code)
    if prefixes is not None and not any(d.startswith(prefixes)
                                        for d in diagnosis_codes(claim)):
        return "50", "N386"
    return None


def _allowed(line: Line, rules: PayerRules) -> Decimal:
    """The fee schedule by procedure code, then (facility lines) per diem, rate per unit or
    share of charge by revenue code, then the default share of the charge; never above it."""
    revenue = line.revenue_code
    rate = rules.fee_schedule.get(line.code) if line.code else None
    if rate is None:
        rate = rules.per_diem.get(revenue, rules.revenue_schedule.get(revenue))
    if rate is not None:
        allowed = cents(rate * units(line))
    else:
        allowed = cents(line.charge * rules.percent_of_charge.get(
            revenue, rules.default_allowed_ratio))
    return min(allowed, line.charge)


def _primary_line(line: Line, rules: PayerRules, claim: Claim, met: Decimal
                  ) -> tuple[ServicePayment, Decimal]:
    adjustments: list[Adjustment] = []
    remarks: tuple[str, ...] = ()
    denied = _denial(line, rules, claim)
    if denied is not None:
        adjustments.append(Adjustment("CO", denied[0], line.charge))
        remarks = (denied[1],)
        paid = ZERO
    else:
        allowed = _allowed(line, rules)
        if line.charge > allowed:
            adjustments.append(Adjustment("CO", "45", line.charge - allowed))
        deductible = min(allowed, max(rules.deductible - met, ZERO))
        met += deductible
        copay = min(rules.copays.get(line.code, ZERO), allowed - deductible)
        coinsurance = cents((allowed - deductible - copay) * rules.coinsurance)
        for reason, value in (("1", deductible), ("2", coinsurance), ("3", copay)):
            if value > 0:
                adjustments.append(Adjustment("PR", reason, value))
        paid = allowed - deductible - copay - coinsurance
    return _service(claim, line, paid, adjustments, remarks), met


def _secondary_line(line: Line, rules: PayerRules, claim: Claim) -> ServicePayment:
    prior = prior_result(line)
    if prior is None:
        return _service(claim, line, ZERO, [Adjustment("CO", "16", line.charge)], ("MA04",))
    owed = sum((a.amount for a in prior.adjustments if a.group == "PR"), ZERO)
    adjustments = [Adjustment("OA", "23", line.charge - owed)] if line.charge > owed else []
    coinsurance = cents(owed * rules.coinsurance)
    if coinsurance > 0:
        adjustments.append(Adjustment("PR", "2", coinsurance))
    return _service(claim, line, owed - coinsurance, adjustments, ())


def _service(claim: Claim, line: Line, paid: Decimal, adjustments: list[Adjustment],
             remarks: tuple[str, ...]) -> ServicePayment:
    """The SVC: the procedure code, or a facility line's revenue code (``NU``) when it has
    none; a facility line with a procedure code keeps its revenue code in SVC04. A facility
    line without a day of its own gets no DTM*472 (the claim's DTM*232/233 period covers it)."""
    qualifier, code = (line.qualifier or "HC", line.code) if line.code else ("NU",
                                                                            line.revenue_code)
    return ServicePayment(qualifier, code, line.charge, paid, modifiers=line.modifiers,
                          revenue_code=line.revenue_code if line.code else "",
                          units=units(line), service_date=service_day(line),
                          adjustments=tuple(adjustments), control_number=line.control_number,
                          remarks=remarks)


def adjudicate(claim: Claim, rules: PayerRules, deductible_met: Decimal,
               payer_control: str) -> Outcome:
    """The 835 claim payment for an accepted claim."""
    lines: list[ServicePayment] = []
    met = deductible_met
    for line in claim.lines:
        if claim.subscriber.responsibility == "P":
            svc, met = _primary_line(line, rules, claim, met)
        else:
            svc = _secondary_line(line, rules, claim)
        lines.append(svc)
    paid = sum((ln.paid for ln in lines), ZERO)
    patient = sum((a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), ZERO)
    status = STATUS.get(claim.subscriber.responsibility, "1") if paid > 0 or patient > 0 else "4"
    facility = is_institutional(claim)
    start, end = statement_period(claim) if facility else (None, None)
    return Outcome(ClaimPayment(
        claim.id, status, claim.charge, paid, patient_responsibility=patient,
        filing_indicator=rules.filing_indicator, payer_control=payer_control,
        facility_type=claim.facility_code if facility else "",
        frequency=claim.frequency if facility else "",
        statement_start=start, statement_end=end, lines=tuple(lines)), met)
