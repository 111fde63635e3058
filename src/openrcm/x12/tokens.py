"""Tokenizer: turn an interchange into segments, streaming, without losing a byte.

Delimiters are read from the ISA segment, never assumed. Text is decoded as Latin-1 so every
byte maps to exactly one character: offsets are byte offsets and writing the segments back
(``Segment.lead`` + elements joined + terminator) reproduces the input byte for byte,
including CR/LF line breaks between segments.

Speed matters (a 300 MB remittance file must not take minutes), so the hot loop works on big
chunks with ``str.split`` and creates one small object per segment; no per-character loops.

A file may concatenate interchanges from different senders, each declaring its own separators
in its ISA: every ISA that follows a terminator is read again, and the text from it on is split
with the separators it declares (``Tokenizer.delimiters`` is the current interchange's).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any, BinaryIO, TextIO

CHUNK_SIZE = 1 << 20
_ISA_LENGTH = 106
_LINE_BREAKS = "\r\n"


def is_digits(text: str) -> bool:
    """True for ASCII digits only (``str.isdigit`` also accepts ``³`` and other digits)."""
    return text.isascii() and text.isdigit()


class X12SyntaxError(ValueError):
    """The input is not an X12 interchange at all (no readable ISA); says where it stopped."""


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four separators of one interchange, as its ISA declares them.

    Attributes:
        element: data element separator (ISA position 4, usually ``*``).
        component: component element separator (ISA16, usually ``:`` or ``>``).
        repetition: repetition separator (ISA11, usually ``^``); empty before 5010 (``U``).
        segment: segment terminator (the character after ISA16, usually ``~``).
        suffix: the line break written after each terminator when the source had one
            (``""``, ``"\\n"``, ``"\\r\\n"``); used when writing new segments.
    """

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"
    suffix: str = ""


class Segment:
    """One segment as read: its elements (``elements[0]`` is the segment id) and position.

    Elements are kept unsplit below the element level (components and repetitions are split on
    demand) because most consumers only look at a few of them.

    Attributes:
        elements: the segment id followed by the raw element texts, trailing empties kept.
        lead: line-break characters that preceded the segment in the source.
        offset: byte offset of the segment's first character in the input.
        line: 1-based line number of that character.
        index: 0-based position of the segment in the input.
        use: the guide's segment use the parser placed it on (None when unplaced).
    """

    __slots__ = ("elements", "index", "lead", "line", "offset", "use")

    def __init__(self, elements: list[str], lead: str = "", offset: int = 0, line: int = 1,
                 index: int = 0) -> None:
        self.elements = elements
        self.lead = lead
        self.offset = offset
        self.line = line
        self.index = index
        self.use: Any = None

    @property
    def id(self) -> str:
        """The segment id (``NM1``, ``CLP``...)."""
        return self.elements[0]

    def get(self, position: int) -> str:
        """Element ``position`` (1-based) or ``""`` when the segment is shorter."""
        elements = self.elements
        return elements[position] if position < len(elements) else ""

    def __repr__(self) -> str:
        return f"Segment({'*'.join(self.elements)!r}, index={self.index})"


def read_delimiters(head: str) -> Delimiters:
    """Read the separators from the ISA at the start of ``head``.

    The ISA has fixed widths, but real files sometimes pad wrongly; so the separators are
    found by splitting on the element separator (the 4th character) rather than by
    position: ISA16's first character is the component separator and the next one the
    segment terminator.
    """
    if not head.startswith("ISA") or len(head) < 4:
        raise X12SyntaxError("input does not start with an ISA segment")
    element = head[3]
    if element.isalnum() or element in " \r\n":
        raise X12SyntaxError(f"invalid data element separator {element!r} in ISA")
    parts = head.split(element, 16)
    if len(parts) < 17 or len(parts[16]) < 2:
        raise X12SyntaxError("ISA segment is truncated: fewer than 16 elements")
    component, segment = parts[16][0], parts[16][1]
    repetition = parts[11] if len(parts[11]) == 1 and not parts[11].isalnum() else ""
    rest = parts[16][2:4]
    suffix = "\r\n" if rest.startswith("\r\n") else rest[:1] if rest[:1] in ("\r", "\n") else ""
    if segment.isalnum() or segment == element or segment == " ":
        raise X12SyntaxError(f"invalid segment terminator {segment!r} in ISA")
    if component.isalnum() or component in (element, segment, " "):
        raise X12SyntaxError(f"invalid component element separator {component!r} in ISA")
    return Delimiters(element, component, repetition, segment, suffix)


class Tokenizer:
    """Iterates the segments of one input lazily, in bounded memory.

    After iteration, ``prefix`` holds any bytes before the first ISA (a BOM, blank lines) and
    ``trailer`` any bytes after the last terminator, so a writer can restore them.

    Attributes:
        delimiters: separators of the interchange being read: those of the first ISA, then
            of each later ISA from the moment its segment is handed out.
        prefix: text before the first ISA.
        trailer: text after the last segment terminator (often a final line break).
    """

    def __init__(self, source: str | bytes | BinaryIO | TextIO, chunk_size: int = CHUNK_SIZE):
        self._reader = _reader(source, chunk_size)
        self._head = ""
        for chunk in self._reader:
            self._head += chunk
            if len(self._head.lstrip()) >= _ISA_LENGTH + 2 or not chunk:
                break
        stripped = self._head.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
        self.prefix = self._head[: len(self._head) - len(stripped)]
        self._head = stripped
        self.delimiters = read_delimiters(stripped)
        self.trailer = ""

    def _next_interchange(self, buffer: str) -> tuple[str, int, Delimiters | None]:
        """The first ISA in ``buffer`` declaring other separators than the current ones.

        Returns the buffer (grown by a chunk when that ISA was cut by the chunk's end), where
        the ISA begins and its delimiters; ``(buffer, -1, None)`` when there is none. Only an
        ISA at a segment start counts (after the current terminator and any line breaks; the
        buffer itself always starts after a terminator). An ISA whose separators cannot be
        read keeps the current ones: the parser reports its structure.
        """
        term = self.delimiters.segment
        at = buffer.find("ISA")
        while at >= 0:
            back = at
            while back and buffer[back - 1] in _LINE_BREAKS:
                back -= 1
            if not back or buffer[back - 1] == term or term in buffer[back:at]:
                while len(buffer) - at < _ISA_LENGTH + 4:
                    chunk = next(self._reader, "")
                    if not chunk:
                        break
                    buffer += chunk
                try:
                    found = read_delimiters(buffer[at: at + 2 * _ISA_LENGTH])
                except X12SyntaxError:
                    found = self.delimiters
                if found != self.delimiters:
                    return buffer, at, found
            at = buffer.find("ISA", at + 3)
        return buffer, -1, None

    def __iter__(self) -> Iterator[Segment]:
        term = self.delimiters.segment
        sep = self.delimiters.element
        buffer = self._head
        offset = len(self.prefix)
        line = 1 + self.prefix.count("\n")
        index = 0
        new = Segment
        chunks = self._reader
        while True:
            buffer, cut, switch = self._next_interchange(buffer)
            rest = buffer[cut:] if switch is not None else ""
            parts = (buffer[:cut] if switch is not None else buffer).split(term)
            buffer = parts.pop()
            for piece in parts:
                lead = ""
                if piece and piece[0] in _LINE_BREAKS:
                    body = piece.lstrip(_LINE_BREAKS)
                    lead = piece[: len(piece) - len(body)]
                    line += lead.count("\n")
                    offset += len(lead)
                    piece = body
                yield new(piece.split(sep), lead, offset, line, index)
                index += 1
                offset += len(piece) + 1
                if "\n" in piece:
                    line += piece.count("\n")
            if switch is not None:
                # What is left are the line breaks before the next ISA: its lead (the new
                # terminator may be a line break itself, so they are not split with it).
                self.delimiters = switch
                term, sep = switch.segment, switch.element
                line += buffer.count("\n")
                offset += len(buffer)
                end = rest.find(term)  # read_delimiters found the ISA's terminator
                yield new(rest[:end].split(sep), buffer, offset, line, index)
                index += 1
                offset += end + 1
                buffer = rest[end + 1:]
                continue
            chunk = next(chunks, "")
            if not chunk:
                break
            buffer += chunk
        if buffer.strip(" \t\r\n\x00\x1a"):
            lead = buffer[: len(buffer) - len(buffer.lstrip(_LINE_BREAKS))]
            body = buffer[len(lead):]
            self.trailer = ""
            yield new(body.split(sep), lead, offset + len(lead), line + lead.count("\n"), index)
            self._unterminated = True
        else:
            self.trailer = buffer

    _unterminated = False

    def element_lists(self) -> Iterator[list[str]]:
        """The segments as bare element lists: no positions, no line breaks kept.

        The fastest way through a big file when only values matter (typed views); use
        iteration over Segment objects when positions or exact rewriting are needed.
        """
        for batch in self.element_batches():
            yield from batch

    def element_batches(self) -> Iterator[Iterator[list[str]]]:
        """The element lists of ``element_lists``, one lazy batch per chunk read.

        A consumer looping over each batch itself saves resuming a generator per segment.
        A batch splits each segment only when it is reached: splitting a whole chunk first
        keeps tens of thousands of lists alive at once and costs three times as much (the
        allocator cannot reuse the memory of lists already dropped).
        """
        term = self.delimiters.segment
        sep = self.delimiters.element
        buffer = self._head
        chunks = self._reader
        crlf, lf = term + "\r\n", term + "\n"
        while True:
            buffer, cut, switch = self._next_interchange(buffer)
            rest = ""
            if switch is not None:
                buffer, rest = buffer[:cut], buffer[cut:]
            # a uniform line break after each terminator is split on or removed in C
            brk = crlf if crlf in buffer else lf
            if (buffer[:1] not in _LINE_BREAKS and buffer.count(brk) == buffer.count(term)
                    and brk + "\n" not in buffer and brk + "\r" not in buffer):
                parts = buffer.split(brk)
            else:
                for brk in (crlf, lf):
                    if brk in buffer:
                        buffer = buffer.replace(brk, term)
                parts = buffer.split(term)
                if buffer[:1] in ("\r", "\n") or term + "\r" in buffer or lf in buffer:
                    parts = [p.lstrip(_LINE_BREAKS) for p in parts]
            buffer = parts.pop()
            yield map(str.split, parts, repeat(sep))
            if switch is not None:
                # what was left are the line breaks before the next ISA: not an element
                self.delimiters = switch
                term, sep = switch.segment, switch.element
                crlf, lf = term + "\r\n", term + "\n"
                buffer = rest
                continue
            chunk = next(chunks, "")
            if not chunk:
                break
            buffer += chunk
        rest = buffer.strip(" \t\r\n\x00\x1a")
        if rest:
            self._unterminated = True
            yield iter([rest.split(sep)])

    @property
    def unterminated(self) -> bool:
        """True when the input ended inside a segment (no final terminator): a truncated file."""
        return self._unterminated


def _reader(source: str | bytes | BinaryIO | TextIO, chunk_size: int) -> Iterator[str]:
    if isinstance(source, str):
        for start in range(0, len(source), chunk_size):
            yield source[start: start + chunk_size]
        return
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    while True:
        chunk = source.read(chunk_size)
        if not chunk:
            return
        yield chunk.decode("latin-1") if isinstance(chunk, bytes) else chunk


def tokenize(source: str | bytes | BinaryIO | TextIO,
             chunk_size: int = CHUNK_SIZE) -> Iterator[Segment]:
    """Shortcut: the segments of ``source`` (text, bytes or an open file), lazily."""
    return iter(Tokenizer(source, chunk_size))
