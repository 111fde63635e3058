"""Claim status (276/277): what the payer says about each claim, in plain words.

The 277 is read by the x12 package's typed view (``openrcm.x12.views.claim_status``); this
module keeps, per claim, the first status in plain words with its amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.payers.acks import explain, status_text
from openrcm.x12.parser import parse
from openrcm.x12.views.claim_status import Status, claim_status_of


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One claim's status: our claim id (REF*EJ, else TRN02), STC01, meaning and amounts."""

    claim_id: str
    status: str
    meaning: str
    as_of: date | None
    charge: Decimal | None
    paid: Decimal | None
    payer_control: str = ""

    @property
    def finalized(self) -> bool:
        """Category F*: adjudication is finished."""
        return self.status.startswith("F")


def _first(key: str, statuses: tuple[Status, ...], payer_control: str) -> ClaimStatus | None:
    if not statuses or not statuses[0].codes:
        return None
    first = statuses[0]
    stc01 = status_text(first.codes[0])
    return ClaimStatus(key, stc01, explain(stc01), first.effective, first.charge, first.paid,
                       payer_control)


def read_277(content: bytes | str) -> list[ClaimStatus]:
    """Every status in a 277 file, the first STC of each: per claim (keyed by REF*EJ, else
    TRN02), then any answer about the whole inquiry (E0 "response not possible"...) at the
    receiver or provider level, keyed by that level's TRN02, the 276's trace number."""
    out: list[ClaimStatus] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "277":
            continue
        response = claim_status_of(tx)
        found = [_first(c.patient_control or c.trace, c.statuses, c.payer_claim)
                 for c in response.claims]
        found += [_first(p.trace, p.statuses, "") for p in response.parties]
        out.extend(f for f in found if f is not None)
    return out
