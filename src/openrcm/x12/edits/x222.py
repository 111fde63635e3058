"""837P (005010X222A1) edits that clearinghouse front ends reject on.

Each rule needs values from more than one segment, so it cannot be a field of the spec data;
the guide file lists them under ``edits:``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from openrcm.findings import Finding
from openrcm.x12.edits import decimal_of, edit_finding, register
from openrcm.x12.tokens import is_digits
from openrcm.x12.tree import Loop, Transaction

# "PO BOX 12", "P.O. Box", "P O BOX", "POB 5", "PO BX 5", "Post Office Box", "Lockbox 7".
_PO_BOX = re.compile(r"\b(?:P\.?\s*O\.?\s*B(?:OX|X|\.?\s*\d)|POST\s+OFFICE\s+BOX|LOCK\s*BOX)",
                     re.IGNORECASE)


def is_po_box(street: str) -> bool:
    """True when an address line names a post office box or lock box rather than a street."""
    return _PO_BOX.search(street) is not None


def _billing_provider(tx: Transaction) -> list[Finding]:
    out: list[Finding] = []
    for loop in tx.body.loops("2010AA"):
        nm1 = loop.first("NM1")
        n3 = loop.first("N3")
        if n3 is not None:
            for position in (1, 2):
                if is_po_box(n3.get(position)):
                    # TR3 2010AA N3 note: the billing provider address must be a street
                    # address; a PO box or lock box goes in the 2010AB pay-to address.
                    out.append(edit_finding(tx, "X12-ELEM-EDIT", f"N30{position} billing "
                                            "provider address is a PO box or lock box; the "
                                            "TR3 requires a street address (use 2010AB pay-to "
                                            "for a PO box)", n3, "2010AA", f"N30{position}"))
        if loop.first("REF", e1="EI") is None and loop.first("REF", e1="SY") is None:
            out.append(edit_finding(tx, "X12-SEG-SITUATIONAL-MISSING",
                                    "billing provider tax id (REF*EI or REF*SY) is missing",
                                    nm1, "2010AA"))
        if nm1 is not None and nm1.get(8) != "XX":
            out.append(edit_finding(tx, "X12-ELEM-EDIT",
                                    "billing provider must be identified by NPI (NM108 = XX)",
                                    nm1, "2010AA", "NM108"))
    return out


def _diagnosis_count(claim: Loop, component: str) -> int:
    count = 0
    for hi in claim.all("HI"):
        qualifier = hi.get(1).split(component)[0]
        if qualifier in ("ABK", "ABF", "BK", "BF"):
            count += sum(1 for value in hi.elements[1:] if value)
    return count


def _claims(tx: Transaction) -> list[Finding]:
    out: list[Finding] = []
    comp = tx.delimiters.component
    for claim in tx.body.loops("2300"):
        clm = claim.first("CLM")
        if clm is None:
            continue
        facility = clm.get(5).split(comp)
        if facility[0] and not (len(facility[0]) == 2 and is_digits(facility[0])):
            out.append(edit_finding(tx, "X12-ELEM-EDIT", "CLM05-1 must be a two-digit place of "
                                    "service code", clm, "2300", "CLM05-1"))
        his = claim.all("HI")
        if his and his[0].get(1).split(comp)[0] not in ("ABK", "BK"):
            out.append(edit_finding(tx, "X12-ELEM-EDIT", "the first HI must carry the principal "
                                    "diagnosis (HI01-1 = ABK)", his[0], "2300", "HI01-1"))
        for hi in his:
            for position in range(1, len(hi.elements)):
                parts = hi.elements[position].split(comp)
                if len(parts) > 1 and parts[0] in ("ABK", "ABF") and "." in parts[1]:
                    out.append(edit_finding(tx, "X12-ELEM-EDIT", f"HI{position:02d}-2 diagnosis "
                                            "code must be sent without a decimal point", hi,
                                            "2300", f"HI{position:02d}-2"))
        dx_count = _diagnosis_count(claim, comp)
        total = Decimal("0")
        lines = list(claim.loops("2400"))
        for line in lines:
            sv1 = line.first("SV1")
            if sv1 is None:
                continue
            amount = decimal_of(sv1.get(2))
            total += amount or Decimal("0")
            for n, pointer in enumerate(sv1.get(7).split(comp), start=1):
                if pointer and (not is_digits(pointer) or not 1 <= int(pointer) <= dx_count):
                    out.append(edit_finding(tx, "X12-ELEM-EDIT", f"SV107-{n} points at diagnosis "
                                            f"{pointer[:2]!r} but the claim has {dx_count}", sv1,
                                            "2400", f"SV107-{n}"))
            if line.first("DTP", e1="472") is None and claim.first("DTP", e1="472") is None:
                out.append(edit_finding(tx, "X12-SEG-SITUATIONAL-MISSING", "service line has no "
                                        "service date (DTP*472)", sv1, "2400"))
        charge = decimal_of(clm.get(2))
        if lines and charge is not None and charge != total:
            out.append(edit_finding(tx, "X12-ELEM-EDIT", f"CLM02 total charge {charge} is not "
                                    f"the sum of the line charges {total}", clm, "2300", "CLM02"))
    return out


register("005010X222A1")(_billing_provider)
register("005010X222A1")(_claims)
