"""Claim status (276/277): what the payer says about each claim, in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.payers.acks import explain
from openrcm.x12.parser import parse
from openrcm.x12.views.common import amount, date_of


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


def read_277(content: bytes | str) -> list[ClaimStatus]:
    """Every claim-level status in a 277 file."""
    out: list[ClaimStatus] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "277":
            continue
        comp = tx.delimiters.component
        rows: list[dict[str, str]] = []
        for seg in tx.body.segments():
            sid = seg.elements[0]
            if sid == "TRN" and seg.get(1) == "2":
                rows.append({"trace": seg.get(2), "ref": "", "ej": "", "stc": "", "on": "",
                             "charge": "", "paid": ""})
            elif not rows:
                continue
            elif sid == "STC" and not rows[-1]["stc"]:
                rows[-1].update(stc=seg.get(1), on=seg.get(2), charge=seg.get(4),
                                paid=seg.get(5))
            elif sid == "REF" and seg.get(1) in ("1K", "EJ"):
                rows[-1]["ref" if seg.get(1) == "1K" else "ej"] = seg.get(2)
        out.extend(ClaimStatus(r["ej"] or r["trace"], r["stc"], explain(r["stc"], comp),
                               date_of(r["on"]), amount(r["charge"]), amount(r["paid"]),
                               r["ref"]) for r in rows if r["stc"])
    return out
