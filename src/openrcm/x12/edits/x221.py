"""835 (005010X221A1) balancing edits: the arithmetic a payment advice must satisfy.

TR3 section 1.10.2: the payment (BPR02) equals the claim payments less provider adjustments;
each claim's charge less payment equals its adjustments (claim and line CAS); each line's
charge less payment equals the line's adjustments.
"""

from __future__ import annotations

from decimal import Decimal

from openrcm.findings import Finding
from openrcm.x12.edits import decimal_of, edit_finding, register
from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Transaction

_ZERO = Decimal("0")


def cas_total(cas: Segment) -> Decimal:
    """Sum of the adjustment amounts of one CAS (elements 3, 6, 9, 12, 15, 18)."""
    return sum((decimal_of(cas.get(p)) or _ZERO for p in range(3, 19, 3)), _ZERO)


def plb_total(plb: Segment) -> Decimal:
    """Sum of the adjustment amounts of one PLB (elements 4, 6, 8, 10, 12, 14)."""
    return sum((decimal_of(plb.get(p)) or _ZERO for p in range(4, 15, 2)), _ZERO)


def _balance(tx: Transaction) -> list[Finding]:
    out: list[Finding] = []
    paid_total = _ZERO
    for claim in tx.body.loops("2100"):
        clp = claim.first("CLP")
        if clp is None:
            continue
        charge, paid = decimal_of(clp.get(3)), decimal_of(clp.get(4))
        paid_total += paid or _ZERO
        adjustments = sum((cas_total(c) for c in claim.all("CAS")), _ZERO)
        for line in claim.loops("2110"):
            svc = line.first("SVC")
            line_cas = sum((cas_total(c) for c in line.all("CAS")), _ZERO)
            adjustments += line_cas
            if svc is None:
                continue
            svc_charge, svc_paid = decimal_of(svc.get(2)), decimal_of(svc.get(3))
            if svc_charge is not None and svc_paid is not None \
                    and svc_charge - svc_paid != line_cas:
                out.append(edit_finding(
                    tx, "X12-ELEM-EDIT", f"service line out of balance: SVC02 - SVC03 = "
                    f"{svc_charge - svc_paid} but line CAS total {line_cas}", svc, "2110", "SVC03"))
        if charge is not None and paid is not None and charge - paid != adjustments:
            out.append(edit_finding(
                tx, "X12-ELEM-EDIT", f"claim out of balance: CLP03 - CLP04 = {charge - paid} but "
                f"CAS total {adjustments}", clp, "2100", "CLP04"))
    bpr = tx.body.first("BPR")
    if bpr is not None:
        total = decimal_of(bpr.get(2))
        provider = sum((plb_total(p) for p in tx.body.all("PLB")), _ZERO)
        if total is not None and total != paid_total - provider:
            out.append(edit_finding(
                tx, "X12-ELEM-EDIT", f"BPR02 {total} is not the claim payments {paid_total} less "
                f"provider adjustments {provider}", bpr, "ST", "BPR02"))
    return out


register("005010X221A1")(_balance)
