"""The parsed document: interchange > group > transaction > loops > segments.

Plain mutable containers filled by the parser. Every segment read stays in the tree — an
unexpected one too, in the loop where it appeared — so writing the tree back gives the input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from openrcm.findings import Finding
from openrcm.x12.spec import Guide
from openrcm.x12.tokens import Delimiters, Segment


@dataclass(slots=True, eq=False)
class Loop:
    """One loop instance (``ST`` for a transaction body) and what it holds, in order."""

    id: str
    name: str
    children: list[Loop | Segment] = field(default_factory=list)

    def segments(self) -> Iterator[Segment]:
        """Every segment inside, depth first, in input order."""
        for child in self.children:
            if isinstance(child, Segment):
                yield child
            else:
                yield from child.segments()

    def loops(self, loop_id: str) -> Iterator[Loop]:
        """Direct and nested loop instances with this id, in input order."""
        for child in self.children:
            if isinstance(child, Loop):
                if child.id == loop_id:
                    yield child
                else:
                    yield from child.loops(loop_id)

    def first(self, segment_id: str, **match: str) -> Segment | None:
        """The first direct child segment with this id whose elements equal ``match``.

        ``match`` keys are element positions like ``e1`` (``first("REF", e1="EI")``).
        """
        for child in self.children:
            if isinstance(child, Segment) and child.elements[0] == segment_id \
                    and all(child.get(int(k[1:])) == v for k, v in match.items()):
                return child
        return None

    def all(self, segment_id: str) -> list[Segment]:
        """Direct child segments with this id."""
        return [c for c in self.children if isinstance(c, Segment) and c.elements[0] == segment_id]


@dataclass(slots=True, eq=False)
class Transaction:
    """One ST..SE transaction set and what the parser found wrong with it."""

    st: Segment
    body: Loop
    guide: Guide | None
    delimiters: Delimiters
    interchange_control: str = ""
    group_control: str = ""
    se: Segment | None = None
    segment_count: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def set_id(self) -> str:
        """ST01: ``835``, ``837``..."""
        return self.st.get(1)

    @property
    def control(self) -> str:
        """ST02, the transaction set control number."""
        return self.st.get(2)

    @property
    def guide_id(self) -> str:
        """The implementation guide id used (ST03, else the guide openrcm picked)."""
        return self.guide.id if self.guide else self.st.get(3)

    def segments(self) -> Iterator[Segment]:
        """ST, the body and SE, in input order."""
        yield self.st
        yield from self.body.segments()
        if self.se is not None:
            yield self.se


@dataclass(slots=True, eq=False)
class Group:
    """One GS..GE functional group."""

    gs: Segment
    transactions: list[Transaction] = field(default_factory=list)
    ge: Segment | None = None
    findings: list[Finding] = field(default_factory=list)
    count: int = 0
    extra: list[Segment] = field(default_factory=list)

    @property
    def control(self) -> str:
        """GS06, the group control number."""
        return self.gs.get(6)


@dataclass(slots=True, eq=False)
class Interchange:
    """One ISA..IEA interchange; ``items`` keeps groups and stray segments in input order."""

    isa: Segment
    delimiters: Delimiters
    items: list[Group | Segment] = field(default_factory=list)
    iea: Segment | None = None
    findings: list[Finding] = field(default_factory=list)
    group_count: int = 0

    @property
    def control(self) -> str:
        """ISA13, the interchange control number."""
        return self.isa.get(13)

    @property
    def groups(self) -> list[Group]:
        """The functional groups, in order."""
        return [g for g in self.items if isinstance(g, Group)]


@dataclass(slots=True, eq=False)
class Document:
    """A whole input: its interchanges plus whatever surrounded them, for exact rewriting."""

    delimiters: Delimiters
    interchanges: list[Interchange] = field(default_factory=list)
    stray: list[Segment] = field(default_factory=list)
    prefix: str = ""
    trailer: str = ""
    unterminated: bool = False
    findings: list[Finding] = field(default_factory=list)

    def transactions(self) -> Iterator[Transaction]:
        """Every transaction set of every group of every interchange."""
        for interchange in self.interchanges:
            for group in interchange.groups:
                yield from group.transactions

    def all_findings(self) -> list[Finding]:
        """Document, interchange, group and transaction findings, outside in."""
        out = list(self.findings)
        for interchange in self.interchanges:
            out.extend(interchange.findings)
            for group in interchange.groups:
                out.extend(group.findings)
                for tx in group.transactions:
                    out.extend(tx.findings)
        return out

    def segments(self) -> Iterator[Segment]:
        """Every segment in input order (the writer's view of the document)."""
        all_segments: list[Segment] = list(self.stray)
        for interchange in self.interchanges:
            all_segments.append(interchange.isa)
            for item in interchange.items:
                if isinstance(item, Segment):
                    all_segments.append(item)
                    continue
                all_segments.append(item.gs)
                for tx in item.transactions:
                    all_segments.extend(tx.segments())
                all_segments.extend(item.extra)
                if item.ge is not None:
                    all_segments.append(item.ge)
            if interchange.iea is not None:
                all_segments.append(interchange.iea)
        all_segments.sort(key=lambda s: s.index)
        yield from all_segments
