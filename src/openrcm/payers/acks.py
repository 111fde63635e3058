"""Reading acknowledgments: 999 (was the file's syntax accepted?) and 277CA (was each claim
accepted into adjudication, and if not, why — in plain words from the claim status codes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from openrcm.codesets.reference.lists import claim_status, claim_status_category
from openrcm.x12.parser import parse

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
        group = ""
        sets: list[SetAck] = []
        control = ""
        errors: list[str] = []
        for seg in tx.body.segments():
            sid = seg.elements[0]
            if sid == "AK1":
                group = seg.get(2)
            elif sid == "AK2":
                control, errors = seg.get(2), []
            elif sid == "IK3":
                errors.append(f"segment {seg.get(1)} at position {seg.get(2)}")
            elif sid == "IK5":
                sets.append(SetAck(control, seg.get(1) in ("A", "E"), tuple(errors)))
        out.append(FileAck(group, tuple(sets)))
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


def explain(stc01: str, component: str = ":") -> str:
    """A claim status composite (``A7:562:85``) in plain words."""
    parts = stc01.split(component)
    category = claim_status_category().get(parts[0])
    status = claim_status().get(parts[1]) if len(parts) > 1 else None
    words = [category.description.split("-", 1)[-1].split(". ")[0] if category else parts[0]]
    if status is not None:
        words.append(status.description.split(" Usage:")[0])
    return ": ".join(words)


@dataclass(slots=True)
class _Level:
    payer: str
    claim: str = ""
    ref: str = ""
    stc: list[str] = field(default_factory=list)

    def verdict(self, comp: str) -> ClaimAck:
        accepted = bool(self.stc) and all(s.split(comp)[0] in ACCEPTED_CATEGORIES
                                          for s in self.stc)
        return ClaimAck(self.claim, accepted, tuple(self.stc),
                        tuple(explain(s, comp) for s in self.stc), self.ref, self.payer)


def read_277ca(content: bytes | str) -> list[ClaimAck]:
    """Every claim-level verdict in a 277CA file."""
    out: list[ClaimAck] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "277":
            continue
        comp = tx.delimiters.component
        levels: list[_Level] = []
        current: _Level | None = None
        payer = ""
        source = False
        for seg in tx.body.segments():
            sid = seg.elements[0]
            if sid == "HL":
                source = seg.get(3) == "20"
                current = _Level(payer) if seg.get(3) == "PT" else None
                if current is not None:
                    levels.append(current)
            elif source and sid == "NM1" and seg.get(1) == "PR":
                payer = seg.get(9)
            elif current is None:
                continue
            elif sid == "TRN" and seg.get(1) == "2":
                current.claim = seg.get(2)
            elif sid == "STC":
                current.stc.append(seg.get(1))
            elif sid == "REF" and seg.get(1) == "1K":
                current.ref = seg.get(2)
        out.extend(level.verdict(comp) for level in levels if level.claim)
    return out
