"""The scrubber over the code-set packages' NCCI tables (small tables in the real types)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from openrcm.claims.model import Claim, Diagnosis
from openrcm.claims.scrub import scrubber
from openrcm.claims.scrub.reference import Reference
from openrcm.claims.scrub.sources import CodesetMce, CodesetNcci
from openrcm.codesets.edits.aoc import AocEdit, AocTable
from openrcm.codesets.edits.mce import MceTable, read_mce
from openrcm.codesets.edits.mue import MueRelease, MueTable
from openrcm.codesets.edits.ptp import PtpBuilder
from tests.claims.factories import AS_OF, COVERAGE, PATIENT, claim, line


def ncci() -> CodesetNcci:
    builder = PtpBuilder()
    builder.add("20551", "20552", None, None, 1, "Standards of medical practice")
    builder.add("99213", "36415", None, date(2024, 12, 31), 0, "CMS policy")
    mue = MueTable(
        {
            "practitioner": MueRelease(
                "practitioner", "2024Q3", date(2024, 7, 1), {"81002": (2, 3, "Clinical")}
            )
        }
    )
    aoc = AocTable("2024Q3", [AocEdit("11045", "11042", 1), AocEdit("0054T", "CCCCC", 2)])
    return CodesetNcci(builder.build("practitioner", "2024Q3"), mue, aoc, "practitioner")


SCRUB = scrubber(Reference(ncci=ncci()))


def fired(c: Claim) -> set[str]:
    return {f.code for f in SCRUB.scrub(c, AS_OF).findings}


def test_ptp_through_codeset_table_honours_dates_and_modifiers() -> None:
    assert "NCCI-PTP" in fired(claim(lines=(line("20551"), line("20552"))))
    assert "NCCI-PTP" not in fired(claim(lines=(line("20551"), line("20552", modifiers=("59",)))))
    assert "NCCI-PTP" not in fired(claim(lines=(line("99213"), line("36415")))), "deleted 2024"
    assert "NCCI-PTP" not in fired(claim(lines=(line("99213"), line("A-1")))), "not a code"


def test_mue_and_add_on_through_codeset_tables() -> None:
    assert "NCCI-MUE" in fired(claim(lines=(line("81002", units=Decimal(3)),)))
    assert "NCCI-MUE" not in fired(
        claim(lines=(line("81002", units=Decimal(3), service_date=date(2024, 6, 1)),)),
    ), "before the loaded MUE release there is no limit to apply"
    assert "NCCI-AOC-PRIMARY" in fired(claim(lines=(line("11045"),)))
    assert "NCCI-AOC-PRIMARY" not in fired(claim(lines=(line("11042"), line("11045"))))
    assert not {"NCCI-AOC-PRIMARY", "NCCI-AOC-PRIMARY-OTHER"} & fired(claim(lines=(line("0054T"),)))
    assert SCRUB.releases["NCCI-PTP"] == "2024Q3"


MCE_HEADER = "MCE_Version ICD_Version MCE_Section MCE_Subsection MCE_Edit_Type ICD_Code_Type"
MCE_FILE = (
    "\t".join([*MCE_HEADER.split(), "ICD_Code", "ICD_Desc"])
    + """
37\t10\t5\tC\tMale_Only\tD\tN400\tBenign prostatic hyperplasia without LUTS
37\t10\t4\tC\tMaternity_Only\tD\tO80\tEncounter for full-term uncomplicated delivery
37\t10\t4\tA\tNewborn_Only\tD\tZ3800\tSingle liveborn infant, delivered vaginally
"""
)


def test_mce_lists_through_codeset_table() -> None:
    table = MceTable([read_mce(MCE_FILE.splitlines(keepends=True), "mce.txt")])
    mce = CodesetMce(table)
    assert mce.release == "MCE v37 (FY2020)"
    s = scrubber(Reference(mce=mce))
    woman = claim(diagnoses=(Diagnosis("N40.0"),), lines=(line("99213"),))
    assert {f.code for f in s.scrub(woman, AS_OF).findings} == {"MCE-SEX-CONFLICT"}
    old = replace(PATIENT, birth_date=date(1950, 1, 1))
    mother = claim(
        diagnoses=(Diagnosis("O80"),),
        lines=(line("99213"),),
        patient=old,
        coverage=replace(COVERAGE, subscriber=old),
    )
    assert {f.code for f in s.scrub(mother, AS_OF).findings} == {"MCE-AGE-CONFLICT"}
    assert s.releases["MCE-AGE-CONFLICT"] == "MCE v37 (FY2020)"
    assert mce.mce("Z3800", date(2014, 1, 1)) is None, "before every loaded version"
