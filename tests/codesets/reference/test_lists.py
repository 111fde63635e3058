from __future__ import annotations

from datetime import date

import pytest

from openrcm.codesets.reference.codelist import (
    CURRENT,
    DEACTIVATED,
    UNASSIGNED,
    CodeEntry,
    CodeList,
)
from openrcm.codesets.reference.formats import cpt_category, is_hcpcs_level2, procedure_code_kind
from openrcm.codesets.reference.lists import KINDS, effective_in_text, load


@pytest.mark.parametrize(
    ("kind", "total", "current"),
    [
        ("hcpcs", 8_033, 6_975),
        ("modifier", 383, 383),
        ("pos", 99, 52),
        ("carc", 407, 297),
        ("rarc", 1_216, 1_137),
        ("group", 5, 4),
        ("claim-status", 666, 666),
        ("claim-status-category", 45, 45),
        ("taxonomy", 883, 883),
        ("revenue", 523, 523),
        ("admit-source", 16, 16),
        ("admit-type", 9, 9),
        ("patient-status", 41, 41),
        ("poa", 4, 4),
        ("cpt", 0, 0),
    ],
)
def test_shipped_list_counts(kind: str, total: int, current: int) -> None:
    codes = load(kind)
    assert len(codes) == total
    assert codes.count(CURRENT) == current


def test_every_kind_loads() -> None:
    assert set(KINDS) >= {"hcpcs", "carc", "rarc", "pos", "modifier", "taxonomy", "cpt"}
    with pytest.raises(KeyError, match="unknown code list"):
        load("icd9")


def test_hcpcs_dates_and_fields() -> None:
    hcpcs = load("hcpcs")
    j3301 = hcpcs.lookup("j3301", date(2024, 8, 1))
    assert j3301 is not None and j3301.status == CURRENT
    assert "triamcinolone" in j3301.description.lower()
    termed = hcpcs.get("A4397")
    assert termed is not None and termed.end == date(2021, 12, 31)
    assert hcpcs.lookup("A4397", date(2021, 12, 31)) is not None
    assert hcpcs.lookup("A4397", date(2022, 1, 1)) is None
    assert hcpcs.lookup("A4397") is None
    a0021 = hcpcs.get("A0021")
    assert a0021 is not None and a0021.start == date(1985, 1, 1)
    assert a0021.attributes["short_description"] == "Outside state ambulance serv"
    noc = hcpcs.get("A0999")
    assert noc is not None and noc.attributes.get("noc") == "Y"


def test_carc_rarc_status_and_stop_dates() -> None:
    carc = load("carc")
    co45 = carc.lookup("45", date(2024, 8, 1))
    assert co45 is not None and "fee schedule" in co45.description.lower()
    deactivated = carc.get("15")
    assert deactivated is not None and deactivated.status == DEACTIVATED
    assert deactivated.end == date(2018, 4, 30)
    assert carc.lookup("15", date(2018, 4, 30)) is not None
    assert carc.lookup("15", date(2018, 5, 1)) is None
    rarc = load("rarc")
    assert rarc.lookup("N130", date(2024, 8, 1)) is not None
    m1 = rarc.get("M1")
    assert m1 is not None and m1.start == date(1997, 1, 1)


def test_group_codes() -> None:
    groups = load("group")
    assert {e.code for e in groups if e.status == CURRENT} == {"CO", "OA", "PI", "PR"}
    assert groups.lookup("CR") is None


def test_pos_facility_flag_and_unassigned() -> None:
    pos = load("pos")
    office = pos.lookup("11", date(2024, 8, 1))
    assert office is not None and office.attributes["facility"] == "N"
    inpatient = pos.get("21")
    assert inpatient is not None and inpatient.attributes["facility"] == "Y"
    telehealth = pos.get("02")
    assert telehealth is not None and telehealth.start == date(2017, 1, 1)
    assert pos.lookup("02", date(2016, 12, 31)) is None
    reserved = pos.get("28")
    assert reserved is not None and reserved.status == UNASSIGNED
    assert pos.lookup("28", date(2024, 8, 1)) is None


def test_modifiers_taxonomy_and_ub04() -> None:
    mods = load("modifier")
    assert "59" not in mods  # CPT modifiers are the AMA's
    kx = mods.get("KX")
    assert kx is not None and kx.attributes["category"] == "General; Therapy"
    assert mods.get("XU") is not None
    tax = load("taxonomy").get("207Q00000X")
    assert tax is not None and tax.attributes["classification"] == "Family Medicine"
    assert load("revenue").get("0450") is not None
    assert load("patient-status").get("01") is not None
    assert {e.code for e in load("poa")} >= {"Y", "N", "U", "W"}


def test_effective_in_text() -> None:
    assert effective_in_text("A clinic. (Effective October 1, 2003)") == date(2003, 10, 1)
    assert effective_in_text("No date here") is None


@pytest.mark.parametrize(
    ("code", "category"),
    [("99213", 1), ("0001U", 1), ("0001A", 1), ("0002M", 1), ("1000F", 2), ("0042T", 3)],
)
def test_cpt_shapes(code: str, category: int) -> None:
    assert cpt_category(code) == category
    assert procedure_code_kind(code) == f"cpt-{category}"


@pytest.mark.parametrize("code", ["9921", "992134", "J3301", "0042X", "ABCDE", ""])
def test_not_cpt_shapes(code: str) -> None:
    assert cpt_category(code) is None


def test_hcpcs_shape() -> None:
    assert is_hcpcs_level2("J3301") and is_hcpcs_level2("g0439")
    assert not is_hcpcs_level2("W1234") and not is_hcpcs_level2("99213")
    assert procedure_code_kind("J3301") == "hcpcs" and procedure_code_kind("X") is None


def test_code_list_rejects_unknown_status_and_round_trips() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        CodeList("x", "r", [CodeEntry("A", "a", "retired")])
    codes = CodeList(
        "x",
        "r",
        [CodeEntry("A1", "a", DEACTIVATED, date(2020, 1, 1), date(2021, 1, 1), {"k": "v"})],
    )
    again = CodeList.from_json(codes.to_json())
    assert again.get("a1") == codes.get("A1") and again.kind == "x"


def test_deactivated_without_end_is_never_valid() -> None:
    entry = CodeEntry("A", "a", DEACTIVATED)
    assert not entry.valid_on(date(2000, 1, 1))


def test_validity_says_why() -> None:
    hcpcs = load("hcpcs")
    on = date(2024, 8, 1)
    assert hcpcs.validity("J3301", on).valid
    ended = hcpcs.validity("A4397", on)
    assert (ended.valid, ended.reason) == (False, "ended")
    assert "2021-12-31" in ended.message
    assert hcpcs.validity("A0021", date(1984, 12, 31)).reason == "not-yet-effective"
    unknown = hcpcs.validity("Z9999", on)
    assert unknown.reason == "unknown" and unknown.entry is None
    assert load("pos").validity("28", on).reason == "unassigned"
    assert load("group").validity("CR", on).reason == "deactivated"
    carc = load("carc")
    assert carc.validity("15", date(2018, 4, 30)).valid
    assert carc.validity("15", date(2018, 5, 1)).reason == "ended"
