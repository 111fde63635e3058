from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.codesets.edits.ptp import (
    NCCI_BYPASS_MODIFIERS,
    PtpBuilder,
    PtpEdit,
    PtpTable,
    bypassable,
    denies,
)
from openrcm.codesets.edits.store import edits_dir, load_ptp


def small_table() -> PtpTable:
    b = PtpBuilder()
    b.add("29881", "29880", date(1996, 1, 1), date(2021, 12, 31), 0, "Mutually exclusive", True)
    b.add("29881", "29880", date(2022, 1, 1), None, 1, "More extensive procedure")
    b.add("20610", "76942", date(2015, 1, 1), None, 0, "CPT Manual")
    b.add("11042", "97597", None, None, 1, "CPT Manual")
    b.add("36415", "99213", date(2024, 1, 1), date(2024, 3, 31), 9, "Misuse")
    b.add("0007U", "0328U", None, date(2023, 6, 30), 0, "Definition")
    b.add("0007U", "0328U", None, None, 1, "Misuse")
    return b.build("practitioner", "test")


def edit(mi: int) -> PtpEdit:
    return PtpEdit("11042", "97597", None, None, mi, "r")


def test_lookup_is_directional_and_dated() -> None:
    table = small_table()
    assert len(table) == 7
    hit = table.edits_for("20610", "76942", date(2024, 8, 1))
    assert hit is not None and hit.modifier_indicator == 0 and hit.rationale == "CPT Manual"
    assert table.edits_for("76942", "20610", date(2024, 8, 1)) is None
    assert table.edit_between("76942", "20610", date(2024, 8, 1)) == hit
    assert table.edits_for("20610", "76942", date(2014, 12, 31)) is None
    assert table.edits_for("99213", "99214", date(2024, 8, 1)) is None


def test_the_row_in_effect_on_the_date_answers() -> None:
    table = small_table()
    old = table.edits_for("29881", "29880", date(2021, 12, 31))
    new = table.edits_for("29881", "29880", date(2022, 1, 1))
    assert old is not None and old.modifier_indicator == 0 and old.prior_1996
    assert new is not None and new.modifier_indicator == 1 and not new.prior_1996
    assert new.effective == date(2022, 1, 1) and new.deletion is None


def test_unknown_effective_dates_pick_the_row_ending_soonest() -> None:
    table = small_table()
    early = table.edits_for("0007U", "0328U", date(2023, 1, 1))
    late = table.edits_for("0007U", "0328U", date(2023, 7, 1))
    assert early is not None and early.modifier_indicator == 0
    assert late is not None and late.modifier_indicator == 1
    assert len(table.history("0007U", "0328U")) == 2


def test_deleted_edit_does_not_apply_after_its_deletion_date() -> None:
    table = small_table()
    assert table.edits_for("36415", "99213", date(2024, 3, 31)) is not None
    assert table.edits_for("36415", "99213", date(2024, 4, 1)) is None


def test_modifier_indicator_0_is_never_bypassed() -> None:
    assert not bypassable(edit(0), ["59", "XU", "25"])
    assert denies(edit(0), ["59"])


def test_modifier_indicator_1_is_bypassed_by_ncci_modifiers_only() -> None:
    for modifier in ("59", "XE", "XS", "XP", "XU", "LT", "RT", "F5", "T9", "25", "91", "E4"):
        assert bypassable(edit(1), ["GT", modifier]), modifier
        assert not denies(edit(1), [modifier])
    assert not bypassable(edit(1), ["GT", "26", "TC", "76"])
    assert denies(edit(1), [])
    assert bypassable(edit(1), [" xu"])


def test_modifier_indicator_9_never_denies() -> None:
    assert not bypassable(edit(9), ["59"])
    assert not denies(edit(9), [])


def test_bypass_list_matches_the_ncci_list() -> None:
    assert {"59", "XE", "XS", "XP", "XU", "24", "25", "27", "57", "78", "79", "91"} <= (
        NCCI_BYPASS_MODIFIERS
    )
    assert "26" not in NCCI_BYPASS_MODIFIERS and "76" not in NCCI_BYPASS_MODIFIERS
    assert len(NCCI_BYPASS_MODIFIERS) == 14 + 8 + 9 + 13


def test_builder_rejects_bad_rows() -> None:
    b = PtpBuilder()
    with pytest.raises(ValueError, match="modifier indicator"):
        b.add("11042", "97597", None, None, 2, "r")
    with pytest.raises(ValueError, match="HCPCS/CPT"):
        b.add("1104", "97597", None, None, 1, "r")


def test_compiled_bytes_round_trip() -> None:
    table = small_table()
    again = PtpTable.from_bytes(table.to_bytes())
    assert len(again) == len(table) and again.release == "test"
    for c1, c2 in [("29881", "29880"), ("0007U", "0328U"), ("36415", "99213")]:
        assert again.history(c1, c2) == table.history(c1, c2)


def test_compiled_bytes_refuse_truncation_and_foreign_files() -> None:
    data = small_table().to_bytes()
    with pytest.raises(ValueError, match="truncated"):
        PtpTable.from_bytes(data[:-3])
    with pytest.raises(ValueError, match="not a compiled"):
        PtpTable.from_bytes(b"hello world")


def test_column2_codes_lists_components() -> None:
    assert small_table().column2_codes("29881", date(2024, 1, 1)) == ("29880",)


pairs = st.tuples(
    st.sampled_from(["11042", "97597", "20610", "76942", "J3301", "0001A"]),
    st.sampled_from(["11042", "97597", "20610", "76942", "J3301", "0001A"]),
    st.integers(0, 2),
    st.sampled_from([0, 1, 9]),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(pairs, max_size=30), st.integers(0, 3))
def test_table_agrees_with_a_naive_scan(rows: list[tuple[str, str, int, int]], year: int) -> None:
    ends: list[date | None] = [date(2020, 12, 31), date(2022, 12, 31), None]
    last = [e or date.max for e in ends]
    b = PtpBuilder()
    for c1, c2, end, mi in rows:
        b.add(c1, c2, None, ends[end], mi, "r")
    table = b.build("practitioner", "t")
    on = date(2020 + year, 6, 1)
    for c1, c2, _, _ in rows:
        live = [(last[e], mi) for a, z, e, mi in rows if (a, z) == (c1, c2) and on <= last[e]]
        found = table.edits_for(c1, c2, on)
        if not live:
            assert found is None
        else:
            assert found is not None
            assert (found.deletion or date.max) == min(live)[0]


def test_shipped_practitioner_table(practitioner_ptp: PtpTable) -> None:
    table = practitioner_ptp
    assert len(table) == 2_546_017
    assert table.release == "2024Q3"
    on = date(2024, 7, 1)
    hit = table.edits_for("11042", "97597", on)
    assert hit is not None and hit.modifier_indicator == 1 and hit.deletion is None
    assert hit.rationale == "CPT Manual or CMS manual coding instruction"
    assert table.edits_for("0001A", "0591T", date(2023, 12, 31)) is not None
    assert table.edits_for("0001A", "0591T", date(2024, 1, 1)) is None
    swapped = table.edits_for("0007U", "0328U", on)
    assert swapped is not None and swapped.modifier_indicator == 1
    earlier = table.edits_for("0007U", "0328U", date(2023, 1, 1))
    assert earlier is not None and earlier.modifier_indicator == 0


def test_shipped_table_loads_from_its_cache(practitioner_ptp: PtpTable, shipped_home: Path) -> None:
    cached = list((edits_dir(shipped_home) / "cache").glob("ptp-practitioner-*.bin"))
    assert len(cached) == 1
    again = load_ptp("practitioner", shipped_home)
    assert len(again) == len(practitioner_ptp)
    assert again.history("0007U", "0328U") == practitioner_ptp.history("0007U", "0328U")


def test_edits_among_finds_every_pair_of_a_claim() -> None:
    table = small_table()
    on = date(2024, 8, 1)
    found = table.edits_among(["29880", "29881", "99213", "20610", "76942", "29881"], on)
    assert {(e.column1, e.column2) for e in found} == {("29881", "29880"), ("20610", "76942")}
    assert table.edits_among(["99213", "99214"], on) == ()
    with pytest.raises(ValueError, match="HCPCS/CPT"):
        table.edits_among(["99213", "992"], on)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(["11042", "97597", "20610", "76942", "29881", "29880"]), max_size=6)
)
def test_edits_among_agrees_with_pairwise_lookups(codes: list[str]) -> None:
    table = small_table()
    on = date(2021, 6, 1)
    expected = {
        e
        for a in set(codes)
        for b in set(codes)
        if a != b
        for e in [table.edits_for(a, b, on)]
        if e is not None
    }
    assert set(table.edits_among(codes, on)) == expected


@pytest.mark.slow
def test_shipped_outpatient_table(shipped_home: Path) -> None:
    table = load_ptp("outpatient", shipped_home)
    assert len(table) == 1_775_818 and table.setting == "outpatient"
    hit = table.edits_for("0001A", "0591T", date(2023, 12, 31))
    assert hit is not None and hit.deletion == date(2023, 12, 31)
    with pytest.raises(KeyError, match="unknown setting"):
        load_ptp("dme", shipped_home)
