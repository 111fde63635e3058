"""Ranking and set metrics for code suggestion, as the CodiEsp track defines them.

MAP is the official CodiEsp-D metric: for each document, the average precision of the ranked
code list (precision at each rank holding a gold code, summed and divided by the number of
gold codes), then the mean over documents. Micro precision/recall/F1 compare the sets of
codes a system commits to; the 3-character variant compares categories (``E11.22`` -> ``E11``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def average_precision(ranked: Sequence[str], gold: set[str]) -> float:
    """Average precision of one ranked list; duplicates after the first count as misses."""
    if not gold:
        return 0.0
    seen: set[str] = set()
    hits = 0
    total = 0.0
    for k, code in enumerate(ranked, start=1):
        if code in gold and code not in seen:
            hits += 1
            total += hits / k
        seen.add(code)
    return total / len(gold)


def mean_average_precision(
    ranked: Mapping[str, Sequence[str]], gold: Mapping[str, set[str]]
) -> float:
    """MAP over the documents of ``gold`` (a document with no prediction scores 0)."""
    docs = [d for d in gold if gold[d]]
    if not docs:
        return 0.0
    return sum(average_precision(ranked.get(d, ()), gold[d]) for d in docs) / len(docs)


@dataclass(frozen=True, slots=True)
class PRF:
    """Micro-averaged counts and scores."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def category(code: str) -> str:
    """The 3-character category of a code (``e11.22`` -> ``E11``)."""
    return code.replace(".", "").upper()[:3]


def micro_prf(
    predicted: Mapping[str, set[str]], gold: Mapping[str, set[str]], *, categories: bool = False
) -> PRF:
    """Micro precision/recall/F1 over all documents of ``gold``."""
    tp = fp = fn = 0
    for doc, gold_codes in gold.items():
        pred = predicted.get(doc, set())
        if categories:
            pred = {category(c) for c in pred}
            gold_codes = {category(c) for c in gold_codes}
        tp += len(pred & gold_codes)
        fp += len(pred - gold_codes)
        fn += len(gold_codes - pred)
    return PRF(tp, fp, fn)
