"""The claim state machine as data: which change is legal, who may make it, what it means.

Rejections and denials are different facts and live on different paths. A **rejection** is the
front end refusing the file or the claim (999 IK5/AK9 ``R``, 277CA ``A7``/``A3``): the claim
never reached adjudication, is corrected and sent again as frequency 1. A **denial** comes out of
adjudication (835 CLP with zero payment and CARC adjustments): the claim was processed, and the
way forward is an appeal, a corrected claim (frequency 7, with the payer's claim control number)
or a void (frequency 8). No edge leads from a front-end state to ``denied`` or from an
adjudicated state to ``rejected_front_end``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from openrcm.security.roles import Permission


class ClaimState(StrEnum):
    """Where a claim is in its life."""

    DRAFT = "draft"
    READY = "ready"  # scrubbed, no blocking findings
    SUBMITTED = "submitted"
    ACCEPTED_999 = "accepted_999"  # acknowledged: the file's syntax was accepted
    REJECTED_FRONT_END = "rejected_front_end"  # 999 or 277CA rejection (not a denial)
    ACCEPTED_277CA = "accepted_277ca"  # accepted into the payer's adjudication system
    ADJUDICATED_PAID = "adjudicated_paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"  # adjudicated with no payment (835)
    APPEALED = "appealed"
    CLOSED = "closed"
    VOIDED = "voided"  # cancelled (before submission, or by a frequency-8 claim)
    REPLACED = "replaced"  # superseded by a frequency-7 corrected claim


class Stage(StrEnum):
    """Which part of the cycle a transition belongs to."""

    INTERNAL = "internal"
    FRONT_END = "front_end"
    ADJUDICATION = "adjudication"


@dataclass(frozen=True, slots=True)
class Transition:
    """One legal edge: the evidence that moves a claim along it and who may record it."""

    source: ClaimState
    target: ClaimState
    stage: Stage
    evidence: str
    permission: Permission


S = ClaimState
_W, _SUB = Permission.CLAIM_WRITE, Permission.CLAIM_SUBMIT

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.READY, Stage.INTERNAL, "scrubber passed", _W),
    Transition(S.DRAFT, S.VOIDED, Stage.INTERNAL, "cancelled before submission", _W),
    Transition(S.READY, S.DRAFT, Stage.INTERNAL, "reopened for edits", _W),
    Transition(S.READY, S.SUBMITTED, Stage.INTERNAL, "837 sent", _SUB),
    Transition(S.READY, S.VOIDED, Stage.INTERNAL, "cancelled before submission", _W),
    Transition(S.SUBMITTED, S.ACCEPTED_999, Stage.FRONT_END, "999 accepted", _W),
    Transition(S.SUBMITTED, S.REJECTED_FRONT_END, Stage.FRONT_END, "999 rejected", _W),
    Transition(S.ACCEPTED_999, S.ACCEPTED_277CA, Stage.FRONT_END, "277CA accepted", _W),
    Transition(S.ACCEPTED_999, S.REJECTED_FRONT_END, Stage.FRONT_END, "277CA rejected", _W),
    Transition(S.REJECTED_FRONT_END, S.DRAFT, Stage.INTERNAL, "corrected for resubmission", _W),
    Transition(S.REJECTED_FRONT_END, S.VOIDED, Stage.INTERNAL, "abandoned", _W),
    Transition(S.ACCEPTED_277CA, S.ADJUDICATED_PAID, Stage.ADJUDICATION, "835 paid", _W),
    Transition(S.ACCEPTED_277CA, S.PARTIALLY_PAID, Stage.ADJUDICATION, "835 partly paid", _W),
    Transition(S.ACCEPTED_277CA, S.DENIED, Stage.ADJUDICATION, "835 denied", _W),
    Transition(S.SUBMITTED, S.ADJUDICATED_PAID, Stage.ADJUDICATION, "835 paid (no 277CA)", _W),
    Transition(S.SUBMITTED, S.PARTIALLY_PAID, Stage.ADJUDICATION, "835 partly paid", _W),
    Transition(S.SUBMITTED, S.DENIED, Stage.ADJUDICATION, "835 denied (no 277CA)", _W),
    Transition(S.PARTIALLY_PAID, S.APPEALED, Stage.ADJUDICATION, "appeal filed", _W),
    Transition(S.DENIED, S.APPEALED, Stage.ADJUDICATION, "appeal filed", _W),
    Transition(S.APPEALED, S.ADJUDICATED_PAID, Stage.ADJUDICATION, "appeal paid", _W),
    Transition(S.APPEALED, S.PARTIALLY_PAID, Stage.ADJUDICATION, "appeal partly paid", _W),
    Transition(S.APPEALED, S.DENIED, Stage.ADJUDICATION, "appeal upheld denial", _W),
    Transition(S.ADJUDICATED_PAID, S.CLOSED, Stage.INTERNAL, "balance resolved", _W),
    Transition(S.PARTIALLY_PAID, S.CLOSED, Stage.INTERNAL, "balance resolved", _W),
    Transition(S.DENIED, S.CLOSED, Stage.INTERNAL, "written off or billed on", _W),
    # Replacement (7) and void (8) act on adjudicated claims only: they carry the payer's
    # claim control number. These edges are taken when the new claim is created.
    *(Transition(src, S.REPLACED, Stage.ADJUDICATION, "frequency-7 claim", _W)
      for src in (S.ADJUDICATED_PAID, S.PARTIALLY_PAID, S.DENIED, S.CLOSED)),
    *(Transition(src, S.VOIDED, Stage.ADJUDICATION, "frequency-8 claim", _W)
      for src in (S.ADJUDICATED_PAID, S.PARTIALLY_PAID, S.DENIED, S.CLOSED)),
)

TABLE = MappingProxyType({(t.source, t.target): t for t in TRANSITIONS})
"""(from, to) -> transition; anything absent is illegal."""

ADJUDICATED = frozenset({S.ADJUDICATED_PAID, S.PARTIALLY_PAID, S.DENIED, S.CLOSED})
"""States from which a replacement (7) or void (8) claim may be filed."""

TERMINAL = frozenset(s for s in ClaimState if not any(t.source is s for t in TRANSITIONS))


def transition(source: str, target: str) -> Transition | None:
    """The transition from ``source`` to ``target``, or None when it is illegal."""
    try:
        return TABLE.get((ClaimState(source), ClaimState(target)))
    except ValueError:
        return None


def allowed_targets(source: str) -> list[str]:
    """The states a claim in ``source`` may move to, for error messages and UIs."""
    return [t.target.value for t in TRANSITIONS if t.source.value == source]
