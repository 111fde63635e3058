"""Codes of similar coded notes: a TF-IDF nearest-neighbour vote over a coded corpus.

Why: the lexicon only finds conditions whose words it knows, and many gold codes of a case
report are its common companions (fever with infection, pain with a mass, "illness,
unspecified" with a work-up). Notes that read alike tend to share codes, so the codes of the
``k`` most similar coded notes, weighted by similarity, are a useful extra signal for the
ranker (:mod:`openrcm.coding.ranking`). A vote carries no evidence span in the note, so it only
ever orders or adds candidates in a ranked list; it never becomes a final suggestion alone.

An inverted index of NumPy arrays (one per word: the notes holding it and its weight in
each), so a query costs one array operation per word it shares with the corpus, not a Python
step per posting. NumPy is imported where it is used: only the learned ranking reads this.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openrcm.coding.text import tokens

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MIN_DOCUMENT_FREQUENCY = 2


@dataclass(frozen=True, slots=True)
class NeighbourIndex:
    """Normalised TF-IDF vectors of coded notes, as postings per word."""

    idf: dict[str, float]
    postings: dict[str, tuple[NDArray[np.intp], NDArray[np.float64]]]
    codes: tuple[frozenset[str], ...]

    def nearest(self, text: str, k: int, exclude: int | None = None) -> list[tuple[int, float]]:
        """The ``k`` indexed notes most similar to ``text`` (cosine, sharing a word with it):
        (note number, cosine), nearest first, ties by note number; ``exclude`` leaves one
        indexed note out."""
        import numpy as np

        scores = np.zeros(len(self.codes))
        for word, weight in _vector(text, self.idf).items():
            posting = self.postings.get(word)
            if posting is not None:
                docs, values = posting
                scores[docs] += weight * values
        if exclude is not None:
            scores[exclude] = 0.0
        hits = np.flatnonzero(scores > 0.0)
        order = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(int(doc), float(scores[doc])) for doc in order]

    def votes(
        self, text: str, ks: Sequence[int], power: float, exclude: int | None = None
    ) -> tuple[dict[str, float], ...]:
        """For each ``k`` of ``ks``: code -> share of the similarity mass of the ``k`` nearest
        notes that carry the code (similarities raised to ``power`` sharpen the vote).

        Args:
            text: the note.
            ks: neighbourhood sizes, one vote per size.
            power: exponent applied to each similarity.
            exclude: an indexed note to leave out (the note itself, when voting on the corpus).
        """
        nearest = self.nearest(text, max(ks, default=0), exclude)
        out = []
        for k in ks:
            tally: Counter[str] = Counter()
            total = 0.0
            for doc, sim in nearest[:k]:
                weight = sim**power
                total += weight
                for code in self.codes[doc]:
                    tally[code] += weight
            out.append({c: v / total for c, v in tally.items()} if total > 0 else {})
        return tuple(out)


def build_index(
    notes: Iterable[tuple[str, Iterable[str]]], vocabulary: Collection[str] | None = None
) -> NeighbourIndex:
    """Index coded notes: ``(text, codes)`` pairs; words in fewer than two notes are dropped.

    Args:
        notes: the coded notes.
        vocabulary: when given, only these words count (a query's other words are ignored
            too, having no idf). With the lexicon's words, notes are compared by their
            clinical terms, not by how a case report is told: on CodiEsp dev this took the
            wide vote alone from MAP 0.193 to 0.199.
    """
    bags: list[Counter[str]] = []
    codes: list[frozenset[str]] = []
    for text, note_codes in notes:
        counts = _counts(text)
        if vocabulary is not None:
            counts = Counter({w: n for w, n in counts.items() if w in vocabulary})
        bags.append(counts)
        codes.append(frozenset(note_codes))
    frequency: Counter[str] = Counter(w for b in bags for w in b)
    n = len(bags)
    idf = {
        w: math.log((n + 1) / (df + 1)) + 1.0
        for w, df in frequency.items()
        if df >= MIN_DOCUMENT_FREQUENCY
    }
    docs: dict[str, list[int]] = {}
    values: dict[str, list[float]] = {}
    for doc, counts in enumerate(bags):
        for word, value in _weights(counts, idf).items():
            docs.setdefault(word, []).append(doc)
            values.setdefault(word, []).append(value)
    import numpy as np

    postings = {
        w: (np.asarray(docs[w], dtype=np.intp), np.asarray(values[w], dtype=np.float64))
        for w in docs
    }
    return NeighbourIndex(idf, postings, tuple(codes))


def _vector(text: str, idf: dict[str, float]) -> dict[str, float]:
    return _weights(_counts(text), idf)


def _counts(text: str) -> Counter[str]:
    return Counter(t.norm for t in tokens(text))


def _weights(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear term frequency times idf, scaled to unit length."""
    raw = {w: (1.0 + math.log(n)) * idf[w] for w, n in counts.items() if w in idf}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {w: v / norm for w, v in raw.items()} if norm else {}
