"""Carry a code to a billable one, as specific as the documentation allows, and say what
documentation would allow more (a clarification query for the provider).

Index and synonym entries often name a header (``S82.10-``, ``N18``). A coder then reads the
tabular children and picks the one the documentation supports: laterality, acuity, type,
stage, severity, episode of care (the 7th character). Here each billable descendant is scored
by the words that set it apart from its siblings ("right", "chronic", "stage 3", "initial
encounter") found in the sentence around the mention. With no such word, the unspecified code
is chosen (guideline I.A.9: NOS/unspecified codes when the record lacks detail), and a query
names the missing axis and the codes it would allow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from openrcm.coding.terminology import CodeFacts, Terminology
from openrcm.coding.text import words

AXES = (
    ("laterality", frozenset({"right", "left", "bilateral"})),
    ("acuity", frozenset({"acute", "chronic", "subacute"})),
    ("stage", frozenset({"stage"})),
    ("severity", frozenset({"mild", "moderate", "severe", "intermittent", "persistent"})),
    ("episode of care (7th character)", frozenset({"initial", "subsequent", "sequela",
                                                   "encounter", "routine", "delayed",
                                                   "healing", "nonunion", "malunion"})),
    ("open or closed fracture", frozenset({"open", "closed"})),
    ("type", frozenset({"type"})),
)
_DEFAULT_PREFERENCE = ("unspecified", "initial encounter", "without")


@dataclass(frozen=True, slots=True)
class Specified:
    """The billable code chosen, the queries to the provider, and whether it was defaulted."""

    code: str
    title: str
    queries: tuple[str, ...]
    defaulted: bool


def _ordered_unique(codes: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(codes))


def specify(facts: CodeFacts, context: str, terminology: Terminology) -> Specified | None:
    """The billable code under ``facts.code`` that ``context`` (the sentence) supports."""
    if facts.billable:
        return Specified(facts.code, facts.title, (), False)
    children = [
        f
        for f in (terminology.facts(c) for c in _ordered_unique(facts.billable_children))
        if f is not None
    ]
    if not children:
        return None
    parent_words = set(words(facts.title))
    distinct = {f.code: set(words(f.title)) - parent_words for f in children}
    frequency = Counter(w for ws in distinct.values() for w in ws)
    context_words = set(words(context))
    # a word shared by every child does not distinguish them
    informative = {
        code: {w for w in ws if frequency[w] < len(children)} for code, ws in distinct.items()
    }
    axis_words = frozenset().union(*(w for _, w in AXES))

    def unfounded(f: CodeFacts) -> bool:
        # a child naming more sites or types the note never mentions than it names that the
        # note does is not what the note documents: "nondisplaced ... distal end of right
        # radius" is the unspecified fracture of the lower end, not the radial styloid one
        said = (informative[f.code] & context_words) - axis_words
        unsaid = informative[f.code] - context_words - axis_words
        return len(unsaid) > len(said) + 1

    scored = sorted(
        children,
        key=lambda f: (
            unfounded(f),
            -len(informative[f.code] & context_words),
            _default_rank(f.title),
            len(informative[f.code] - context_words),
            f.code,
        ),
    )
    best = scored[0]
    support = informative[best.code] & context_words
    missing_axes = _missing_axes(informative, context_words)
    queries: tuple[str, ...] = ()
    defaulted = False
    if missing_axes and len(children) > 1:
        alternatives = ", ".join(f.code for f in children[:4] if f.code != best.code)
        queries = (
            f"Document {' and '.join(missing_axes)} to allow a more specific code than "
            f"{best.code} (e.g. {alternatives}).",
        )
        defaulted = not support
    return Specified(best.code, best.title, queries, defaulted)


def _default_rank(title: str) -> int:
    """Lower for a title that reads as the default (unspecified, initial encounter ...)."""
    lowered = title.lower()
    return -sum(marker in lowered for marker in _DEFAULT_PREFERENCE)


def _missing_axes(informative: dict[str, set[str]], context_words: set[str]) -> list[str]:
    """Axes that tell the children apart but that the sentence does not document."""
    all_words = set().union(*informative.values()) if informative else set()
    missing = []
    for name, axis_words in AXES:
        if all_words & axis_words and not context_words & axis_words:
            missing.append(name)
    if not missing and all_words and not all_words & context_words:
        missing.append("the specific type or site")
    return missing
