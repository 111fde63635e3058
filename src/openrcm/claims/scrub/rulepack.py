"""Declarative payer rule packs: a practice writes YAML, the scrubber runs it as edits.

A pack is a file like::

    pack: acme-commercial
    release: "2026-01"
    rules:
      - id: ACME-TELEHEALTH-95
        payers: [ACME1]
        kind: requires_modifier
        codes: ["99202-99215"]
        modifiers: ["95", "GT"]      # any one of them
        places_of_service: ["02", "10"]   # optional: only for these POS
        severity: error              # error (default) or warning
        message: "ACME pays telehealth visits only with modifier 95 or GT."
        hint: "Add modifier 95."
      - id: ACME-NO-COSMETIC
        payers: [ACME1]
        kind: not_covered
        codes: ["15780-15787"]
      - id: ACME-PA-IMAGING
        payers: [ACME1, ACME2]
        kind: requires_prior_auth
        codes: ["70450-70498", "72141"]
      - id: ACME-PT-UNITS
        payers: [ACME1]
        kind: max_units
        codes: ["97110"]
        units: 4

Codes are exact codes or ``FIRST-LAST`` ranges of codes of the same length. Each rule becomes
an ``Edit`` whose ID is ``PAYER-`` plus the rule's ID, so adding a rule is a data change. The
loader checks the whole file and names the rule and field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from openrcm.claims.scrub.engine import Edit, Facts, Hit
from openrcm.findings import Severity

KINDS = ("requires_modifier", "not_covered", "requires_prior_auth", "max_units")
NONE: Sequence[Hit] = ()


class RulePackError(ValueError):
    """A rule pack is malformed; the message names the file, the rule and the field."""


@dataclass(frozen=True, slots=True)
class CodeSet:
    """Exact codes plus inclusive same-length ranges."""

    exact: frozenset[str]
    ranges: tuple[tuple[str, str], ...]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code in self.exact:
            return True
        n = len(code)
        return any(len(lo) == n and lo <= code <= hi for lo, hi in self.ranges)


@dataclass(frozen=True, slots=True)
class PayerRule:
    """One rule of a pack, checked and normalised."""

    id: str
    kind: str
    payers: frozenset[str]
    codes: CodeSet
    severity: Severity
    message: str
    hint: str
    modifiers: frozenset[str] = frozenset()
    places_of_service: frozenset[str] = frozenset()
    units: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class RulePack:
    """A loaded pack: its name, release and rules."""

    name: str
    release: str
    rules: tuple[PayerRule, ...]

    def edits(self) -> tuple[Edit, ...]:
        """The pack's rules as scrubber edits."""
        return tuple(
            Edit(
                f"PAYER-{r.id}",
                r.severity,
                "{text}",
                r.hint,
                f"payer rule pack {self.name}",
                self.release,
                "payer",
                _CHECKS[r.kind](r),
            )
            for r in self.rules
        )


def _where(f: Facts, rule: PayerRule) -> list[int]:
    """Indexes of the lines this rule is about (payer and codes and POS match)."""
    c = f.claim
    if c.payer.payer_id not in rule.payers:
        return []
    pos = rule.places_of_service
    return [
        i
        for i, code in enumerate(f.procedures)
        if code in rule.codes
        and (not pos or (c.lines[i].place_of_service or c.place_of_service) in pos)
    ]


def _requires_modifier(rule: PayerRule) -> Callable[[Facts], Sequence[Hit]]:
    def check(f: Facts) -> Sequence[Hit]:
        return [
            ({"line": i + 1}, {"text": rule.message})
            for i in _where(f, rule)
            if not f.mods[i] & rule.modifiers
        ]

    return check


def _not_covered(rule: PayerRule) -> Callable[[Facts], Sequence[Hit]]:
    def check(f: Facts) -> Sequence[Hit]:
        return [({"line": i + 1}, {"text": rule.message}) for i in _where(f, rule)]

    return check


def _requires_prior_auth(rule: PayerRule) -> Callable[[Facts], Sequence[Hit]]:
    def check(f: Facts) -> Sequence[Hit]:
        if f.claim.prior_authorization:
            return NONE
        return [({"line": i + 1}, {"text": rule.message}) for i in _where(f, rule)]

    return check


def _max_units(rule: PayerRule) -> Callable[[Facts], Sequence[Hit]]:
    def check(f: Facts) -> Sequence[Hit]:
        return [
            ({"line": i + 1}, {"text": rule.message})
            for i in _where(f, rule)
            if f.claim.lines[i].units > rule.units
        ]

    return check


_CHECKS: Mapping[str, Callable[[PayerRule], Callable[[Facts], Sequence[Hit]]]] = {
    "requires_modifier": _requires_modifier,
    "not_covered": _not_covered,
    "requires_prior_auth": _requires_prior_auth,
    "max_units": _max_units,
}

_DEFAULT_MESSAGES = {
    "requires_modifier": "The payer requires modifier {mods} on this code.",
    "not_covered": "The payer does not cover this code.",
    "requires_prior_auth": "The payer requires prior authorization for this code and the "
    "claim has none.",
    "max_units": "The payer pays at most {units} units of this code per line.",
}


def _strings(value: object, where: str) -> list[str]:
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return [str(v).strip().upper() for v in value]
    raise RulePackError(f"{where}: expected a list of strings")


def _codes(values: list[str], where: str) -> CodeSet:
    exact: set[str] = set()
    ranges: list[tuple[str, str]] = []
    for v in values:
        if "-" in v:
            lo, _, hi = v.partition("-")
            if len(lo) != len(hi) or not lo or lo > hi:
                raise RulePackError(f"{where}: bad code range {v!r} (FIRST-LAST, same length)")
            ranges.append((lo, hi))
        elif v:
            exact.add(v)
        else:
            raise RulePackError(f"{where}: empty code")
    if not exact and not ranges:
        raise RulePackError(f"{where}: no codes")
    return CodeSet(frozenset(exact), tuple(ranges))


def _rule(raw: object, where: str, seen: set[str]) -> PayerRule:
    if not isinstance(raw, dict):
        raise RulePackError(f"{where}: a rule must be a mapping")
    rid = str(raw.get("id", "")).strip().upper()
    if not rid or not all(ch.isalnum() or ch in "-_" for ch in rid):
        raise RulePackError(f"{where}: id must be letters, digits, - or _")
    if rid in seen:
        raise RulePackError(f"{where}: duplicate rule id {rid}")
    seen.add(rid)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RulePackError(f"{where} ({rid}): kind must be one of {', '.join(KINDS)}")
    unknown = set(raw) - {
        "id",
        "kind",
        "payers",
        "codes",
        "modifiers",
        "places_of_service",
        "units",
        "severity",
        "message",
        "hint",
    }
    if unknown:
        raise RulePackError(f"{where} ({rid}): unknown field(s) {', '.join(sorted(unknown))}")
    payers = _strings(raw.get("payers", []), f"{where} ({rid}) payers")
    if not payers:
        raise RulePackError(f"{where} ({rid}): payers is empty")
    codes = _codes(_strings(raw.get("codes", []), f"{where} ({rid}) codes"), f"{where} ({rid})")
    sev = raw.get("severity", "error")
    if sev not in ("error", "warning"):
        raise RulePackError(f"{where} ({rid}): severity must be error or warning")
    mods = frozenset(_strings(raw.get("modifiers", []), f"{where} ({rid}) modifiers"))
    if kind == "requires_modifier" and not mods:
        raise RulePackError(f"{where} ({rid}): requires_modifier needs modifiers")
    units = Decimal(0)
    if kind == "max_units":
        u = raw.get("units")
        if not isinstance(u, int) or isinstance(u, bool) or u < 0:
            raise RulePackError(f"{where} ({rid}): max_units needs units, a whole number >= 0")
        units = Decimal(u)
    message = str(
        raw.get("message")
        or _DEFAULT_MESSAGES[kind].format(mods=" or ".join(sorted(mods)), units=units)
    )
    return PayerRule(
        id=rid,
        kind=kind,
        payers=frozenset(p.upper() for p in payers),
        codes=codes,
        severity=Severity(sev),
        message=message,
        hint=str(raw.get("hint", "Follow the payer's policy for this code."))
        .replace("{", "{{")
        .replace("}", "}}"),
        modifiers=mods,
        places_of_service=frozenset(
            _strings(raw.get("places_of_service", []), f"{where} ({rid}) places_of_service")
        ),
        units=units,
    )


def parse_pack(data: Any, origin: str) -> RulePack:
    """Check and compile a parsed YAML document; ``origin`` names it in errors."""
    if not isinstance(data, dict):
        raise RulePackError(f"{origin}: a rule pack must be a mapping with pack and rules")
    name = str(data.get("pack", "")).strip()
    if not name:
        raise RulePackError(f"{origin}: missing 'pack' name")
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise RulePackError(f"{origin}: 'rules' must be a non-empty list")
    seen: set[str] = set()
    compiled = tuple(_rule(r, f"{origin} rule {i + 1}", seen) for i, r in enumerate(rules))
    return RulePack(name, str(data.get("release", "")), compiled)


def load_pack(path: Path) -> RulePack:
    """Read and compile one YAML rule pack."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RulePackError(f"{path.name}: not valid YAML ({exc})") from exc
    return parse_pack(data, path.name)
