"""Coder feedback is recorded as plain records, and what a practice learns from it changes the
next suggestion."""

from __future__ import annotations

from dataclasses import replace

import pytest

from openrcm.coding.associations import from_json, learn, ngram_keys, phrase_votes, to_json
from openrcm.coding.feedback import combine, derive_learning, make_feedback, record_from_json
from openrcm.coding.pipeline import NoteInput, suggest
from openrcm.coding.text import words

from .terminology_fixture import ENGINE

NOTE = "Assessment: sugar disease, poorly controlled. Cough."
AT = "2026-03-01T10:00:00Z"


def test_a_record_is_a_pure_value_and_round_trips() -> None:
    rec = make_feedback("clinic-1", "n1", "e11.9", "add", "sugar disease", AT, "coder7")
    assert rec.code == "E11.9"
    assert record_from_json(rec.to_json()) == rec


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "maybe"}, "action"),
        ({"practice": ""}, "practice"),
        ({"code": ""}, "code"),
        ({"phrase": "  "}, "phrase"),
    ],
)
def test_bad_feedback_names_the_field(kwargs: dict[str, str], message: str) -> None:
    args = {
        "practice": "p",
        "note_id": "n",
        "code": "E11.9",
        "action": "add",
        "phrase": "sugar disease",
        "at": AT,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        make_feedback(**args)


def test_added_phrase_becomes_a_practice_synonym_on_the_next_note() -> None:
    before = suggest(NoteInput(NOTE), ENGINE)
    assert "E11.9" not in [s.code for s in before.suggestions]
    records = [make_feedback("clinic-1", "n1", "E11.9", "add", "sugar disease", AT)]
    learned = derive_learning(records, "clinic-1")
    after = suggest(NoteInput(NOTE), replace(ENGINE, learned=learned))
    hit = next(s for s in after.suggestions if s.code == "E11.9")
    assert hit.evidence[0].text == "sugar disease"
    assert "practice:clinic-1" in hit.derivation


def test_rejections_raise_the_threshold_and_suppress_the_code() -> None:
    note = "Cough."
    assert [s.code for s in suggest(NoteInput(note), ENGINE).suggestions] == ["R05.9"]
    records = [make_feedback("clinic-1", f"n{i}", "R05.9", "reject", "cough", AT) for i in range(4)]
    learned = derive_learning(records, "clinic-1")
    assert learned.thresholds["R05.9"] > 0.9
    result = suggest(NoteInput(note), replace(ENGINE, learned=learned))
    assert result.suggestions == ()
    assert "threshold" in result.set_aside[0].warnings[-1]


def test_other_practices_feedback_is_ignored() -> None:
    records = [make_feedback("clinic-2", "n1", "E11.9", "add", "sugar disease", AT)]
    assert derive_learning(records, "clinic-1").phrases == {}


RENAL_NOTES: list[tuple[set[tuple[str, ...]], set[str], set[str]]] = [
    (ngram_keys("renal colic today"), {"N23"}, set()),
    (ngram_keys("renal colic again"), {"N23"}, set()),
    (ngram_keys("renal cyst"), {"N28.1"}, set()),
]


def test_learning_counts_precision_over_notes() -> None:
    assoc = learn(RENAL_NOTES, min_support=2, min_precision=0.5)
    best = assoc.lookup(("colic", "renal"))[0]
    assert (best.code, best.precision, best.support) == ("N23", 1.0, 2)
    # "renal" alone is in 3 notes, 2 with N23
    assert assoc.lookup(("renal",))[0].precision == pytest.approx(2 / 3, abs=1e-4)
    assert from_json(to_json(assoc)) == assoc


def test_practice_associations_win_over_corpus_ones() -> None:
    practice = derive_learning([make_feedback("p", "n", "E11.9", "add", "sugar disease", AT)], "p")
    corpus = learn([({("disease", "sugar")}, {"E10.9"}, set())] * 2, min_support=1)
    both = combine(practice, corpus)
    assert both is not None
    assert [a.code for a in both.lookup(("disease", "sugar"))] == ["E11.9", "E10.9"]
    assert combine(None, corpus) is corpus


def test_phrase_votes_take_the_best_precision_and_count_the_phrases() -> None:
    assoc = learn(RENAL_NOTES, min_support=2, min_precision=0.5)
    votes = phrase_votes(assoc, "Renal colic since Monday.")
    # "colic" and "colic renal" are precise for N23 (2 of 2); "renal" only 2 of 3
    assert votes["N23"] == (1.0, 3)
    assert phrase_votes(assoc, "nothing relevant") == {}


def test_phrase_votes_keep_no_note_in_the_phrase_word_cache() -> None:
    # words() caches index phrases by the thousand; a note is PHI and must not stay there
    assoc = learn(RENAL_NOTES, min_support=2, min_precision=0.5)
    note = "Renal colic since Monday in a synthetic note written for this test."
    phrase_votes(assoc, note, 6)
    ngram_keys(note)
    hits = words.cache_info().hits
    words(note)
    assert words.cache_info().hits == hits  # a miss: neither call had cached the note
