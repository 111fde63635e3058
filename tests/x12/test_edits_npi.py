"""NPI check digit on every 837: an error located at the NM109, reported as IK4 I12 in the 999."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrcm.findings import Severity
from openrcm.x12.ack import acknowledge
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.edits.npi import npi_valid
from openrcm.x12.parser import parse

from .conftest import sample
from .factories import ENVELOPE, claim, claim_file


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1111111112", "1257234348"])
def test_valid_npis(npi: str) -> None:
    assert npi_valid(npi)


@pytest.mark.parametrize("npi", ["1234567890", "1257234346", "123456789", "12345678930",
                                 "12345A7893", ""])
def test_invalid_npis(npi: str) -> None:
    assert not npi_valid(npi)


@given(st.text("0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_completes_nine_digits(first_nine: str) -> None:
    assert sum(npi_valid(first_nine + d) for d in "0123456789") == 1


def _errors(text: str | bytes) -> list[tuple[str, str, int, str]]:
    return [(f.code, str(f.location["loop"]), int(f.location["segment"]),
             str(f.location["element"]))
            for f in parse(text).all_findings() if f.severity is Severity.ERROR]


def test_837p_billing_provider_npi_with_a_wrong_check_digit_is_rejected() -> None:
    text = write_claim_files([claim_file((claim("PCN1"),))], ENVELOPE)
    assert _errors(text) == []
    bad = text.replace("*XX*1234567893", "*XX*1234567890", 1)
    assert _errors(bad) == [("X12-NPI-CHECK-DIGIT", "2010AA", 8, "NM109")]
    ack = acknowledge(parse(bad), 1, date(2026, 11, 3), "1200").ack_999
    assert ack is not None and "IK3*NM1*8*2010AA*8~" in ack and "IK4*9*67*I12~" in ack


def test_837i_attending_npi_is_checked_too() -> None:
    good = sample("837i", "ppo-repriced-claim.edi")
    assert _errors(good) == []
    bad = good.replace(b"*XX*5544332211", b"*XX*5544332210", 1)
    assert bad != good
    assert _errors(bad) == [("X12-NPI-CHECK-DIGIT", "2310A", 35, "NM109")]
