from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from openrcm.codesets.edits.importers import effective_from_name, importers
from openrcm.codesets.edits.store import edits_dir, load_aoc, load_mue, load_ptp
from openrcm.codesets.importers import ImportFailed
from tests.codesets.edits.conftest import FIXTURES

RUN = {imp.kind: imp.run for imp in importers()}


def test_every_ncci_kind_is_registered() -> None:
    assert set(RUN) == {
        "ncci-ptp-practitioner",
        "ncci-ptp-outpatient",
        "ncci-mue-practitioner",
        "ncci-mue-outpatient",
        "ncci-mue-dme",
        "ncci-aoc",
        "mce",
    }


def test_cms_ptp_text_file_imports_and_takes_precedence(tmp_path: Path) -> None:
    summary = RUN["ncci-ptp-practitioner"](FIXTURES / "ccipra_v302r0_f1.txt", tmp_path)
    assert summary.records == 5 and summary.release == "ccipra_v302r0_f1"
    table = load_ptp("practitioner", tmp_path)
    assert len(table) == 5
    hit = table.edits_for("11042", "97597", date(2024, 7, 1))
    assert hit is not None and hit.effective == date(2009, 1, 1) and hit.deletion is None
    old = table.edits_for("29881", "29880", date(2020, 1, 1))
    assert old is not None and old.prior_1996 and old.modifier_indicator == 0
    assert table.edits_for("20610", "76942", date(2014, 12, 31)) is None
    # retroactively deleted (deletion before effective): kept, never in effect
    assert table.edits_for("36415", "99213", date(2024, 1, 1)) is None
    assert len(table.history("36415", "99213")) == 1


def test_cms_ptp_release_from_a_folder_or_zip_reads_every_part(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    for name in ("ccipra_v302r0_f1.txt", "ccipra_v302r0_f2.txt"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    archive = tmp_path / "ccipra_v302r0.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in ("ccipra_v302r0_f1.txt", "ccipra_v302r0_f2.txt"):
            z.write(FIXTURES / name, name)
    for source in (folder, archive):
        home = tmp_path / f"home-{source.name}"
        assert RUN["ncci-ptp-outpatient"](source, home).records == 6
        table = load_ptp("outpatient", home)
        assert table.edits_for("93000", "93005", date(2000, 1, 1)) is not None


def test_corrupt_ptp_file_names_file_and_line_and_keeps_previous(tmp_path: Path) -> None:
    RUN["ncci-ptp-practitioner"](FIXTURES / "ccipra_v302r0_f1.txt", tmp_path)
    compiled = edits_dir(tmp_path) / "ptp-practitioner.bin"
    before = compiled.read_bytes()
    with pytest.raises(ImportFailed, match=r"ccipra_corrupt_date\.txt, line 4: .*2015-13-01"):
        RUN["ncci-ptp-practitioner"](FIXTURES / "ccipra_corrupt_date.txt", tmp_path)
    assert compiled.read_bytes() == before


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("header\n11042\t97597\t\t20090101\t*\t3\tX\n", "modifier indicator"),
        ("header\n11042\t97597\t\t20090101\t*\t1\tX\nthis is not a row\n", "line 3: not a PTP"),
        ("header\n11042\t97597\t#\t20090101\t*\t1\tX\n", "prior-to-1996"),
        ("header\n11042\t97597\t\t\t*\t1\tX\n", "effective date is missing"),
        ("", "empty"),
        ("just\nwords\n", "no PTP edit rows"),
        (
            '"column1","column2","deletion_date","modifier_indicator","ptp_edit_rationale"\n'
            '"11042","97597","9999-12-31"\n',
            "line 2: expected 5 columns",
        ),
    ],
)
def test_bad_ptp_rows_are_refused(tmp_path: Path, body: str, what: str) -> None:
    source = tmp_path / "bad.txt"
    source.write_text(body)
    with pytest.raises(ImportFailed, match=what):
        RUN["ncci-ptp-practitioner"](source, tmp_path / "home")
    assert not (edits_dir(tmp_path / "home") / "ptp-practitioner.bin").exists()


def test_column_layout_imports_too(tmp_path: Path) -> None:
    source = tmp_path / "ptp.csv"
    source.write_text(
        '"column1","column2","deletion_date","modifier_indicator","ptp_edit_rationale"\n'
        '"11042","97597","9999-12-31",1,"CPT Manual"\n'
        '"11042","97598","2019-12-31",0,"CPT Manual"\n'
    )
    assert RUN["ncci-ptp-practitioner"](source, tmp_path).records == 2
    table = load_ptp("practitioner", tmp_path)
    assert table.edits_for("11042", "97598", date(2020, 1, 1)) is None


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        RUN["ncci-aoc"](tmp_path / "nope.txt", tmp_path)


def test_cms_mue_csv_imports_with_its_effective_date(tmp_path: Path) -> None:
    source = FIXTURES / "MCR_MUE_PractitionerServices_Eff_10-01-2024.csv"
    summary = RUN["ncci-mue-practitioner"](source, tmp_path)
    assert summary.records == 4 and summary.notes == ()
    mue = load_mue(tmp_path)
    limit = mue.limit("J3301", "practitioner", date(2024, 10, 1))
    assert limit is not None and limit.units == 16 and limit.mai == 3 and not limit.per_line
    line = mue.limit("36415", "practitioner", date(2024, 10, 1))
    assert line is not None and line.per_line
    # the other settings still answer from the shipped release
    assert mue.count("outpatient") == 14_628


def test_corrupt_mue_file_names_line_and_keeps_previous(tmp_path: Path) -> None:
    good = FIXTURES / "MCR_MUE_PractitionerServices_Eff_10-01-2024.csv"
    RUN["ncci-mue-practitioner"](good, tmp_path)
    compiled = edits_dir(tmp_path) / "mue-practitioner.json"
    before = compiled.read_bytes()
    with pytest.raises(ImportFailed, match=r"MCR_MUE_corrupt\.csv, line 3: .*'two'"):
        RUN["ncci-mue-practitioner"](FIXTURES / "MCR_MUE_corrupt.csv", tmp_path)
    assert compiled.read_bytes() == before


def test_mue_without_date_in_name_says_so(tmp_path: Path) -> None:
    source = tmp_path / "dme.csv"
    source.write_text(
        '"HCPCS/CPT Code","DME Supplier Services MUE Values","MAI","R"\n'
        '"E0100",1,"3 Date of Service Edit: Clinical","Nature of equipment"\n'
    )
    summary = RUN["ncci-mue-dme"](source, tmp_path)
    assert summary.notes and "every date" in summary.notes[0]
    limit = load_mue(tmp_path).limit("E0100", "dme", date(1999, 1, 1))
    assert limit is not None and limit.units == 1


def test_effective_dates_in_cms_file_names() -> None:
    assert effective_from_name("MCR_MUE_Eff_07-01-2024.csv") == date(2024, 7, 1)
    assert effective_from_name("mue_2024-10-01.csv") == date(2024, 10, 1)
    assert effective_from_name("mue_20250101.csv") == date(2025, 1, 1)
    assert effective_from_name("mue.csv") is None


def test_cms_aoc_fixed_width_imports(tmp_path: Path) -> None:
    summary = RUN["ncci-aoc"](FIXTURES / "AOC_V2024Q3_MCR.txt", tmp_path)
    assert summary.records == 4
    aoc = load_aoc(tmp_path)
    assert aoc.primaries("20930", date(2024, 7, 1)) == {"22552"}
    assert aoc.primaries("20930", date(2016, 1, 1)) == {"22554"}
    assert aoc.primaries("20930", date(2020, 1, 1)) == {"22552", "22554"}
    assert aoc.edit_type("0054T") == 2 and aoc.primaries("0054T") == frozenset()
    assert aoc.edit_type("20705") == 3
    assert aoc.is_addon("20705", date(2019, 1, 1)) and not aoc.is_addon("20705", date(2018, 1, 1))


def test_corrupt_aoc_file_names_line_and_keeps_previous(tmp_path: Path) -> None:
    RUN["ncci-aoc"](FIXTURES / "AOC_V2024Q3_MCR.txt", tmp_path)
    compiled = edits_dir(tmp_path) / "aoc.json"
    before = compiled.read_bytes()
    with pytest.raises(ImportFailed, match=r"AOC_corrupt\.txt, line 3"):
        RUN["ncci-aoc"](FIXTURES / "AOC_corrupt.txt", tmp_path)
    assert compiled.read_bytes() == before


def test_cms_aoc_spreadsheet_form_saved_as_text(tmp_path: Path) -> None:
    source = tmp_path / "AOC_V2024Q3_MCR.tsv"
    source.write_text(
        "Add-on Code\tAdd-On Code Effective Date\tAdd-On Code Deletion Date\tPrimary Code\t"
        "Primary Code Effective Date\tPrimary Code Deletion Date\tAOC Edit Type\n"
        "20930\t20090101\t*\t22552\t20170101\t*\t1\n"
        "20930\t20090101\t*\t22554\t20090101\t20231231\t1\n"
        "0054T\t20100101\t*\tCCCCC\t\t\t2\n"
    )
    assert RUN["ncci-aoc"](source, tmp_path).records == 3
    aoc = load_aoc(tmp_path)
    assert aoc.primaries("20930", date(2024, 1, 1)) == {"22552"}
    assert aoc.primaries("20930", date(2016, 1, 1)) == {"22554"}
    assert aoc.edit_type("0054T") == 2
    bad = tmp_path / "bad.tsv"
    bad.write_text("Add-on Code\tPrimary Code\tAOC Edit Type\n20930\t22552\t4\n")
    with pytest.raises(ImportFailed, match=r"bad\.tsv, line 2: AOC edit type must be 1, 2 or 3"):
        RUN["ncci-aoc"](bad, tmp_path)
