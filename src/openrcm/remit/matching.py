"""Finding which billed claim and line an 835 claim payment and service line are about.

Claims match by the patient control number (CLP01), else by the payer's claim control number
(CLP07). Lines match by the line item control number (REF*6R) when the payer returned it,
else by procedure code (or, for a service line paid by revenue code, SVC01 ``NU``, the billed
line's revenue code), modifiers, date and charge. Payers drop and reorder modifiers, so the
returned modifiers only need to be a subset of the billed ones, in any order. When more than one
billed line still fits, the answer is "ambiguous", never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openrcm.remit.model import ExpectedClaim, ExpectedLine
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of matching: ``found`` when exactly one candidate fits, else a reason."""

    found: ExpectedLine | ExpectedClaim | None
    reason: str = ""
    ambiguous: bool = False


class ClaimIndex:
    """Billed claims by patient control number and by payer claim control number.

    Keys compare case-insensitively: 837 writers and payers upper-case identifiers (the X12
    basic character set), while the practice may keep them in lower case.
    """

    def __init__(self, claims: Sequence[ExpectedClaim]) -> None:
        self._by_id: dict[str, list[ExpectedClaim]] = {}
        self._by_payer: dict[str, list[ExpectedClaim]] = {}
        for claim in claims:
            self._by_id.setdefault(claim.claim_id.upper(), []).append(claim)
            if claim.payer_control:
                self._by_payer.setdefault(claim.payer_control.upper(), []).append(claim)

    @classmethod
    def of(cls, claims: Mapping[str, ExpectedClaim] | Sequence[ExpectedClaim]) -> ClaimIndex:
        """An index over a list of claims or a mapping of them."""
        return cls(list(claims.values()) if isinstance(claims, Mapping) else claims)

    def find(self, payment: ClaimPayment) -> Match:
        """The billed claim for ``payment`` (CLP01 first, then CLP07)."""
        by_id = self._by_id.get(payment.patient_control.upper(), [])
        if len(by_id) == 1:
            return Match(by_id[0])
        if len(by_id) > 1:
            return Match(None, "more than one billed claim has this patient control number",
                         ambiguous=True)
        by_payer = (self._by_payer.get(payment.payer_control.upper(), [])
                    if payment.payer_control else [])
        if len(by_payer) == 1:
            return Match(by_payer[0])
        if len(by_payer) > 1:
            return Match(None, "more than one billed claim has this payer claim number",
                         ambiguous=True)
        return Match(None, "no billed claim has this patient control number or payer number")


def _procedure(svc: ServicePayment) -> tuple[str, str, tuple[str, ...]]:
    """The billed qualifier, code and modifiers: SVC06 when the payer adjudicated a different
    code."""
    if len(svc.submitted) >= 2:
        return svc.submitted[0], svc.submitted[1], tuple(m for m in svc.submitted[2:6] if m)
    return svc.qualifier, svc.code, tuple(m for m in svc.modifiers if m)


def match_line(svc: ServicePayment, lines: Sequence[ExpectedLine],
               taken: set[str]) -> Match:
    """The billed line ``svc`` pays, among ``lines`` not in ``taken``.

    Narrowing order: control number; then code, modifiers as a subset, date of service (when
    both sides have one); then, if several remain, exact charge; then exact modifier set.
    """
    free = [line for line in lines if line.line_id not in taken]
    if svc.control_number:
        direct = [line for line in free
                  if line.line_id.upper() == svc.control_number.upper()]
        if len(direct) == 1:
            return Match(direct[0])
    qualifier, code, modifiers = _procedure(svc)
    wanted = set(modifiers)
    day = svc.service_date or svc.start_date
    by_revenue = qualifier == "NU"
    candidates = [
        line for line in free
        if (line.revenue_code if by_revenue else line.procedure) == code
        and wanted <= set(line.modifiers)
        and (day is None or line.service_date is None or line.service_date == day
             or (svc.end_date is not None and svc.start_date is not None
                 and svc.start_date <= line.service_date <= svc.end_date))
    ]
    if not candidates:
        return Match(None, "no billed line has this procedure, modifiers and date")
    for narrow in (
        lambda line: line.charge == svc.charge,
        lambda line: set(line.modifiers) == wanted,
    ):
        if len(candidates) == 1:
            break
        narrowed = [line for line in candidates if narrow(line)]
        if narrowed:
            candidates = narrowed
    if len(candidates) == 1:
        return Match(candidates[0])
    return Match(None, f"{len(candidates)} billed lines fit this service line equally well",
                 ambiguous=True)
