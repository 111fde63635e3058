"""The candidate ranker: its statistics, features, ordering, commitments and data file."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from openrcm.coding.pipeline import NoteInput, suggest
from openrcm.coding.ranking import (
    FEATURES,
    INTERACTIONS,
    WIDTH,
    Listed,
    Ranker,
    Signals,
    TitleStems,
    code_stats,
    codiesp_ranker,
    expand,
    listed,
    ranker_from_json,
    ranker_to_json,
    stems,
)

from .terminology_fixture import ENGINE, TERMINOLOGY

if TYPE_CHECKING:
    from lightgbm import Booster

STATS = code_stats(
    [
        ({"R50.9", "J18.9"}, {"R50.9", "J18.0"}),
        ({"R50.9"}, {"R50.9"}),
        ({"N20.0"}, set()),
    ]
)


def _weights(**named: float) -> tuple[float, ...]:
    """Weights on the named base features, none on the interactions."""
    return tuple(named.get(name, 0.0) for name in FEATURES) + (0.0,) * len(INTERACTIONS)


def _signals(wide: dict[str, float] | None = None) -> Signals:
    return Signals({}, wide or {}, {}, {})


def _no_titles(code: str) -> frozenset[str]:
    return frozenset()


def test_code_stats_count_reports_proposals_and_confirmations() -> None:
    assert STATS.notes == 3
    assert STATS.codes == {"R50.9": 2, "J18.9": 1, "N20.0": 1}
    assert STATS.categories == {"R50": 2, "J18": 1, "N20": 1}
    assert STATS.proposed == {"R50.9": 2, "J18.0": 1}
    assert STATS.confirmed == {"R50.9": 2}


def test_listed_candidates_carry_the_pipeline_verdict() -> None:
    note = "Assessment: type 2 diabetes. Denies fever."
    result = suggest(NoteInput(note), ENGINE)
    by_code = {c.code: c for c in listed(result)}
    assert by_code["E11.9"].status == "final"
    assert by_code["R50.9"].status == "absent"
    assert by_code["E11.9"].evidence == 1


def test_siblings_and_neighbour_codes_join_the_ranked_list_but_are_never_committed() -> None:
    weights = _weights(bias=-1.0, final=3.0, vote_wide=2.0)
    ranker = Ranker(weights, {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    cands = [Listed("J18.0", 0.8, "final", False, 1, "")]
    ranked = ranker.rank_listed(cands, _signals({"N20.0": 0.5, "R50.9": 0.1}), STATS, _no_titles)
    codes = [c for c, _ in ranked]
    assert codes[0] == "J18.0"
    assert "J18.9" in codes  # a reported sibling of a listed code
    assert "N20.0" in codes  # a neighbour vote above min_vote
    assert "R50.9" not in codes  # below min_vote, no other reason to rank it
    assert ranker.committed(cands, ranked) == {"J18.0"}


def test_absent_or_low_scoring_candidates_are_not_committed() -> None:
    ranker = Ranker(_weights(bias=-1.0, confidence=4.0), {}, 0.6, (1, 2), 1.0, 0.3, STATS)
    cands = [
        Listed("R50.9", 0.9, "absent", False, 1, "negated in the note"),
        Listed("J18.0", 0.1, "present", False, 1, "history only"),
        Listed("N20.0", 0.7, "final", False, 2, ""),
    ]
    ranked = ranker.rank_listed(cands, _signals(), STATS, _no_titles)
    assert ranked[0][0] == "R50.9"  # ranks first by score...
    assert ranker.committed(cands, ranked) == {"N20.0"}  # ...but is absent from the note
    assert all(0.0 < score < 1.0 for _, score in ranked)


def test_a_ranker_round_trips_through_json_and_a_stale_file_is_refused() -> None:
    ranker = Ranker(
        _weights(bias=-2.0, final=1.5), {"R50.9": 0.25}, 0.4, (10, 40), 3.0, 0.02, STATS
    )
    data = ranker_to_json(ranker)
    assert ranker_from_json(data) == ranker
    with pytest.raises(ValueError, match="features"):
        ranker_from_json({**data, "features": ["bias"]})
    with pytest.raises(ValueError, match="features"):
        ranker_from_json({**data, "interactions": []})
    with pytest.raises(ValueError, match="weights"):
        ranker_from_json({**data, "weights": [1.0]})
    with pytest.raises(ValueError, match="malformed"):
        ranker_from_json({"features": list(FEATURES)})


def test_the_shipped_ranker_loads_and_was_fitted_on_the_train_notes() -> None:
    ranker = codiesp_ranker()
    assert len(ranker.weights) == WIDTH
    assert all(ranker.stats.codes[c] >= 5 for c in ranker.code_weights)
    assert ranker.stats.notes == 500  # the CodiEsp train split, never dev (250 notes)
    assert ranker.booster is not None and ranker.rerank == 30
    assert ranker.booster.num_feature() == WIDTH + len(ranker.code_weights)
    assert ranker.cues["R69"].cues[0].stem == "disea"  # "illness, unspecified" from "disease"
    assert 0.0 < ranker.threshold < 1.0
    named = dict(zip(FEATURES, ranker.weights[: len(FEATURES)], strict=True))
    assert named["confidence"] > 0 > named["set_aside_absent"]  # sure matches up, negated down


def test_interactions_multiply_features_and_code_weights_shift_one_code() -> None:
    base = tuple(float(i) for i in range(len(FEATURES)))
    (full,) = expand([base])
    assert len(full) == WIDTH
    assert list(full[: len(FEATURES)]) == list(base)
    for k, (a, b) in enumerate(INTERACTIONS):
        assert full[len(FEATURES) + k] == base[FEATURES.index(a)] * base[FEATURES.index(b)]
    assert expand([]).shape == (0, WIDTH)
    ranker = Ranker(_weights(), {"R50.9": 2.0}, 0.5, (1, 2), 1.0, 0.3, STATS)
    assert ranker.score("R50.9", base) > ranker.score("J18.9", base) == pytest.approx(0.5)


def test_phrase_votes_add_a_signal_for_their_code() -> None:
    ranker = Ranker(_weights(phrase_precision=3.0), {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    cands = [
        Listed("N20.0", 0.5, "final", False, 1, ""),
        Listed("J18.0", 0.5, "final", False, 1, ""),
    ]
    ranked = ranker.rank_listed(
        cands, Signals({}, {}, {"J18.0": (0.9, 2)}, {}), STATS, _no_titles
    )
    assert ranked[0][0] == "J18.0"


def test_an_annotated_phrase_ranks_its_code_and_proposes_it_when_precise() -> None:
    ranker = Ranker(_weights(annotated_precision=3.0), {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    cands = [Listed("N20.0", 0.5, "final", False, 1, "")]
    # K80.20 is in no candidate list: only its annotated phrase (precision 0.6) proposes it;
    # I10's phrase is too rarely its evidence (0.2) to propose it
    annotated = {"K80.20": (0.6, 1), "I10": (0.2, 3)}
    ranked = ranker.rank_listed(cands, Signals({}, {}, {}, annotated), STATS, _no_titles)
    assert [c for c, _ in ranked] == ["K80.20", "N20.0"]
    assert dict(ranked)["K80.20"] == pytest.approx(1 / (1 + math.exp(-1.8)))


def test_title_stems_of_a_code_covered_by_the_note_raise_it() -> None:
    titles = TitleStems(TERMINOLOGY)
    assert titles("J18.9") == {"pneum", "organ"}  # "unspecified" is a stop word
    assert titles("X99.9") == frozenset()  # unknown to the terminology
    note = stems("Pneumonias of an unknown organism; fevers.")
    assert note == {"pneum", "unkno", "organ", "fever"}
    ranker = Ranker(_weights(title_cover=2.0, title_covered=1.0), {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    # both only neighbour codes: J18.9's title is covered by the note, N20.0's is not
    ranked = ranker.rank_listed(
        [], Signals({}, {"J18.9": 0.5, "N20.0": 0.5}, {}, {}, note), STATS, titles
    )
    assert [c for c, _ in ranked] == ["J18.9", "N20.0"]
    assert dict(ranked)["N20.0"] == pytest.approx(0.5)  # not in the terminology: no cover


def _booster_for(code_weights: dict[str, float], favoured: str) -> Booster:
    """A small tree ensemble that learnt to favour one code (its indicator column)."""
    import lightgbm
    import numpy as np

    columns = sorted(code_weights)
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(400, WIDTH + len(columns)))
    rows[:, WIDTH:] = 0.0
    picked = rng.integers(0, len(columns), size=400)
    rows[np.arange(400), WIDTH + picked] = 1.0
    labels = (picked == columns.index(favoured)).astype(float)
    params = {"objective": "binary", "num_leaves": 4, "min_data_in_leaf": 5, "verbose": -1}
    return lightgbm.train(params, lightgbm.Dataset(rows, labels), 20)


def test_the_trees_rescore_only_the_best_candidates_by_the_mean_log_odds() -> None:
    code_weights = {"J18.0": 0.0, "N20.0": 0.0, "R50.9": 0.0}
    booster = _booster_for(code_weights, "N20.0")
    weights = _weights(bias=-1.0, confidence=4.0)
    ranker = Ranker(weights, code_weights, 0.5, (1, 2), 1.0, 0.3, STATS, {}, booster, 2)
    cands = [
        Listed("J18.0", 0.9, "final", False, 1, ""),
        Listed("N20.0", 0.8, "final", False, 1, ""),
        Listed("R50.9", 0.1, "final", False, 1, ""),
    ]
    codes = [c.code for c in cands]
    inputs = expand([f for _, f in _features(ranker, cands)])
    logits = ranker.logits(codes, inputs)
    boosted = ranker.boost(codes[:2], inputs[:2])
    combined = ranker.combined(codes, inputs, logits)
    assert list(combined[:2]) == pytest.approx(list((logits[:2] + boosted) / 2))
    assert combined[2] == logits[2]  # third by the logistic model: not rescored
    assert boosted[1] > 0 > boosted[0]  # the trees favour N20.0 ...
    ranked = ranker.rank_listed(cands, _signals(), STATS, _no_titles)
    assert [c for c, _ in ranked][:2] == ["N20.0", "J18.0"]  # ... and reorder the top two
    logistic_only = Ranker(weights, code_weights, 0.5, (1, 2), 1.0, 0.3, STATS)
    assert [c for c, _ in logistic_only.rank_listed(cands, _signals(), STATS, _no_titles)][:2] == [
        "J18.0",
        "N20.0",
    ]
    with pytest.raises(ValueError, match="no tree ensemble"):
        logistic_only.boost(codes, inputs)


def _features(ranker: Ranker, cands: list[Listed]) -> list[tuple[str, tuple[float, ...]]]:
    from openrcm.coding.ranking import candidate_features

    by_code = dict(candidate_features(cands, _signals(), STATS, 0.3, _no_titles, {}))
    return [(c.code, by_code[c.code]) for c in cands]


def test_a_ranker_with_trees_round_trips_and_a_mismatched_ensemble_is_refused() -> None:
    code_weights = {"J18.0": 0.5, "N20.0": 0.0}
    booster = _booster_for(code_weights, "N20.0")
    ranker = Ranker(_weights(bias=-1.0), code_weights, 0.5, (1, 2), 1.0, 0.3, STATS, {}, booster, 5)
    data = ranker_to_json(ranker)
    again = ranker_from_json(data)
    assert again.rerank == 5 and again.booster is not None
    assert again.booster.model_to_string() == booster.model_to_string()
    with pytest.raises(ValueError, match=f"reads {WIDTH + 2} inputs, not {WIDTH + 1}"):
        ranker_from_json({**data, "code_weights": {"J18.0": 0.5}})
    with pytest.raises(ValueError, match="does not load"):
        ranker_from_json({**data, "booster": "not a tree ensemble"})


def test_a_header_with_a_listed_child_and_a_child_of_a_listed_header_are_told_apart() -> None:
    from openrcm.coding.ranking import candidate_features

    stats = code_stats([({"R05"}, set()), ({"R05.9", "J18.9"}, set())])
    cands = [
        Listed("R05.9", 0.7, "final", False, 1, ""),
        Listed("J18", 0.4, "present", False, 1, "history only"),
        Listed("J18.9", 0.9, "absent", False, 1, "negated in the note"),
    ]
    feats = {
        code: dict(zip(FEATURES, f, strict=True))
        for code, f in candidate_features(cands, _signals(), stats, 0.3, _no_titles, {})
    }
    header = feats["R05"]  # a reported sibling: the header of the listed R05.9
    assert header["listed_child"] == 1.0 and header["listed_child_final"] == 1.0
    assert header["listed_child_confidence"] == pytest.approx(0.7)
    assert header["listed_parent"] == 0.0
    child = feats["R05.9"]
    assert child["listed_child"] == 0.0 and child["listed_parent"] == 0.0
    # J18.9 is absent from the note, so J18 has no present child; J18.9 has a present parent
    assert feats["J18"]["listed_child"] == 0.0
    assert feats["J18.9"]["listed_parent"] == 1.0
    assert feats["J18.9"]["listed_parent_confidence"] == pytest.approx(0.4)
