"""Reading acknowledgments: 999 (was the file's syntax accepted?) and 277CA (was each claim
accepted into adjudication, and if not, why — in plain words from the claim status codes).

The X12 is read by the x12 package's typed views (``views.acknowledgment`` for the 999,
``views.claim_status`` for the 277CA), the same readers the rest of openrcm uses; this module
turns them into the verdicts claim tracking acts on.
"""

from __future__ import annotations

from dataclasses import dataclass

from openrcm.codesets.reference.lists import claim_status, claim_status_category
from openrcm.x12.parser import parse
from openrcm.x12.views.acknowledgment import acknowledgment_of
from openrcm.x12.views.claim_status import ClaimStatus, StatusCode, claim_status_of

ACCEPTED_CATEGORIES = frozenset({"A1", "A2", "A5"})


@dataclass(frozen=True, slots=True)
class SetAck:
    """999 verdict for one transaction set: ST02, accepted or not, error segments."""

    control: str
    accepted: bool
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileAck:
    """A 999: the group it answers (AK102) and each set's verdict."""

    group_control: str
    sets: tuple[SetAck, ...]


def read_999(content: bytes | str) -> list[FileAck]:
    """Every 999 in a file."""
    out: list[FileAck] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "999":
            continue
        ack = acknowledgment_of(tx)
        out.append(FileAck(ack.group_control, tuple(
            SetAck(r.control, r.accepted, tuple(
                f"segment {e.segment_id} at position {e.position or ''}" for e in r.errors))
            for r in ack.results)))
    return out


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """277CA verdict for one claim.

    Attributes:
        claim_id: TRN02 of the claim level (our CLM01). accepted: category A1/A2/A5.
        statuses: (category:code[:entity]) as sent. reasons: the same in plain words.
        payer_control: REF*1K, the payer's claim number (accepted claims).
        payer_id: NM109 of the information source (HL 20, NM1*PR): which payer answers. A
            secondary claim keeps its primary's CLM01, so the claim is named by both.
    """

    claim_id: str
    accepted: bool
    statuses: tuple[str, ...]
    reasons: tuple[str, ...]
    payer_control: str = ""
    payer_id: str = ""


def status_text(code: StatusCode) -> str:
    """A status composite as written in STC01: ``category:code[:entity]``."""
    return ":".join(p for p in (code.category, code.code, code.entity) if p)


def explain(stc01: str, component: str = ":") -> str:
    """A claim status composite (``A7:562:85``) in plain words."""
    parts = stc01.split(component)
    category = claim_status_category().get(parts[0])
    status = claim_status().get(parts[1]) if len(parts) > 1 else None
    words = [category.description.split("-", 1)[-1].split(". ")[0].strip().rstrip(".")
             if category else parts[0]]
    if status is not None:
        words.append(status.description.split(" Usage:")[0])
    return ": ".join(words)


def _verdict(claim: ClaimStatus, payer_id: str) -> ClaimAck:
    codes = [code for status in claim.statuses for code in status.codes]
    statuses = tuple(status_text(c) for c in codes)
    accepted = bool(codes) and all(c.category in ACCEPTED_CATEGORIES for c in codes)
    return ClaimAck(claim.patient_control or claim.trace, accepted, statuses,
                    tuple(explain(s) for s in statuses), claim.payer_claim, payer_id)


def read_277ca(content: bytes | str) -> list[ClaimAck]:
    """Every claim-level verdict in a 277CA file (277 status responses are not verdicts)."""
    out: list[ClaimAck] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "277":
            continue
        response = claim_status_of(tx)
        if not response.acknowledgment:
            continue
        payer_id = response.source.id if response.source is not None else ""
        out.extend(_verdict(c, payer_id) for c in response.claims
                   if c.patient_control or c.trace)
    return out
