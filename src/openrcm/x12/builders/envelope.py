"""Wrap transaction bodies in ISA/GS/ST ... SE/GE/IEA with correct counts.

Builders produce bodies (lists of segments as element lists); this module adds the
envelope. Control numbers, dates and times are passed in by the caller — the core never reads
a clock or a counter, so the same inputs always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from openrcm.x12.spec import SegmentUse, load_guide
from openrcm.x12.tokens import Delimiters, is_digits

Body = list[list[str]]


class BuildError(ValueError):
    """A value cannot be written into X12; the message names the field at fault."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who sends to whom, when, and with which control numbers.

    Attributes:
        sender_id / receiver_id: ISA06 / ISA08 (padded to 15) and, by default, GS02 / GS03.
        interchange_control: ISA13/IEA02 (1..999999999). group_control: GS06/GE02.
        created: ISA09/GS04 date. time: ``HHMM`` for ISA10/GS05.
        usage: ISA15 ``P`` production or ``T`` test. ack_requested: ISA14.
    """

    sender_id: str
    receiver_id: str
    interchange_control: int
    group_control: int
    created: date
    time: str = "0000"
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    application_sender: str = ""
    application_receiver: str = ""
    usage: str = "P"
    ack_requested: str = "0"
    delimiters: Delimiters = field(default_factory=lambda: Delimiters(suffix="\n"))

    def check(self) -> None:
        """Raise BuildError naming the first field that cannot go into an ISA/GS."""
        if not 1 <= len(self.sender_id) <= 15:
            raise BuildError("sender_id must be 1 to 15 characters (ISA06)")
        if not 1 <= len(self.receiver_id) <= 15:
            raise BuildError("receiver_id must be 1 to 15 characters (ISA08)")
        if not 0 < self.interchange_control <= 999_999_999:
            raise BuildError("interchange_control must be 1..999999999 (ISA13)")
        if not 0 < self.group_control <= 999_999_999:
            raise BuildError("group_control must be 1..999999999 (GS06)")
        if len(self.time) != 4 or not is_digits(self.time):
            raise BuildError("time must be HHMM (ISA10)")
        if self.usage not in ("P", "T"):
            raise BuildError("usage must be P or T (ISA15)")
        d = self.delimiters
        for element in (d.element, d.component, d.repetition, d.segment):
            if len(element) != 1:
                raise BuildError("delimiters must be single characters")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A transaction body already written as text by ``render`` with the interchange's
    delimiters: ``count`` segments.

    A builder of a large file renders as it goes (one claim at a time, say) and so holds
    strings rather than a list per segment, which keeps memory and the garbage collector's
    work flat.
    """

    text: str
    count: int


def interchange(envelope: Envelope, functional_group: str, guide_id: str,
                transactions: Sequence[tuple[str, str, Body | Rendered]]) -> str:
    """A complete interchange: one group holding ``(set id, control number, body)`` sets."""
    envelope.check()
    d = envelope.delimiters
    segments: Body = [[
        "ISA", "00", " " * 10, "00", " " * 10, envelope.sender_qualifier,
        envelope.sender_id.ljust(15), envelope.receiver_qualifier, envelope.receiver_id.ljust(15),
        envelope.created.strftime("%y%m%d"), envelope.time, d.repetition, "00501",
        f"{envelope.interchange_control:09d}", envelope.ack_requested, envelope.usage,
        d.component,
    ], [
        "GS", functional_group, envelope.application_sender or envelope.sender_id,
        envelope.application_receiver or envelope.receiver_id,
        envelope.created.strftime("%Y%m%d"), envelope.time, str(envelope.group_control), "X",
        guide_id,
    ]]
    pieces: list[str] = []
    number = 1  # of the first segment not yet in pieces
    for set_id, control, body in transactions:
        if not 4 <= len(control) <= 9:
            raise BuildError("transaction control number must be 4 to 9 characters (ST02)")
        segments.append(["ST", set_id, control, guide_id] if _uses_st03(guide_id, set_id)
                        else ["ST", set_id, control])
        if isinstance(body, Rendered):
            pieces.append(render(segments, d, number))
            pieces.append(body.text)
            number += len(segments) + body.count
            segments = []
            count = body.count
        else:
            segments.extend(body)
            count = len(body)
        segments.append(["SE", str(count + 2), control])
    segments.append(["GE", str(len(transactions)), str(envelope.group_control)])
    segments.append(["IEA", "1", f"{envelope.interchange_control:09d}"])
    pieces.append(render(segments, d, number))
    return "".join(pieces)


def _uses_st03(guide_id: str, set_id: str) -> bool:
    """ST03 carries the guide id unless the guide marks it not used (the 835 does)."""
    guide = load_guide(guide_id, set_id)
    if guide is None:
        return True
    st = guide.body.children[0]
    return not (isinstance(st, SegmentUse) and len(st.elements) > 2
                and st.elements[2].usage == "N")


def render(segments: Body, d: Delimiters, first: int = 1) -> str:
    """Segments as text; refuses values containing a delimiter, naming the segment (numbered
    from ``first``, the place of ``segments[0]`` in the interchange).

    The values are checked all at once: the written text must hold exactly the element
    separators and terminators the writer put there (one join and two counts in C, rather
    than a Python test per value, which was most of the cost of writing a large 837). Only
    when the counts disagree are the segments searched for the one at fault.
    """
    element, segment = d.element, d.segment
    end = segment + d.suffix
    text = end.join([element.join(elements) for elements in segments]) + end
    count = len(segments)
    separators = sum(map(len, segments)) - count + end.count(element) * count
    if text.count(element) != separators or text.count(segment) != end.count(segment) * count:
        for n, elements in enumerate(segments, start=first):
            if any(element in value or segment in value for value in elements):
                raise BuildError(f"segment {n} ({elements[0]}): a value contains a delimiter")
    return text
