"""Tokenizer: delimiters from the ISA, positions, streaming, byte-exact round trip."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.x12.parser import parse
from openrcm.x12.tokens import Tokenizer, X12SyntaxError, read_delimiters, tokenize
from openrcm.x12.writer import write_bytes

ISA = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *230101*1200*^*00501"
       "*000000001*0*T*:~")
BODY = "GS*HC*S*R*20230101*1200*1*X*005010X222A1~ST*837*0001~SE*2*0001~GE*1*1~IEA*1*000000001~"


def test_delimiters_come_from_the_isa() -> None:
    custom = ISA.replace("*", "|").replace(":~", ">!").replace("|^|", "|^|")
    d = read_delimiters(custom)
    assert (d.element, d.component, d.repetition, d.segment) == ("|", ">", "^", "!")


def test_repetition_separator_absent_before_5010() -> None:
    old = ISA.replace("*^*00501", "*U*00401")
    assert read_delimiters(old).repetition == ""


def test_line_break_suffix_is_detected() -> None:
    assert read_delimiters(ISA + "\r\nGS").suffix == "\r\n"
    assert read_delimiters(ISA + "\nGS").suffix == "\n"
    assert read_delimiters(ISA + "GS").suffix == ""


def test_not_x12_is_refused_with_a_reason() -> None:
    with pytest.raises(X12SyntaxError, match="ISA"):
        read_delimiters("hello world")


def test_segments_positions() -> None:
    text = ISA + "\n" + BODY.replace("~", "~\n")
    segs = list(tokenize(text))
    assert [s.id for s in segs] == ["ISA", "GS", "ST", "SE", "GE", "IEA"]
    st = segs[2]
    assert st.line == 3 and st.index == 2 and text[st.offset:st.offset + 2] == "ST"
    assert st.get(2) == "0001" and st.get(9) == ""


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_chunk_boundaries_do_not_change_the_segments(chunk: int) -> None:
    text = ISA + BODY
    expected = [s.elements for s in tokenize(text)]
    assert [s.elements for s in Tokenizer(io.BytesIO(text.encode()), chunk)] == expected


@pytest.mark.parametrize("sep", ["", "\n", "\r\n"])
def test_round_trip_keeps_line_endings_prefix_and_trailer(sep: str) -> None:
    text = "\ufeff" if sep == "\r\n" else ""
    raw = (text + ISA + sep + BODY.replace("~", "~" + sep) + ("\n\n" if sep else "")).encode()
    assert write_bytes(parse(raw)) == raw


def test_unterminated_last_segment_round_trips_and_is_reported() -> None:
    raw = (ISA + BODY)[:-1].encode()
    doc = parse(raw)
    assert write_bytes(doc) == raw
    assert any(f.code == "X12-IEA-MISSING" for f in doc.all_findings())


def test_trailing_empty_elements_and_components_survive() -> None:
    raw = (ISA + "GS*HC*S*R*20230101*1200*1*X*005010X222A1~ST*837*0001*~NM1*85*2*A:B::*~"
           "SE*3*0001~GE*1*1~IEA*1*000000001~").encode()
    assert write_bytes(parse(raw)) == raw


def test_latin1_bytes_round_trip() -> None:
    raw = (ISA + BODY).encode().replace(b"SENDER ", b"S\xc9NDER")
    assert write_bytes(parse(raw)) == raw


@pytest.mark.parametrize("brk", ["", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n\r"])
@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])
def test_element_lists_fast_path_equals_segments(brk: str, chunk: int) -> None:
    text = (ISA + BODY).replace("~", "~" + brk)
    expected = [s.elements for s in Tokenizer(io.StringIO(text), chunk)]
    assert list(Tokenizer(io.StringIO(text), chunk).element_lists()) == expected


def _respelled(text: str, element: str, component: str, segment: str, brk: str) -> str:
    """``ISA + BODY`` written with other separators (none of them occurs in the values)."""
    return text.translate({ord("*"): element, ord(":"): component, ord("~"): segment + brk})


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(["*", ":", "~", "|", "!", ">", "\x1d", "\x1c"]),
       brk=st.sampled_from(["", "\n", "\r\n"]), lead=st.sampled_from(["", "\n", "\r\n"]),
       chunk=st.sampled_from([1, 13, 101, 1 << 20]), line_terminator=st.booleans())
def test_each_interchange_is_split_with_its_own_separators(
        order: list[str], brk: str, lead: str, chunk: int, line_terminator: bool) -> None:
    """Each interchange splits as it would alone, wherever the chunks end (Segment and fast
    path), and the file round-trips byte for byte."""
    element, component, segment = order[:3]
    if line_terminator:
        segment, brk = "\n", ""
    second = _respelled(ISA + BODY, element, component, segment, brk)
    text = ISA + BODY + lead + second
    expected = [s.elements for s in tokenize(ISA + BODY)] + \
        [s.elements for s in tokenize(second)]
    assert expected[7:] == expected[1:6]  # the same body, whatever the separators
    segments = list(Tokenizer(io.StringIO(text), chunk))
    assert [s.elements for s in segments] == expected
    assert [text[s.offset:s.offset + 3] for s in segments if s.id == "ISA"] == ["ISA", "ISA"]
    assert list(Tokenizer(io.StringIO(text), chunk).element_lists()) == expected
    document = parse(text.encode("latin-1"))
    assert write_bytes(document) == text.encode("latin-1")
    assert [i.delimiters.component for i in document.interchanges] == [":", component]


def test_an_isa_only_inside_an_element_does_not_switch() -> None:
    text = (ISA + BODY).replace("*S*R*", "*ISA|S*R*")
    assert [s.elements for s in tokenize(text)][1][2] == "ISA|S"
