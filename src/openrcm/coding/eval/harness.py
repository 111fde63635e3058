"""Run a predictor over CodiEsp documents and score it (MAP, micro P/R/F1, categories)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openrcm.coding.eval.codiesp import Document, GoldMapping
from openrcm.coding.eval.metrics import PRF, mean_average_precision, micro_prf


@dataclass(frozen=True, slots=True)
class Prediction:
    """A ranked code list (for MAP) and the codes committed to (for precision/recall)."""

    ranked: tuple[str, ...]
    final: frozenset[str]


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Scores of one pipeline on one split, with the gold-mapping counts."""

    pipeline: str
    split: str
    documents: int
    map: float
    full: PRF
    category: PRF
    gold_exact: int
    gold_to_parent: int
    gold_to_child: int
    gold_unmappable: int

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``."""

        def prf(x: PRF) -> dict[str, float | int]:
            return {
                "precision": round(x.precision, 4),
                "recall": round(x.recall, 4),
                "f1": round(x.f1, 4),
                "tp": x.tp,
                "fp": x.fp,
                "fn": x.fn,
            }

        return {
            "pipeline": self.pipeline,
            "split": self.split,
            "documents": self.documents,
            "map": round(self.map, 4),
            "micro_full_code": prf(self.full),
            "micro_category": prf(self.category),
            "gold_codes": {
                "exact": self.gold_exact,
                "mapped_to_parent": self.gold_to_parent,
                "mapped_to_child": self.gold_to_child,
                "unmappable_skipped": self.gold_unmappable,
            },
        }


def evaluate(
    pipeline: str,
    split: str,
    documents: Sequence[Document],
    gold: GoldMapping,
    predict: Callable[[Document], Prediction],
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Score ``predict`` on ``documents`` against the mapped gold codes."""
    ranked: dict[str, Sequence[str]] = {}
    final: dict[str, set[str]] = {}
    for i, doc in enumerate(documents, start=1):
        prediction = predict(doc)
        ranked[doc.doc_id] = prediction.ranked
        final[doc.doc_id] = set(prediction.final)
        if progress is not None:
            progress(i)
    gold_codes = {d.doc_id: gold.mapped.get(d.doc_id, set()) for d in documents}
    return EvalReport(
        pipeline=pipeline,
        split=split,
        documents=len(documents),
        map=mean_average_precision(ranked, gold_codes),
        full=micro_prf(final, gold_codes),
        category=micro_prf(final, gold_codes, categories=True),
        gold_exact=gold.exact,
        gold_to_parent=gold.to_parent,
        gold_to_child=gold.to_child,
        gold_unmappable=gold.unmappable,
    )
