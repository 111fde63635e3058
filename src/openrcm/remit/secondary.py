"""Secondary (and tertiary) claims from the primary's adjudication, and who pays next.

A secondary claim is the primary claim sent to the next coverage, carrying the primary's
result in the COB loops (2320/2330/2430): what the prior payer paid on the claim and on each
line, and its CAS adjustments. ``openrcm.claims`` writes those loops from
:class:`openrcm.claims.model.PriorAdjudication`; this module builds that value from the 835.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openrcm.claims.model import (
    Adjustment,
    Claim,
    Coverage,
    LineAdjudication,
    PriorAdjudication,
    Responsibility,
)
from openrcm.remit.model import ClaimPosting

_NEXT = {Responsibility.PRIMARY: Responsibility.SECONDARY,
         Responsibility.SECONDARY: Responsibility.TERTIARY}


class SecondaryError(ValueError):
    """A secondary claim cannot be built; the message says which fact is missing."""


def next_coverage(claim: Claim) -> Coverage | None:
    """The coverage to bill after ``claim``'s payer, or None when the patient is next."""
    wanted = _NEXT.get(claim.coverage.responsibility)
    if wanted is None:
        return None
    for coverage in claim.other_coverages:
        if coverage.responsibility is wanted:
            return coverage
    return None


def prior_adjudication(claim: Claim, posting: ClaimPosting, adjudicated_on: date
                       ) -> PriorAdjudication:
    """The primary's result (from a matched 835 claim payment) as COB data."""
    billed = {line.line_id: line for line in claim.lines}
    lines = []
    for line in posting.lines:
        if line.line_id not in billed:
            raise SecondaryError(f"the remittance pays line {line.line_id}, not on the claim")
        lines.append(LineAdjudication(
            line_id=line.line_id, procedure=billed[line.line_id].procedure, paid=line.paid,
            paid_units=billed[line.line_id].units,
            adjustments=tuple(Adjustment(a.group, a.reason, a.amount)
                              for a in line.adjustments)))
    return PriorAdjudication(payer_id=claim.payer.payer_id,
                             responsibility=claim.coverage.responsibility, paid=posting.paid,
                             adjudicated_on=adjudicated_on, lines=tuple(lines))


def secondary_claim(claim: Claim, posting: ClaimPosting, adjudicated_on: date,
                    claim_id: str) -> Claim:
    """The claim to the next payer, with the previous payer's adjudication attached.

    Raises:
        SecondaryError: there is no next coverage (patient responsibility then stays with
            the patient), the posting is a reversal, or it is about another claim.
    """
    following = next_coverage(claim)
    if following is None:
        raise SecondaryError("no further coverage: the balance is the patient's")
    if posting.reversal:
        raise SecondaryError("a reversed claim payment does not start a secondary claim")
    if posting.claim_id != claim.claim_id:
        raise SecondaryError("the posting is about another claim")
    prior = prior_adjudication(claim, posting, adjudicated_on)
    others = (*(c for c in claim.other_coverages if c is not following), claim.coverage)
    return replace(claim, claim_id=claim_id, coverage=following, other_coverages=others,
                   prior_adjudications=(*claim.prior_adjudications, prior),
                   payer_claim_control_number="")
