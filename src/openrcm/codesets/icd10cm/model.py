"""The values the ICD-10-CM API returns: frozen dataclasses, plain data, JSON-friendly.

Dates are ``datetime.date``; everything else is strings, booleans, ints and tuples, so the CLI
and the API can serialise them with ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openrcm.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Note:
    """One instructional note that applies to a code, and where it comes from.

    Attributes:
        kind: the tabular element: inclusionTerm, includes, excludes1, excludes2, codeFirst,
            useAdditionalCode, codeAlso, notes, visualImpairment, sevenChrNote.
        text: the note as printed in the tabular list.
        level: chapter, block, category, subcategory or code (the code itself).
        source: the chapter number, block id or code that carries the note.
    """

    kind: str
    text: str
    level: str
    source: str


@dataclass(frozen=True, slots=True)
class SeventhCharacter:
    """One 7th-character option: ``A`` = initial encounter, ..."""

    char: str
    meaning: str


@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code with its title and billable flag (children, parents, search completions)."""

    code: str
    title: str
    billable: bool


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """Everything the tabular list says about one code in one release.

    Attributes:
        code: tabular form, ``S52.501A``.
        title: the tabular description; for a generated 7-character code, the base title
            followed by the meaning of the 7th character.
        billable: True when the code may go on a claim (a leaf, complete to its 7th character).
        level: category (3 characters), subcategory (has more specific codes) or code.
        release: the release that answered, e.g. ``FY2026``.
        chapter, chapter_title, block, block_title: where the code sits.
        parents: from the category down to the direct parent.
        children: the direct children; for a leaf that takes a 7th character, the generated
            7-character codes.
        notes: every note that applies, inherited from chapter, block and parents first.
        seventh: the 7th-character options that apply, empty when none.
        seventh_source: the code that defines them (a category or subcategory).
        placeholder: True when the code is shorter than 6 characters and takes a 7th
            character, so ``X`` fills the empty positions (S09.90 -> S09.90XA).
        valid_from, valid_to: first and last date of service on which the code is valid,
            across every loaded release.
    """

    code: str
    title: str
    billable: bool
    level: str
    release: str
    chapter: str
    chapter_title: str
    block: str
    block_title: str
    parents: tuple[CodeRef, ...]
    children: tuple[CodeRef, ...]
    notes: tuple[Note, ...]
    seventh: tuple[SeventhCharacter, ...]
    seventh_source: str
    placeholder: bool
    valid_from: date
    valid_to: date


@dataclass(frozen=True, slots=True)
class Validation:
    """The answer to "may this code go on a claim for this date of service?".

    Attributes:
        code: what was asked, as given.
        normalized: tabular form, empty when the code is malformed.
        status: ``billable``, ``not-billable`` (a valid header that needs more characters)
            or ``invalid``.
        reason_code: stable code of the reason (ICD10CM-BILLABLE, ICD10CM-HEADER,
            ICD10CM-MALFORMED, ICD10CM-UNKNOWN, ICD10CM-NOT-YET-VALID, ICD10CM-DELETED,
            ICD10CM-SEVENTH-MISSING, ICD10CM-SEVENTH-INVALID, ICD10CM-PLACEHOLDER).
        reason: one sentence for a person.
        release: the release consulted.
        title: the code's title when known.
        suggestions: more specific billable codes when the code is a header.
    """

    code: str
    normalized: str
    status: str
    reason_code: str
    reason: str
    release: str
    title: str = ""
    suggestions: tuple[CodeRef, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when the code may be billed."""
        return self.status == "billable"

    def finding(self) -> Finding | None:
        """The problem as a Finding (error for invalid, warning for a header), or None."""
        if self.ok:
            return None
        severity = Severity.ERROR if self.status == "invalid" else Severity.WARNING
        hint = (
            "use one of: " + ", ".join(s.code for s in self.suggestions[:5])
            if self.suggestions
            else ""
        )
        return Finding(
            code=self.reason_code,
            severity=severity,
            message=self.reason,
            location={"code": self.code, "release": self.release},
            hint=hint,
            source="ICD-10-CM tabular list",
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked answer of the encoder search.

    Attributes:
        code, title, billable: the code found.
        score: higher is better; comparable within one search only.
        matched: what matched: the index path (``Diabetes, diabetic > with > chronic kidney
            disease``) or the tabular term (``title: ...``, ``inclusion term: ...``).
        source: ``index``, ``title``, ``inclusion`` (which text matched).
        notes: notes the coder must check before using the code (excludes1, code first,
            use additional code, code also, 7th character), inherited ones included.
        children: for a non-billable code, its billable descendants (first 20).
    """

    code: str
    title: str
    billable: bool
    score: float
    matched: str
    source: str
    notes: tuple[Note, ...]
    children: tuple[CodeRef, ...]
