from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from openrcm.codesets.importers import ImportFailed, registry
from openrcm.codesets.reference.codelist import DEACTIVATED, UNASSIGNED
from openrcm.codesets.reference.hcpcs_fixed import FIELDS, RECORD_LENGTH
from openrcm.codesets.reference.importers import importers
from openrcm.codesets.reference.lists import load, reference_dir
from tests.codesets.reference.hcpcs_records import sample_records

FIXTURES = Path(__file__).parent / "fixtures"
RUN = {imp.kind: imp.run for imp in importers()}


def test_registry_lists_the_reference_importers() -> None:
    kinds = set(registry())
    assert {"carc", "rarc", "taxonomy", "pos", "hcpcs", "cpt"} <= kinds
    assert "ncci-ptp-practitioner" in kinds


def test_x12_carc_list_imports_with_stop_dates(tmp_path: Path) -> None:
    summary = RUN["carc"](FIXTURES / "carc_x12_codelist.csv", tmp_path)
    assert summary.records == 3
    carc = load("carc", tmp_path)
    assert len(carc) == 3 and carc.release == "carc_x12_codelist"
    c15 = carc.get("15")
    assert c15 is not None and c15.status == DEACTIVATED and c15.end == date(2018, 4, 30)
    assert carc.lookup("45", date(2024, 1, 1)) is not None
    assert load("rarc", tmp_path).get("M1") is not None  # other lists untouched


def test_corrupt_import_names_file_and_line_and_keeps_previous(tmp_path: Path) -> None:
    RUN["carc"](FIXTURES / "carc_x12_codelist.csv", tmp_path)
    compiled = reference_dir(tmp_path) / "carc.json"
    before = compiled.read_bytes()
    with pytest.raises(ImportFailed, match=r"carc_corrupt\.csv, line 3: .*13/45/1995"):
        RUN["carc"](FIXTURES / "carc_corrupt.csv", tmp_path)
    assert compiled.read_bytes() == before


def test_missing_columns_are_named(tmp_path: Path) -> None:
    source = tmp_path / "rarc.csv"
    source.write_text("Remark,Text\nM1,x\n")
    with pytest.raises(ImportFailed, match=r"line 1: missing column\(s\): code"):
        RUN["rarc"](source, tmp_path)


def test_nucc_taxonomy_csv(tmp_path: Path) -> None:
    assert RUN["taxonomy"](FIXTURES / "nucc_taxonomy_sample.csv", tmp_path).records == 4
    fm = load("taxonomy", tmp_path).get("207Q00000X")
    assert fm is not None and fm.description == "Family Medicine Physician"
    with pytest.raises(ImportFailed, match=r"nucc_corrupt\.csv, line 2: not a NUCC"):
        RUN["taxonomy"](FIXTURES / "nucc_corrupt.csv", tmp_path)


def test_cms_pos_csv(tmp_path: Path) -> None:
    assert RUN["pos"](FIXTURES / "pos_cms.csv", tmp_path).records == 3
    pos = load("pos", tmp_path)
    office = pos.get("11")
    assert office is not None and office.attributes == {"name": "Office", "facility": "N"}
    reserved = pos.get("28")
    assert reserved is not None and reserved.status == UNASSIGNED


def test_hcpcs_fixed_width_record_layout(tmp_path: Path) -> None:
    sample = FIXTURES / "HCPC2024_JUL_ANWEB_sample.txt"
    assert all(len(line) == RECORD_LENGTH for line in sample.read_text().splitlines())
    summary = RUN["hcpcs"](sample, tmp_path)
    assert summary.records == 3 and summary.notes == ("1 modifiers replace the modifier list",)
    hcpcs = load("hcpcs", tmp_path)
    j3301 = hcpcs.get("J3301")
    assert j3301 is not None
    assert j3301.description.endswith("synthetic test record that runs past eighty")
    assert j3301.attributes["short_description"] == "Triamcinolone acet inj NOS"
    assert j3301.start == date(2000, 1, 1)
    assert hcpcs.lookup("A4397", date(2022, 1, 1)) is None
    assert hcpcs.lookup("A4397", date(2021, 12, 31)) is not None
    assert "KX" not in hcpcs
    kx = load("modifier", tmp_path).get("KX")
    assert kx is not None
    assert kx.description == (
        "Requirements specified in the medical policy have been met (continued modifier text)"
    )


def test_sample_fixture_is_what_the_record_writer_makes() -> None:
    sample = (FIXTURES / "HCPC2024_JUL_ANWEB_sample.txt").read_text().splitlines()
    assert sample == sample_records()


def test_hcpcs_layout_positions_are_consistent() -> None:
    spans = sorted(FIELDS.values())
    assert all(a[1] < b[0] for a, b in pairwise(spans))
    assert spans[-1][1] <= RECORD_LENGTH


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("HCPC_corrupt_short.txt", r"line 3: record is 200 characters"),
        ("HCPC_corrupt_orphan.txt", r"line 1: continuation of 'J3301'"),
    ],
)
def test_corrupt_hcpcs_files(tmp_path: Path, name: str, what: str) -> None:
    RUN["hcpcs"](FIXTURES / "HCPC2024_JUL_ANWEB_sample.txt", tmp_path)
    before = (reference_dir(tmp_path) / "hcpcs.json").read_bytes()
    with pytest.raises(ImportFailed, match=what):
        RUN["hcpcs"](FIXTURES / name, tmp_path)
    assert (reference_dir(tmp_path) / "hcpcs.json").read_bytes() == before


def test_hcpcs_csv_form(tmp_path: Path) -> None:
    source = tmp_path / "HCPC2025_JAN_ANWEB.csv"
    source.write_text(
        "HCPC,SEQNUM,RECID,LONG_DESCRIPTION,SHORT_DESCRIPTION,ADD_DT,ACT_EFF_DT,TERM_DT,ACTION_CD\n"
        "G0439,00100,3,Annual wellness visit,Ppps subseq visit,20110101,20110101,,N\n"
        "A4397,00100,3,Irrigation sleeve,Irrigation sleeve,19900101,20220101,20211231,D\n"
    )
    assert RUN["hcpcs"](source, tmp_path).records == 2
    assert load("hcpcs", tmp_path).lookup("A4397", date(2022, 1, 1)) is None


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("cpt_tab.txt", {"99213", "1000F", "0042T"}),
        ("cpt_pipe.txt", {"99213", "0001U"}),
        ("cpt_space.txt", {"99213", "99214"}),
    ],
)
def test_cpt_layouts(tmp_path: Path, name: str, codes: set[str]) -> None:
    assert RUN["cpt"](FIXTURES / name, tmp_path).records == len(codes)
    cpt = load("cpt", tmp_path)
    assert {e.code for e in cpt} == codes
    visit = cpt.get("99213")
    assert visit is not None and visit.attributes["category"] == "1"
    assert visit.description.startswith("Synthetic")


def test_cpt_is_empty_until_imported_and_corrupt_file_is_refused(tmp_path: Path) -> None:
    assert len(load("cpt", tmp_path)) == 0
    with pytest.raises(ImportFailed, match=r"cpt_corrupt\.txt, line 2: not a CPT code"):
        RUN["cpt"](FIXTURES / "cpt_corrupt.txt", tmp_path)
    assert not (reference_dir(tmp_path) / "cpt.json").exists()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        RUN["pos"](tmp_path / "none.csv", tmp_path)
