"""A note's answer ordered by the CodiEsp-learned ranker, for a user who asks for it.

Why a separate view: the learned ranker (:mod:`openrcm.coding.ranking`) was fitted on Spanish
case reports in English translation, not on a practice's notes, so it is never the default.
When a user chooses it, two things change. The final suggestions (each with evidence in the
note) are ordered by the ranker's score instead of the guideline sequencing (the rank of the
first-listed diagnosis is kept on each suggestion). And the codes that only the learned
sources propose, which have no lexicon evidence and so can never be final, are shown apart as
"also consider", each with where it comes from: a phrase vote, an annotated phrase or the
code's word cue with the words of the note behind it, the similar coded notes that carry it
(how many, how similar), or the reported code of the same category it is a sibling of.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openrcm.coding.associations import (
    MAX_ANNOTATED,
    Associations,
    phrase_vote_spans,
    phrase_votes,
)
from openrcm.coding.cues import CodeCues
from openrcm.coding.model import CodingResult, Span
from openrcm.coding.neighbours import NeighbourIndex
from openrcm.coding.ranking import STEM, Ranker, Signals, TitleStems, listed, stems
from openrcm.coding.terminology import Terminology
from openrcm.coding.text import tokens

# at most this many learned-only codes, each scored at least MIN_SCORE: a short list a coder
# reads (on CodiEsp dev, learned-only codes scored 0.05-0.2 were gold 13% of the time, from 0.2
# 43%, below 0.05 under 1%)
ALSO_CONSIDER = 10
MIN_SCORE = 0.05


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """What the ``codiesp`` ranking reads: the ranker, the coded notes, the phrase votes and
    annotated phrases, the code titles."""

    ranker: Ranker
    index: NeighbourIndex
    votes: Associations
    annotated: Associations
    titles: TitleStems

    def signals(self, text: str) -> Signals:
        """What the coded corpus says about a note: its neighbours' codes, phrase votes and
        annotated phrases, with the note's word stems."""
        near, wide = self.index.votes(text, self.ranker.ks, self.ranker.power)
        return Signals(
            near,
            wide,
            phrase_votes(self.votes, text),
            phrase_votes(self.annotated, text, MAX_ANNOTATED),
            stems(text),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Why a learned-only code is proposed.

    Attributes:
        kind: ``phrase_vote``, ``annotated_phrase``, ``word_cue``, ``neighbours`` or
            ``category_sibling``.
        evidence: for a phrase vote, an annotated phrase or a word cue, the note's words
            behind it.
        precision: for a phrase vote, the share of coded notes holding the phrase that report
            the code; for an annotated phrase, the share in which annotators marked it as the
            code's evidence; for a word cue, the share of coded notes holding the word.
        notes: for neighbours, how many of the most similar coded notes report the code.
        similarity: for neighbours, the cosine similarity of the nearest of them (0-1).
        sibling_of: for a category sibling, the listed code of the same category.
    """

    kind: str
    evidence: tuple[Span, ...] = ()
    precision: float = 0.0
    notes: int = 0
    similarity: float = 0.0
    sibling_of: str = ""


@dataclass(frozen=True, slots=True)
class Consider:
    """A code only the learned sources propose, with its score and sources (``billable`` is
    False for a header the CodiEsp edition reported as is: the coder picks a child)."""

    code: str
    title: str
    billable: bool
    score: float
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RankedResult:
    """The pipeline's result, the ranker's score of each code, and the "also consider" list."""

    result: CodingResult
    scores: dict[str, float]
    also_consider: tuple[Consider, ...]


def rank_note(
    text: str, result: CodingResult, model: LearnedModel, terminology: Terminology
) -> RankedResult:
    """Score every candidate of a coded note and collect the learned-only codes worth showing.

    Args:
        text: the note.
        result: the pipeline's result for it (with the engine the ranker was fitted with).
        model: the ranker, the coded notes and the phrase votes.
        terminology: titles of the learned-only codes (a code it does not know is dropped).
    """
    ranker = model.ranker
    ranked = ranker.rank(result, model.signals(text), model.titles)
    scores = dict(ranked)
    candidates = {c.code for c in listed(result)}
    learned_only = [
        (code, score)
        for code, score in ranked
        if code not in candidates and score >= MIN_SCORE and terminology.facts(code) is not None
    ][:ALSO_CONSIDER]
    if not learned_only:
        return RankedResult(result, scores, ())
    phrases = (
        ("annotated_phrase", phrase_vote_spans(model.annotated, text, MAX_ANNOTATED)),
        ("phrase_vote", phrase_vote_spans(model.votes, text)),
    )
    nearest = model.index.nearest(text, ranker.ks[1])
    out = []
    for code, score in learned_only:
        sources: list[Source] = []
        for kind, spans in phrases:
            if code in spans:
                span, precision = spans[code]
                sources.append(Source(kind, evidence=(span,), precision=precision))
        cue = _cue_source(ranker.cues.get(code), text)
        if cue is not None:
            sources.append(cue)
        carrying = [sim for doc, sim in nearest if code in model.index.codes[doc]]
        if carrying:
            sources.append(Source("neighbours", notes=len(carrying), similarity=max(carrying)))
        sibling = next((c for c in sorted(candidates) if c[:3] == code[:3]), None)
        if sibling is not None:
            sources.append(Source("category_sibling", sibling_of=sibling))
        facts = terminology.facts(code)
        title, billable = (facts.title, facts.billable) if facts is not None else ("", False)
        out.append(Consider(code, title, billable, score, tuple(sources)))
    return RankedResult(result, scores, tuple(out))


def _cue_source(cues: CodeCues | None, text: str) -> Source | None:
    """The first word of the note carrying the code's best cue, if the note holds it."""
    if cues is None:
        return None
    stem = cues.cues[0].stem
    word = next((t for t in tokens(text) if t.norm[:STEM] == stem), None)
    if word is None:
        return None
    span = Span(word.start, word.end, text[word.start : word.end])
    return Source("word_cue", evidence=(span,), precision=math.exp(cues.with_cue))
