"""Claims and claim contexts to JSON and back, and errors that name the path."""

from __future__ import annotations

import json

import pytest

from openrcm.claims.builder import Charge, ClaimContext, Encounter
from openrcm.claims.jsonio import ClaimJsonError, claim_from_json, context_from_json, to_json
from openrcm.claims.model import ClaimKind, Diagnosis
from tests.claims.factories import BILLING, COVERAGE, DOS, PATIENT, claim, institutional
from tests.claims.test_x837 import CASES


@pytest.mark.parametrize("name", list(CASES))
def test_claims_round_trip_through_json_text(name: str) -> None:
    for c in CASES[name]:
        assert claim_from_json(json.loads(json.dumps(to_json(c)))) == c


def test_context_round_trip() -> None:
    from decimal import Decimal

    ctx = ClaimContext(
        "Maple",
        BILLING,
        PATIENT,
        (COVERAGE,),
        Encounter("E1", ClaimKind.PROFESSIONAL),
        (Diagnosis("I10"),),
        (Charge("L1", "99213", Decimal("10.00"), DOS, diagnoses=("I10",)),),
    )
    assert context_from_json(json.loads(json.dumps(to_json(ctx)))) == ctx


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (("kind",), "dental", "kind: 'dental' is not one of professional, institutional"),
        (("lines", 0, "units"), True, "lines[0].units: expected an amount"),
        (("lines", 0, "pointers"), "1", "lines[0].pointers: expected a list"),
        (("patient", "birth_date"), "1980-13-01", "patient.birth_date: '1980-13-01' is not a date"),
        (("coverage", "payer", "timely_filing_days"), "90", "timely_filing_days: expected a whole"),
        (("billing_provider", "is_organization"), "yes", "is_organization: expected true or false"),
        (("claim_id",), 5, "claim_id: expected a string"),
    ],
)
def test_errors_name_the_path(path: tuple[str | int, ...], value: object, error: str) -> None:
    raw = to_json(institutional() if path == ("kind",) else claim())
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ClaimJsonError, match=error.replace("[", r"\[").replace("]", r"\]")):
        claim_from_json(raw)


def test_missing_and_unknown_fields() -> None:
    raw = to_json(claim())
    del raw["patient"]
    with pytest.raises(ClaimJsonError, match="patient: missing"):
        claim_from_json(raw)
    raw = to_json(claim())
    raw["colour"] = "red"
    with pytest.raises(ClaimJsonError, match="unknown field"):
        claim_from_json(raw)
    with pytest.raises(ClaimJsonError, match="expected an object"):
        claim_from_json([])
