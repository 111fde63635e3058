"""ICD-10-CM codes written in the note itself: single codes and ranges ("C18.0-C18.9").

Why: problem lists, referral letters and pasted results often carry codes ("HTN (I10)",
"colon cancer, C18.0-C18.9"). A written code is strong evidence, but only when the code
set knows it. A range is not a diagnosis: it names a family, so it stands for the nearest
code that holds both ends (``C18``), and specificity then picks the billable child the
sentence supports or the unspecified one with a provider query. A range whose ends share no
category (``E08-E13``) names several conditions and is not coded.

To keep gene, vitamin and percentile names out ("P53", "B12", "P95", "T12"), a code must be
written in capitals and either carry its dot (``E11.9``) or be a billable three-character
code in parentheses or after a cue ("(I10)", "ICD-10: I10", "Dx I10"); range ends may be any
known code or header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openrcm.coding.model import Span
from openrcm.coding.terminology import Terminology

_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_PATTERN = re.compile(
    rf"(?<![A-Za-z0-9.])({_CODE})(?:\s*(?:-|–|to|through)\s*({_CODE}))?(?![A-Za-z0-9-])"
)

_CUES = ("icd", "cie", "code", "dx")


@dataclass(frozen=True, slots=True)
class WrittenCode:
    """A code (or a range, as the code holding both ends) found in the note."""

    span: Span
    code: str
    path: str


def written_codes(text: str, start: int, end: int, terminology: Terminology) -> list[WrittenCode]:
    """Codes and ranges written in ``text[start:end]`` that the code set knows."""
    out = []
    for m in _PATTERN.finditer(text, start, end):
        first, last = m.group(1), m.group(2)
        span = Span(m.start(), m.end(), m.group(0))
        if last is None:
            facts = terminology.facts(first)
            if facts is not None and ("." in first or (facts.billable and _cued(text, m.start()))):
                out.append(WrittenCode(span, first, f"Code written in the note: {first}"))
            continue
        holder = _common_code(first, last, terminology)
        if holder is not None:
            out.append(
                WrittenCode(
                    span, holder, f"Code range written in the note: {span.text} -> {holder}"
                )
            )
    return out


def _cued(text: str, at: int) -> bool:
    """Whether a code starting at ``at`` is in parentheses or follows a code cue."""
    before = text[max(0, at - 12) : at].lower()
    return before.endswith("(") or any(cue in before for cue in _CUES)


def _common_code(first: str, last: str, terminology: Terminology) -> str | None:
    """The most specific known code whose characters start both ends of a range."""
    a, b = first.replace(".", ""), last.replace(".", "")
    if terminology.facts(first) is None or terminology.facts(last) is None:
        return None
    shared = 0
    while shared < min(len(a), len(b)) and a[shared] == b[shared]:
        shared += 1
    for cut in range(shared, 2, -1):
        bare = a[:cut]
        code = bare if cut == 3 else f"{bare[:3]}.{bare[3:]}"
        if terminology.facts(code) is not None:
            return code
    return None
