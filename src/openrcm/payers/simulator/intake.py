"""What the simulated payer reads from an 837P or 837I: the claims, and the front-end edits.

The claims are read by the x12 package's typed 837 view (``openrcm.x12.views.claim``), the
same reader claim tracking and the scrubber use, so the simulator sees an 837 exactly as the
rest of openrcm does. This module adds what only a payer needs on top of it: the service date
as a date (a facility line without its own date takes the first day of the statement period),
the prior payer's result on a line, and the front-end edits a clearinghouse or payer applies
before adjudication, whose results become 277CA rejections with claim status codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.x12.tree import Transaction
from openrcm.x12.views.claim import Claim, Line, LineAdjudication, claim_file_of
from openrcm.x12.views.common import date_of


@dataclass(frozen=True, slots=True)
class Rejection:
    """A front-end edit failed: STC01 category and status code, entity, plain reason."""

    category: str
    status: str
    entity: str
    reason: str


def claims_of(tx: Transaction) -> tuple[Claim, ...]:
    """Every claim of an 837 transaction, in order, each with its subscriber and payer."""
    return claim_file_of(tx).claims


def service_day(line: Line) -> date | None:
    """The line's date of service (the first day of a DTP*472 range), None when absent."""
    return date_of(line.service_date[:8]) if line.service_date else None


def is_institutional(claim: Claim) -> bool:
    """An 837I claim (CLM05-2 ``A``: CLM05-1 is the facility type of the type of bill)."""
    return claim.facility_qualifier == "A"


def statement_period(claim: Claim) -> tuple[date | None, date | None]:
    """An institutional claim's statement period (DTP*434, RD8 ``from-through``)."""
    text = (claim.dates or {}).get("434", "")
    start, _, end = text.partition("-")
    return date_of(start), date_of(end or start)


def line_day(claim: Claim, line: Line) -> date | None:
    """The day a line was served: its own DTP*472, else (on a facility claim, where inpatient
    lines need no date of their own) the first day of the statement period."""
    own = service_day(line)
    if own is None and is_institutional(claim):
        return statement_period(claim)[0]
    return own


def units(line: Line) -> Decimal:
    """SV104 service units; one when the line leaves them out."""
    return line.quantity or Decimal(1)


def prior_result(line: Line) -> LineAdjudication | None:
    """The latest prior payer's adjudication of the line (loop 2430), None on a first bill."""
    return line.adjudications[-1] if line.adjudications else None


def diagnosis_codes(claim: Claim) -> tuple[str, ...]:
    """The claim's diagnosis codes (HI), without qualifiers, in order."""
    return tuple(d.code for d in claim.diagnoses)


def _npi_ok(npi: str) -> bool:
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = 24  # the 80840 prefix's contribution to the Luhn sum
    for i, ch in enumerate(reversed(npi[:-1])):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(npi[-1])


def front_end_edits(claim: Claim, known_payers: frozenset[str], today: date
                    ) -> list[Rejection]:
    """The edits a payer applies before accepting a claim into adjudication."""
    out: list[Rejection] = []
    if claim.payer.id not in known_payers:
        out.append(Rejection("A3", "116", "PR", "the claim was sent to a payer that does not "
                                                "exist here"))
    if not claim.subscriber.entity.id:
        out.append(Rejection("A6", "33", "IL", "the subscriber's member id is missing"))
    if not _npi_ok(claim.billing_provider.entity.id):
        out.append(Rejection("A7", "562", "85", "the billing provider NPI is not a valid NPI"))
    if not claim.diagnoses:
        out.append(Rejection("A6", "254", "", "the claim has no diagnosis code"))
    for number, line in enumerate(claim.lines, start=1):
        day = line_day(claim, line)
        if day is None:
            out.append(Rejection("A6", "187", "", f"line {number} has no date of service"))
        elif day > today:
            out.append(Rejection("A7", "187", "", f"line {number} is dated in the future"))
    if is_institutional(claim):
        start, end = statement_period(claim)
        if start is None:
            out.append(Rejection("A6", "187", "", "the facility claim has no statement period"))
        elif end is not None and (end < start or end > today):
            out.append(Rejection("A7", "187", "", "the statement period ends before it starts "
                                                  "or in the future"))
    if claim.lines and sum((ln.charge for ln in claim.lines), Decimal(0)) != claim.charge:
        out.append(Rejection("A7", "21", "", "the claim total does not equal its lines"))
    return out
