"""Encoder search quality on a handful of queries, and its errors."""

from __future__ import annotations

from datetime import date

import pytest

from openrcm.codesets.icd10cm import ICD10CM, DateOutsideReleases, EmptyQuery
from openrcm.codesets.icd10cm.search import expand, load_abbreviations

FY26 = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type 2 diabetes with chronic kidney disease", "E11.22"),
        ("DM2 with CKD", "E11.22"),
        ("htn", "I10"),
        ("essential hypertension", "I10"),
        ("kidney disease chronic stage 3a", "N18.31"),
        ("pneumonia", "J18.9"),
        ("uti", "N39.0"),
        ("urinary tract infections", "N39.0"),
        ("copd with acute exacerbation", "J44.1"),
        ("hyperlipidemia", "E78.5"),
        ("low back pain", "M54.50"),
        ("diabetis melitus type 2", "E11.9"),
        ("hypertensoin", "I10"),
    ],
)
def test_top_hit(cm: ICD10CM, query: str, expected: str) -> None:
    hits = cm.search(query, on=FY26, limit=5)
    assert hits[0].code == expected, [(h.code, h.matched) for h in hits]


def test_hits_carry_match_notes_and_children(cm: ICD10CM) -> None:
    hits = cm.search("type 2 diabetes with chronic kidney disease", on=FY26)
    top = hits[0]
    assert top.billable and top.source == "index"
    assert top.matched.startswith("index: Diabetes, diabetic")
    assert any(n.kind == "useAdditionalCode" and "N18" in n.text for n in top.notes)
    header = next(h for h in cm.search("malignant neoplasm of breast", on=FY26, limit=10)
                  if not h.billable)
    assert header.children and all(c.billable for c in header.children)


def test_search_by_date_never_offers_codes_of_a_later_release(cm: ICD10CM) -> None:
    later = {h.code for h in cm.search("type 2 diabetes in remission", on=FY26, limit=10)}
    assert "E11.A" in later
    earlier = {h.code for h in cm.search("type 2 diabetes in remission", on=date(2025, 6, 1),
                                         limit=10)}
    assert "E11.A" not in earlier


def test_table_hits_need_seventh_character(cm: ICD10CM) -> None:
    hits = cm.search("acetaminophen poisoning accidental", on=FY26, limit=3)
    assert hits[0].code == "T39.1X1" and not hits[0].billable
    assert [c.code for c in hits[0].children] == ["T39.1X1A", "T39.1X1D", "T39.1X1S"]


def test_abbreviations_expand_whole_words_only() -> None:
    table = load_abbreviations()
    assert expand("HTN and DM2", table) == "hypertension and type 2 diabetes mellitus"
    assert expand("shtn", table) == "shtn"


def test_search_errors(cm: ICD10CM) -> None:
    with pytest.raises(EmptyQuery):
        cm.search("   ", on=FY26)
    with pytest.raises(EmptyQuery, match="no searchable words"):
        cm.search("of the with", on=FY26)
    with pytest.raises(DateOutsideReleases):
        cm.search("asthma", on=date(2030, 1, 1))


def test_encounter_words_complete_the_seventh_character(cm: ICD10CM) -> None:
    hits = cm.search("closed fracture of left wrist initial encounter", on=FY26, limit=5)
    codes = [h.code for h in hits]
    assert "S62.102A" in codes
    hit = hits[codes.index("S62.102A")]
    assert hit.billable and hit.title.endswith("initial encounter for closed fracture")
    assert "7th character (initial encounter)" in hit.matched
    later = cm.search("sprain of right ankle subsequent encounter", on=FY26, limit=3)
    assert later[0].code == "S93.401D"


def test_header_hit_is_preceded_by_its_best_specific_code(cm: ICD10CM) -> None:
    hits = cm.search("cerumen impaction", on=FY26, limit=5)
    codes = [h.code for h in hits]
    assert codes[:2] == ["H61.20", "H61.2"]
    assert hits[0].billable and not hits[1].billable
    assert hits[0].matched.startswith("more specific code under H61.2")
    assert "H61.21" in {c.code for c in hits[1].children}
