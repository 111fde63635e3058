"""The NPI check digit on every 837: clearinghouse front ends reject an NM109 that is not an NPI.

An NM1 with NM108 = XX says NM109 is a National Provider Identifier, and an NPI carries a Luhn
check digit (computed over the card-issuer prefix 80840 and the first nine digits, 45 CFR
162.406). A wrong digit is a typing error the payer could not match to an enrolled provider,
so front ends refuse the claim (999 IK403 I12) rather than let it deny later. The TR3's own
examples use NPIs that fail the check; the conformance corpus records those samples.
"""

from __future__ import annotations

from dataclasses import replace

from openrcm.findings import Finding
from openrcm.x12.edits import edit_finding, register
from openrcm.x12.tokens import is_digits
from openrcm.x12.tree import Transaction


def npi_check_digit(first_nine: str) -> str:
    """The Luhn digit over the 80840 prefix and ``first_nine`` that completes an NPI."""
    total = 24  # the Luhn contribution of the constant prefix 80840
    for i, ch in enumerate(reversed(first_nine)):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def npi_valid(npi: str) -> bool:
    """Ten digits whose last is the check digit of the first nine."""
    return len(npi) == 10 and is_digits(npi) and npi_check_digit(npi[:9]) == npi[9]


@register("005010X222A1", "005010X223A2", "005010X224A2")
def npi_check_digits(tx: Transaction) -> list[Finding]:
    """An error for every NM1*..*XX whose NM109 fails the NPI check digit."""
    out: list[Finding] = []
    for seg in tx.body.segments():
        if seg.elements[0] == "NM1" and seg.get(8) == "XX" and seg.get(9) \
                and not npi_valid(seg.get(9)):
            loop = seg.use.loop_id if seg.use is not None else ""
            found = edit_finding(tx, "X12-NPI-CHECK-DIGIT", "NM109 is not a valid NPI (its "
                                 "check digit is wrong)", seg, loop, "NM109")
            out.append(replace(found, hint="check the NPI against NPPES; payers reject an "
                                           "NPI whose Luhn check digit (80840 prefix) fails"))
    return out
