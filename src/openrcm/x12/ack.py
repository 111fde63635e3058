"""999 and TA1 acknowledgments, produced mechanically from the findings of a parse.

Each finding code maps to one acknowledgment field (codes.py), so this module only groups:
segment and element findings of a transaction set become IK3/IK4 under its AK2, transaction
verdicts IK5, group verdicts AK9, and envelope findings a TA1. Control numbers, date and time
come from the caller (the core has no clock).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from openrcm.findings import Finding, Severity
from openrcm.x12.builders.envelope import Body, BuildError, Envelope, interchange, render
from openrcm.x12.codes import Level, ack_code
from openrcm.x12.spec import composite_definition, element_definition, segment_definition
from openrcm.x12.tokens import Delimiters, is_digits
from openrcm.x12.tree import Document, Group, Interchange, Transaction

GUIDE_999 = "005010X231A1"


@dataclass(frozen=True, slots=True)
class Acknowledgments:
    """What to send back for one input: a 999 interchange and, when needed, a TA1."""

    ack_999: str | None
    ta1: str | None


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR and ack_code(f.code) is not None]


def _element_ref(segment_id: str, element: str) -> str:
    """The data element reference number of ``CLM05-1`` style keys, for IK402."""
    definition = segment_definition(segment_id)
    base, _, comp = element.partition("-")
    if definition is None or len(base) < 3 or not is_digits(base[-2:]):
        return ""
    position = int(base[-2:])
    refs = definition["elements"]
    if position > len(refs):
        return ""
    ref = str(refs[position - 1])
    if comp and ref.startswith("C"):
        components = (composite_definition(ref) or {}).get("components", [])
        index = int(comp) - 1
        return str(components[index]) if index < len(components) else ""
    return ref if element_definition(ref) is not None else ""


def _transaction_response(tx: Transaction) -> tuple[Body, bool]:
    """AK2 .. IK5 for one transaction set; the bool says whether it is accepted."""
    errors = _errors(tx.findings)
    ak2 = ["AK2", tx.set_id, tx.control]
    if tx.st.get(3):
        ak2.append(tx.st.get(3))
    body: Body = [ak2]
    by_segment: dict[int, list[Finding]] = {}
    tx_codes: list[str] = []
    for finding in errors:
        level, code = ack_code(finding.code) or (Level.TRANSACTION, "5")
        if level is Level.TRANSACTION:
            if code not in tx_codes:
                tx_codes.append(code)
        elif level in (Level.SEGMENT, Level.ELEMENT):
            position = int(finding.location.get("segment", 0) or 0)
            by_segment.setdefault(position, []).append(finding)
    for position in sorted(by_segment):
        items = by_segment[position]
        first = items[0]
        seg_codes = [ack_code(f.code) for f in items]
        segment_level = next((c for lv, c in (x for x in seg_codes if x) if lv is Level.SEGMENT),
                             "8")
        seg_id = str(first.location.get("segment_id", ""))[:3] or "ST"
        loop = str(first.location.get("loop", ""))
        body.append(["IK3", seg_id, str(position), "" if loop == "ST" else loop, segment_level])
        for finding in items:
            level, code = ack_code(finding.code) or (Level.SEGMENT, "8")
            if level is not Level.ELEMENT:
                continue
            element = str(finding.location.get("element", ""))
            base, _, comp = element.partition("-")
            if len(base) < 3 or not is_digits(base[-2:]):
                continue
            ik401 = str(int(base[-2:])) + (f":{comp}" if comp else "")
            body.append(["IK4", ik401, _element_ref(seg_id, element), code])
    accepted = not errors
    if by_segment and "5" not in tx_codes:
        tx_codes.append("5")
    body.append(["IK5", "A" if accepted else "R", *tx_codes[:5]])
    return body, accepted


def _group_response(group: Group) -> Body:
    version = group.gs.get(8)
    body: Body = [["AK1", group.gs.get(1), group.control, version] if version
                  else ["AK1", group.gs.get(1), group.control]]
    accepted = 0
    for tx in group.transactions:
        tx_body, ok = _transaction_response(tx)
        body.extend(tx_body)
        accepted += ok
    received = len(group.transactions)
    group_codes: list[str] = []
    for finding in _errors(group.findings):
        level, code = ack_code(finding.code) or (Level.GROUP, "")
        if level is Level.GROUP and code not in group_codes:
            group_codes.append(code)
    if group_codes or accepted == 0:
        verdict = "R"
    elif accepted < received:
        verdict = "P"
    else:
        verdict = "A"
    included = group.ge.get(1) if group.ge is not None and is_digits(group.ge.get(1)) else \
        str(received)
    body.append(["AK9", verdict, included, str(received), str(accepted), *group_codes[:5]])
    return body


_STANDARD = Delimiters("*", ":", "^", "~", "\n")


def _reply_delimiters(d: Delimiters) -> Delimiters:
    """The source's delimiters when they are usable for writing, else the standard ones.

    A damaged ISA can yield a space or a digit-like character as a separator, or no
    repetition separator; the acknowledgment must still be writable.
    """
    chars = (d.element, d.component, d.repetition, d.segment)
    if all(len(c) == 1 and not c.isalnum() and c != " " for c in chars) \
            and len(set(chars)) == 4:
        return d
    return _STANDARD


def _clean(value: str) -> str:
    """A copied value without the standard delimiters (only for damaged input)."""
    return "".join(ch for ch in value if ch not in "*:^~") or "X"


def _scrub(body: Body) -> Body:
    return [[elements[0], *(_clean(v) if v.strip() else v for v in elements[1:])]
            for elements in body]


def _reply_envelope(source: Interchange, control: int, created: date, time: str) -> Envelope:
    isa = source.isa
    return Envelope(
        sender_id=(isa.get(8).strip() or "UNKNOWN")[:15],
        receiver_id=(isa.get(6).strip() or "UNKNOWN")[:15],
        interchange_control=control, group_control=control, created=created, time=time,
        sender_qualifier=(isa.get(7) or "ZZ")[:2], receiver_qualifier=(isa.get(5) or "ZZ")[:2],
        delimiters=_reply_delimiters(source.delimiters))


def _ta1(source: Interchange, control: int, created: date, time: str) -> str | None:
    """A TA1 for an interchange with envelope errors (or that asked for one with ISA14=1)."""
    errors = [f for f in _errors(source.findings)
              if (ack_code(f.code) or (Level.SEGMENT, ""))[0] is Level.INTERCHANGE]
    if not errors and source.isa.get(14) != "1":
        return None
    note = (ack_code(errors[0].code) or (Level.INTERCHANGE, "000"))[1] if errors else "000"
    env = _reply_envelope(source, control, created, time)
    isa = source.isa
    usage = isa.get(15) if isa.get(15) in ("P", "T", "I") else "P"
    ta1 = ["TA1", isa.get(13)[:9], isa.get(9)[:6], isa.get(10)[:4], "R" if errors else "A", note]
    for d in (env.delimiters, _STANDARD):
        sender, receiver = env.sender_id, env.receiver_id
        if d is _STANDARD:
            sender, receiver, ta1 = _clean(sender), _clean(receiver), _scrub([ta1])[0]
        segments: Body = [
            ["ISA", "00", " " * 10, "00", " " * 10, env.sender_qualifier, sender.ljust(15),
             env.receiver_qualifier, receiver.ljust(15), created.strftime("%y%m%d"), time,
             d.repetition, "00501", f"{control:09d}", "0", usage, d.component],
            ta1,
            ["IEA", "0", f"{control:09d}"],
        ]
        try:
            return render(segments, d)
        except BuildError:
            continue
    return None


def acknowledge(document: Document, control: int, created: date, time: str) -> Acknowledgments:
    """The 999 (one per group, in one reply interchange) and the TA1 for a parsed input.

    Only the first interchange of a multi-interchange input is acknowledged in the TA1; its
    999 covers the groups of every interchange.
    """
    if not document.interchanges:
        return Acknowledgments(None, None)
    first = document.interchanges[0]
    responses: list[tuple[str, str, Body]] = []
    for number, group in enumerate(
            (g for ic in document.interchanges for g in ic.groups), start=1):
        responses.append(("999", f"{number:04d}", _group_response(group)))
    ack_999 = None
    if responses:
        env = _reply_envelope(first, control, created, time)
        try:
            ack_999 = interchange(env, "FA", GUIDE_999, responses)
        except BuildError:
            scrubbed = [(a, b, _scrub(body)) for a, b, body in responses]
            ack_999 = interchange(replace(env, delimiters=_STANDARD, sender_id=_clean(
                env.sender_id), receiver_id=_clean(env.receiver_id)), "FA", GUIDE_999, scrubbed)
    return Acknowledgments(ack_999, _ta1(first, control, created, time))
