"""Importing releases: a new fiscal year, deleted codes, and failures that change nothing."""

from __future__ import annotations

import json
import lzma
import shutil
from datetime import date
from pathlib import Path

import pytest

from openrcm.codesets.icd10cm import open_icd10cm
from openrcm.codesets.icd10cm.reconcile import reconcile
from openrcm.codesets.icd10cm.store import store_dir
from openrcm.codesets.importers import ImportFailed, registry

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def home(codeset_home: Path, tmp_path: Path) -> Path:
    """A private copy of the compiled session store (no rebuild: same sources)."""
    shutil.copytree(store_dir(codeset_home), store_dir(tmp_path))
    return tmp_path


def _snapshot(home: Path) -> dict[str, bytes]:
    d = store_dir(home)
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.name == "manifest.json"}


def test_registry_lists_icd10cm_importers() -> None:
    kinds = set(registry())
    assert {"icd10cm-tabular", "icd10cm-index", "icd10cm-drug", "icd10cm-neoplasm",
            "icd10cm-eindex"} <= kinds


@pytest.mark.slow
def test_import_new_fiscal_year_and_deleted_codes(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "icd10cm-tabular-2027.xml.xz"
    src.write_bytes(lzma.compress((FIXTURES / "icd10cm-tabular-2027-mini.xml").read_bytes()))
    summary = registry()["icd10cm-tabular"].run(src, home)
    assert (summary.release, summary.records) == ("FY2027", 6)
    cm = open_icd10cm(home)
    assert [r.name for r in cm.releases] == ["FY2025", "FY2026", "FY2027"]
    dos = date(2026, 12, 1)
    assert cm.validate("E11.B", on=dos).status == "billable"
    gone = cm.validate("E11.22", on=dos)
    assert gone.reason_code == "ICD10CM-DELETED"
    assert "deleted after 2026-09-30" in gone.reason
    assert cm.validate("E11.B", on=date(2026, 3, 1)).reason_code == "ICD10CM-NOT-YET-VALID"
    assert reconcile(cm, "E11.22", on=dos).status == "deleted"
    assert cm.validate("S09.90XA", on=dos).status == "billable"
    assert cm.search("diabetic widgetosis", on=dos)[0].code == "E11.B"
    imports = json.loads((store_dir(home) / "imports.json").read_text())
    assert imports["tabular"]["2027"]["original"] == src.name

    # A full CDC index XML replaces the bundled flattened index; search follows it.
    summary = registry()["icd10cm-index"].run(FIXTURES / "icd10cm-index-2027-mini.xml", home)
    assert (summary.release, summary.records) == ("FY2027", 2)
    cm = open_icd10cm(home)
    widget = cm.index.find("Widgetosis NEC")
    assert widget is not None and widget.manif == "G99.0"
    hit = cm.search("widgetosis", on=dos)[0]
    assert hit.code == "E11.B" and hit.matched.startswith("index: Widgetosis")


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("icd10cm-tabular", b"<ICD10CM.tabular><version>2027", "not well-formed XML at line 1"),
        ("icd10cm-tabular", b"<ICD10CM.index/>", "expected <ICD10CM.tabular>"),
        ("icd10cm-tabular", b"<ICD10CM.tabular><version>2027</version></ICD10CM.tabular>",
         "no <chapter>"),
        ("icd10cm-tabular",
         b"<ICD10CM.tabular><version>next</version><chapter><name>1</name><section id='A'>"
         b"<diag><name>A00</name><desc>x</desc></diag></section></chapter></ICD10CM.tabular>",
         "<version> is 'next'"),
        ("icd10cm-index", b"<ICD10CM.index><version>2027</version></ICD10CM.index>",
         "no <letter>"),
        ("icd10cm-drug", b"\x00\x01garbage", "not well-formed XML"),
    ],
)
def test_corrupt_import_leaves_store_untouched(
    home: Path, tmp_path: Path, kind: str, content: bytes, message: str
) -> None:
    before = _snapshot(home)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    with pytest.raises(ImportFailed, match=message) as err:
        registry()[kind].run(bad, home)
    assert "bad.xml" in str(err.value)
    assert _snapshot(home) == before
    assert not (store_dir(home) / "imports.json").exists()
    assert [r.name for r in open_icd10cm(home).releases] == ["FY2025", "FY2026"]


def test_damaged_compressed_file_is_reported(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "release.xml.xz"
    bad.write_bytes(b"not xz at all")
    with pytest.raises(ImportFailed, match="damaged compressed file"):
        registry()["icd10cm-tabular"].run(bad, home)


def test_damaged_compiled_store_names_the_file(home: Path) -> None:
    from openrcm.codesets.icd10cm import SourceFormatError

    damaged = store_dir(home) / "FY2026.tabular.marshal"
    damaged.write_bytes(b"\x00garbage")
    cm = open_icd10cm(home)
    with pytest.raises(SourceFormatError, match=r"FY2026\.tabular\.marshal is missing or damaged"):
        cm.lookup("E11.22", on=date(2026, 3, 1))
    assert cm.lookup("E11.22", on=date(2025, 3, 1)).release == "FY2025"


@pytest.mark.slow
def test_store_rebuilds_when_its_fingerprint_is_stale(home: Path) -> None:
    manifest = store_dir(home) / "manifest.json"
    before = json.loads(manifest.read_text())["fingerprint"]
    fp = list(before)
    fp[0] = -1
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "fingerprint": fp}))
    cm = open_icd10cm(home)  # stale fingerprint -> rebuilt
    assert json.loads(manifest.read_text())["fingerprint"] == before
    assert cm.validate("E11.22", on=date(2026, 3, 1)).ok
