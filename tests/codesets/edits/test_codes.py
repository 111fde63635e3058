from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.codesets.edits.codes import (
    CODE_BITS,
    is_procedure_code,
    pack,
    pair_key,
    parse_date,
    unpack,
)

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@settings(deadline=None)
@given(st.text(alphabet=ALNUM, min_size=5, max_size=5))
def test_pack_round_trips_and_fits(code: str) -> None:
    assert unpack(pack(code)) == code
    assert pack(code) < 1 << CODE_BITS


@settings(deadline=None)
@given(
    st.text(alphabet=ALNUM, min_size=5, max_size=5),
    st.text(alphabet=ALNUM, min_size=5, max_size=5),
)
def test_pair_keys_sort_like_the_codes(a: str, b: str) -> None:
    assert (pair_key(a, "00000") < pair_key(b, "00000")) == (a < b)


@pytest.mark.parametrize("bad", ["1234", "123456", "1_234", " 1234", "12-34", "1234é", ""])
def test_pack_rejects_anything_but_five_alnum(bad: str) -> None:
    assert not is_procedure_code(bad)
    with pytest.raises(ValueError, match="HCPCS/CPT"):
        pack(bad)


def test_lower_case_packs_like_upper() -> None:
    assert pack("j3301") == pack("J3301")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-01", date(2024, 7, 1)),
        ("20240701", date(2024, 7, 1)),
        ("07/01/2024", date(2024, 7, 1)),
        ("2024183", date(2024, 7, 1)),
        ("2023365", date(2023, 12, 31)),
        ("*", None),
        ("  ", None),
    ],
)
def test_parse_date_forms(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["2023366", "2024000", "2024-13-01", "July 1", "202407"])
def test_parse_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)
