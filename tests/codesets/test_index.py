"""Alphabetic Index, tables, the CDC index XML reader and reconciliation with the tabular."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openrcm.codesets.icd10cm import ICD10CM, SourceFormatError
from openrcm.codesets.icd10cm.alpha_index import (
    AlphabeticIndex,
    parse_flattened_csv,
    parse_index_xml,
)
from openrcm.codesets.icd10cm.reconcile import reconcile, reconcile_index

FIXTURES = Path(__file__).parent / "fixtures"
FY26 = date(2026, 3, 1)


def test_index_tree_keeps_structure(cm: ICD10CM) -> None:
    term = cm.index.find("Diabetes")
    assert term is not None
    assert term.title == "Diabetes, diabetic"
    assert term.nemod == "(mellitus) (sugar)"
    assert term.code == "E11.9"
    with_ = term.subterm("with")
    assert with_ is not None
    ckd = with_.subterm("chronic kidney disease")
    assert ckd is not None and ckd.code == "E11.22"
    assert ckd.path == ("Diabetes, diabetic", "with", "chronic kidney disease")
    assert sum(1 for _ in term.walk()) > 100


def test_see_reference_resolves(cm: ICD10CM) -> None:
    brittle = cm.index.find("Diabetes")
    assert brittle is not None
    sub = brittle.subterm("brittle")
    assert sub is not None and sub.see == "Diabetes, type 1"
    target = cm.index.resolve_path(sub.see)
    assert target is not None and target.code.startswith("E10")


def test_drug_neoplasm_and_external_cause_tables(cm: ICD10CM) -> None:
    drug = cm.index_part("drug")
    assert drug.headings[1] == "Poisoning Accidental (unintentional)"
    acet = drug.find("Acetaminophen")
    assert acet is not None
    cells = dict(acet.cells)
    assert cells["Poisoning Accidental (unintentional)"] == "T39.1X1"
    assert cells["Underdosing"] == "T39.1X6"
    neo = cm.index_part("neoplasm").find("Neoplasm, neoplastic")
    assert neo is not None
    abdomen = neo.subterm("abdomen, abdominal")
    assert abdomen is not None and dict(abdomen.cells)["Malignant Secondary"] == "C79.8-"
    accident = cm.index_part("eindex").find("Accident")
    assert accident is not None and accident.nemod == "(to)" and accident.code == "X58"
    with pytest.raises(ValueError, match="unknown index part"):
        cm.index_part("pcs")


def test_cdc_index_xml_reader_on_schema_sample() -> None:
    part = parse_index_xml((FIXTURES / "icd10cm-index-2027-mini.xml").read_bytes(), "mini")
    index = AlphabeticIndex("index", part)
    assert index.version == "2027" and len(index) == 2
    widget = index.find("widgetosis nec")
    assert widget is not None
    assert (widget.title, widget.nemod, widget.code, widget.manif) == (
        "Widgetosis NEC", "(chronic)", "E11.B", "G99.0")
    assert widget.see_also == "Diabetes, with, widgetosis"
    diabetes = index.find("Diabetes")
    assert diabetes is not None
    assert [t.title for t in diabetes.children] == ["with", "brittle"]
    found = index.resolve_path("Diabetes, with, widgetosis")
    assert found is not None and found.code == "E11.B"


def test_index_readers_report_where_the_file_is_bad() -> None:
    with pytest.raises(SourceFormatError, match=r"bad\.xml: not well-formed XML at line 2"):
        parse_index_xml(b"<ICD10CM.index>\n<letter></ICD10CM.index>", "bad.xml")
    with pytest.raises(SourceFormatError, match=r"expected <ICD10CM\.index>"):
        parse_index_xml(b"<other/>", "x.xml")
    with pytest.raises(SourceFormatError, match="line 1: expected the columns"):
        parse_flattened_csv(b"a,b\n", "i.csv")
    bad_level = b"RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,2,x,,,,\n"
    with pytest.raises(SourceFormatError, match="line 2: level 2"):
        parse_flattened_csv(bad_level, "i.csv")


@pytest.mark.parametrize(("term", "nemod", "title", "modifiers"), [
    # the CSV cut these titles at a parenthesis: the essential words go back to the title
    ("Alder", "(-Reilly) anomaly or syndrome", "Alder anomaly or syndrome", "(-Reilly)"),
    ("gravitational", "(G) forces or states (effect of)", "gravitational forces or states",
     "(G) (effect of)"),
    ("Amnes", "(t)ic syndrome", "Amnestic syndrome", ""),  # a group glued to the next word
    ("Achromat", "(ism), achromatopsia (acquired)", "Achromatism, achromatopsia",
     "(acquired)"),
    ("chromosome", "(s) NEC (nonsex)", "chromosome(s) NEC", "(nonsex)"),  # a plural mark
    # modifiers only, nested parentheses included: as they are
    ("Diabetes, diabetic", "(mellitus) (sugar)", "Diabetes, diabetic", "(mellitus) (sugar)"),
    ("foot", "(except toe(s) alone)", "foot", "(except toe(s) alone)"),
])
def test_flattened_csv_titles_cut_at_a_parenthesis_are_whole(
    term: str, nemod: str, title: str, modifiers: str
) -> None:
    row = f'RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,0,"{term}",,,"{nemod}",Q\n'
    part = AlphabeticIndex("index", parse_flattened_csv(row.encode(), "i.csv"))
    main = next(part.main_terms())
    assert (main.title, main.nemod) == (title, modifiers)


def test_reconcile_index_codes_with_release(cm: ICD10CM) -> None:
    ok = reconcile(cm, "E11.22", on=FY26)
    assert ok.status == "billable"
    dash = reconcile(cm, "C79.8-", on=FY26)
    assert dash.status == "completed-by-tabular"
    assert {c.code for c in dash.completions} >= {"C79.81", "C79.82", "C79.89"}
    # D71 is billable in the FY2025 index/tabular and a category in FY2026.
    assert reconcile(cm, "D71", on=date(2025, 6, 1)).status == "billable"
    d71 = reconcile(cm, "D71", on=FY26)
    assert d71.status == "expanded"
    assert [c.code for c in d71.completions] == ["D71.1", "D71.8", "D71.9"]
    assert "billable code in FY2025" in d71.reason
    drug = reconcile(cm, "T39.1X1", on=FY26)
    assert drug.status == "completed-by-tabular"
    assert [c.code for c in drug.completions] == ["T39.1X1A", "T39.1X1D", "T39.1X1S"]
    assert reconcile(cm, "Q99.99", on=FY26).status == "unknown"


def test_reconcile_whole_index_flags_codes_expanded_in_fy2026(cm: ICD10CM) -> None:
    report = reconcile_index(cm, on=FY26)
    assert report.release == "FY2026"
    assert report.counts["billable"] > 10000 and report.counts["completed-by-tabular"] > 5000
    flagged = {r.code: r.status for r in report.flagged}
    assert flagged["D71"] == "expanded" and flagged["G35"] == "expanded"
    assert "expanded" not in reconcile_index(cm, on=date(2025, 6, 1)).counts
