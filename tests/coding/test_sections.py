from __future__ import annotations

import itertools

import pytest

from openrcm.coding.sections import parse_section_rules, section_at, split_sections
from openrcm.coding.sentences import split_sentences

NOTE = """Chief Complaint: cough for 3 days
History of Present Illness: 40 year old woman with cough.
PMH: asthma
Past Surgical History: appendectomy
Family History: father had colon cancer
Social History: never smoker
ROS: negative for fever
Medications: albuterol
Allergies: none
Physical Exam: wheezes bilaterally
Labs: WBC 9
Assessment and Plan: acute bronchitis. Plan: rest.
"""


def test_every_header_is_recognised_in_order() -> None:
    names = [s.name for s in split_sections(NOTE)]
    assert names == [
        "chief_complaint",
        "hpi",
        "past_medical_history",
        "past_surgical_history",
        "family_history",
        "social_history",
        "review_of_systems",
        "medications",
        "allergies",
        "physical_exam",
        "results",
        "assessment",
    ]


def test_sections_tile_the_note_and_header_offsets_point_at_the_words() -> None:
    sections = split_sections(NOTE)
    assert sections[0].start == 0
    assert sections[-1].end == len(NOTE)
    for a, b in itertools.pairwise(sections):
        assert a.end == b.start
    for s in sections:
        assert s.header is not None
        assert NOTE[s.header.start : s.header.end] == s.header.text


def test_family_and_past_history_sections_imply_context() -> None:
    sections = {s.name: s for s in split_sections(NOTE)}
    assert sections["family_history"].implies == ("family",)
    assert sections["past_medical_history"].implies == ("historical",)
    assert sections["hpi"].implies == ()


def test_text_before_any_header_is_body() -> None:
    note = "Seen today for knee pain.\nAssessment: osteoarthritis"
    sections = split_sections(note)
    assert [s.name for s in sections] == ["body", "assessment"]
    assert section_at(sections, 3).name == "body"


def test_a_sentence_starting_with_a_header_word_is_not_a_header() -> None:
    note = "History shows that the patient improved after treatment with antibiotics."
    assert [s.name for s in split_sections(note)] == ["body"]


def test_a_bare_title_line_is_a_header() -> None:
    note = "ASSESSMENT\nType 2 diabetes"
    assert [s.name for s in split_sections(note)] == ["assessment"]


def test_bad_rules_say_which_entry() -> None:
    with pytest.raises(ValueError, match="entry 1"):
        parse_section_rules({"sections": [{"name": "a", "headers": ["a"]}, {"name": "b"}]})


def test_sentences_split_on_stops_and_lines_but_not_abbreviations() -> None:
    note = "Seen by Dr. Jones today. Cough improved.\n- wheeze\n- fever"
    sentences = split_sentences(note, split_sections(note))
    assert [note[s.start : s.end] for s in sentences] == [
        "Seen by Dr. Jones today.",
        "Cough improved.",
        "- wheeze",
        "- fever",
    ]


def test_sentences_do_not_cross_sections() -> None:
    sentences = split_sentences(NOTE, split_sections(NOTE))
    texts = [NOTE[s.start : s.end] for s in sentences]
    assert "acute bronchitis." in texts
    assert all("\n" not in t for t in texts)
    # A header word in mid-line ("... Plan: rest.") does not open a section.
    assert next(s for s in sentences if NOTE[s.start : s.end] == "Plan: rest.").section == (
        "assessment"
    )
