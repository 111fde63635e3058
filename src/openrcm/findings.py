"""Findings: what every validator in openrcm returns instead of raising.

An X12 validator, the claim scrubber and the coding engine all report problems the same way:
a stable code a program can match on, a severity, a message a person understands, a hint at
the fix and a location precise enough to jump to. Keeping one shape lets the API, CLI and web
pages render any of them alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: an error blocks (a claim, a file); a warning does not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located.

    Attributes:
        code: stable identifier, e.g. ``X12-ELEM-LENGTH`` or ``NCCI-PTP``; never reworded.
        severity: error, warning or info.
        message: one sentence for a person; it must never contain PHI.
        location: where, from the outside in, e.g. ``{"segment": 12, "loop": "2300",
            "element": "CLM05-1"}`` or ``{"claim": "C1", "line": 2}``.
        hint: how to fix it, when that is known.
        source: the rule book it comes from (TR3, ICD-10-CM guideline I.A.12.a, CMS NCCI ...).
    """

    code: str
    severity: Severity
    message: str
    location: dict[str, str | int] = field(default_factory=dict)
    hint: str = ""
    source: str = ""

    def where(self) -> str:
        """The location as ``key=value`` pairs, the form the CLI prints before the message."""
        return " ".join(f"{k}={v}" for k, v in self.location.items())


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding would block the file, claim or suggestion it is about."""
    return any(f.severity is Severity.ERROR for f in findings)
