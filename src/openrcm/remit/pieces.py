"""An 835 file read as typed remittance pieces of a bounded number of claim payments.

``iter_remittances`` yields one typed view per 835 transaction, holding every claim payment
of it: a 100,000-claim remittance would be held whole. Posting needs only a few thousand
claims at a time, so this module cuts each transaction at its CLP segments (a C-speed regex
over the text, no per-segment objects) and reads each piece — the transaction's header
segments, a run of claim payments, a closing SE — with ``iter_remittances``. Every piece
carries the transaction's header (BPR02, TRN, payer), so a caller keys and balances the
transaction from the pieces as they stream by, in memory proportional to one piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import AnyStr

from openrcm.x12.tokens import X12SyntaxError, read_delimiters
from openrcm.x12.views.remittance import Remittance, iter_remittances

_BOM_AND_BREAKS = "\ufeff\xef\xbb\xbf \t\r\n"
_ISA_WINDOW = 1024
"""Enough text to hold the ISA (106 characters when padded as the standard says)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one 835 transaction.

    Attributes:
        transaction: the 0-based position of the 835 transaction in the file.
        view: the transaction's header with at most the piece size of its claim payments;
            the PLB adjustments are in the transaction's last piece only.
        last: True for the transaction's last piece.
    """

    transaction: int
    view: Remittance
    last: bool


def remittance_pieces(content: bytes | str, claims_per_piece: int) -> Iterator[Piece]:
    """The 835 transactions of ``content`` as pieces of at most ``claims_per_piece`` claims.

    Segments of other transaction sets are skipped, as ``iter_remittances`` skips them. Bytes
    are cut as bytes and only each piece is decoded (latin-1), so the file is never held twice.

    Raises:
        X12SyntaxError: the input does not start with a valid ISA.
        ValueError: ``claims_per_piece`` is not positive.
    """
    if claims_per_piece < 1:
        raise ValueError("claims_per_piece must be at least 1")
    if isinstance(content, bytes):
        return _cut(content.lstrip(b"\xef\xbb\xbf \t\r\n"), _latin1, _text, claims_per_piece)
    return _cut(content.lstrip(_BOM_AND_BREAKS), str, str, claims_per_piece)


def _latin1(text: str) -> bytes:
    return text.encode("latin-1")


def _text(data: bytes) -> str:
    return data.decode("latin-1")


def _cut(text: AnyStr, encode: Callable[[str], AnyStr], decode: Callable[[AnyStr], str],
         claims_per_piece: int) -> Iterator[Piece]:
    """:func:`remittance_pieces` over text or bytes (``encode`` makes a literal of that type,
    ``decode`` turns a piece into text), one interchange at a time: interchanges joined in one
    file may each declare other delimiters in their ISA."""
    breaks = encode(" \t\r\n")
    transaction, begin = -1, 0
    while begin < len(text):
        if not text.startswith(encode("ISA"), begin):
            raise X12SyntaxError(f"offset {begin}: what follows an interchange's IEA is not an ISA")
        delimiters = read_delimiters(decode(text[begin:begin + _ISA_WINDOW]))
        term, sep = encode(delimiters.segment), encode(delimiters.element)
        iea = re.compile(re.escape(term) + encode("[\\r\\n]*IEA") + re.escape(sep))
        found = iea.search(text, begin)
        end = len(text) if found is None else text.find(term, found.end()) + 1 or len(text)
        transaction = yield from _cut_interchange(text, begin, end, term, sep, encode, decode,
                                                  claims_per_piece, transaction)
        begin = end
        while begin < len(text) and text[begin:begin + 1] in breaks:
            begin += 1


def _cut_interchange(text: AnyStr, begin: int, end: int, term: AnyStr, sep: AnyStr,
                     encode: Callable[[str], AnyStr], decode: Callable[[AnyStr], str],
                     claims_per_piece: int, transaction: int) -> Generator[Piece, None, int]:
    """The pieces of the interchange ``text[begin:end]``; returns the last transaction number
    used, so numbering runs on across the file's interchanges."""
    isa = text[begin:text.index(term, begin) + 1]
    closing = encode("SE") + sep + encode("0") + sep + encode("0") + term
    boundary = re.compile(re.escape(term) + encode("[\\r\\n]*(?=(ST|SE|CLP|PLB)")
                          + re.escape(sep) + encode(")"))
    st, se, clp, plb = (encode(sid) for sid in ("ST", "SE", "CLP", "PLB"))
    is_835 = (encode("835") + sep, encode("835") + term)
    start = -1  # where the current transaction's ST segment begins; -1 outside an 835
    header = text[:0]
    claims_at: list[int] = []  # starts of the claim payments not yet emitted
    body_end = -1  # where the claim payments end (the first PLB), once seen
    for match in boundary.finditer(text, begin, end):
        sid, at = match.group(1), match.end()
        if sid == st:
            found = text.startswith(is_835, at + 3)
            start = at if found else -1
            header, claims_at, body_end = text[:0], [], -1
            if found:
                transaction += 1
        elif start < 0:
            continue
        elif sid == clp:
            if not header:
                header = text[start:at]
            if body_end < 0:
                claims_at.append(at)
                if len(claims_at) > claims_per_piece:
                    body = text[claims_at[0]:at]
                    yield _piece(transaction, decode(isa + header + body + closing), False)
                    claims_at = [at]
        elif sid == plb:
            if not header:
                header = text[start:at]
            if body_end < 0:
                body_end = at
        elif sid == se:  # SE closes the transaction: the rest of the claims and the PLBs
            if not header:
                header = text[start:at]
            first = claims_at[0] if claims_at else (body_end if body_end >= 0 else at)
            yield _piece(transaction, decode(isa + header + text[first:at] + closing), True)
            start = -1
    return transaction


def _piece(transaction: int, text: str, last: bool) -> Piece:
    view = next(iter_remittances(text))
    return Piece(transaction, view, last)
