"""Write parsed or built segments back to X12 text.

A parsed document is written back byte for byte: each segment keeps the line break that
preceded it, the prefix before the first ISA and the trailer after the last terminator are
restored. New segments (from builders) get the delimiters' suffix as their line break.
"""

from __future__ import annotations

from collections.abc import Iterable

from openrcm.x12.tokens import Delimiters, Segment
from openrcm.x12.tree import Document


def write_segments(segments: Iterable[Segment], delimiters: Delimiters) -> str:
    """Join segments with the interchange's separators, each after its own lead."""
    sep, term = delimiters.element, delimiters.segment
    return "".join([f"{s.lead}{sep.join(s.elements)}{term}" for s in segments])


def write(document: Document) -> str:
    """The document as text; for a parsed document, exactly the input."""
    body = write_segments(document.segments(), document.delimiters)
    if document.unterminated and body:
        body = body[:-1]
    return f"{document.prefix}{body}{document.trailer}"


def write_bytes(document: Document) -> bytes:
    """The document as bytes (Latin-1, the inverse of how the tokenizer decodes)."""
    return write(document).encode("latin-1")
