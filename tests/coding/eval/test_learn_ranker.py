"""The ranker generator's fitting pieces on hand-made data."""

from __future__ import annotations

import pytest

from openrcm.coding.eval.learn_ranker import best_threshold, fit_logistic


def test_logistic_fit_learns_the_direction_that_separates_the_labels() -> None:
    rows = [(1.0, float(v)) for v in range(-5, 6)]
    labels = [v > 0 for v in range(-5, 6)]
    bias, slope = fit_logistic(rows, labels, l2=1.0)
    assert slope > 0.5
    assert abs(bias) < 0.5  # the data are symmetric around zero


def test_logistic_fit_with_no_signal_predicts_the_base_rate() -> None:
    rows = [(1.0,)] * 40
    labels = [i % 4 == 0 for i in range(40)]  # a quarter positive
    (bias,) = fit_logistic(rows, labels, l2=0.0)
    assert bias == pytest.approx(-1.0986, abs=1e-3)  # log(1/3)


def test_example_weights_act_as_repeated_examples() -> None:
    # three positives and one negative: weighting the negative three times balances them
    rows = [(1.0,)] * 4
    labels = [True, True, True, False]
    (bias,) = fit_logistic(rows, labels, l2=0.0, weights=[1.0, 1.0, 1.0, 3.0])
    assert bias == pytest.approx(0.0, abs=1e-6)


def test_best_threshold_maximises_micro_f1_by_hand() -> None:
    # gold {A, B}; scores A 0.9 (hit), X 0.8 (miss), B 0.3 (hit), Y 0.2 (miss)
    # cut at 0.9: P 1, R 1/2 -> F1 2/3; at 0.3: 2 hits of 3 -> F1 0.8; at 0.2: 2/4 -> 2/3
    scored = [({"A", "B"}, {"A", "X", "B", "Y"}, [("A", 0.9), ("X", 0.8), ("B", 0.3), ("Y", 0.2)])]
    assert best_threshold(scored) == 0.3


def test_only_present_codes_count_towards_the_threshold() -> None:
    scored = [({"A"}, {"A"}, [("Z", 0.99), ("A", 0.5)])]
    assert best_threshold(scored) == 0.5
