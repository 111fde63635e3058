"""Write an 835 from the typed view (for tests, simulators and re-issuing remittances).

The segment order is the TR3's; only what the view holds is written, so
``remittance_of(parse(write(view)))`` gives the view back.
"""

from __future__ import annotations

from openrcm.x12.builders.envelope import Body, BuildError, Envelope, interchange
from openrcm.x12.views.common import (
    Entity,
    address_segments,
    cas_segments,
    fmt,
    nm1_segment,
    trim,
    ymd,
)
from openrcm.x12.views.remittance import ClaimPayment, Remittance, ServicePayment

GUIDE = "005010X221A1"


def _n1(entity: Entity) -> Body:
    return [trim(["N1", entity.entity, entity.last, entity.id_qualifier, entity.id]),
            *address_segments(entity.address)]


def _line(line: ServicePayment, comp: str) -> Body:
    proc = comp.join([line.qualifier, line.code, *line.modifiers]).rstrip(comp)
    body: Body = [trim(["SVC", proc, fmt(line.charge), fmt(line.paid), line.revenue_code,
                        fmt(line.units), comp.join(line.submitted), fmt(line.submitted_units)])]
    for qual, value in (("472", line.service_date), ("150", line.start_date),
                        ("151", line.end_date)):
        if value is not None:
            body.append(["DTM", qual, ymd(value)])
    body.extend(cas_segments(line.adjustments))
    if line.control_number:
        body.append(["REF", "6R", line.control_number])
    if line.allowed is not None:
        body.append(["AMT", "B6", fmt(line.allowed)])
    body.extend(["LQ", "HE", code] for code in line.remarks)
    return body


def _claim(claim: ClaimPayment, comp: str) -> Body:
    if not claim.patient_control:
        raise BuildError("claim patient_control (CLP01) is required")
    body: Body = [trim(["CLP", claim.patient_control, claim.status, fmt(claim.charge),
                        fmt(claim.paid), fmt(claim.patient_responsibility),
                        claim.filing_indicator, claim.payer_control, claim.facility_type,
                        claim.frequency, "", claim.drg])]
    body.extend(cas_segments(claim.adjustments))
    for person in (claim.patient, claim.insured, claim.corrected_insured, claim.rendering,
                   claim.crossover):
        if person is not None:
            body.append(nm1_segment(person))
    for qual, value in (("050", claim.received), ("232", claim.statement_start),
                        ("233", claim.statement_end)):
        if value is not None:
            body.append(["DTM", qual, ymd(value)])
    if claim.coverage_amount is not None:
        body.append(["AMT", "AU", fmt(claim.coverage_amount)])
    for line in claim.lines:
        body.extend(_line(line, comp))
    return body


def remittance_body(view: Remittance, comp: str = ":") -> Body:
    """The ST..SE body (without ST/SE) of an 835 for ``view``."""
    bank = list(view.bank) + [""] * (10 - len(view.bank))
    body: Body = [
        trim(["BPR", view.handling, fmt(view.amount), view.credit_debit, view.method,
              view.payment_format, *bank[:10], ymd(view.payment_date)]),
        trim(["TRN", view.trace_type, view.trace_number, view.originator_id]),
    ]
    if view.receiver_id:
        body.append(["REF", "EV", view.receiver_id])
    if view.production_date is not None:
        body.append(["DTM", "405", ymd(view.production_date)])
    body.extend(_n1(view.payer))
    if view.payer_contact:
        body.append(trim(["PER", "BL", *view.payer_contact]))
    body.extend(_n1(view.payee))
    for number, claim in enumerate(view.claims, start=1):
        if number == 1:
            body.append(["LX", "1"])
        body.extend(_claim(claim, comp))
    by_provider: dict[tuple[str, str], list[list[str]]] = {}
    for adj in view.provider_adjustments:
        key = (adj.provider_id, ymd(adj.fiscal_date))
        reason = comp.join([adj.reason, adj.reference]).rstrip(comp)
        by_provider.setdefault(key, []).append([reason, fmt(adj.amount)])
    for (provider, fiscal), pairs in by_provider.items():
        for start in range(0, len(pairs), 6):
            body.append(["PLB", provider, fiscal, *[v for p in pairs[start:start + 6] for v in p]])
    return body


def write_remittance(views: list[Remittance], envelope: Envelope) -> str:
    """An interchange with one 835 per view (ST02 = each view's control number)."""
    comp = envelope.delimiters.component
    return interchange(envelope, "HP", GUIDE,
                       [("835", v.control, remittance_body(v, comp)) for v in views])
