"""Write parsed or built segments back to X12 text.

A parsed document is written back byte for byte: each segment keeps the line break that
preceded it, the prefix before the first ISA and the trailer after the last terminator are
restored, and each interchange gets the separators its own ISA declared. New segments (from
builders) get the delimiters' suffix as their line break.
"""

from __future__ import annotations

from collections.abc import Iterable

from openrcm.x12.tokens import Delimiters, Segment
from openrcm.x12.tree import Document


def write_segments(segments: Iterable[Segment], delimiters: Delimiters) -> str:
    """Join segments with the interchange's separators, each after its own lead."""
    sep, term = delimiters.element, delimiters.segment
    return "".join([f"{s.lead}{sep.join(s.elements)}{term}" for s in segments])


def _write_interchanges(document: Document) -> str:
    """Every segment with the separators of the interchange it belongs to.

    A file may concatenate interchanges declaring different separators; each ISA's
    separators apply from that ISA (by input position) to the next one.
    """
    out: list[str] = []
    marks = [(i.isa.index, i.delimiters) for i in document.interchanges]
    sep, term = document.delimiters.element, document.delimiters.segment
    k = 0
    for s in document.segments():
        while k < len(marks) and s.index >= marks[k][0]:
            sep, term = marks[k][1].element, marks[k][1].segment
            k += 1
        out.append(f"{s.lead}{sep.join(s.elements)}{term}")
    return "".join(out)


def write(document: Document) -> str:
    """The document as text; for a parsed document, exactly the input."""
    d = document.delimiters
    if all(i.delimiters.element == d.element and i.delimiters.segment == d.segment
           for i in document.interchanges):
        body = write_segments(document.segments(), d)
    else:
        body = _write_interchanges(document)
    if document.unterminated and body:
        body = body[:-1]
    return f"{document.prefix}{body}{document.trailer}"


def write_bytes(document: Document) -> bytes:
    """The document as bytes (Latin-1, the inverse of how the tokenizer decodes)."""
    return write(document).encode("latin-1")
