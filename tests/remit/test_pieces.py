"""Reading an 835 in pieces gives exactly what reading it whole gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.remit.pieces import remittance_pieces
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.tokens import X12SyntaxError
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import (
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
    iter_remittances,
)

CORPUS = Path(__file__).parents[1] / "x12" / "conformance" / "fixtures" / "835"
SAMPLES = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


def _joined(content: bytes, size: int) -> list[Remittance]:
    """The pieces glued back into one view per transaction."""
    out: list[Remittance] = []
    current = -1
    for piece in remittance_pieces(content, size):
        assert len(piece.view.claims) <= size
        if piece.transaction != current:
            current = piece.transaction
            out.append(piece.view)
        else:
            whole = out[-1]
            assert not whole.provider_adjustments, "PLBs come in the last piece only"
            out[-1] = replace(whole, claims=whole.claims + piece.view.claims,
                              provider_adjustments=piece.view.provider_adjustments)
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("size", [1, 2, 1000])
def test_corpus_pieces_equal_the_whole(path: Path, size: int) -> None:
    content = path.read_bytes()
    try:
        whole = list(iter_remittances(content))
    except X12SyntaxError:  # no ISA (a bare transaction set): refused the same way
        with pytest.raises(X12SyntaxError):
            _joined(content, size)
        return
    assert _joined(content, size) == whole


def _file(claims: int, plbs: int, transactions: int) -> bytes:
    views = []
    for t in range(transactions):
        payments = tuple(ClaimPayment(
            f"C{t}X{n}", "1", Decimal("100.00"), Decimal("80.00"), payer_control=f"P{n}",
            lines=(ServicePayment("HC", "99213", Decimal("100.00"), Decimal("80.00"),
                                  service_date=date(2026, 3, 2),
                                  adjustments=(Adjustment("CO", "45", Decimal("20.00")),)),))
            for n in range(claims))
        adjustments = tuple(ProviderAdjustment("1234567893", date(2026, 12, 31), "WO",
                                               f"R{n}", Decimal("1.00")) for n in range(plbs))
        views.append(Remittance(
            f"{t + 1:04d}", "I", Decimal("80.00") * claims - Decimal(plbs), "C", "ACH",
            date(2026, 4, 1), f"TRACE{t}", Entity("PR", "PAYER", id_qualifier="XV", id="PAY"),
            Entity("PE", "CLINIC"), claims=payments, provider_adjustments=adjustments))
    return write_remittance(views, Envelope("PAY", "CLINIC", 1, 1, date(2026, 4, 1))).encode()


@settings(max_examples=30, deadline=None)
@given(claims=st.integers(0, 12), plbs=st.integers(0, 3), transactions=st.integers(1, 3),
       size=st.integers(1, 5))
def test_generated_pieces_equal_the_whole(claims: int, plbs: int, transactions: int,
                                          size: int) -> None:
    content = _file(claims, plbs, transactions)
    whole = list(iter_remittances(content))
    assert len(whole) == transactions
    assert _joined(content, size) == whole
    pieces = list(remittance_pieces(content, size))
    per_transaction = max(1, -(-claims // size))
    assert len(pieces) == transactions * per_transaction
    assert [p.last for p in pieces].count(True) == transactions


def test_line_breaks_after_terminators_are_tolerated() -> None:
    content = _file(5, 1, 2).replace(b"~", b"~\r\n")
    assert _joined(content, 2) == list(iter_remittances(content))


def test_not_x12_and_bad_size_are_refused() -> None:
    with pytest.raises(X12SyntaxError):
        list(remittance_pieces(b"hello", 10))
    with pytest.raises(ValueError, match="at least 1"):
        list(remittance_pieces(_file(1, 0, 1), 0))


def test_interchanges_with_their_own_delimiters_are_each_cut_with_them() -> None:
    first = _file(3, 1, 1)
    second = _file(4, 0, 2).translate(bytes.maketrans(b"~*:", b"!|>"))
    assert b"~" not in second and b"*" not in second
    content = first + b"\r\n" + second
    whole = list(iter_remittances(content))
    assert len(whole) == 3, "one transaction from the first interchange, two from the second"
    for size in (1, 2, 1000):
        assert _joined(content, size) == whole
    assert [p.transaction for p in remittance_pieces(content, 1000)] == [0, 1, 2]


def test_what_follows_an_iea_must_be_an_isa() -> None:
    with pytest.raises(X12SyntaxError, match=r"offset \d+: .* not an ISA"):
        list(remittance_pieces(_file(2, 0, 1) + b"\nGARBAGE~", 10))
