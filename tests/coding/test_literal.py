"""Codes and code ranges written in the note."""

from __future__ import annotations

from openrcm.coding.lexicon import build_lexicon
from openrcm.coding.literal import written_codes
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.terminology import CodeFacts, MemoryTerminology

from .terminology_fixture import TERMINOLOGY

FACTS = {
    **TERMINOLOGY.codes,
    "C18": CodeFacts(
        "C18",
        "Malignant neoplasm of colon",
        False,
        billable_children=("C18.0", "C18.2", "C18.9"),
    ),
    "C18.0": CodeFacts("C18.0", "Malignant neoplasm of cecum", True),
    "C18.2": CodeFacts("C18.2", "Malignant neoplasm of ascending colon", True),
    "E08": CodeFacts("E08", "Diabetes mellitus due to underlying condition", False),
    "E13": CodeFacts("E13", "Other specified diabetes mellitus", False),
}
TERMS = MemoryTerminology("TEST", FACTS, TERMINOLOGY.index, TERMINOLOGY.terms)
ENGINE = Engine(TERMS, build_lexicon(TERMS))


def found(text: str) -> list[tuple[str, str]]:
    return [(w.span.text, w.code) for w in written_codes(text, 0, len(text), TERMS)]


def test_single_codes_need_a_dot_or_a_billable_category() -> None:
    assert found("HTN (I10), diabetes E11.9.") == [("I10", "I10"), ("E11.9", "E11.9")]
    assert found("ICD-10: I10") == [("I10", "I10")]
    # a billable category with no cue reads as a name (p53 protein, 95th percentile)
    assert found("blood pressure > I10, no other finding") == []
    # a header without its dot, lower case, unknown codes and vitamin/vertebra names are not codes
    assert found("C18 seen; e11.9; Z99.99; vitamin B12 low; T12 fracture") == []


def test_a_range_stands_for_the_code_holding_both_ends() -> None:
    assert found("colon cancer C18.0-C18.9") == [("C18.0-C18.9", "C18")]
    assert found("C18.0 to C18.2 listed") == [("C18.0 to C18.2", "C18")]
    # ends in different categories name several conditions: not coded
    assert found("E08-E13 excluded") == []


def test_a_written_range_is_coded_to_the_unspecified_child_with_a_query() -> None:
    result = suggest(NoteInput("Assessment: C18.0-C18.9."), ENGINE)
    (hit,) = [s for s in result.suggestions if s.code.startswith("C18")]
    assert hit.code == "C18.9"
    assert hit.derivation.startswith("Code range written in the note: C18.0-C18.9")
    assert hit.evidence[0].text == "C18.0-C18.9"
    assert hit.queries


def test_a_written_code_is_evidence_and_keeps_its_context() -> None:
    result = suggest(NoteInput("Problem list: hypertension (I10).\nDenies E11.9."), ENGINE)
    assert "I10" in [s.code for s in result.suggestions]
    assert "E11.9" not in [s.code for s in result.suggestions]
    assert any(s.code == "E11.9" for s in result.set_aside)
