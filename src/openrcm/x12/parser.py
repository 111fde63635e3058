"""Spec-driven parser and validator: segments in, loop tree and findings out.

One engine for every guide. The envelope (ISA/GS/ST ... SE/GE/IEA) is handled here in code
because its rules are the same for every transaction; the body is placed by the guide's loop
structure (spec.py): each segment goes on the first segment use, scanning forward from the
current position of the current loop and then outward, whose id and qualifier match. A
segment no use accepts stays in the tree, reported, and parsing goes on: a clearinghouse front
end must describe every problem of a file, not stop at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO

from openrcm.findings import Finding, Severity
from openrcm.x12.elements import TIME, Problem, check_segment, valid_date
from openrcm.x12.spec import (
    Guide,
    LoopDef,
    SegmentUse,
    SpecError,
    closest_guide,
    registered,
    segment_definition,
)
from openrcm.x12.tokens import Delimiters, Segment, Tokenizer, X12SyntaxError, is_digits
from openrcm.x12.tree import Document, Group, Interchange, Loop, Transaction

Source = str | bytes | BinaryIO | TextIO
SOURCE_TR3 = "ASC X12 5010 TR3"

_ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
_ISA_WIDTH_CODES = ("X12-ISA-AUTH-QUAL", "X12-ISA-AUTH", "X12-ISA-SECURITY-QUAL",
                    "X12-ISA-SECURITY", "X12-ISA-SENDER-QUAL", "X12-ISA-SENDER",
                    "X12-ISA-RECEIVER-QUAL", "X12-ISA-RECEIVER", "X12-ISA-DATE", "X12-ISA-TIME",
                    "X12-ISA-STANDARD", "X12-ISA-VERSION", "X12-ISA-CONTROL",
                    "X12-ISA-ACK-REQUESTED", "X12-ISA-USAGE", "X12-ISA-COMPONENT-SEP")
_ID_QUALIFIERS = frozenset({"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"})


def _fits(use: SegmentUse, elements: list[str], component: str) -> bool:
    """True when every coded element present has an allowed value (tells apart two uses
    whose qualifiers overlap, like the two 2400 PWK uses of 837P that both accept CT)."""
    count = len(elements)
    for position, rule in enumerate(use.elements, start=1):
        if position >= count:
            break
        value = elements[position]
        if not value:
            continue
        if rule.codes is not None and value not in rule.codes:
            return False
        if rule.components:
            parts = value.split(component)
            for comp_rule, part in zip(rule.components, parts, strict=False):
                if part and comp_rule.codes is not None and part not in comp_rule.codes:
                    return False
    return True


class _Frame:
    __slots__ = ("counts", "definition", "loop", "pos")

    def __init__(self, definition: LoopDef, loop: Loop, pos: int) -> None:
        self.definition = definition
        self.loop = loop
        self.pos = pos
        self.counts: dict[int, int] = {}


class _Placer:
    """Places the body segments of one transaction on its guide's loop structure."""

    def __init__(self, tx: Transaction, guide: Guide, validate: bool,
                 report: Callable[[str, str, Segment | None, str, str], None],
                 memo: dict[tuple[int, str], list[Problem]]) -> None:
        root = _Frame(guide.body, tx.body, 1)
        root.counts[0] = 1
        self.stack = [root]
        self.delimiters = tx.delimiters
        self.validate = validate
        self.report = report
        self.memo = memo

    def place(self, seg: Segment) -> None:
        elements = seg.elements
        seg_id = elements[0]
        comp = self.delimiters.component
        stack = self.stack
        for loose in (False, True):
            for depth in range(len(stack) - 1, -1, -1):
                frame = stack[depth]
                chosen: tuple[int, SegmentUse | LoopDef] | None = None
                options = frame.definition.candidates.get(seg_id, ())
                for index, node in options:
                    if index < frame.pos or (index == 0 and depth > 0):
                        continue
                    use = node if isinstance(node, SegmentUse) else node.trigger
                    if not loose and use.match and not use.matches(elements, comp):
                        continue
                    if chosen is None:
                        chosen = (index, node)
                        if len(options) == 1:
                            break
                    if _fits(use, elements, comp):
                        chosen = (index, node)
                        break
                if chosen is not None:
                    while len(stack) > depth + 1:
                        self._close(stack.pop(), seg)
                    self._put(frame, chosen[0], chosen[1], seg)
                    return
        current = stack[-1]
        current.loop.children.append(seg)
        if segment_definition(seg_id) is None:
            self.report("X12-SEG-UNRECOGNIZED", f"segment id {seg_id[:3]!r} is not an X12 segment",
                        seg, current.loop.id, "")
        else:
            self.report("X12-SEG-UNEXPECTED",
                        f"{seg_id} is not expected here (loop {current.loop.id})",
                        seg, current.loop.id, "")

    def _put(self, frame: _Frame, index: int, node: SegmentUse | LoopDef, seg: Segment) -> None:
        count = frame.counts.get(index, 0) + 1
        frame.counts[index] = count
        frame.pos = index
        if isinstance(node, LoopDef):
            if node.repeat is not None and count > node.repeat:
                self.report("X12-LOOP-MAX", f"loop {node.id} occurs more than {node.repeat} times",
                            seg, node.id, "")
            loop = Loop(node.id, node.name)
            frame.loop.children.append(loop)
            child = _Frame(node, loop, 0)
            self.stack.append(child)
            self._put(child, 0, node.children[0], seg)
            return
        seg.use = node
        frame.loop.children.append(seg)
        if node.usage == "N":
            self.report("X12-SEG-NOT-USED", f"{node.id} ({node.name}) is not used in this guide",
                        seg, frame.loop.id, "")
        elif node.max_use is not None and count > node.max_use:
            self.report("X12-SEG-MAX-USE",
                        f"{node.id} ({node.name}) occurs more than {node.max_use} times",
                        seg, frame.loop.id, "")
        if self.validate:
            # Element checks are a pure function of (segment use, elements): files repeat the
            # same DTM, CAS, N4... thousands of times, so results are memoized per parse.
            key = (id(node), "\x1f".join(seg.elements))
            problems = self.memo.get(key)
            if problems is None:
                if len(self.memo) > 50_000:
                    self.memo.clear()
                problems = self.memo[key] = check_segment(seg.elements, node, self.delimiters)
            for code, key_name, message in problems:
                self.report(code, message, seg, frame.loop.id, key_name)

    def _close(self, frame: _Frame, at: Segment | None) -> None:
        for index, node in enumerate(frame.definition.children):
            if frame.counts.get(index, 0) or node.usage != "R":
                continue
            if isinstance(node, SegmentUse):
                if frame.definition.id == "ST" and node.id in ("ST", "SE"):
                    continue
                self.report("X12-SEG-MISSING",
                            f"required segment {node.id} ({node.name}) is missing in loop "
                            f"{frame.definition.id}", at, frame.definition.id, "")
            else:
                self.report("X12-SEG-MISSING",
                            f"required loop {node.id} ({node.name}) is missing",
                            at, frame.definition.id, "")

    def finish(self, at: Segment | None) -> None:
        while self.stack:
            self._close(self.stack.pop(), at)


class Parser:
    """Feeds segments through the envelope state machine.

    Completed transactions are handed to ``on_transaction``; with ``keep=False`` nothing is
    retained after that, which is how a 300 MB file is read in bounded memory.
    ``current`` tells the separators of the interchange an ISA opens (the tokenizer's, which
    re-reads them at each ISA); without it every interchange has the document's.
    """

    def __init__(self, delimiters: Delimiters, validate: bool = True, keep: bool = True,
                 on_transaction: Callable[[Transaction], None] | None = None,
                 current: Callable[[], Delimiters] | None = None) -> None:
        self.document = Document(delimiters)
        self.current = current
        self.validate = validate
        self.keep = keep
        self.on_transaction = on_transaction
        self.interchange: Interchange | None = None
        self.group: Group | None = None
        self.tx: Transaction | None = None
        self.placer: _Placer | None = None
        self.group_controls: set[str] = set()
        self.tx_controls: set[str] = set()
        self.memo: dict[tuple[int, str], list[Problem]] = {}

    # -- findings -------------------------------------------------------------------------
    def _location(self, seg: Segment | None, loop: str, element: str) -> dict[str, str | int]:
        loc: dict[str, str | int] = {}
        if self.interchange is not None:
            loc["interchange"] = self.interchange.control
        if self.group is not None:
            loc["group"] = self.group.control
        tx = self.tx
        if tx is not None:
            loc["transaction"] = tx.control
            loc["set"] = tx.set_id
        if loop:
            loc["loop"] = loop
        if seg is not None:
            if tx is not None:
                loc["segment"] = seg.index - tx.st.index + 1
            loc["segment_id"] = seg.elements[0][:3]
            loc["line"] = seg.line
        if element:
            loc["element"] = element
        return loc

    def _tx_report(self, code: str, message: str, seg: Segment | None, loop: str,
                   element: str) -> None:
        assert self.tx is not None
        self.tx.findings.append(Finding(code, Severity.ERROR, message,
                                        self._location(seg, loop, element), source=SOURCE_TR3))

    def _report(self, target: list[Finding], code: str, message: str,
                seg: Segment | None = None, element: str = "") -> None:
        target.append(Finding(code, Severity.ERROR, message, self._location(seg, "", element),
                              source=SOURCE_TR3))

    # -- the state machine ----------------------------------------------------------------
    def feed(self, seg: Segment) -> None:
        """Take the next segment of the input."""
        seg_id = seg.elements[0]
        if self.tx is not None and seg_id not in ("SE", "ST", "GE", "IEA", "ISA", "GS"):
            self.tx.segment_count += 1
            if self.placer is not None:
                self.placer.place(seg)
            else:
                self.tx.body.children.append(seg)
            return
        handler = _HANDLERS.get(seg_id)
        if handler is not None:
            handler(self, seg)
            return
        if self.group is not None:
            self.group.extra.append(seg)
            self._report(self.group.findings, "X12-SEG-NOT-IN-SET",
                         f"{seg_id[:3]!r} segment outside any transaction set", seg)
        elif self.interchange is not None:
            self.interchange.items.append(seg)
            if seg_id != "TA1":
                self._report(self.interchange.findings, "X12-ISA-CONTENT",
                             f"{seg_id[:3]!r} segment outside any functional group", seg)
        else:
            self.document.stray.append(seg)
            self._report(self.document.findings, "X12-ISA-STRUCTURE",
                         f"{seg_id[:3]!r} segment outside any interchange", seg)

    def _stray(self, seg: Segment, message: str) -> None:
        """Keep a misplaced envelope segment in the innermost open container, reported."""
        if self.interchange is not None:
            self.interchange.items.append(seg)
            self._report(self.interchange.findings, "X12-ISA-CONTENT", message, seg)
        else:
            self.document.stray.append(seg)
            self._report(self.document.findings, "X12-ISA-STRUCTURE", message, seg)

    def _isa(self, seg: Segment) -> None:
        if self.interchange is not None:
            self._close_interchange(None)
        d = self.current() if self.current is not None else self.document.delimiters
        self.interchange = Interchange(seg, d)
        self.group_controls = set()
        if self.keep or not self.document.interchanges:
            self.document.interchanges.append(self.interchange)
        findings = self.interchange.findings
        elements = seg.elements
        if len(elements) != 17:
            self._report(findings, "X12-ISA-STRUCTURE",
                         f"ISA has {len(elements) - 1} elements; it must have 16", seg)
            return
        for position, (width, code) in enumerate(zip(_ISA_WIDTHS, _ISA_WIDTH_CODES, strict=True),
                                                 start=1):
            if len(elements[position]) != width:
                self._report(findings, code, f"ISA{position:02d} must be exactly {width} "
                             "characters", seg, f"ISA{position:02d}")
        checks = (
            (1, {"00", "01", "02", "03", "04", "05", "06"}, "X12-ISA-AUTH-QUAL"),
            (3, {"00", "01"}, "X12-ISA-SECURITY-QUAL"),
            (5, _ID_QUALIFIERS, "X12-ISA-SENDER-QUAL"),
            (7, _ID_QUALIFIERS, "X12-ISA-RECEIVER-QUAL"),
            (14, {"0", "1"}, "X12-ISA-ACK-REQUESTED"),
            (15, {"P", "T", "I"}, "X12-ISA-USAGE"),
        )
        for position, allowed, code in checks:
            if len(elements[position]) == _ISA_WIDTHS[position - 1] and \
                    elements[position] not in allowed:
                self._report(findings, code, f"ISA{position:02d} has an invalid code value",
                             seg, f"ISA{position:02d}")
        if len(elements[9]) == 6 and not valid_date(elements[9]):
            self._report(findings, "X12-ISA-DATE", "ISA09 is not a valid date", seg, "ISA09")
        if len(elements[10]) == 4 and not TIME.fullmatch(elements[10]):
            self._report(findings, "X12-ISA-TIME", "ISA10 is not a valid time", seg, "ISA10")
        if not is_digits(elements[13]):
            self._report(findings, "X12-ISA-CONTROL", "ISA13 must be 9 digits", seg, "ISA13")
        if not is_digits(elements[12]):
            self._report(findings, "X12-ISA-VERSION", "ISA12 is not a version number", seg,
                         "ISA12")
        if elements[16] != d.component:
            self._report(findings, "X12-ISA-COMPONENT-SEP",
                         "ISA16 is not the component separator the interchange is read with",
                         seg, "ISA16")

    def _gs(self, seg: Segment) -> None:
        if self.group is not None:
            self._close_group(None)
        if self.interchange is None:
            self.document.stray.append(seg)
            self._report(self.document.findings, "X12-ISA-STRUCTURE",
                         "GS segment outside any interchange", seg)
            return
        self.group = Group(seg)
        self.tx_controls = set()
        self.interchange.group_count += 1
        self.interchange.items.append(self.group)
        control = seg.get(6)
        if not is_digits(control) or len(control) > 9:
            self._report(self.group.findings, "X12-GS-CONTROL",
                         "GS06 must be a number of 1 to 9 digits", seg, "GS06")
        elif control in self.group_controls:
            self._report(self.group.findings, "X12-GS-CONTROL-DUP",
                         "GS06 repeats an earlier group control number in this interchange",
                         seg, "GS06")
        self.group_controls.add(control)
        if len(seg.elements) != 9:
            self._report(self.group.findings, "X12-GS-UNSUPPORTED",
                         f"GS has {len(seg.elements) - 1} elements; it must have 8", seg)

    def _st(self, seg: Segment) -> None:
        if self.tx is not None:
            self._close_transaction(None)
        if self.group is None:
            self._stray(seg, "ST segment outside any functional group")
            return
        self.group.count += 1
        d = self.interchange.delimiters if self.interchange else self.document.delimiters
        set_id = seg.get(1)
        # GS08 names the guide of every set in the group; ST03, when sent, must repeat it.
        group_guide = self.group.gs.get(8)
        guide_id = group_guide or seg.get(3)
        st03_differs = bool(seg.get(3)) and bool(group_guide) and seg.get(3) != group_guide
        try:
            guide = closest_guide(guide_id, set_id) if set_id else None
        except SpecError as exc:
            guide = None
            spec_problem = str(exc)
        else:
            spec_problem = ""
        tx = Transaction(seg, Loop("ST", "Transaction Set"), guide, d,
                         self.interchange.control if self.interchange else "", self.group.control)
        tx.segment_count = 1
        self.tx = tx
        if self.keep:
            self.group.transactions.append(tx)
        control = seg.get(2)
        if not 4 <= len(control) <= 9:
            self._tx_report("X12-ST-CONTROL", "ST02 must be 4 to 9 characters", seg, "", "ST02")
        elif control in self.tx_controls:
            self._tx_report("X12-ST-CONTROL-DUP",
                            "ST02 repeats an earlier transaction control number in this group",
                            seg, "", "ST02")
        self.tx_controls.add(control)
        if guide is None:
            self.placer = None
            if set_id in {tset for _, tset in registered()} and not spec_problem:
                # The set is supported but not under this convention (GS08 ``005010`` names
                # no guide at all): IK502 I6, not "transaction set not supported".
                self._tx_report("X12-ST-GUIDE", f"implementation guide {guide_id[:12]!r} is not "
                                f"supported for transaction set {set_id}", seg, "", "ST03")
                return
            code = "X12-ST-UNSUPPORTED" if set_id else "X12-ST-ID"
            self._tx_report(code, spec_problem or f"no openrcm spec for transaction set "
                            f"{set_id[:3]!r} under guide {guide_id[:12]!r}", seg, "", "ST01")
            return
        if guide.id != guide_id:
            # A HIPAA front end rejects a guide it does not support (IK5*R*I6); the body is
            # still placed and validated with the sibling guide so that the sender gets every
            # other problem of the file in the same answer.
            self._tx_report("X12-ST-GUIDE", f"implementation guide {guide_id[:12]!r} is not "
                            f"supported (openrcm holds {guide.id}; the transaction set was "
                            "checked against it)", seg, "", "ST03")
        group_id = self.group.gs.get(1)
        if guide.functional_group and group_id != guide.functional_group:
            self._tx_report("X12-ST-ID", f"transaction set {set_id} belongs in a GS01 "
                            f"{guide.functional_group} group, not {group_id[:2]!r}", seg, "",
                            "ST01")
        if st03_differs:
            self._tx_report("X12-ELEM-CODE-NOT-USED", f"ST03 {seg.get(3)[:12]!r} must equal GS08 "
                            f"{group_guide[:12]!r}, the guide of the functional group", seg, "ST",
                            "ST03")
        self.placer = _Placer(tx, guide, self.validate, self._tx_report, self.memo)
        first = guide.body.children[0]
        if self.validate and isinstance(first, SegmentUse):
            seg.use = first
            for code, key, message in check_segment(seg.elements, first, d):
                if key == "ST03" and (guide.id != guide_id or st03_differs):
                    continue
                self._tx_report(code, message, seg, "ST", key)

    def _se(self, seg: Segment) -> None:
        if self.tx is None:
            if self.group is not None:
                self.group.extra.append(seg)
                self._report(self.group.findings, "X12-SEG-NOT-IN-SET",
                             "SE segment without a matching ST", seg)
            else:
                self._stray(seg, "SE segment outside any functional group")
            return
        self._close_transaction(seg)

    def _ge(self, seg: Segment) -> None:
        if self.tx is not None:
            self._close_transaction(None)
        if self.group is None:
            if self.interchange is not None:
                self.interchange.items.append(seg)
                self._report(self.interchange.findings, "X12-ISA-STRUCTURE",
                             "GE segment without a matching GS", seg)
            else:
                self.document.stray.append(seg)
                self._report(self.document.findings, "X12-ISA-STRUCTURE",
                             "GE segment outside any interchange", seg)
            return
        self._close_group(seg)

    def _iea(self, seg: Segment) -> None:
        if self.group is not None:
            self._ge_missing()
        if self.interchange is None:
            self.document.stray.append(seg)
            self._report(self.document.findings, "X12-ISA-STRUCTURE",
                         "IEA segment without a matching ISA", seg)
            return
        self._close_interchange(seg)

    def _ge_missing(self) -> None:
        if self.tx is not None:
            self._close_transaction(None)
        self._close_group(None)

    # -- closing ----------------------------------------------------------------------------
    def _close_transaction(self, se: Segment | None) -> None:
        tx = self.tx
        assert tx is not None
        if self.placer is not None:
            self.placer.finish(se)
            self.placer = None
        if se is None:
            self._tx_report("X12-SE-MISSING", "transaction set has no SE trailer", None, "", "")
        else:
            tx.se = se
            tx.segment_count += 1
            se.use = tx.guide.body.children[-1] if tx.guide else None
            count = se.get(1)
            if count != str(tx.segment_count):
                self._tx_report("X12-SE-COUNT", f"SE01 says {count[:10]!r} segments; the "
                                f"transaction set has {tx.segment_count}", se, "", "SE01")
            if se.get(2) != tx.control:
                self._tx_report("X12-SE-CONTROL", "SE02 does not match ST02", se, "", "SE02")
        if tx.guide is not None and self.validate:
            from openrcm.x12.edits import run_edits

            tx.findings.extend(run_edits(tx))
        self.tx = None
        if self.on_transaction is not None:
            self.on_transaction(tx)

    def _close_group(self, ge: Segment | None) -> None:
        group = self.group
        assert group is not None
        if ge is None:
            self._report(group.findings, "X12-GE-MISSING", "functional group has no GE trailer")
        else:
            group.ge = ge
            if ge.get(1) != str(group.count):
                self._report(group.findings, "X12-GE-COUNT", f"GE01 says {ge.get(1)[:10]!r} "
                             f"transaction sets; the group has {group.count}", ge, "GE01")
            if ge.get(2) != group.control:
                self._report(group.findings, "X12-GE-CONTROL", "GE02 does not match GS06", ge,
                             "GE02")
        self.group = None

    def _close_interchange(self, iea: Segment | None) -> None:
        interchange = self.interchange
        assert interchange is not None
        if self.group is not None:
            self._ge_missing()
        if iea is None:
            self._report(interchange.findings, "X12-IEA-MISSING", "interchange has no IEA trailer")
        else:
            interchange.iea = iea
            if iea.get(1) != str(interchange.group_count):
                self._report(interchange.findings, "X12-IEA-COUNT", f"IEA01 says "
                             f"{iea.get(1)[:10]!r} groups; the interchange has "
                             f"{interchange.group_count}", iea, "IEA01")
            if iea.get(2) != interchange.control:
                self._report(interchange.findings, "X12-IEA-CONTROL",
                             "IEA02 does not match ISA13", iea, "IEA02")
        self.interchange = None

    def finish(self) -> Document:
        """Close whatever is still open (a truncated file) and return the document."""
        if self.tx is not None:
            self._close_transaction(None)
        if self.group is not None:
            self._close_group(None)
        if self.interchange is not None:
            self._close_interchange(None)
        return self.document


_HANDLERS: dict[str, Callable[[Parser, Segment], None]] = {
    "ISA": Parser._isa, "GS": Parser._gs, "ST": Parser._st, "SE": Parser._se,
    "GE": Parser._ge, "IEA": Parser._iea,
}


def _not_x12(exc: X12SyntaxError) -> Document:
    doc = Document(Delimiters())
    doc.findings.append(Finding("X12-ISA-STRUCTURE", Severity.ERROR, str(exc),
                                {"line": 1}, source=SOURCE_TR3))
    return doc


def parse(source: Source, *, validate: bool = True) -> Document:
    """Read a whole input (text, bytes or open file) into a Document with its findings.

    Never raises on bad X12: an unreadable ISA gives a Document with one finding.
    """
    try:
        tokenizer = Tokenizer(source)
    except X12SyntaxError as exc:
        return _not_x12(exc)
    parser = Parser(tokenizer.delimiters, validate=validate,
                    current=lambda: tokenizer.delimiters)
    for seg in tokenizer:
        parser.feed(seg)
    document = parser.finish()
    document.prefix = tokenizer.prefix
    if tokenizer.prefix.strip(" \t\r\n"):
        # A byte-order mark (or any other byte) is outside the X12 character set: the
        # interchange must begin with ISA. The bytes are kept so the file still round-trips.
        document.findings.append(Finding(
            "X12-ISA-CONTENT", Severity.ERROR, "the input has bytes before ISA (a UTF-8 "
            "byte-order mark?); an interchange must begin with ISA", {"offset": 0, "line": 1},
            source=SOURCE_TR3))
    document.trailer = tokenizer.trailer
    document.unterminated = tokenizer.unterminated
    if tokenizer.unterminated:
        document.findings.append(Finding(
            "X12-IEA-MISSING", Severity.ERROR, "the input ends inside a segment (truncated)",
            {"offset": len(tokenizer.prefix)}, source=SOURCE_TR3))
    return document


def iter_transactions(source: Source, *, validate: bool = False) -> Iterator[Transaction]:
    """Stream the transaction sets of a large input one at a time, keeping none of them.

    Envelope findings are attached to the transactions only when they concern them; use
    :func:`parse` to get every finding of a file.
    """
    tokenizer = Tokenizer(source)
    ready: list[Transaction] = []
    parser = Parser(tokenizer.delimiters, validate=validate, keep=False,
                    on_transaction=ready.append, current=lambda: tokenizer.delimiters)
    for seg in tokenizer:
        parser.feed(seg)
        if ready:
            yield from ready
            ready.clear()
    parser.finish()
    yield from ready
