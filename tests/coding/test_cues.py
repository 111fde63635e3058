"""Word cues of codes: the stems that single out a code's notes, read for and against it."""

from __future__ import annotations

import math

import pytest

from openrcm.coding.cues import cued, cues_from_json, cues_to_json, learn_cues, read

# "R69" is reported in the four notes holding "disea" and in no other; "R52" in two notes
# only (below the three a code needs); "mass" everywhere says nothing.
CORPUS = [
    (frozenset({"disea", "mass", "fever"}), {"R69", "R50.9"}),
    (frozenset({"disea", "mass"}), {"R69", "R52"}),
    (frozenset({"disea", "mass", "cough"}), {"R69"}),
    (frozenset({"disea", "mass", "fever"}), {"R69", "R50.9", "R52"}),
    (frozenset({"mass", "fever"}), {"R50.9"}),
    (frozenset({"mass", "cough"}), set()),
    (frozenset({"mass"}), set()),
    (frozenset({"mass", "rash"}), set()),
]


def test_the_stem_that_singles_out_a_codes_notes_is_its_best_cue() -> None:
    model = learn_cues(CORPUS)
    assert set(model) == {"R69", "R50.9"}  # R52: two notes are too few
    assert model["R69"].cues[0].stem == "disea"
    assert model["R50.9"].cues[0].stem == "fever"


def test_holding_the_cue_raises_the_code_and_lacking_it_lowers_it() -> None:
    cues = learn_cues(CORPUS)["R69"]
    holding = read(cues, frozenset({"disea", "mass"}))
    lacking = read(cues, frozenset({"mass", "fever"}))
    assert holding.present and not lacking.present
    # 4 of 4 notes with the cue report it (smoothed towards the corpus rate of 1/2)
    assert holding.log_share == pytest.approx(math.log((4 + 2 * 0.5) / (4 + 2)))
    assert lacking.log_share == pytest.approx(math.log((0 + 2 * 0.5) / (4 + 2)))
    assert holding.log_probability > math.log(0.5) > lacking.log_probability
    assert holding.log_probability < 0.0


def test_only_codes_whose_cue_is_held_with_a_high_enough_share_are_proposed() -> None:
    model = learn_cues(CORPUS)
    assert cued(model, frozenset({"disea"}), 0.5) == ["R69"]
    assert cued(model, frozenset({"cough"}), 0.5) == []
    assert set(cued(model, frozenset({"disea", "fever"}), 0.5)) == {"R69", "R50.9"}


def test_a_code_in_every_note_has_no_cue_and_a_cue_needs_two_notes() -> None:
    everywhere = [(frozenset({"a", "b"}), {"X1"}), (frozenset({"a"}), {"X1"})] * 2
    assert learn_cues(everywhere) == {}
    unique_words = [(frozenset({f"w{i}"}), {"X1"}) for i in range(4)] + [(frozenset({"z"}), set())]
    assert learn_cues(unique_words) == {}


def test_cues_round_trip_through_json_and_malformed_entries_are_refused() -> None:
    model = learn_cues(CORPUS)
    again = cues_from_json(cues_to_json(model))
    assert set(again) == set(model)
    assert again["R69"].cues[0].stem == "disea"
    assert again["R69"].with_cue == pytest.approx(model["R69"].with_cue, abs=1e-5)
    with pytest.raises(ValueError, match="R69 has no cue"):
        cues_from_json({"R69": [0.0, -0.1, -2.0, []]})
    with pytest.raises(ValueError, match="malformed"):
        cues_from_json({"R69": [0.0, -0.1]})
