"""Rendering built segments: the whole-text delimiter check refuses exactly what a
value-by-value check refuses, and names the same segment."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openrcm.x12.builders.envelope import BuildError, Envelope, Rendered, interchange, render
from openrcm.x12.tokens import Delimiters

DELIMITERS = [Delimiters(suffix="\n"), Delimiters(), Delimiters("|", ">", "^", "\n", "\r\n")]


def _reference(segments: list[list[str]], d: Delimiters) -> str:
    """The per-value rendering the fast one replaced, kept as the specification."""
    out = []
    for n, elements in enumerate(segments, start=1):
        for value in elements:
            if d.element in value or d.segment in value:
                raise BuildError(f"segment {n} ({elements[0]}): a value contains a delimiter")
        out.append(d.element.join(elements) + d.segment + d.suffix)
    return "".join(out)


_VALUE = st.text(alphabet="AB1 :^*~|>\n\r", max_size=6)
_SEGMENT = st.builds(lambda sid, rest: [sid, *rest], st.sampled_from(["NM1", "N3", "SV1"]),
                     st.lists(_VALUE, max_size=5))


@given(st.lists(_SEGMENT, min_size=1, max_size=8), st.sampled_from(DELIMITERS))
def test_render_refuses_what_the_value_by_value_check_refuses(
    segments: list[list[str]], d: Delimiters
) -> None:
    try:
        expected = _reference(segments, d)
    except BuildError as error:
        with pytest.raises(BuildError) as raised:
            render(segments, d)
        assert str(raised.value) == str(error)
    else:
        assert render(segments, d) == expected


def test_render_names_the_segment_holding_a_delimiter() -> None:
    segments = [["ST", "837", "0001"], ["NM1", "85", "2", "ACME~CO"], ["SE", "3", "0001"]]
    with pytest.raises(BuildError, match=r"segment 2 \(NM1\)"):
        render(segments, Delimiters(suffix="\n"))


def test_a_rendered_body_makes_the_same_interchange_as_its_segments() -> None:
    d = Delimiters(suffix="\n")
    env = Envelope("SENDER", "RECEIVER", 7, 7, date(2025, 3, 1), "1200", delimiters=d)
    body = [["BHT", "0019", "00", "1", "20250301", "1200", "CH"], ["NM1", "41", "2", "ACME"]]
    as_list = interchange(env, "HC", "005010X222A1", [("837", "0001", body)])
    rendered = Rendered(render(body, d, 4), len(body))
    assert interchange(env, "HC", "005010X222A1", [("837", "0001", rendered)]) == as_list
    assert "SE*4*0001~" in as_list


def test_render_numbers_segments_from_first() -> None:
    with pytest.raises(BuildError, match=r"segment 12 \(NM1\)"):
        render([["N3", "1 MAIN"], ["NM1", "A*B"]], Delimiters(), 11)
