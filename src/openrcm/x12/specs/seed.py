"""Seed openrcm spec data from pyx12's BSD-licensed XML maps.

Writing every TR3 loop, segment and code list by hand is slow and error-prone; pyx12 already
ships them as XML (BSD licence, see SOURCES.md). This tool converts one map into openrcm's own
YAML format (FORMAT.md) and merges what it learns into the shared segment and element
dictionaries. It runs at development time only: the package reads the YAML, never the XML.

Usage::

    python -m openrcm.x12.specs.seed MAP_DIR MAP_FILE GUIDE_ID FUNCTIONAL_GROUP [OUT_DIR]
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parent
_WRAPPERS = {"HEADER", "DETAIL", "FOOTER"}


def _text(node: ET.Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def _codes(node: ET.Element) -> list[str]:
    vc = node.find("valid_codes")
    if vc is None or vc.get("external"):
        return []
    return [(c.text or "").strip() for c in vc.findall("code")]


def _component_key(xid: str) -> str:
    base, _, comp = xid.partition("-")
    return f"{base}-{int(comp)}" if comp else base


def _element_use(node: ET.Element, dictionary: dict[str, Any]) -> dict[str, Any]:
    use: dict[str, Any] = {"usage": _text(node, "usage") or "S", "name": _text(node, "name")}
    codes = _codes(node)
    if codes:
        use["codes"] = codes
    ref = _text(node, "data_ele")
    std = dictionary.get(ref)
    for tag, key in (("min_len", "min"), ("max_len", "max")):
        value = _text(node, tag)
        if value and std is not None and int(value) != std[key]:
            use[key] = int(value)
    repeat = _text(node, "repeat")
    if repeat and repeat != "1":
        use["repeat"] = None if repeat.startswith(">") else int(repeat)
    regex = _text(node, "regex")
    if regex:
        use["pattern"] = regex
    return use


class Seeder:
    """Walks one pyx12 map, producing a guide and growing the shared dictionaries."""

    def __init__(self, elements: dict[str, Any], composites: dict[str, Any],
                 segments: dict[str, Any]) -> None:
        self.elements = elements
        self.composites = composites
        self.segments = segments

    def segment(self, node: ET.Element) -> dict[str, Any]:
        seg_id = node.get("xid", "")
        uses: dict[str, Any] = {}
        refs: list[str] = []
        for child in node:
            if child.tag == "element":
                key = child.get("xid", "")
                refs.append(_text(child, "data_ele"))
                uses[key] = _element_use(child, self.elements)
            elif child.tag == "composite":
                key = child.get("xid") or f"{seg_id}{_text(child, 'seq').zfill(2)}"
                cid = _text(child, "data_ele")
                refs.append(cid)
                uses[key] = {"usage": _text(child, "usage") or "S", "name": _text(child, "name")}
                repeat = _text(child, "repeat")
                if repeat and repeat != "1":
                    uses[key]["repeat"] = None if repeat.startswith(">") else int(repeat)
                comps: list[str] = []
                for sub in child.findall("element"):
                    comps.append(_text(sub, "data_ele"))
                    uses[_component_key(sub.get("xid", ""))] = _element_use(sub, self.elements)
                known = self.composites.get(cid)
                if known is None or len(known["components"]) < len(comps):
                    self.composites[cid] = {"name": _text(child, "name"), "components": comps}
        known_seg = self.segments.get(seg_id)
        syntax = [(s.text or "").strip() for s in node.findall("syntax")]
        if known_seg is None or len(known_seg["elements"]) < len(refs):
            self.segments[seg_id] = {"name": _text(node, "name"), "elements": refs,
                                     "syntax": syntax}
        max_use = _text(node, "max_use")
        out: dict[str, Any] = {
            "segment": seg_id,
            "name": _text(node, "name"),
            "usage": _text(node, "usage") or "S",
            "max_use": None if max_use.startswith(">") else int(max_use or "1"),
        }
        out["elements"] = uses
        return out

    def body(self, node: ET.Element) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for child in node:
            if child.tag == "segment":
                items.append(self.segment(child))
            elif child.tag == "loop":
                if child.get("xid") in _WRAPPERS or child.get("type") == "wrapper":
                    items.extend(self.body(child))
                    continue
                repeat = _text(child, "repeat")
                items.append({
                    "loop": child.get("xid", ""),
                    "name": _text(child, "name"),
                    "usage": _text(child, "usage") or "S",
                    "repeat": None if repeat.startswith(">") else int(repeat or "1"),
                    "structure": self.body(child),
                })
        _add_matches(items)
        return items


def _qualifier(seg: dict[str, Any]) -> dict[str, list[str]]:
    """The element whose code values tell this use apart: HL03 for HL, else the first coded."""
    elements: dict[str, Any] = seg["elements"]
    if seg["segment"] == "HL" and "HL03" in elements and elements["HL03"].get("codes"):
        return {"HL03": elements["HL03"]["codes"]}
    for key, use in elements.items():
        if use.get("codes") and use.get("usage") == "R":
            return {key: use["codes"]}
    return {}


def _first_segment(item: dict[str, Any]) -> dict[str, Any]:
    while "loop" in item:
        item = item["structure"][0]
    return item


def _add_matches(items: list[dict[str, Any]]) -> None:
    """Give a ``match`` to every loop trigger and to sibling uses that share a segment id."""
    by_id: dict[str, int] = {}
    for item in items:
        by_id[_first_segment(item)["segment"]] = by_id.get(_first_segment(item)["segment"], 0) + 1
    for item in items:
        first = _first_segment(item)
        if "loop" in item or by_id[first["segment"]] > 1:
            qualifier = _qualifier(first)
            if qualifier and "match" not in first:
                first["match"] = {key: list(codes) for key, codes in qualifier.items()}


class _Dumper(yaml.SafeDumper):
    """Writes element uses on one line each so a guide file reads like the TR3 table."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict) for v in data.values()) and "structure" not in data \
        and "segment" not in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(isinstance(v, (str, int)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def _load(path: Path) -> dict[str, Any]:
    if path.exists():
        data = yaml.safe_load(path.read_text())
        return data if isinstance(data, dict) else {}
    return {}


def seed(map_dir: Path, map_file: str, guide: str, group: str, out_dir: Path = SPEC_DIR) -> Path:
    """Convert ``map_file`` to ``<guide>.yaml`` and merge dictionaries; returns the guide path."""
    edata = _load(SPEC_DIR / "elements.yaml")
    elements: dict[str, Any] = edata.get("elements", {})
    composites: dict[str, Any] = edata.get("composites", {})
    if not elements:
        for de in ET.parse(map_dir / "dataele.xml").getroot():
            elements[de.get("ele_num", "")] = {
                "name": de.get("name", ""), "type": de.get("data_type", "AN"),
                "min": int(de.get("min_len", "1")), "max": int(de.get("max_len", "1")),
            }
    segments: dict[str, Any] = _load(SPEC_DIR / "segments.yaml").get("segments", {})
    seeder = Seeder(elements, composites, segments)
    root = ET.parse(map_dir / map_file).getroot()
    st_loop = root.find(".//loop[@xid='ST_LOOP']")
    if st_loop is None:
        raise SystemExit(f"{map_file}: no ST_LOOP")
    for env in root.iter("segment"):
        if env.get("xid") in {"ISA", "GS", "GE", "IEA"}:
            seeder.segment(env)
    guide_data = {
        "guide": guide,
        "transaction_set": root.get("xid", "")[:3],
        "functional_group": group,
        "name": _text(root, "name"),
        "source": f"seeded from pyx12 map {map_file} (BSD-3-Clause), see SOURCES.md",
        "structure": seeder.body(st_loop),
    }
    out = out_dir / f"{guide}.yaml"
    dump: dict[str, Any] = {"width": 100, "sort_keys": False, "allow_unicode": True,
                            "Dumper": _Dumper}
    out.write_text(yaml.dump(guide_data, **dump))
    elem_path, seg_path = out_dir / "elements.yaml", out_dir / "segments.yaml"
    dictionary = {"elements": dict(sorted(elements.items())),
                  "composites": dict(sorted(composites.items()))}
    elem_path.write_text(yaml.dump(dictionary, **dump))
    seg_path.write_text(yaml.dump({"segments": dict(sorted(segments.items()))}, **dump))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[5]) if len(sys.argv) > 5 else SPEC_DIR
    print(seed(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], target))
