from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrcm.codesets.icd10cm import MalformedCode, compact, is_well_formed, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("e1122", "E11.22"),
        (" E11.22 ", "E11.22"),
        ("I10", "I10"),
        ("s52501a", "S52.501A"),
        ("E11.", "E11"),
    ],
)
def test_normalize_accepts_user_forms(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["", "1E11", "E1", "E11.22.1", "E1.122", "E112234X", "E11-22"])
def test_normalize_rejects_malformed_codes_with_reason(raw: str) -> None:
    with pytest.raises(MalformedCode) as err:
        normalize(raw)
    assert err.value.code == "ICD10CM-MALFORMED"
    assert "code" in err.value.message


@given(
    st.from_regex(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}", fullmatch=True),
)
def test_normalize_roundtrips_compact_form(raw: str) -> None:
    norm = normalize(raw)
    assert compact(norm) == raw
    assert is_well_formed(norm)
    assert normalize(norm) == norm


def test_encounter_intent_parsing() -> None:
    from openrcm.codesets.icd10cm.refine import encounter_intent

    intent = encounter_intent("Closed fracture of left wrist, initial encounter")
    assert (intent.meaning, intent.fracture, intent.text) == (
        "initial encounter", "closed", "fracture of left wrist")
    assert encounter_intent("open fracture femur sequela").fracture == "open"
    assert encounter_intent("initial encounter").text == "initial encounter"
