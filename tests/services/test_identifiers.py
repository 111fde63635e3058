"""The NPI rule the schemas apply at the edge: the X12 check digit plus NPPES's first digit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openrcm.services.identifiers import is_valid_npi
from openrcm.x12.edits.npi import npi_check_digit


def test_a_known_valid_npi_and_its_neighbours() -> None:
    # CMS's published example NPI: 123456789 completed by check digit 3.
    assert npi_check_digit("123456789") == "3"
    assert is_valid_npi("1234567893")
    assert not is_valid_npi("1234567894")
    assert not is_valid_npi("123456789")
    assert not is_valid_npi("12345678931")
    assert not is_valid_npi("")


@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_only_first_digits_one_and_two_are_issued(first_nine: str) -> None:
    npi = first_nine + npi_check_digit(first_nine)
    assert is_valid_npi(npi) == (first_nine[0] in "12")
