"""Metrics on tiny hand-made cases whose answers are worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrcm.coding.eval.codiesp import Document, map_gold, to_cm_form
from openrcm.coding.eval.harness import Prediction, evaluate
from openrcm.coding.eval.metrics import (
    average_precision,
    category,
    mean_average_precision,
    micro_prf,
)


def test_average_precision_by_hand() -> None:
    # gold {A, B}; ranks: A hit at 1 (1/1), X miss, B hit at 3 (2/3) -> (1 + 2/3) / 2
    assert average_precision(["A", "X", "B"], {"A", "B"}) == pytest.approx((1 + 2 / 3) / 2)
    # a gold code never ranked counts as zero
    assert average_precision(["A"], {"A", "B"}) == pytest.approx(0.5)
    assert average_precision([], {"A"}) == 0.0
    # a duplicated hit is not counted twice
    assert average_precision(["A", "A"], {"A", "B"}) == pytest.approx(0.5)


def test_map_is_the_mean_over_documents_and_missing_predictions_score_zero() -> None:
    gold = {"d1": {"A"}, "d2": {"B"}}
    assert mean_average_precision({"d1": ["A"]}, gold) == pytest.approx(0.5)


@given(st.lists(st.sampled_from("ABCDEFG"), max_size=10), st.sets(st.sampled_from("ABCDEFG")))
def test_average_precision_is_between_0_and_1(ranked: list[str], gold: set[str]) -> None:
    assert 0.0 <= average_precision(ranked, gold) <= 1.0


@given(st.permutations(list("ABCDE")))
def test_gold_codes_ranked_first_give_1(order: list[str]) -> None:
    gold = set(order[:2])
    assert average_precision(order[:2] + order[2:], gold) == pytest.approx(1.0)


def test_micro_prf_full_and_category() -> None:
    predicted = {"d1": {"E11.9", "I10"}, "d2": {"J18.9"}}
    gold = {"d1": {"E11.65", "I10"}, "d2": {"J18.9", "R05.9"}}
    full = micro_prf(predicted, gold)
    assert (full.tp, full.fp, full.fn) == (2, 1, 2)
    assert full.precision == pytest.approx(2 / 3)
    assert full.recall == pytest.approx(0.5)
    assert full.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    cat = micro_prf(predicted, gold, categories=True)
    assert (cat.tp, cat.fp, cat.fn) == (3, 0, 1)
    assert category("e11.22") == "E11"


def test_code_form_and_gold_mapping() -> None:
    assert to_cm_form("q62.11") == "Q62.11"
    assert to_cm_form("n23") == "N23"
    valid = {"Q62.11", "N28.8", "N28.89", "R31.9", "K35.8", "K35.80"}
    children = {"K35": ("K35.80",)}
    docs = (Document("d1", "", ("q62.11", "n28.8", "r31.91", "k35", "z99.99")),)
    mapping = map_gold(docs, valid.__contains__, lambda c: children.get(c, ()))
    assert mapping.mapped["d1"] == {"Q62.11", "N28.8", "R31.9", "K35.80"}
    assert (mapping.exact, mapping.to_parent, mapping.to_child, mapping.unmappable) == (2, 1, 1, 1)
    assert mapping.unmappable_codes == ("z99.99",)


def test_evaluate_combines_the_metrics() -> None:
    docs = (Document("d1", "x", ("a00",)), Document("d2", "y", ("b00",)))
    mapping = map_gold(docs, {"A00", "B00"}.__contains__, lambda c: ())
    answers = {"d1": ("A00", "C00"), "d2": ("C00", "B00")}

    def predict(doc: Document) -> Prediction:
        ranked = answers[doc.doc_id]
        return Prediction(ranked, frozenset(ranked[:1]))

    seen: list[int] = []
    report = evaluate("toy", "dev", docs, mapping, predict, seen.append)
    assert report.map == pytest.approx((1.0 + 0.5) / 2)
    assert (report.full.tp, report.full.fp, report.full.fn) == (1, 1, 1)
    assert seen == [1, 2]
    assert report.as_dict()["gold_codes"] == {
        "exact": 2,
        "mapped_to_parent": 0,
        "mapped_to_child": 0,
        "unmappable_skipped": 0,
    }


def test_packaged_corpus_has_both_splits() -> None:
    from openrcm.coding.eval.codiesp import load_split

    dev = load_split("dev")
    assert len(dev) == 250
    assert all(doc.text and doc.gold for doc in dev)
    assert len(load_split("train")) == 500
    with pytest.raises(ValueError, match="split"):
        load_split("test")
