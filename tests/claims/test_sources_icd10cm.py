"""Diagnosis edits over the real ICD-10-CM releases (FY2025/FY2026) of openrcm.codesets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openrcm.claims.model import Claim, Diagnosis
from openrcm.claims.scrub import Scrubber, scrubber
from openrcm.claims.scrub.reference import Reference
from openrcm.claims.scrub.sources import CodesetDiagnoses, _note_codes
from openrcm.codesets.icd10cm import open_icd10cm
from tests.claims.factories import claim, line

AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def scrub(tmp_path_factory: pytest.TempPathFactory) -> Scrubber:
    home: Path = tmp_path_factory.mktemp("claims-codeset-home")
    return scrubber(Reference(diagnoses=CodesetDiagnoses(open_icd10cm(home))))


def dx_edits(s: Scrubber, codes: tuple[str, ...], day: date = date(2025, 11, 10)) -> set[str]:
    c: Claim = claim(
        diagnoses=tuple(Diagnosis(x) for x in codes),
        lines=(line("99213", service_date=day, pointers=(1,)),),
    )
    return {f.code for f in s.scrub(c, AS_OF).findings if f.code.startswith("DX-")}


def test_note_codes() -> None:
    assert _note_codes("gestational diabetes (O24.4-)") == ("O244",)
    assert _note_codes("type 1 diabetes mellitus (E10.-) and E11") == ("E10", "E11")


def test_valid_billable_codes_pass(scrub: Scrubber) -> None:
    assert dx_edits(scrub, ("E11.22", "N18.30", "I10")) == set()
    assert dx_edits(scrub, ("E11.22", "N18.3")) == {"DX-NOT-BILLABLE"}
    assert dx_edits(scrub, ("S52.501A",)) == set()


def test_header_and_invalid_codes(scrub: Scrubber) -> None:
    assert dx_edits(scrub, ("E11.2",)) == {"DX-NOT-BILLABLE"}
    assert dx_edits(scrub, ("E11.99",)) == {"DX-INVALID"}


def test_seventh_character(scrub: Scrubber) -> None:
    assert dx_edits(scrub, ("S52.501",)) == {"DX-SEVENTH-CHAR"}
    assert dx_edits(scrub, ("S52.501Z",)) == {"DX-SEVENTH-CHAR"}


def test_manifestation_first(scrub: Scrubber) -> None:
    assert "DX-MANIFESTATION-FIRST" in dx_edits(scrub, ("G63", "E11.42"))
    assert "DX-MANIFESTATION-FIRST" not in dx_edits(scrub, ("E11.42", "G63"))


def test_excludes1_pair(scrub: Scrubber) -> None:
    assert "DX-EXCLUDES1" in dx_edits(scrub, ("E10.9", "E11.9"))
    assert "DX-EXCLUDES1" not in dx_edits(scrub, ("E11.9", "I10"))


def test_date_of_service_picks_the_release(scrub: Scrubber) -> None:
    outside = dx_edits(scrub, ("E11.9",), date(2020, 1, 1))
    assert outside == {"DX-INVALID"}


def test_sequencing_code_first_is_not_a_manifestation(scrub: Scrubber) -> None:
    assert dx_edits(scrub, ("Z23", "I10")) == set()


def test_release_names_the_loaded_fiscal_years(scrub: Scrubber) -> None:
    assert scrub.releases["DX-INVALID"] == "ICD-10-CM FY2025, FY2026"
