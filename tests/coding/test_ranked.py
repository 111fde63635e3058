"""The ``codiesp``-ranked answer: final suggestions by score, learned-only codes apart with
their sources, on a hand-made ranker, corpus and phrase votes whose answers are worked out by
hand."""

from __future__ import annotations

import json

import pytest

from openrcm.coding.associations import Association, Associations, learn, phrase_vote_spans
from openrcm.coding.cues import learn_cues
from openrcm.coding.neighbours import build_index
from openrcm.coding.pipeline import NoteInput, suggest
from openrcm.coding.ranked import LearnedModel, rank_note
from openrcm.coding.ranking import FEATURES, INTERACTIONS, Ranker, TitleStems, code_stats
from openrcm.coding.render import ranked_dict

from .terminology_fixture import ENGINE, TERMINOLOGY

NOTE = "Assessment: pneumonia with fever. Type 2 diabetes. Blood pressure raised."

# the two notes sharing "pneumonia" and "fever" are equally near the note (the only words in
# two notes), so each of their codes gets half or all of the wide vote
CORPUS = [
    ("pneumonia with fever and travel", {"J18.9", "Z80.3", "I10"}),
    ("pneumonia and fever again", {"J18.9", "Z80.3", "S82.20"}),
    ("kidney disease", {"N18.9"}),
    ("kidney disease again", {"N18.9"}),
]
# "pressure" is seen in three coded notes, all reporting I10 (a phrase vote only orders codes:
# I10 is ranked because a neighbour reports it)
VOTES = learn([({("pressure",)}, {"I10"}, set())] * 3, min_support=2, name="test-votes")
NO_ANNOTATIONS = Associations({}, {}, "none")
# E11.22 is reported in the coded corpus: a sibling of the E11.9 the pipeline finds
STATS = code_stats([({"E11.22"}, set()), ({"J18.9"}, {"J18.9"})])


def _model() -> LearnedModel:
    named = {"final": 2.0, "vote_wide": 1.0, "phrase_precision": 1.0, "category_sibling": 0.5}
    weights = tuple(named.get(n, 0.0) for n in FEATURES) + (0.0,) * len(INTERACTIONS)
    ranker = Ranker(weights, {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    return LearnedModel(
        ranker, build_index(CORPUS), VOTES, NO_ANNOTATIONS, TitleStems(TERMINOLOGY)
    )


def test_phrase_vote_spans_point_at_the_words_of_the_note() -> None:
    spans = phrase_vote_spans(VOTES, NOTE)
    span, precision = spans["I10"]
    assert NOTE[span.start : span.end] == span.text == "pressure"
    assert precision == 1.0


def test_learned_only_codes_come_apart_with_their_sources() -> None:
    result = suggest(NoteInput(NOTE, setting="inpatient"), ENGINE)
    finals = {s.code for s in result.suggestions}
    assert {"J18.9", "E11.9"} <= finals
    ranked = rank_note(NOTE, result, _model(), TERMINOLOGY)
    consider = {c.code: c for c in ranked.also_consider}
    assert set(consider) == {"Z80.3", "S82.20", "I10", "E11.22"}
    assert not finals & set(consider)  # a code with lexicon evidence is never "also consider"
    phrase, voted = consider["I10"].sources
    assert phrase.kind == "phrase_vote" and phrase.evidence[0].text == "pressure"
    assert (voted.kind, voted.notes) == ("neighbours", 1)
    (near,) = consider["Z80.3"].sources
    assert near.kind == "neighbours" and near.notes == 2
    assert near.similarity == pytest.approx(1.0)  # the same two words, same weights
    assert consider["S82.20"].sources[0].notes == 1
    assert not consider["S82.20"].billable  # a header: the coder picks a child
    (sibling,) = consider["E11.22"].sources
    assert (sibling.kind, sibling.sibling_of) == ("category_sibling", "E11.9")
    scores = [c.score for c in ranked.also_consider]
    assert scores == sorted(scores, reverse=True)
    assert consider["Z80.3"].score > consider["S82.20"].score  # whole vote beats half


def test_ranked_json_orders_finals_by_score_and_lists_sources_by_kind() -> None:
    result = suggest(NoteInput(NOTE, setting="inpatient"), ENGINE)
    data = ranked_dict(rank_note(NOTE, result, _model(), TERMINOLOGY))
    json.dumps(data)  # plain values only
    assert data["ranker"] == "codiesp"
    scores = [s["score"] for s in data["suggestions"]]
    assert scores == sorted(scores, reverse=True)
    assert {s["rank"] for s in data["suggestions"]} == set(range(1, len(scores) + 1))
    assert all("score" in s for s in data["set_aside"])
    by_code = {c["code"]: c for c in data["also_consider"]}
    assert by_code["I10"]["sources"][:1] == [
        {
            "kind": "phrase_vote",
            "precision": 1.0,
            "evidence": [
                {
                    "start": NOTE.index("pressure"),
                    "end": NOTE.index("pressure") + 8,
                    "text": "pressure",
                }
            ],
        }
    ]
    assert by_code["Z80.3"]["sources"] == [{"kind": "neighbours", "notes": 2, "similarity": 1.0}]
    assert by_code["E11.22"]["sources"] == [{"kind": "category_sibling", "sibling_of": "E11.9"}]
    assert by_code["S82.20"]["billable"] is False


def test_a_code_only_its_word_cue_proposes_points_at_the_word() -> None:
    # in the coded corpus, N18.9 is reported in every note holding "raised" (stem "raise")
    cues = learn_cues([(frozenset({"raise"}), {"N18.9"})] * 3 + [(frozenset({"other"}), set())] * 3)
    named = {"final": 2.0, "cue_present": 1.0}
    weights = tuple(named.get(n, 0.0) for n in FEATURES) + (0.0,) * len(INTERACTIONS)
    ranker = Ranker(weights, {}, 0.5, (1, 2), 1.0, 0.3, STATS, cues)
    model = LearnedModel(
        ranker, build_index(CORPUS), VOTES, NO_ANNOTATIONS, TitleStems(TERMINOLOGY)
    )
    result = suggest(NoteInput(NOTE, setting="inpatient"), ENGINE)
    consider = {c.code: c for c in rank_note(NOTE, result, model, TERMINOLOGY).also_consider}
    (cue,) = consider["N18.9"].sources
    assert cue.kind == "word_cue"
    assert cue.evidence[0].text == "raised" == NOTE[cue.evidence[0].start : cue.evidence[0].end]
    assert cue.precision == pytest.approx((3 + 2 * 0.5) / (3 + 2))  # smoothed share
    data = ranked_dict(rank_note(NOTE, result, model, TERMINOLOGY))
    by_code = {c["code"]: c for c in data["also_consider"]}
    assert by_code["N18.9"]["sources"][0]["kind"] == "word_cue"


def test_an_annotated_phrase_points_at_the_words_of_the_note() -> None:
    # annotators marked "blood pressure raised" as N18.9's evidence in half the coded notes
    # holding it (not plausible clinically: a worked example)
    key = ("blood", "pressure", "raised")
    annotated = Associations(
        {key: (Association("N18.9", 0.5, 1),)}, {}, "test-annotated"
    )
    named = {"final": 2.0, "annotated_precision": 2.0}
    weights = tuple(named.get(n, 0.0) for n in FEATURES) + (0.0,) * len(INTERACTIONS)
    ranker = Ranker(weights, {}, 0.5, (1, 2), 1.0, 0.3, STATS)
    model = LearnedModel(ranker, build_index(CORPUS), VOTES, annotated, TitleStems(TERMINOLOGY))
    result = suggest(NoteInput(NOTE, setting="inpatient"), ENGINE)
    consider = {c.code: c for c in rank_note(NOTE, result, model, TERMINOLOGY).also_consider}
    (marked,) = consider["N18.9"].sources
    assert marked.kind == "annotated_phrase" and marked.precision == 0.5
    span = marked.evidence[0]
    assert span.text == "Blood pressure raised" == NOTE[span.start : span.end]
    data = ranked_dict(rank_note(NOTE, result, model, TERMINOLOGY))
    by_code = {c["code"]: c for c in data["also_consider"]}
    assert by_code["N18.9"]["sources"][0]["kind"] == "annotated_phrase"
