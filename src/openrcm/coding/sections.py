"""Split a note into titled sections using the header rules in ``data/sections.yaml``.

Why rules as data: every practice writes headers its own way ("A/P", "Impression and plan");
adding a header is a data change, not a code change. The section a mention sits in matters to
coding: a disease under *Family history* belongs to a relative, one under *Past medical history*
may be history only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openrcm.coding.model import Section, Span


@dataclass(frozen=True, slots=True)
class SectionRule:
    """A canonical section name, the header phrases that open it, the context it implies."""

    name: str
    headers: tuple[str, ...]
    implies: tuple[str, ...]


def parse_section_rules(document: dict[str, Any]) -> tuple[SectionRule, ...]:
    """Validate the YAML document and turn it into rules; bad data names the offending entry."""
    entries = document.get("sections")
    if not isinstance(entries, list):
        raise ValueError("sections.yaml: top-level key 'sections' must be a list")
    rules = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "name" not in entry or not entry.get("headers"):
            raise ValueError(f"sections.yaml: entry {i} needs a name and at least one header")
        rules.append(
            SectionRule(
                name=str(entry["name"]),
                headers=tuple(str(h).lower() for h in entry["headers"]),
                implies=tuple(str(c) for c in entry.get("implies", ())),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def default_section_rules() -> tuple[SectionRule, ...]:
    """The rules shipped with openrcm."""
    text = resources.files("openrcm.coding").joinpath("data/sections.yaml").read_text("utf-8")
    return parse_section_rules(yaml.safe_load(text))


def _header_pattern(rules: tuple[SectionRule, ...]) -> re.Pattern[str]:
    phrases = sorted({h for r in rules for h in r.headers}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    # A header opens a line and ends with a colon, or fills the whole line (a title line).
    return re.compile(
        rf"^[ \t]*(?P<header>{alternatives})[ \t]*(?::|-(?=\s)|$)",
        re.IGNORECASE | re.MULTILINE,
    )


_COMPILED: dict[int, tuple[tuple[SectionRule, ...], re.Pattern[str], dict[str, SectionRule]]] = {}


def _compiled(rules: tuple[SectionRule, ...]) -> tuple[re.Pattern[str], dict[str, SectionRule]]:
    """Compiled header pattern, cached by the identity of the rule set (hashing it per note
    would cost more than splitting)."""
    hit = _COMPILED.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = (rules, _header_pattern(rules), {h: r for r in rules for h in r.headers})
        _COMPILED[id(rules)] = hit
    return hit[1], hit[2]


def split_sections(text: str, rules: tuple[SectionRule, ...] | None = None) -> tuple[Section, ...]:
    """Cut ``text`` into sections; text before the first header is the ``body`` section.

    A title line without a colon counts only when it is short (a header, not a sentence that
    happens to start with "History").
    """
    pattern, lookup = _compiled(rules or default_section_rules())
    starts: list[tuple[int, Span, SectionRule]] = []
    for match in pattern.finditer(text):
        header_text = match.group("header")
        line_end = text.find("\n", match.start())
        line = text[match.start() : line_end if line_end != -1 else len(text)]
        if (
            not match.group(0).rstrip().endswith((":", "-"))
            and len(line.strip()) > len(header_text) + 1
        ):
            continue
        rule = lookup[re.sub(r"\s+", " ", header_text.lower())]
        span = Span(match.start("header"), match.end("header"), header_text)
        starts.append((match.start("header"), span, rule))
    sections: list[Section] = []
    if not starts or starts[0][0] > 0:
        first = starts[0][0] if starts else len(text)
        sections.append(Section("body", None, 0, first))
    for i, (start, span, rule) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections.append(Section(rule.name, span, start, end, rule.implies))
    return tuple(sections)


def section_at(sections: tuple[Section, ...], offset: int) -> Section:
    """The section holding character ``offset``."""
    for section in sections:
        if section.start <= offset < section.end:
            return section
    return sections[-1]
