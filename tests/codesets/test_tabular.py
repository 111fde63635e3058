"""Hierarchy, inherited notes, 7th characters and date validity on the real releases."""

from __future__ import annotations

from datetime import date

import pytest

from openrcm.codesets.icd10cm import (
    ICD10CM,
    DateOutsideReleases,
    MalformedCode,
    UnknownCode,
)

FY25 = date(2025, 6, 1)
FY26 = date(2026, 3, 1)


def test_releases_have_fiscal_year_windows(cm: ICD10CM) -> None:
    names = [(r.name, r.effective_from, r.effective_to) for r in cm.releases]
    assert names == [
        ("FY2025", date(2024, 10, 1), date(2025, 9, 30)),
        ("FY2026", date(2025, 10, 1), date(2026, 9, 30)),
    ]
    assert cm.release_for(date(2025, 9, 30)).name == "FY2025"
    assert cm.release_for(date(2025, 10, 1)).name == "FY2026"


def test_hierarchy_of_a_leaf(cm: ICD10CM) -> None:
    info = cm.lookup("e1122", on=FY26)
    assert info.code == "E11.22"
    assert info.title == "Type 2 diabetes mellitus with diabetic chronic kidney disease"
    assert info.billable and info.level == "code"
    assert (info.chapter, info.block) == ("4", "E08-E13")
    assert [p.code for p in info.parents] == ["E11", "E11.2"]
    assert info.children == ()
    assert info.release == "FY2026"


def test_header_lists_children_and_is_not_billable(cm: ICD10CM) -> None:
    info = cm.lookup("E11.2", on=FY26)
    assert not info.billable and info.level == "subcategory"
    assert [c.code for c in info.children] == ["E11.21", "E11.22", "E11.29"]
    assert cm.lookup("E11", on=FY26).level == "category"


def test_inherited_notes_name_their_level(cm: ICD10CM) -> None:
    notes = cm.inherited_notes("E11.22", on=FY26)
    by = {(n.kind, n.level, n.source) for n in notes}
    assert ("excludes1", "chapter", "4") in by
    assert ("excludes1", "category", "E11") in by
    assert ("useAdditionalCode", "code", "E11.22") in by
    texts = [n.text for n in notes if n.source == "E11" and n.kind == "excludes1"]
    assert "type 1 diabetes mellitus (E10.-)" in texts
    # A block-level note reaches every code of the block (A15-A19 tuberculosis).
    block_notes = cm.inherited_notes("A15.0", on=FY26)
    assert any(
        n.level == "block" and n.source == "A15-A19" and n.kind == "excludes1" for n in block_notes
    )


def test_inclusion_terms_are_not_inherited(cm: ICD10CM) -> None:
    kinds = {(n.kind, n.source) for n in cm.inherited_notes("E08.321", on=FY26)}
    assert ("inclusionTerm", "E08.32") not in kinds
    assert any(n.kind == "inclusionTerm" for n in cm.inherited_notes("E08.32", on=FY26))


def test_seventh_character_generated_codes(cm: ICD10CM) -> None:
    leaf = cm.lookup("S52.501", on=FY26)
    assert not leaf.billable
    assert [c.code for c in leaf.children][:3] == ["S52.501A", "S52.501B", "S52.501C"]
    assert leaf.seventh_source == "S52" and not leaf.placeholder
    full = cm.lookup("S52.501A", on=FY26)
    assert full.billable and full.level == "code"
    assert full.title.endswith("initial encounter for closed fracture")
    assert full.parents[-1].code == "S52.501"


def test_placeholder_x_fills_short_codes(cm: ICD10CM) -> None:
    short = cm.lookup("S09.90", on=FY26)
    assert short.placeholder
    assert [c.code for c in short.children] == ["S09.90XA", "S09.90XD", "S09.90XS"]
    assert cm.validate("S09.90XA", on=FY26).status == "billable"
    wrong = cm.validate("S09.9XXA", on=FY26)
    assert wrong.status == "invalid"


def test_seventh_character_restriction_of_s06_death_codes(cm: ICD10CM) -> None:
    assert [c.code for c in cm.children("S06.347", on=FY26)] == ["S06.347A"]
    bad = cm.validate("S06.347D", on=FY26)
    assert bad.status == "invalid" and bad.reason_code == "ICD10CM-SEVENTH-INVALID"


def test_validate_statuses(cm: ICD10CM) -> None:
    assert cm.validate("E11.22", on=FY26).status == "billable"
    header = cm.validate("E11.2", on=FY26)
    assert header.status == "not-billable" and header.reason_code == "ICD10CM-HEADER"
    assert {s.code for s in header.suggestions} == {"E11.21", "E11.22", "E11.29"}
    finding = header.finding()
    assert finding is not None and finding.code == "ICD10CM-HEADER"
    seventh = cm.validate("S52.501", on=FY26)
    assert seventh.reason_code == "ICD10CM-SEVENTH-MISSING"
    malformed = cm.validate("E1", on=FY26)
    assert malformed.status == "invalid" and malformed.reason_code == "ICD10CM-MALFORMED"
    unknown = cm.validate("E11.99", on=FY26)
    assert unknown.reason_code == "ICD10CM-UNKNOWN" and "E11.99" in unknown.reason


def test_code_added_in_fy2026_is_invalid_before(cm: ICD10CM) -> None:
    # E11.A (type 2 diabetes in remission) was added in FY2026.
    assert cm.validate("E11.A", on=FY26).status == "billable"
    before = cm.validate("E11.A", on=FY25)
    assert before.status == "invalid"
    assert before.reason_code == "ICD10CM-NOT-YET-VALID"
    assert "2025-10-01" in before.reason
    info = cm.lookup("E11.A", on=FY26)
    assert (info.valid_from, info.valid_to) == (date(2025, 10, 1), date(2026, 9, 30))
    with pytest.raises(UnknownCode, match="not valid before 2025-10-01"):
        cm.lookup("E11.A", on=FY25)


def test_code_expanded_in_fy2026_stops_being_billable(cm: ICD10CM) -> None:
    # D71 was a billable code in FY2025 and became a category with children in FY2026.
    assert cm.validate("D71", on=FY25).status == "billable"
    after = cm.validate("D71", on=FY26)
    assert after.status == "not-billable"
    assert "D71.1" in {s.code for s in after.suggestions}


def test_bad_input_errors(cm: ICD10CM) -> None:
    with pytest.raises(DateOutsideReleases, match="2023-01-01 is outside every loaded"):
        cm.lookup("E11.22", on=date(2023, 1, 1))
    with pytest.raises(MalformedCode, match="E11-22"):
        cm.lookup("E11-22", on=FY26)
    with pytest.raises(UnknownCode, match=r"Z99\.999"):
        cm.lookup("Z99.999", on=FY26)
