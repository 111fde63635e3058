"""ConText: decide whether a mention is negated, uncertain, historical, about a relative or
hypothetical, from trigger phrases around it and from the section it sits in.

The algorithm follows Harkema et al. (2009), as medspaCy implements it: a trigger phrase opens a
scope that runs forward, backward or both, up to ``max_scope`` words, and stops at the end of the
sentence or at a terminator ("but", "however" ...). Rules are data (``data/context_rules.yaml``)
so a practice can add a phrase its clinicians use without touching code. A longer trigger wins
over a shorter one inside it ("no evidence of" over "no"), and pseudo-triggers ("no increase")
cancel the trigger they contain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openrcm.coding.model import Category, Modifier, Section, Sentence, Span

DIRECTIONS = ("forward", "backward", "bidirectional")
_PSEUDO = "pseudo"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class ContextRule:
    """One trigger: the phrase, the category it gives, which way it reaches and how far."""

    phrase: str
    category: str
    direction: str
    max_scope: int


@dataclass(frozen=True, slots=True)
class ContextRules:
    """All triggers plus the terminators per category (key ``all`` applies to every one)."""

    rules: tuple[ContextRule, ...]
    terminators: tuple[tuple[str, tuple[str, ...]], ...]

    def terminators_for(self, category: str) -> tuple[str, ...]:
        table = dict(self.terminators)
        return table.get("all", ()) + table.get(category, ())


@dataclass(frozen=True, slots=True)
class Scope:
    """A trigger found in a sentence and the character range it governs."""

    category: str
    cue: Span
    start: int
    end: int
    rule: ContextRule


def parse_context_rules(document: dict[str, Any]) -> ContextRules:
    """Validate the YAML document; an unknown category or direction names the rule at fault."""
    known = {c.value for c in Category} | {_PSEUDO}
    rules = []
    for i, raw in enumerate(document.get("rules") or []):
        rule = ContextRule(
            phrase=str(raw["phrase"]).lower(),
            category=str(raw["category"]),
            direction=str(raw["direction"]),
            max_scope=int(raw["max_scope"]),
        )
        if rule.category not in known:
            raise ValueError(
                f"context rule {i} ({rule.phrase!r}): unknown category {rule.category!r}"
            )
        if rule.direction not in DIRECTIONS:
            raise ValueError(
                f"context rule {i} ({rule.phrase!r}): direction must be one of {DIRECTIONS}"
            )
        rules.append(rule)
    if not rules:
        raise ValueError("context rules: the 'rules' list is empty")
    terminators = tuple(
        (str(k), tuple(str(p).lower() for p in v or ()))
        for k, v in (document.get("terminators") or {}).items()
    )
    return ContextRules(tuple(rules), terminators)


@lru_cache(maxsize=1)
def default_context_rules() -> ContextRules:
    """The rules shipped with openrcm."""
    text = resources.files("openrcm.coding").joinpath("data/context_rules.yaml").read_text("utf-8")
    return parse_context_rules(yaml.safe_load(text))


def _phrase_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![\w/])(?:{body})(?![\w/])", re.IGNORECASE)


# Compiled patterns per rule set, keyed by identity: hashing a rule set on every sentence
# would cost more than the matching itself. The rule set is kept in the value so its id
# cannot be reused while the entry lives.
_COMPILED: dict[int, tuple[ContextRules, re.Pattern[str], dict[str, ContextRule]]] = {}
_TERMINATORS: dict[tuple[int, str], tuple[ContextRules, re.Pattern[str] | None]] = {}


def _compiled(rules: ContextRules) -> tuple[re.Pattern[str], dict[str, ContextRule]]:
    hit = _COMPILED.get(id(rules))
    if hit is None or hit[0] is not rules:
        pattern = _phrase_regex([r.phrase for r in rules.rules])
        hit = (rules, pattern, {r.phrase: r for r in rules.rules})
        _COMPILED[id(rules)] = hit
    return hit[1], hit[2]


def _terminator_regex(rules: ContextRules, category: str) -> re.Pattern[str] | None:
    hit = _TERMINATORS.get((id(rules), category))
    if hit is None or hit[0] is not rules:
        phrases = rules.terminators_for(category)
        hit = (rules, _phrase_regex(phrases) if phrases else None)
        _TERMINATORS[(id(rules), category)] = hit
    return hit[1]


def find_scopes(text: str, sentence: Sentence, rules: ContextRules) -> tuple[Scope, ...]:
    """Every trigger in the sentence with the character range it governs."""
    pattern, by_phrase = _compiled(rules)
    s_start, s_end = sentence.start, sentence.end
    segment = text[s_start:s_end]
    words = [(m.start() + s_start, m.end() + s_start) for m in _WORD.finditer(segment)]
    scopes: list[Scope] = []
    for match in pattern.finditer(segment):
        key = re.sub(r"\s+", " ", match.group(0).lower())
        rule = by_phrase[key]
        if rule.category == _PSEUDO:
            continue
        cue = Span(s_start + match.start(), s_start + match.end(), match.group(0))
        start, end = cue.end, cue.start
        if rule.direction in ("forward", "bidirectional"):
            end = _forward_end(text, cue, words, s_end, rule, rules)
        if rule.direction in ("backward", "bidirectional"):
            start = _backward_start(text, cue, words, s_start, rule, rules)
        if rule.direction == "forward":
            start = cue.end
        if rule.direction == "backward":
            end = cue.start
        scopes.append(Scope(rule.category, cue, start, end, rule))
    return tuple(scopes)


def _forward_end(
    text: str,
    cue: Span,
    words: list[tuple[int, int]],
    limit: int,
    rule: ContextRule,
    rules: ContextRules,
) -> int:
    after = [w for w in words if w[0] >= cue.end]
    end = after[rule.max_scope - 1][1] if len(after) >= rule.max_scope > 0 else limit
    terminator = _terminator_regex(rules, rule.category)
    if terminator is not None:
        hit = terminator.search(text, cue.end, end)
        if hit:
            end = hit.start()
    return min(end, limit)


def _backward_start(
    text: str,
    cue: Span,
    words: list[tuple[int, int]],
    limit: int,
    rule: ContextRule,
    rules: ContextRules,
) -> int:
    before = [w for w in words if w[1] <= cue.start]
    start = before[-rule.max_scope][0] if len(before) >= rule.max_scope > 0 else limit
    terminator = _terminator_regex(rules, rule.category)
    if terminator is not None:
        hits = list(terminator.finditer(text, start, cue.start))
        if hits:
            start = hits[-1].end()
    return max(start, limit)


def modifiers_for(
    span: Span,
    scopes: Sequence[Scope],
    section: Section | None = None,
) -> tuple[Modifier, ...]:
    """The categories that apply to ``span``: trigger scopes covering it, then its section's."""
    found: dict[Category, Modifier] = {}
    for scope in scopes:
        inside = scope.start <= span.start and span.end <= scope.end + 1
        overlaps_cue = span.start < scope.cue.end and scope.cue.start < span.end
        if inside and not overlaps_cue:
            category = Category(scope.category)
            found.setdefault(
                category, Modifier(category, scope.cue, f"trigger:{scope.rule.phrase}")
            )
    if section is not None:
        for implied in section.implies:
            category = Category(implied)
            found.setdefault(
                category, Modifier(category, section.header, f"section:{section.name}")
            )
    return tuple(found.values())


def context_of(
    text: str,
    sentence: Sentence,
    span: Span,
    section: Section | None = None,
    rules: ContextRules | None = None,
) -> tuple[Modifier, ...]:
    """Convenience for one mention: find the sentence's scopes and apply them to ``span``."""
    scopes = find_scopes(text, sentence, rules or default_context_rules())
    return modifiers_for(span, scopes, section)
