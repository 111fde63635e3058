"""Learned phrase -> code associations, from coder feedback or from a coded corpus.

One mechanism serves both: every time a phrase is seen in a note, the codes finally reported
for that note are counted as its positives. A practice's coders produce such notes through
feedback (accepted and added codes are positive; rejected ones negative); the CodiEsp train
split produces them from gold codes. An association is kept when it is frequent and precise
enough, and its precision becomes the confidence of the suggestions it makes.
"""

from __future__ import annotations

import json
import lzma
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from openrcm.coding.model import Span
from openrcm.coding.text import bag, tokens

MAX_NGRAM = 4
# the longest annotated phrase (:mod:`openrcm.coding.eval.alignment`), in content words
MAX_ANNOTATED = 6


@dataclass(frozen=True, slots=True)
class Association:
    """A phrase (as an order-free word key) that predicts a code with a precision."""

    code: str
    precision: float
    support: int


@dataclass(frozen=True, slots=True)
class Associations:
    """phrase key -> associations (best first); per-code thresholds from rejections."""

    phrases: dict[tuple[str, ...], tuple[Association, ...]]
    thresholds: dict[str, float]
    name: str

    def lookup(self, key: tuple[str, ...]) -> tuple[Association, ...]:
        return self.phrases.get(key, ())

    def vocabulary(self) -> frozenset[str]:
        """Every word of every phrase (a phrase cannot hold any other word)."""
        return _vocabulary(self)


_VOCABULARY: dict[int, tuple[Associations, frozenset[str]]] = {}


def _vocabulary(assoc: Associations) -> frozenset[str]:
    hit = _VOCABULARY.get(id(assoc))
    if hit is None or hit[0] is not assoc:
        hit = (assoc, frozenset(w for key in assoc.phrases for w in key))
        _VOCABULARY[id(assoc)] = hit
    return hit[1]


def _note_words(text: str) -> tuple[str, ...]:
    """Folded content words of a note, through the small token cache, not :func:`words`'s
    large one: that one suits index phrases, and would keep thousands of notes (PHI) alive."""
    return tuple(t.norm for t in tokens(text))


def ngram_keys(
    text: str, max_n: int = MAX_NGRAM, vocabulary: Collection[str] | None = None
) -> set[tuple[str, ...]]:
    """Every order-free key of 1..max_n consecutive content words in ``text``; with a
    ``vocabulary``, only keys whose words are all in it (a window stops growing at the first
    unknown word: an association table cannot hold any other key)."""
    ws = _note_words(text)
    keys: set[tuple[str, ...]] = set()
    for i in range(len(ws)):
        for end in range(i + 1, min(i + max_n, len(ws)) + 1):
            if vocabulary is not None and ws[end - 1] not in vocabulary:
                break
            keys.add(bag(ws[i:end]))
    return keys


def learn(
    examples: Iterable[tuple[Iterable[tuple[str, ...]], set[str], set[str]]],
    *,
    min_support: int = 2,
    min_precision: float = 0.3,
    name: str = "learned",
) -> Associations:
    """Count (phrase key, code) co-occurrences and keep the precise ones.

    Args:
        examples: per note: the phrase keys in it, the codes reported (positives), the codes
            explicitly rejected (negatives; they lower precision without being positives).
        min_support: notes a pair must share.
        min_precision: share of the notes holding the phrase that report the code.
    """
    phrase_docs: Counter[tuple[str, ...]] = Counter()
    pair_pos: Counter[tuple[tuple[str, ...], str]] = Counter()
    code_pos: Counter[str] = Counter()
    code_neg: Counter[str] = Counter()
    for keys, positives, negatives in examples:
        unique = set(keys)
        for key in unique:
            phrase_docs[key] += 1
            for code in positives:
                pair_pos[(key, code)] += 1
        for code in positives:
            code_pos[code] += 1
        for code in negatives:
            code_neg[code] += 1
    grouped: defaultdict[tuple[str, ...], list[Association]] = defaultdict(list)
    for (key, code), support in pair_pos.items():
        if support < min_support:
            continue
        precision = support / phrase_docs[key]
        if precision >= min_precision:
            grouped[key].append(Association(code, round(precision, 4), support))
    phrases = {
        k: tuple(sorted(v, key=lambda a: (-a.precision, -a.support, a.code)))
        for k, v in grouped.items()
    }
    thresholds = {
        code: round(min(0.95, neg / (neg + code_pos[code])), 4)
        for code, neg in code_neg.items()
        if neg
    }
    return Associations(phrases, thresholds, name)


def to_json(assoc: Associations) -> dict[str, object]:
    """Plain JSON form (the shipped data file and the practice cache use it)."""
    return {
        "name": assoc.name,
        "thresholds": assoc.thresholds,
        "phrases": [
            [" ".join(k), [[a.code, a.precision, a.support] for a in v]]
            for k, v in sorted(assoc.phrases.items())
        ],
    }


def from_json(data: dict[str, object]) -> Associations:
    """Inverse of :func:`to_json`; a malformed document raises ValueError naming the field."""
    try:
        phrases = {
            tuple(str(p).split(" ")): tuple(
                Association(str(c), float(pr), int(s)) for c, pr, s in items
            )
            for p, items in data["phrases"]  # type: ignore[attr-defined]
        }
        thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"associations: malformed document ({exc})") from exc
    return Associations(phrases, thresholds, str(data.get("name", "learned")))


def phrase_votes(
    assoc: Associations, text: str, max_n: int = 3
) -> dict[str, tuple[float, int]]:
    """code -> (best precision among the note's phrases for it, how many phrases vote for it).

    The whole-note view of the associations, for ranking: every phrase of 1 to ``max_n``
    content words counts, with no sentence, context or title-relatedness filter.
    """
    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for key in ngram_keys(text, max_n, assoc.vocabulary()):
        for a in assoc.lookup(key):
            best[a.code] = max(best.get(a.code, 0.0), a.precision)
            count[a.code] = count.get(a.code, 0) + 1
    return {code: (p, count[code]) for code, p in best.items()}


def phrase_vote_spans(
    assoc: Associations, text: str, max_n: int = 3
) -> dict[str, tuple[Span, float]]:
    """code -> (the note's words behind its best phrase vote, that phrase's precision).

    The evidence of :func:`phrase_votes`, for showing a coder why a code is proposed: the
    first 1 to ``max_n`` consecutive content words whose phrase votes for the code with the
    highest precision.
    """
    toks = tokens(text)
    out: dict[str, tuple[Span, float]] = {}
    for n in range(1, max_n + 1):
        for i in range(len(toks) - n + 1):
            window = toks[i : i + n]
            for a in assoc.lookup(bag(tuple(t.norm for t in window))):
                best = out.get(a.code)
                if best is None or a.precision > best[1]:
                    start, end = window[0].start, window[-1].end
                    out[a.code] = (Span(start, end, text[start:end]), a.precision)
    return out


def load_packaged(name: str) -> Associations:
    """Associations shipped as ``data/<name>`` (xz-compressed JSON)."""
    path = resources.files("openrcm.coding").joinpath(f"data/{name}")
    with path.open("rb") as raw:
        return from_json(json.loads(lzma.decompress(raw.read()).decode("utf-8")))


@lru_cache(maxsize=1)
def codiesp_associations() -> Associations:
    """Associations learned from the CodiEsp train split (generated by ``eval/learn.py``)."""
    return load_packaged("codiesp_associations.json.xz")


@lru_cache(maxsize=1)
def codiesp_phrase_votes() -> Associations:
    """Unfiltered phrase -> code associations of CodiEsp train, for the ranker's
    :func:`phrase_votes` (generated by ``eval/learn_ranker.py``)."""
    return load_packaged("codiesp_phrase_votes.json.xz")


@lru_cache(maxsize=1)
def codiesp_annotated_votes() -> Associations:
    """Annotated phrase -> code associations of CodiEsp train (the annotators' evidence spans
    found in the translations), for the ranker's annotated-phrase features (generated by
    ``eval/learn_ranker.py``)."""
    return load_packaged("codiesp_annotated_votes.json.xz")
