"""Spec data compiled for the engine: dictionaries + guides (see specs/FORMAT.md).

The YAML files are the source of truth; this module turns them, once per process, into
frozen objects shaped for the parser's hot path: a loop knows, for each segment id, which of
its children may start with it, so placing a segment is a dict lookup and a short scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parent / "specs"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecError(ValueError):
    """A spec file is malformed; the message names the file and the node."""


@dataclass(frozen=True, slots=True)
class ElementRule:
    """How one element (or component) of one segment use must look.

    Attributes:
        key: position name, ``CLM05`` or ``CLM05-1``.
        name: the guide's (or dictionary's) name, for messages.
        ref: the X12 data element number (``C023`` for a composite).
        type: X12 data type (``AN``, ``ID``, ``DT``, ``TM``, ``N0``..``N9``, ``R``).
        min: minimum length. max: maximum length.
        usage: ``R``, ``S`` or ``N``.
        codes: allowed values, or None when any value of the type is allowed.
        pattern: compiled regular expression the value must fully match, or None.
        repeat: allowed repetitions; None means unbounded.
        components: component rules when this is a composite, else empty.
        required_when: (element key, values or None for "present") conditions.
    """

    key: str
    name: str
    ref: str
    type: str
    min: int
    max: int
    usage: str
    codes: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None
    repeat: int | None = 1
    components: tuple[ElementRule, ...] = ()
    required_when: tuple[tuple[str, frozenset[str] | None], ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentUse:
    """One use of a segment in a guide, at one position of one loop."""

    id: str
    name: str
    usage: str
    max_use: int | None
    match: tuple[tuple[int, int, frozenset[str]], ...]
    elements: tuple[ElementRule, ...]
    syntax: tuple[tuple[str, tuple[int, ...]], ...]
    loop_id: str

    def matches(self, elements: list[str], component: str) -> bool:
        """True when the segment's qualifier values are those this use expects."""
        for position, comp, values in self.match:
            value = elements[position] if position < len(elements) else ""
            if comp:
                parts = value.split(component)
                value = parts[comp - 1] if comp <= len(parts) else ""
            if value not in values:
                return False
        return True


@dataclass(frozen=True, slots=True)
class LoopDef:
    """A loop (or the transaction body, id ``ST``) with its ordered children.

    Attributes:
        candidates: for each segment id, the (child index, child) pairs that can start with
            it — a segment use with that id, or a child loop whose trigger has that id.
    """

    id: str
    name: str
    usage: str
    repeat: int | None
    children: tuple[SegmentUse | LoopDef, ...]
    candidates: dict[str, tuple[tuple[int, SegmentUse | LoopDef], ...]] = field(
        default_factory=dict)

    @property
    def trigger(self) -> SegmentUse:
        """The loop's first segment use: a new instance starts whenever it matches."""
        first = self.children[0]
        return first if isinstance(first, SegmentUse) else first.trigger


@dataclass(frozen=True, slots=True)
class Guide:
    """A compiled implementation guide: the ST..SE body plus the edits it lists."""

    id: str
    transaction_set: str
    functional_group: str
    name: str
    body: LoopDef
    edits: tuple[dict[str, str], ...]
    loops: dict[str, LoopDef]


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    elements = yaml.load((SPEC_DIR / "elements.yaml").read_text(), Loader=_Loader)
    segments = yaml.load((SPEC_DIR / "segments.yaml").read_text(), Loader=_Loader)
    return elements["elements"], elements["composites"], segments["segments"]


def segment_definition(segment_id: str) -> dict[str, Any] | None:
    """The dictionary entry of a segment (name, element refs, syntax), None when unknown."""
    found: dict[str, Any] | None = _dictionary()[2].get(segment_id)
    return found


def element_definition(ref: str) -> dict[str, Any] | None:
    """The dictionary entry of a simple data element, None when unknown."""
    found: dict[str, Any] | None = _dictionary()[0].get(ref)
    return found


def composite_definition(ref: str) -> dict[str, Any] | None:
    """The dictionary entry of a composite (name, component refs), None when unknown."""
    found: dict[str, Any] | None = _dictionary()[1].get(ref)
    return found


def _syntax(rules: list[str] | tuple[str, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``P0809`` -> ("P", (8, 9)): X12 relational conditions parsed once, not per segment."""
    return tuple((str(rule)[0], tuple(int(str(rule)[i:i + 2])
                                      for i in range(1, len(str(rule)), 2)))
                 for rule in rules)


def _parse_key(key: str) -> tuple[int, int]:
    """``CLM05-1`` -> (5, 1); ``NM101`` -> (1, 0)."""
    base, _, comp = key.partition("-")
    return int(base[-2:]), int(comp) if comp else 0


class _Compiler:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        elements, composites, segments = _dictionary()
        self.elements = {**elements, **data.get("elements", {})}
        self.composites = {**composites, **data.get("composites", {})}
        self.segments = {**segments, **data.get("segments", {})}
        self.path = path
        self.loops: dict[str, LoopDef] = {}

    def fail(self, what: str) -> SpecError:
        return SpecError(f"{self.path.name}: {what}")

    def rule(self, key: str, ref: str, use: dict[str, Any], comps: tuple[ElementRule, ...]
             ) -> ElementRule:
        base = self.elements.get(ref, {"name": ref, "type": "AN", "min": 1, "max": 999})
        codes = use.get("codes") or base.get("codes")
        pattern = use.get("pattern")
        when: list[tuple[str, frozenset[str] | None]] = []
        for other, cond in (use.get("required_when") or {}).items():
            when.append((other, None if cond == "present" else frozenset(map(str, cond))))
        repeat = use.get("repeat", 1)
        return ElementRule(
            key=key, name=str(use.get("name") or base["name"]), ref=ref,
            type=str(use.get("type", base.get("type", "AN"))),
            min=int(use.get("min", base.get("min", 1))),
            max=int(use.get("max", base.get("max", 1))),
            usage=str(use.get("usage", "S")),
            codes=frozenset(str(c) for c in codes) if codes else None,
            pattern=re.compile(pattern) if pattern else None,
            repeat=None if repeat is None else int(repeat),
            components=comps, required_when=tuple(when))

    def segment(self, node: dict[str, Any], loop_id: str) -> SegmentUse:
        seg_id = str(node["segment"])
        definition = self.segments.get(seg_id)
        if definition is None:
            raise self.fail(f"segment {seg_id} is not in the segment dictionary")
        uses: dict[str, Any] = node.get("elements") or {}
        rules: list[ElementRule] = []
        for position, ref in enumerate(definition["elements"], start=1):
            key = f"{seg_id}{position:02d}"
            use = uses.get(key, {})
            comps: tuple[ElementRule, ...] = ()
            if str(ref).startswith("C") and ref in self.composites:
                comps = tuple(
                    self.rule(f"{key}-{n}", str(cref), uses.get(f"{key}-{n}", {}), ())
                    for n, cref in enumerate(self.composites[ref]["components"], start=1))
            rules.append(self.rule(key, str(ref), use, comps))
        match: list[tuple[int, int, frozenset[str]]] = []
        for key, values in (node.get("match") or {}).items():
            position, comp = _parse_key(str(key))
            match.append((position, comp, frozenset(str(v) for v in values)))
        max_use = node.get("max_use", 1)
        return SegmentUse(
            id=seg_id, name=str(node.get("name") or definition["name"]),
            usage=str(node.get("usage", "S")),
            max_use=None if max_use is None else int(max_use), match=tuple(match),
            elements=tuple(rules), syntax=_syntax(definition.get("syntax") or ()),
            loop_id=loop_id)

    def loop(self, loop_id: str, name: str, usage: str, repeat: int | None,
             nodes: list[dict[str, Any]]) -> LoopDef:
        if not nodes:
            raise self.fail(f"loop {loop_id} has no segments")
        children: list[SegmentUse | LoopDef] = []
        for node in nodes:
            if "segment" in node:
                children.append(self.segment(node, loop_id))
            elif "loop" in node:
                rep = node.get("repeat", 1)
                children.append(self.loop(
                    str(node["loop"]), str(node.get("name", "")), str(node.get("usage", "S")),
                    None if rep is None else int(rep), list(node.get("structure") or [])))
            else:
                raise self.fail(f"loop {loop_id}: node without segment or loop: {node}")
        if loop_id != "ST" and not isinstance(children[0], SegmentUse):
            raise self.fail(f"loop {loop_id} must begin with a segment")
        candidates: dict[str, list[tuple[int, SegmentUse | LoopDef]]] = {}
        for index, child in enumerate(children):
            first = child if isinstance(child, SegmentUse) else child.trigger
            candidates.setdefault(first.id, []).append((index, child))
        loop = LoopDef(loop_id, name, usage, repeat, tuple(children),
                       {k: tuple(v) for k, v in candidates.items()})
        self.loops.setdefault(loop_id, loop)
        return loop


def compile_guide(path: Path) -> Guide:
    """Read and compile one guide file; raises SpecError naming the file when it is wrong."""
    data = yaml.load(path.read_text(), Loader=_Loader)
    if not isinstance(data, dict) or "guide" not in data or "structure" not in data:
        raise SpecError(f"{path.name}: not a guide file (needs guide: and structure:)")
    compiler = _Compiler(data, path)
    body = compiler.loop("ST", "Transaction Set", "R", 1, list(data["structure"]))
    return Guide(
        id=str(data["guide"]), transaction_set=str(data["transaction_set"]),
        functional_group=str(data.get("functional_group", "")), name=str(data.get("name", "")),
        body=body, edits=tuple(data.get("edits") or ()), loops=compiler.loops)


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], Path]:
    """(guide id, transaction set) -> file, from a cheap scan of each file's head."""
    found: dict[tuple[str, str], Path] = {}
    for path in sorted(SPEC_DIR.glob("*.yaml")):
        head = path.read_text()[:2000]
        guide = re.search(r"^guide:\s*'?([\w]+)'?", head, re.M)
        tset = re.search(r"^transaction_set:\s*'?(\w+)'?", head, re.M)
        if guide and tset:
            found[(guide.group(1), tset.group(1))] = path
    return found


@cache
def load_guide(guide_id: str, transaction_set: str) -> Guide | None:
    """The guide registered for (GS08, ST01), or None when openrcm has no spec for it."""
    path = _index().get((guide_id, transaction_set))
    return compile_guide(path) if path else None


def closest_guide(guide_id: str, transaction_set: str) -> Guide | None:
    """Exact guide, else one for the same set and base guide (``X222A2`` -> ``X222A1``).

    Files sometimes carry a later or earlier addendum id than the one openrcm holds; the
    structure is nearly always the same, so validating against the sibling is more useful
    than refusing. Callers report the substitution.
    """
    exact = load_guide(guide_id, transaction_set)
    if exact is not None:
        return exact
    base = re.sub(r"A\d+$", "", guide_id)
    for known, tset in sorted(_index()):
        if tset == transaction_set and re.sub(r"A\d+$", "", known) == base and base:
            return load_guide(known, tset)
    return None


def registered() -> list[tuple[str, str]]:
    """Every (guide id, transaction set) openrcm has a spec for."""
    return sorted(_index())
