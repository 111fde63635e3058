"""The shipped synonym table: every synonym names a billable ICD-10-CM code
of the shipped release (a typo or a header would only surface as a set-aside suggestion), and
the international clinical English they teach reaches its code in a note."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openrcm.codesets.icd10cm import open_icd10cm
from openrcm.coding.lexicon import (
    build_lexicon,
    default_synonyms,
    find_matches,
    note_tokens,
)
from openrcm.coding.terminology import MemoryTerminology


@pytest.mark.slow
def test_every_synonym_names_a_billable_code(tmp_path: Path) -> None:
    cm = open_icd10cm(tmp_path)
    status = {phrase: cm.validate(code, on=date(2026, 3, 1)).status
              for phrase, code in default_synonyms().items()}
    assert {p: s for p, s in status.items() if s != "billable"} == {}


LEXICON = build_lexicon(MemoryTerminology("TEST", {}))


@pytest.mark.parametrize(("text", "code"), [
    ("Chronic enolism.", "F10.20"),
    ("Retroperitoneal adenopathies of 2 cm.", "R59.0"),
    ("Inguinal lymphadenopathy.", "R59.0"),
    ("Smoker of 20 cigarettes a day.", "F17.210"),
    ("Hypertransaminasemia on admission.", "R74.01"),
    ("Poor general condition.", "R53.81"),
    ("Renal lithiasis on ultrasound.", "N20.0"),
    ("Kidney lithiasis on ultrasound.", "N20.0"),  # the organ's noun meets the adjective
    ("Hysterectomized 10 years ago.", "Z90.710"),
    ("Dyslipemia treated with statins.", "E78.5"),
    ("Acute confusional syndrome.", "F05"),
    ("On arrival she was hypotensive and tachycardic.", "I95.9"),
    ("Blood cultures grew Staphylococcus aureus.", "B95.61"),
    ("Small laterocervical adenopathies.", "R59.0"),  # a named region: localized
    ("She suffered a generalized tonic-clonic seizure.", "G40.409"),
    ("Superinfection with cytomegalovirus.", "B25.9"),
    ("Included in a regular haemodialysis programme.", "Z99.2"),
])
def test_international_clinical_english_reaches_its_code(text: str, code: str) -> None:
    codes = [e.code for m in find_matches(text, note_tokens(text, LEXICON), LEXICON)
             for e in m.entries[:1]]
    assert code in codes



def _first_codes(text: str) -> list[str]:
    return [m.entries[0].code for m in find_matches(text, note_tokens(text, LEXICON), LEXICON)]


@pytest.mark.parametrize(("text", "codes"), [
    # a positive status is Z21 (guideline I.C.1.a.2.(d)) however it is written
    ("HIV positive since 2010.", ["Z21"]),
    ("HIV-positive patient.", ["Z21"]),
    ("HIV+ patient.", ["Z21"]),
    ("Seropositive for HIV.", ["Z21"]),
    ("Positive serology for HIV.", ["Z21"]),
    # HIV disease, AIDS or a condition documented as HIV-related is B20
    ("HIV infection diagnosed in 2010.", ["B20"]),
    ("Patient with AIDS.", ["B20"]),
    ("HIV-associated lymphadenopathy.", ["B20", "R59.9"]),
    # "aids" in lower case is no syndrome; a plus sign glued to a lower-case word is no result
    ("Wears hearing aids.", []),
])
def test_hiv_status_and_hiv_disease(text: str, codes: list[str]) -> None:
    assert _first_codes(text) == codes
