"""Finding the English words behind CodiEsp's Spanish evidence spans, and what they teach."""

from __future__ import annotations

import pytest

from openrcm.coding.eval.alignment import (
    OFFSET_RATIO,
    AnnotatedNote,
    align,
    annotate,
    english_form,
    glossary,
    gold_code,
    learn_annotated,
    plain,
    sentences,
    similarity,
    spanish_form,
)
from openrcm.coding.eval.codiesp import Document, Evidence, _evidence, load_split

WORDS = {"dolor": ("pain",), "fiebre": ("fever",), "derecha": ("right",)}
NOTE = (
    "A 40-year-old man with fever and pain in the right renal fossa.\n"
    "Ultrasound showed right pyelocalyceal ectasia; the rest was normal.\n"
    "He had fever again after surgery."
)


def _at(words: str, text: str = NOTE) -> int:
    """The Spanish offset at which an English phrase of ``text`` is expected."""
    return round(text.index(words) * OFFSET_RATIO)


def _words(text: str, evidence: Evidence) -> list[str]:
    (found,) = align(text, [evidence], WORDS)
    return [text[t.start : t.end] for t in found.words]


@pytest.mark.parametrize(
    ("spanish", "english", "low"),
    [
        ("estenosis", "stenosis", 0.7),
        ("hipoestesia", "hypoesthesia", 0.7),
        ("paraplejia", "paraplegia", 0.9),
        ("pielocalicial", "pyelocalyceal", 0.7),
        ("hemangioma", "hemangioma", 1.0),
        ("infecciones", "infections", 0.7),
    ],
)
def test_cognates_are_recognised(spanish: str, english: str, low: float) -> None:
    assert similarity(spanish_form(spanish), english_form(english)) >= low


@pytest.mark.parametrize(
    ("spanish", "english"), [("dolor", "pain"), ("renal", "ren"), ("tos", "toe")]
)
def test_unrelated_or_short_words_are_not_cognates(spanish: str, english: str) -> None:
    assert similarity(spanish_form(spanish), english_form(english)) == 0.0


def test_plain_drops_case_and_accents() -> None:
    assert plain("Ecografía RENAL") == "ecografia renal"


def test_sentences_are_lines_cut_at_full_stops() -> None:
    text = "First one. Second one\nThird; fourth"
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "First one.",
        "Second one",
        "Third;",
        "fourth",
    ]


def test_cognates_find_the_evidence_in_the_sentence_near_the_spanish_offset() -> None:
    spanish = Evidence("n28.89", "ectasia pielocalicial", _at("pyelocalyceal"))
    assert _words(NOTE, spanish) == ["pyelocalyceal", "ectasia"]


def test_the_glossary_translates_words_that_are_not_cognates() -> None:
    spanish = Evidence("n23", "dolor en fosa renal derecha", _at("pain"))
    assert _words(NOTE, spanish) == ["pain", "right", "renal", "fossa"]


def test_the_place_decides_between_sentences_holding_the_same_words() -> None:
    first = Evidence("r50.9", "fiebre", _at("fever"))
    again = Evidence("r50.9", "fiebre", _at("fever again"))
    assert NOTE.index("fever") != NOTE.index("fever again")
    (one, two) = align(NOTE, [first, again], WORDS)
    assert (one.words[0].start, two.words[0].start) == (
        NOTE.index("fever"),
        NOTE.index("fever again"),
    )


def test_a_span_with_no_matching_word_gets_no_evidence() -> None:
    (found,) = align(NOTE, [Evidence("r52", "molestias", 10)], WORDS)
    assert found.words == ()


def test_gold_code_follows_the_mapping_of_the_raw_code() -> None:
    assert gold_code("q62.11", {"Q62.11", "N28.0"}) == "Q62.11"
    assert gold_code("r69.0", {"R69"}) == "R69"  # mapped to its ICD-10-CM parent
    assert gold_code("k35", {"K35.80"}) == "K35.80"  # mapped to its only child
    assert gold_code("z99.99", {"N28.0"}) is None


def test_annotated_phrases_carry_their_precision_and_support() -> None:
    marked = Document(
        "d1",
        "Fever with renal colic.",
        ("n23",),
        (Evidence("n23", "cólico renal", _at("renal colic", "Fever with renal colic.")),),
    )
    note = annotate(marked, {"N23"}, WORDS)
    assert note.pairs == {(("colic", "renal"), "N23")}
    # the same phrase in a second note, not marked there: half the notes holding it
    other = AnnotatedNote(frozenset(), frozenset({("colic", "renal"), ("fever",)}))
    learned = learn_annotated([note, other])
    (association,) = learned.lookup(("colic", "renal"))
    assert (association.code, association.precision, association.support) == ("N23", 0.5, 1)
    assert learned.lookup(("fever",)) == ()


def test_a_span_whose_code_is_not_gold_teaches_nothing() -> None:
    doc = Document("d1", "Renal colic.", ("n23",), (Evidence("n23", "cólico renal", 0),))
    assert annotate(doc, {"R52"}, WORDS).pairs == frozenset()


def test_glossary_keys_are_plain_spanish_words() -> None:
    words = glossary()
    assert words["dolor"] == ("pain", "painful")
    assert all(key == plain(key) and " " not in key for key in words)


def test_train_notes_carry_their_evidence_and_dev_notes_none() -> None:
    train = load_split("train")
    with_evidence = [d for d in train if d.evidence]
    assert len(with_evidence) == len(train)
    first = with_evidence[0]
    codes = {e.code.upper() for e in first.evidence}
    assert codes <= {c.upper() for c in first.gold}
    assert not any(d.evidence for d in load_split("dev"))


def test_a_malformed_evidence_position_names_the_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"trainX.tsv line 7: the position 'x y'"):
        _evidence(["d1", "DIAGNOSTICO", "n23", "dolor", "x y"], "trainX.tsv", 7)
