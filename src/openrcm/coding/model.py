"""Plain values the coding pipeline passes between its stages.

Every stage of :mod:`openrcm.coding` takes and returns these frozen dataclasses, so a stage can
be tested alone with hand-made input, and the API and CLI can render any of them alike.
Offsets are always character offsets into the original note text, never into a normalised
copy, so evidence can be highlighted in the note the coder is reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from openrcm.findings import Finding


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the note: ``text == note[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the note (chief complaint, assessment, family history ...).

    Attributes:
        name: canonical section name from ``data/sections.yaml`` (``"family_history"``), or
            ``"body"`` for text before the first recognised header.
        header: the header words as written, when there is one.
        start: first character of the section (its header included).
        end: one past the last character.
        implies: context categories every mention in the section inherits (``family`` for
            a family-history section, ``historical`` for past history).
    """

    name: str
    header: Span | None
    start: int
    end: int
    implies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or list item) inside a section."""

    start: int
    end: int
    section: str


class Category(StrEnum):
    """ConText categories a mention can carry."""

    NEGATED = "negated"
    UNCERTAIN = "uncertain"
    HISTORICAL = "historical"
    FAMILY = "family"
    HYPOTHETICAL = "hypothetical"


@dataclass(frozen=True, slots=True)
class Modifier:
    """Why a mention carries a category: the trigger words or the section that implied it."""

    category: Category
    cue: Span | None
    source: str


@dataclass(frozen=True, slots=True)
class Setting:
    """Where the encounter happened; uncertain diagnoses are treated differently (IV.H, II.H)."""

    name: str

    def __post_init__(self) -> None:
        if self.name not in ("outpatient", "inpatient"):
            raise ValueError(f"setting must be outpatient or inpatient, got {self.name!r}")


OUTPATIENT = Setting("outpatient")
INPATIENT = Setting("inpatient")


@dataclass(frozen=True, slots=True)
class Mention:
    """A condition named in the note and the code path that names it.

    Attributes:
        span: the words in the note.
        code: the code the lexicon (index, synonym or learned association) proposes.
        path: how the words led to the code (``"Index: Diabetes > type 2 > with > CKD"``).
        source: ``index``, ``tabular``, ``synonym``, ``learned``, ``practice`` or ``literal`` (a
            code written in the note).
        score: how well the words matched the term (0-1).
        section: section name.
        modifiers: ConText categories that apply, each with its cue.
        index_path: Alphabetic Index titles behind the phrase, when the index lists it (the
            "with" combinations hang from them).
    """

    span: Span
    code: str
    path: str
    source: str
    score: float
    section: str = "body"
    modifiers: tuple[Modifier, ...] = ()
    index_path: tuple[str, ...] = ()

    def has(self, category: Category) -> bool:
        return any(m.category is category for m in self.modifiers)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed code with everything the coder needs to confirm it.

    Attributes:
        code: ICD-10-CM code, dotted (``E11.22``).
        title: tabular title.
        confidence: 0-1; the pipeline's belief the code belongs on the claim.
        evidence: the note spans that justify it.
        derivation: index path, synonym or rule chain that produced it.
        rules: citations of the guideline rules applied (``I.C.4.a``).
        warnings: what the coder should check.
        queries: clarification questions for the provider (more specific documentation).
        rank: 1 for the first-listed / principal diagnosis.
        sequencing_reason: why it is in that position.
        final: False for a candidate that a rule set aside (kept for transparency).
    """

    code: str
    title: str
    confidence: float
    evidence: tuple[Span, ...]
    derivation: str
    rules: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()
    rank: int = 0
    sequencing_reason: str = ""
    final: bool = True


@dataclass(frozen=True, slots=True)
class CodingResult:
    """Everything :func:`openrcm.coding.suggest` returns for one note."""

    suggestions: tuple[Suggestion, ...]
    set_aside: tuple[Suggestion, ...] = ()
    mentions: tuple[Mention, ...] = ()
    sections: tuple[Section, ...] = ()
    findings: tuple[Finding, ...] = field(default=())
