"""Coder feedback on suggestions, and what a practice learns from it.

A coder accepts a suggestion, rejects it, or adds a code the pipeline missed, pointing at the
words that justify it. Each action becomes a :class:`FeedbackRecord` (the service appends it
to the practice's JSON-lines log). :func:`derive_learning` turns a practice's records into
:class:`~openrcm.coding.associations.Associations`: the phrases its coders tie to a code
(learned synonyms) and, for codes they keep rejecting, a higher confidence threshold. The
engine applies both on the next note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openrcm.coding.associations import Association, Associations, learn
from openrcm.coding.text import bag, words

ACTIONS = ("accept", "reject", "add")


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One coder action on one code for one note.

    Attributes:
        practice: practice identifier.
        note_id: the note's identifier in the practice (never the note text: no PHI here).
        code: the ICD-10-CM code.
        action: accept, reject or add.
        phrase: the note words the code rests on (the evidence; short, clinical).
        at: ISO timestamp supplied by the caller (the core reads no clock).
        coder: who acted.
    """

    practice: str
    note_id: str
    code: str
    action: str
    phrase: str
    at: str
    coder: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "practice": self.practice,
            "note_id": self.note_id,
            "code": self.code,
            "action": self.action,
            "phrase": self.phrase,
            "at": self.at,
            "coder": self.coder,
        }


def make_feedback(
    practice: str,
    note_id: str,
    code: str,
    action: str,
    phrase: str,
    at: str,
    coder: str = "",
) -> FeedbackRecord:
    """Validate and build a record; bad input names the field."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}, got {action!r}")
    if not practice:
        raise ValueError("practice is required")
    if not code or len(code) > 8:
        raise ValueError(f"code: {code!r} is not an ICD-10-CM code")
    if action != "reject" and not words(phrase):
        raise ValueError("phrase: accepted and added codes need the note words they rest on")
    if len(phrase) > 200:
        raise ValueError("phrase: keep it to the evidence words (200 characters at most)")
    return FeedbackRecord(practice, note_id, code.upper(), action, phrase.strip(), at, coder)


def record_from_json(data: dict[str, str]) -> FeedbackRecord:
    """Read one logged record back (validated like a new one)."""
    return make_feedback(
        data["practice"],
        data["note_id"],
        data["code"],
        data["action"],
        data.get("phrase", ""),
        data["at"],
        data.get("coder", ""),
    )


def derive_learning(records: Iterable[FeedbackRecord], practice: str) -> Associations:
    """Learned synonyms (phrase -> code) and per-code thresholds of one practice.

    Accepted and added codes are positives for their phrase; a rejection is a negative: it
    lowers the precision of the phrase and, when a code is rejected more than accepted, raises
    the confidence the code needs before it is suggested again.
    """
    examples = []
    for r in records:
        if r.practice != practice:
            continue
        keys = {bag(words(r.phrase))} if words(r.phrase) else set()
        positive = {r.code} if r.action in ("accept", "add") else set()
        negative = {r.code} if r.action == "reject" else set()
        examples.append((keys, positive, negative))
    learned = learn(examples, min_support=1, min_precision=0.5, name=f"practice:{practice}")
    return learned


def combine(first: Associations | None, second: Associations | None) -> Associations | None:
    """Both sets of associations; ``first`` (the practice) wins on phrases and thresholds."""
    if first is None or second is None:
        return first or second
    phrases: dict[tuple[str, ...], tuple[Association, ...]] = dict(second.phrases)
    for key, assocs in first.phrases.items():
        codes = {a.code for a in assocs}
        phrases[key] = assocs + tuple(a for a in phrases.get(key, ()) if a.code not in codes)
    thresholds = {**second.thresholds, **first.thresholds}
    return Associations(phrases, thresholds, f"{first.name}+{second.name}")
