"""The x12 use cases the CLI and the API share: parse, validate, acknowledge, JSON in/out.

Pure functions over bytes and plain values; the interfaces only read files or request
bodies, call these, and render the result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openrcm.findings import Finding, Severity
from openrcm.x12.ack import Acknowledgments, acknowledge
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.builders.envelope import BuildError, Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.jsonio import FORMAT as TREE_FORMAT
from openrcm.x12.jsonio import document_from_json, document_to_json
from openrcm.x12.parser import parse
from openrcm.x12.tokens import Delimiters
from openrcm.x12.tree import Document, Transaction
from openrcm.x12.views.claim import ClaimFile, claim_file_of
from openrcm.x12.views.codec import from_json, to_json
from openrcm.x12.views.remittance import Remittance, remittance_of
from openrcm.x12.writer import write

TYPED_FORMAT = "openrcm-x12-typed/1"


def finding_line(name: str, finding: Finding) -> str:
    """``file:segment N (loop L) ELEM: message`` — the CLI's one line per finding."""
    loc = finding.location
    where = f"segment {loc['segment']}" if "segment" in loc else f"line {loc.get('line', 1)}"
    loop = f" (loop {loc['loop']})" if loc.get("loop") else ""
    element = f" {loc['element']}" if loc.get("element") else ""
    return f"{name}:{where}{loop}{element}: {finding.severity.value}: {finding.message} " \
           f"[{finding.code}]"


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as a JSON object."""
    return {"code": finding.code, "severity": finding.severity.value,
            "message": finding.message, "location": finding.location, "hint": finding.hint,
            "source": finding.source}


def typed_view(tx: Transaction) -> tuple[str, Any] | None:
    """(kind, view) for the transactions openrcm has typed views of, else None."""
    if tx.set_id == "835":
        return "835", remittance_of(tx)
    if tx.set_id == "837":
        return "837", claim_file_of(tx)
    return None


def validate_bytes(raw: bytes) -> tuple[Document, list[Finding]]:
    """Parse and validate; findings in file order, outside in."""
    document = parse(raw)
    return document, document.all_findings()


def summary(document: Document) -> dict[str, Any]:
    """What the input holds: interchanges, groups, transactions (with typed views)."""
    out: list[dict[str, Any]] = []
    for tx in document.transactions():
        view = typed_view(tx)
        out.append({
            "set": tx.set_id, "control": tx.control, "guide": tx.guide_id,
            "segments": tx.segment_count,
            "view": {"kind": view[0], "value": to_json(view[1])} if view else None,
        })
    return {"interchanges": len(document.interchanges),
            "groups": sum(len(ic.groups) for ic in document.interchanges),
            "transactions": out,
            "errors": sum(f.severity is Severity.ERROR for f in document.all_findings())}


def acknowledgments(raw: bytes, control: int, created: date, time: str) -> Acknowledgments:
    """The 999 and TA1 for an input."""
    return acknowledge(parse(raw), control, created, time)


def to_tree_json(raw: bytes) -> dict[str, Any]:
    """The generic lossless loop-tree JSON of an input."""
    return document_to_json(parse(raw, validate=False))


def to_typed_json(raw: bytes) -> dict[str, Any]:
    """The typed-view JSON (835 and 837 transactions) with the envelope needed to rewrite it."""
    document = parse(raw, validate=False)
    if not document.interchanges or not document.interchanges[0].groups:
        raise ValueError("no functional group to convert")
    ic = document.interchanges[0]
    group = ic.groups[0]
    isa, gs = ic.isa, group.gs
    kinds: set[str] = set()
    views: list[Any] = []
    for tx in document.transactions():
        view = typed_view(tx)
        if view is None:
            raise ValueError(f"transaction set {tx.set_id[:3]!r} has no typed view")
        kinds.add(view[0])
        views.append(to_json(view[1]))
    if len(kinds) != 1:
        raise ValueError("the input holds no 835/837 transaction, or both kinds")
    d = document.delimiters
    return {
        "format": TYPED_FORMAT, "kind": kinds.pop(),
        "envelope": {
            "sender_qualifier": isa.get(5), "sender_id": isa.get(6).strip(),
            "receiver_qualifier": isa.get(7), "receiver_id": isa.get(8).strip(),
            "interchange_control": isa.get(13), "group_control": gs.get(6),
            "created": gs.get(4), "time": gs.get(5)[:4], "usage": isa.get(15),
            "application_sender": gs.get(2), "application_receiver": gs.get(3),
            "delimiters": {"element": d.element, "component": d.component,
                           "repetition": d.repetition or "^", "segment": d.segment,
                           "suffix": d.suffix},
        },
        "transactions": views,
    }


def _envelope(data: dict[str, Any]) -> Envelope:
    try:
        delims = data.get("delimiters") or {}
        created = str(data["created"])
        return Envelope(
            sender_id=str(data["sender_id"]), receiver_id=str(data["receiver_id"]),
            interchange_control=int(data["interchange_control"]),
            group_control=int(data["group_control"]),
            created=date(int(created[:4]), int(created[4:6]), int(created[6:8])),
            time=str(data.get("time", "0000")),
            sender_qualifier=str(data.get("sender_qualifier", "ZZ")),
            receiver_qualifier=str(data.get("receiver_qualifier", "ZZ")),
            application_sender=str(data.get("application_sender", "")),
            application_receiver=str(data.get("application_receiver", "")),
            usage=str(data.get("usage", "P")),
            delimiters=Delimiters(str(delims.get("element", "*")),
                                  str(delims.get("component", ":")),
                                  str(delims.get("repetition", "^")),
                                  str(delims.get("segment", "~")),
                                  str(delims.get("suffix", "\n"))))
    except (KeyError, ValueError, TypeError) as exc:
        raise BuildError(f"envelope: {exc}") from exc


def from_any_json(data: Any) -> str:
    """X12 text from either JSON shape (tree: exact bytes back; typed: rebuilt and validated)."""
    if isinstance(data, dict) and data.get("format") == TREE_FORMAT:
        return write(document_from_json(data))
    if not isinstance(data, dict) or data.get("format") != TYPED_FORMAT:
        raise ValueError(f"not an {TREE_FORMAT} or {TYPED_FORMAT} document")
    envelope = _envelope(data.get("envelope") or {})
    items = data.get("transactions") or []
    if data.get("kind") == "835":
        return write_remittance([from_json(Remittance, item) for item in items], envelope)
    if data.get("kind") == "837":
        return write_claim_files([from_json(ClaimFile, item) for item in items], envelope)
    raise ValueError("kind must be 835 or 837")
