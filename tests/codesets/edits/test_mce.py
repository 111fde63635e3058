from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openrcm.codesets.edits.importers import importers
from openrcm.codesets.edits.mce import (
    HEADER,
    MceTable,
    fiscal_year,
    fiscal_year_dates,
    load_mce,
)
from openrcm.codesets.edits.mue import NoEditRelease
from openrcm.codesets.edits.store import edits_dir
from openrcm.codesets.importers import ImportFailed

RUN = {imp.kind: imp.run for imp in importers()}


@pytest.fixture(scope="module")
def mce() -> MceTable:
    return load_mce()


def test_versions_map_to_fiscal_years(mce: MceTable) -> None:
    assert fiscal_year(33) == 2016 and fiscal_year(37) == 2020
    assert fiscal_year_dates(2016) == (date(2015, 10, 1), date(2016, 9, 30))
    assert [r.version for r in mce.releases] == [33, 34, 35, 36, 37]
    assert mce.release_for(date(2015, 10, 1)).version == 33
    assert mce.release_for(date(2019, 9, 30)).version == 36
    assert mce.release_for(date(2019, 10, 1)).version == 37


def test_shipped_list_sizes(mce: MceTable) -> None:
    sizes = {r.version: sum(len(t) for t in r.edits.values()) for r in mce.releases}
    assert sizes == {33: 12_718, 34: 12_472, 35: 14_009, 36: 14_127, 37: 14_153}


def test_age_sex_and_principal_edits(mce: MceTable) -> None:
    fy20 = date(2019, 11, 1)
    assert mce.edits("A33", fy20).edit_types == {"Newborn_Only"}
    assert mce.edits("O80", fy20).edit_types == {"Maternity_Only", "Female_Only"}
    assert mce.has("Male_Only", "N40.0", fy20)
    assert not mce.has("Female_Only", "N40.0", fy20)
    assert mce.edits("Z99.89", fy20).edit_types == {"Principal_Unacceptable"}
    assert mce.edits("J18.9", fy20).edit_types == frozenset()
    manifestation = mce.release_for(fy20).edits
    assert any("Principal_Manifestation" in t for t in manifestation.values())
    assert mce.edits("e84.11", fy20).edit_types == {"Newborn_Only"}


def test_dates_outside_the_versions(mce: MceTable) -> None:
    with pytest.raises(NoEditRelease, match="v33-v37"):
        mce.edits("A33", date(2024, 1, 1))
    with pytest.raises(NoEditRelease):
        mce.edits("A33", date(2015, 9, 30), latest_if_later=True)
    hit = mce.edits("A33", date(2024, 1, 1), latest_if_later=True)
    assert hit.version == 37 and hit.edit_types == {"Newborn_Only"}


def _mce_file(path: Path, rows: list[str]) -> Path:
    path.write_text("\t".join(HEADER) + "\n" + "\n".join(rows) + "\n")
    return path


def test_import_adds_a_version(tmp_path: Path) -> None:
    source = _mce_file(
        tmp_path / "MCE_Simple_Code_Edits_v41.txt",
        [
            "41\t10\t4\tA\tNewborn_Only\tD\tP0700\tSynthetic row",
            "41\t10\t5\tC\tMale_Only\tD\tN400\tx",
        ],
    )
    summary = RUN["mce"](source, tmp_path)
    assert summary.release == "v41 (FY2024)" and summary.records == 2
    mce = load_mce(tmp_path)
    assert mce.release_for(date(2024, 1, 1)).version == 41
    assert mce.has("Male_Only", "N40.0", date(2024, 1, 1))


def test_corrupt_mce_file_is_refused_and_nothing_written(tmp_path: Path) -> None:
    source = _mce_file(
        tmp_path / "bad.txt",
        ["41\t10\t4\tA\tNewborn_Only\tD\tP0700\tok", "41\t10\t4\tA\tNewborn_Only\tX\tP0701\tbad"],
    )
    with pytest.raises(ImportFailed, match=r"bad\.txt, line 3: code type must be D or P"):
        RUN["mce"](source, tmp_path)
    assert not list(edits_dir(tmp_path).glob("mce-*"))
    mixed = _mce_file(
        tmp_path / "mixed.txt", ["41\t10\t4\tA\tA\tD\tP0700\tx", "40\t10\t4\tA\tA\tD\tP0701\tx"]
    )
    with pytest.raises(ImportFailed, match="line 3: version 40 in a v41 file"):
        RUN["mce"](mixed, tmp_path)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("code,desc\n")
    with pytest.raises(ImportFailed, match="line 1: expected the header"):
        RUN["mce"](wrong, tmp_path)
