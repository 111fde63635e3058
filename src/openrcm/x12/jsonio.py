"""Generic, lossless JSON for any parsed input: the loop tree as plain JSON (docs.md).

``document_from_json(document_to_json(doc))`` written back gives the input bytes: delimiters,
line breaks before each segment (``lead``), text before the first ISA and after the last
terminator are all kept. Segments outside any envelope stay where they were through the
``items`` lists, which are in input order. An interchange whose ISA declares other
delimiters than the first one carries its own ``delimiters``.
"""

from __future__ import annotations

from typing import Any

from openrcm.x12.spec import closest_guide
from openrcm.x12.tokens import Delimiters, Segment
from openrcm.x12.tree import Document, Group, Interchange, Loop, Transaction

FORMAT = "openrcm-x12-tree/1"


class TreeJSONError(ValueError):
    """The JSON is not an openrcm X12 tree; the message gives the JSON path at fault."""


def _seg(segment: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {"segment": segment.elements[0], "elements": segment.elements[1:]}
    if segment.lead:
        out["lead"] = segment.lead
    return out


def _loop(loop: Loop) -> dict[str, Any]:
    return {"loop": loop.id, "name": loop.name,
            "children": [_loop(c) if isinstance(c, Loop) else _seg(c) for c in loop.children]}


def _transaction(tx: Transaction) -> dict[str, Any]:
    return {"transaction": tx.set_id, "control": tx.control, "guide": tx.guide_id,
            "st": _seg(tx.st), "body": _loop(tx.body),
            "se": _seg(tx.se) if tx.se is not None else None}


def _group(group: Group) -> dict[str, Any]:
    items: list[tuple[int, dict[str, Any]]] = [(tx.st.index, _transaction(tx))
                                               for tx in group.transactions]
    items += [(s.index, _seg(s)) for s in group.extra]
    items.sort(key=lambda pair: pair[0])
    return {"gs": _seg(group.gs), "items": [item for _, item in items],
            "ge": _seg(group.ge) if group.ge is not None else None}


def _delimiters(d: Delimiters) -> dict[str, str]:
    return {"element": d.element, "component": d.component, "repetition": d.repetition,
            "segment": d.segment, "suffix": d.suffix}


def _interchange(ic: Interchange, first: Delimiters) -> dict[str, Any]:
    out = {"isa": _seg(ic.isa),
           "items": [_group(i) if isinstance(i, Group) else _seg(i) for i in ic.items],
           "iea": _seg(ic.iea) if ic.iea is not None else None}
    if ic.delimiters != first:
        out["delimiters"] = _delimiters(ic.delimiters)
    return out


def document_to_json(document: Document) -> dict[str, Any]:
    """The whole document as JSON-ready dicts and lists (no findings: see validate)."""
    d = document.delimiters
    items: list[tuple[int, dict[str, Any]]] = [(ic.isa.index, _interchange(ic, d))
                                               for ic in document.interchanges]
    items += [(s.index, _seg(s)) for s in document.stray]
    items.sort(key=lambda pair: pair[0])
    return {
        "format": FORMAT,
        "delimiters": _delimiters(d),
        "prefix": document.prefix, "trailer": document.trailer,
        "unterminated": document.unterminated,
        "items": [item for _, item in items],
    }


class _Reader:
    def __init__(self) -> None:
        self.index = 0

    def seg(self, data: Any, where: str) -> Segment:
        if not isinstance(data, dict) or not isinstance(data.get("segment"), str):
            raise TreeJSONError(f"{where}: expected a segment object")
        elements = data.get("elements", [])
        if not isinstance(elements, list) or not all(isinstance(e, str) for e in elements):
            raise TreeJSONError(f"{where}.elements: expected a list of strings")
        lead = data.get("lead", "")
        if not isinstance(lead, str):
            raise TreeJSONError(f"{where}.lead: expected a string")
        segment = Segment([data["segment"], *elements], lead, 0, 1, self.index)
        self.index += 1
        return segment

    def loop(self, data: Any, where: str) -> Loop:
        if not isinstance(data, dict) or "children" not in data:
            raise TreeJSONError(f"{where}: expected a loop object")
        loop = Loop(str(data.get("loop", "")), str(data.get("name", "")))
        for n, child in enumerate(data["children"]):
            path = f"{where}.children[{n}]"
            loop.children.append(self.loop(child, path) if isinstance(child, dict)
                                 and "loop" in child else self.seg(child, path))
        return loop

    def transaction(self, data: dict[str, Any], where: str, d: Delimiters, ic: Interchange,
                    group: Group) -> Transaction:
        st = self.seg(data.get("st"), f"{where}.st")
        body = self.loop(data.get("body"), f"{where}.body")
        se = self.seg(data["se"], f"{where}.se") if data.get("se") is not None else None
        guide = closest_guide(str(data.get("guide", "")), st.get(1)) if st.get(1) else None
        return Transaction(st, body, guide, d, ic.control, group.control, se)

    def group(self, data: Any, where: str, d: Delimiters, ic: Interchange) -> Group:
        if not isinstance(data, dict) or "gs" not in data:
            raise TreeJSONError(f"{where}: expected a group object")
        group = Group(self.seg(data["gs"], f"{where}.gs"))
        for n, item in enumerate(data.get("items", [])):
            path = f"{where}.items[{n}]"
            if isinstance(item, dict) and "transaction" in item:
                group.transactions.append(self.transaction(item, path, d, ic, group))
            else:
                group.extra.append(self.seg(item, path))
        group.count = len(group.transactions)
        if data.get("ge") is not None:
            group.ge = self.seg(data["ge"], f"{where}.ge")
        return group

    def interchange(self, data: dict[str, Any], where: str, d: Delimiters) -> Interchange:
        if data.get("delimiters") is not None:
            d = _delimiters_from(data["delimiters"], f"{where}.delimiters")
        ic = Interchange(self.seg(data.get("isa"), f"{where}.isa"), d)
        for n, item in enumerate(data.get("items", [])):
            path = f"{where}.items[{n}]"
            if isinstance(item, dict) and "gs" in item:
                ic.items.append(self.group(item, path, d, ic))
            else:
                ic.items.append(self.seg(item, path))
        if data.get("iea") is not None:
            ic.iea = self.seg(data["iea"], f"{where}.iea")
        return ic


def _delimiters_from(raw: Any, where: str) -> Delimiters:
    if not isinstance(raw, dict):
        raise TreeJSONError(f"{where}: expected an object")
    try:
        return Delimiters(str(raw["element"]), str(raw["component"]), str(raw["repetition"]),
                          str(raw["segment"]), str(raw.get("suffix", "")))
    except KeyError as exc:
        raise TreeJSONError(f"{where}: missing {exc.args[0]}") from exc


def document_from_json(data: Any) -> Document:
    """Rebuild a Document from :func:`document_to_json` output (write it with writer.write)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TreeJSONError(f"$: not an {FORMAT} document")
    d = _delimiters_from(data.get("delimiters"), "$.delimiters")
    doc = Document(d, prefix=str(data.get("prefix", "")), trailer=str(data.get("trailer", "")),
                   unterminated=bool(data.get("unterminated", False)))
    reader = _Reader()
    for n, item in enumerate(data.get("items", [])):
        path = f"$.items[{n}]"
        if isinstance(item, dict) and "isa" in item:
            doc.interchanges.append(reader.interchange(item, path, d))
        else:
            doc.stray.append(reader.seg(item, path))
    return doc
