"""The nearest-neighbour vote on tiny hand-made corpora whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from openrcm.coding.neighbours import build_index

CORPUS = [
    ("fever and cough, pneumonia on chest film", {"J18.9", "R50.9"}),
    ("fever and cough after travel, influenza", {"J11.1", "R50.9"}),
    ("renal colic with a kidney stone", {"N20.0", "N23"}),
    ("kidney stone again, renal colic relieved", {"N20.0"}),
]


def test_words_in_a_single_note_carry_no_weight() -> None:
    index = build_index(CORPUS)
    assert "pneumonia" not in index.idf  # only in the first note
    assert {"fever", "cough", "kidney", "stone", "renal", "colic"} <= set(index.idf)


def test_a_vocabulary_limits_what_notes_are_compared_by() -> None:
    index = build_index(CORPUS, vocabulary={"fever", "kidney", "stone"})
    assert set(index.idf) == {"fever", "kidney", "stone"}
    # "cough" and "colic" are outside the vocabulary: only "fever" makes the query near
    (near,) = index.votes("cough and renal colic with fever", ks=(1,), power=1.0)
    assert near.get("R50.9") == pytest.approx(1.0)
    assert "N20.0" not in near


def test_a_note_votes_for_the_codes_of_the_notes_it_reads_like() -> None:
    index = build_index(CORPUS)
    (near,) = index.votes("Fever with a dry cough.", ks=(2,), power=1.0)
    # both fever notes are equally near and both carry R50.9
    assert near["R50.9"] == pytest.approx(1.0)
    assert near["J18.9"] == pytest.approx(0.5)
    assert "N20.0" not in near


def test_votes_are_shares_of_the_similarity_mass_and_a_larger_k_reaches_further() -> None:
    index = build_index(CORPUS)
    near, wide = index.votes("renal colic, kidney stone, fever", ks=(1, 4), power=1.0)
    assert set(near) <= {"N20.0", "N23"}
    assert "R50.9" in wide and wide["R50.9"] < wide["N20.0"]
    assert all(0.0 < v <= 1.0 for v in wide.values())


def test_a_note_can_be_left_out_of_its_own_vote() -> None:
    index = build_index(CORPUS)
    (alone,) = index.votes(CORPUS[2][0], ks=(1,), power=3.0, exclude=2)
    assert alone == {"N20.0": pytest.approx(1.0)}


def test_a_note_sharing_no_word_gets_no_vote() -> None:
    index = build_index(CORPUS)
    assert index.votes("unrelated words entirely", ks=(3,), power=3.0) == ({},)
