"""Word cues of codes, learned from a coded corpus: which words a note holds when a code is
reported, and, as telling, which it lacks.

Why: the phrase votes (:mod:`openrcm.coding.associations`) only ever speak for a code, from
whichever phrase of the note happens to co-occur with it, so a frequent code collects votes
from chance phrases in notes that never mention it. Coders report many codes from one word
("illness, unspecified" from "disease", "pain, unspecified" from "pain"), so the absence of
that word is strong evidence against the code. For each code reported often enough, the
word stems (:func:`openrcm.coding.ranking.stems`) that best single out its notes (highest
F1) are kept with a naive-Bayes likelihood ratio for their presence and for their absence,
and the best stem also with the smoothed share of notes reporting the code when the note
holds it and when it does not. Pure Python; the ranker reads these as features.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MIN_NOTES = 3
PER_CODE = 3
# pseudo-notes of the corpus-wide rate added to every share (a stem in two notes says little)
SMOOTHING = 2.0


@dataclass(frozen=True, slots=True)
class Cue:
    """One word stem's evidence for a code: log likelihood ratios of its presence and of its
    absence (notes reporting the code against the others, add-one smoothed)."""

    stem: str
    present: float
    absent: float


@dataclass(frozen=True, slots=True)
class CodeCues:
    """A code's cues, best first, with the log prior odds of the code and the log share of
    notes reporting it among those holding the best cue (``with_cue``) and the rest."""

    prior: float
    with_cue: float
    without_cue: float
    cues: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """What a note's words say about one code.

    Attributes:
        present: the note holds the code's best cue.
        log_share: log share of corpus notes reporting the code among those in the same case
            (holding the best cue, or not).
        log_probability: naive-Bayes log probability of the code from all its cues.
    """

    present: bool
    log_share: float
    log_probability: float


def learn_cues(
    notes: Iterable[tuple[frozenset[str], Iterable[str]]],
    min_notes: int = MIN_NOTES,
    per_code: int = PER_CODE,
) -> dict[str, CodeCues]:
    """Cues of every code reported in at least ``min_notes`` of ``(stems, codes)`` notes.

    A stem must occur in two notes to be a cue (one note cannot tell a word from the note).
    """
    stem_notes: dict[str, set[int]] = {}
    code_notes: dict[str, set[int]] = {}
    note_stems: list[frozenset[str]] = []
    for i, (note, codes) in enumerate(notes):
        note_stems.append(note)
        for stem in note:
            stem_notes.setdefault(stem, set()).add(i)
        for code in set(codes):
            code_notes.setdefault(code, set()).add(i)
    total = len(note_stems)
    out: dict[str, CodeCues] = {}
    for code, reporting in sorted(code_notes.items()):
        if len(reporting) < min_notes or len(reporting) == total:
            continue
        seen = set().union(*(note_stems[i] for i in reporting))
        ranked = sorted(
            (
                (2 * len(reporting & stem_notes[s]) / (len(reporting) + len(stem_notes[s])), s)
                for s in seen
                if len(stem_notes[s]) >= 2
            ),
            key=lambda item: (-item[0], item[1]),
        )[:per_code]
        if not ranked:
            continue
        out[code] = _code_cues([s for _, s in ranked], reporting, stem_notes, total)
    return out


def _code_cues(
    best: list[str], reporting: set[int], stem_notes: Mapping[str, set[int]], total: int
) -> CodeCues:
    n = len(reporting)
    rate = n / total
    cues = []
    for stem in best:
        holding = stem_notes[stem]
        hit = len(reporting & holding)
        given_code = (hit + 1) / (n + 2)
        given_other = (len(holding) - hit + 1) / (total - n + 2)
        cues.append(
            Cue(
                stem,
                math.log(given_code / given_other),
                math.log((1 - given_code) / (1 - given_other)),
            )
        )
    holding = stem_notes[best[0]]
    hit = len(reporting & holding)
    with_cue = (hit + SMOOTHING * rate) / (len(holding) + SMOOTHING)
    without_cue = (n - hit + SMOOTHING * rate) / (total - len(holding) + SMOOTHING)
    return CodeCues(
        math.log(rate / (1 - rate)), math.log(with_cue), math.log(without_cue), tuple(cues)
    )


def read(cues: CodeCues, stems: frozenset[str]) -> Reading:
    """What a note with ``stems`` says about the code of ``cues``."""
    present = cues.cues[0].stem in stems
    odds = cues.prior + sum(c.present if c.stem in stems else c.absent for c in cues.cues)
    log_probability = -math.log1p(math.exp(-odds)) if odds > -30 else odds
    return Reading(present, cues.with_cue if present else cues.without_cue, log_probability)


def cued(model: Mapping[str, CodeCues], stems: frozenset[str], min_share: float) -> list[str]:
    """Codes whose best cue the note holds with a share of at least ``min_share``: worth
    ranking even when nothing else proposes them."""
    floor = math.log(min_share)
    return [
        code
        for code, cues in model.items()
        if cues.with_cue >= floor and cues.cues[0].stem in stems
    ]


def cues_to_json(model: Mapping[str, CodeCues]) -> dict[str, list[object]]:
    """Plain JSON form: code -> [prior, with_cue, without_cue, [[stem, present, absent]...]]."""
    return {
        code: [
            round(c.prior, 5),
            round(c.with_cue, 5),
            round(c.without_cue, 5),
            [[q.stem, round(q.present, 5), round(q.absent, 5)] for q in c.cues],
        ]
        for code, c in sorted(model.items())
    }


def cues_from_json(data: Mapping[str, Any]) -> dict[str, CodeCues]:
    """Inverse of :func:`cues_to_json` (malformed input raises ValueError)."""
    try:
        out = {}
        for code, (prior, with_cue, without_cue, cues) in data.items():
            parsed = tuple(Cue(str(s), float(p), float(a)) for s, p, a in cues)
            if not parsed:
                raise ValueError(f"{code} has no cue")
            out[str(code)] = CodeCues(float(prior), float(with_cue), float(without_cue), parsed)
        return out
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cues: malformed entry ({exc})") from exc
