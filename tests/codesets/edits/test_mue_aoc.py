from __future__ import annotations

from datetime import date

import pytest

from openrcm.codesets.edits.aoc import AocEdit, AocTable
from openrcm.codesets.edits.mue import MueRelease, MueTable, NoEditRelease
from openrcm.codesets.edits.store import load_aoc, load_mue

ON = date(2024, 8, 1)


def test_shipped_mue_counts_and_rows() -> None:
    mue = load_mue()
    assert (mue.count("practitioner"), mue.count("outpatient"), mue.count("dme")) == (
        14_677,
        14_628,
        2_928,
    )
    limit = mue.limit("0001U", "practitioner", ON)
    assert limit is not None
    assert (limit.units, limit.mai, limit.release) == (1, 2, "2024Q3")
    assert limit.rationale == "Code Descriptor / CPT Instruction"
    dme = mue.limit("a4206", "dme", ON)
    assert dme is not None and dme.units == 0 and dme.code == "A4206"
    assert mue.limit("ZZZZZ", "practitioner", ON) is None


def test_mue_refuses_dates_before_the_release_and_unknown_settings() -> None:
    mue = load_mue()
    with pytest.raises(NoEditRelease, match="2024-06-30 precedes"):
        mue.limit("0001U", "practitioner", date(2024, 6, 30))
    with pytest.raises(KeyError, match="inpatient"):
        mue.limit("0001U", "inpatient", ON)
    empty = MueTable({})
    with pytest.raises(NoEditRelease):
        empty.limit("0001U", "dme", ON)


def test_mue_release_without_effective_date_answers_any_date() -> None:
    table = MueTable({"dme": MueRelease("dme", "x", None, {"E0100": (1, 3, "r")})})
    assert table.limit("E0100", "dme", date(1990, 1, 1)) is not None


def test_shipped_aoc_table() -> None:
    aoc = load_aoc()
    assert len(aoc) == 7_465
    assert "22552" in aoc.primaries("20930")
    assert aoc.edit_type("20930") == 1
    assert aoc.edit_type("0054T") == 2 and aoc.primaries("0054T") == frozenset()
    assert aoc.is_addon("20930") and not aoc.is_addon("99213")
    assert aoc.edit_type("99213") is None


def test_aoc_strictest_type_wins_and_dates_filter() -> None:
    aoc = AocTable(
        "t",
        [
            AocEdit("99999", "11111", 3, None, date(2020, 12, 31)),
            AocEdit("99999", "22222", 1, date(2021, 1, 1), None),
        ],
    )
    assert aoc.edit_type("99999") == 1
    assert aoc.edit_type("99999", date(2020, 6, 1)) == 3
    assert aoc.primaries("99999", date(2022, 1, 1)) == {"22222"}
