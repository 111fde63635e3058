"""Element-level checks: usage, repetitions, components, type, length, codes, syntax rules.

Each check returns ``(code, element key, message)`` triples; the parser turns them into
Findings with the full location. Messages name the element and the rule, never the value
(a value may be PHI: a patient name or member id).
"""

from __future__ import annotations

import re
from datetime import date

from openrcm.x12.spec import ElementRule, SegmentUse
from openrcm.x12.tokens import Delimiters, is_digits

Problem = tuple[str, str, str]

_NUMERIC = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?(\d+\.?\d*|\.\d+)")
TIME = re.compile(r"([01]\d|2[0-3])[0-5]\d([0-5]\d(\d{1,2})?)?")
# Outside the X12 basic and extended character sets, which the HIPAA TR3s use (Appendix B):
# control characters and every non-ASCII byte. Text is decoded as Latin-1, so a UTF-8 "é" is
# two such characters here; either way a front end answers IK403 6 (invalid character).
_BAD_CHARS = re.compile(r"[^\x20-\x7e]")


def valid_date(value: str) -> bool:
    """A real calendar date written CCYYMMDD (or YYMMDD, read as 20YY)."""
    if not is_digits(value) or len(value) not in (6, 8):
        return False
    if len(value) == 6:
        year = 2000 + int(value[:2])
        month, day = int(value[2:4]), int(value[4:6])
    else:
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _length(value: str, data_type: str) -> int:
    if data_type == "R" or data_type[0] == "N":
        return len(value.replace("-", "").replace(".", ""))
    return len(value)


def check_value(value: str, rule: ElementRule) -> Problem | None:
    """Type, length, code and pattern of one non-empty simple value."""
    data_type = rule.type
    if data_type == "DT":
        if not valid_date(value) or len(value) < rule.min or len(value) > rule.max:
            return ("X12-ELEM-DATE", rule.key, f"{rule.key} ({rule.name}) is not a valid date")
    elif data_type == "TM":
        if not TIME.fullmatch(value) or len(value) < rule.min or len(value) > rule.max:
            return ("X12-ELEM-TIME", rule.key, f"{rule.key} ({rule.name}) is not a valid time")
    elif data_type == "R":
        if not _DECIMAL.fullmatch(value):
            return ("X12-ELEM-CHAR", rule.key, f"{rule.key} ({rule.name}) must be a decimal number")
    elif data_type[0] == "N" and not _NUMERIC.fullmatch(value):
        return ("X12-ELEM-CHAR", rule.key, f"{rule.key} ({rule.name}) must be a whole number")
    if data_type not in ("DT", "TM"):
        length = _length(value, data_type)
        if length < rule.min:
            return ("X12-ELEM-TOO-SHORT", rule.key,
                    f"{rule.key} ({rule.name}) is shorter than {rule.min} characters")
        if length > rule.max:
            return ("X12-ELEM-TOO-LONG", rule.key,
                    f"{rule.key} ({rule.name}) is longer than {rule.max} characters")
    if rule.codes is not None and value not in rule.codes:
        return ("X12-ELEM-CODE", rule.key,
                f"{rule.key} ({rule.name}) has a code value this guide does not allow")
    if rule.pattern is not None and not rule.pattern.fullmatch(value):
        return ("X12-ELEM-PATTERN", rule.key,
                f"{rule.key} ({rule.name}) does not have the format the guide requires "
                f"(pattern {rule.pattern.pattern})")
    if data_type in ("AN", "ID"):
        bad = _BAD_CHARS.search(value)
        if bad is not None:
            what = "a non-ASCII character (X12 text is ASCII: send letters unaccented)" \
                if bad.group() > "\x7f" else "a control character"
            return ("X12-ELEM-CHAR", rule.key, f"{rule.key} ({rule.name}) holds {what}")
    return None


def _check_composite(value: str, rule: ElementRule, d: Delimiters, out: list[Problem]) -> None:
    parts = value.split(d.component)
    if len(parts) > len(rule.components):
        out.append(("X12-ELEM-COMPONENTS", rule.key,
                    f"{rule.key} ({rule.name}) has more than {len(rule.components)} components"))
    for comp_rule, part in zip(rule.components, parts, strict=False):
        if not part:
            if comp_rule.usage == "R":
                out.append(("X12-ELEM-MISSING", comp_rule.key,
                            f"{comp_rule.key} ({comp_rule.name}) is required"))
            continue
        if comp_rule.usage == "N":
            out.append(("X12-ELEM-NOT-USED", comp_rule.key,
                        f"{comp_rule.key} ({comp_rule.name}) is not used in this guide"))
            continue
        problem = check_value(part, comp_rule)
        if problem:
            out.append(problem)
    for comp_rule in rule.components[len(parts):]:
        if comp_rule.usage == "R":
            out.append(("X12-ELEM-MISSING", comp_rule.key,
                        f"{comp_rule.key} ({comp_rule.name}) is required"))


def _present(elements: list[str], key: str, component: str) -> str:
    base, _, comp = key.partition("-")
    position = int(base[-2:])
    value = elements[position] if position < len(elements) else ""
    if comp and value:
        parts = value.split(component)
        index = int(comp) - 1
        value = parts[index] if index < len(parts) else ""
    return value


def check_segment(elements: list[str], use: SegmentUse, d: Delimiters) -> list[Problem]:
    """Every element rule of ``use`` against the raw ``elements`` of one segment."""
    out: list[Problem] = []
    rules = use.elements
    count = len(elements) - 1
    if count > len(rules):
        out.append(("X12-ELEM-TOO-MANY", f"{use.id}{len(rules) + 1:02d}",
                    f"{use.id} has {count} elements; at most {len(rules)} are defined"))
    for position, rule in enumerate(rules, start=1):
        value = elements[position] if position <= count else ""
        if not value:
            if rule.usage == "R":
                out.append(("X12-ELEM-MISSING", rule.key, f"{rule.key} ({rule.name}) is required"))
            elif rule.required_when and _required_now(elements, rule, d):
                out.append(("X12-ELEM-COND-MISSING", rule.key,
                            f"{rule.key} ({rule.name}) is required in this situation"))
            continue
        if rule.usage == "N":
            out.append(("X12-ELEM-NOT-USED", rule.key,
                        f"{rule.key} ({rule.name}) is not used in this guide"))
            continue
        if d.repetition and d.repetition in value:
            reps = value.split(d.repetition)
            if rule.repeat is not None and len(reps) > rule.repeat:
                out.append(("X12-ELEM-REPEAT", rule.key,
                            f"{rule.key} ({rule.name}) repeats more than {rule.repeat} times"))
        else:
            reps = [value]
        for rep in reps:
            if rule.components:
                _check_composite(rep, rule, d, out)
            elif d.component in rep:
                out.append(("X12-ELEM-COMPONENTS", rule.key,
                            f"{rule.key} ({rule.name}) is a simple element but has components"))
            else:
                problem = check_value(rep, rule)
                if problem:
                    out.append(problem)
    if use.syntax:
        out.extend(check_syntax(elements, use))
    return out


def _required_now(elements: list[str], rule: ElementRule, d: Delimiters) -> bool:
    for key, values in rule.required_when:
        other = _present(elements, key, d.component)
        if other and (values is None or other in values):
            return True
    return False


def check_syntax(elements: list[str], use: SegmentUse) -> list[Problem]:
    """The X12 relational conditions (P, R, E, C, L) of the segment dictionary."""
    out: list[Problem] = []
    count = len(elements)
    seg_id = use.id
    for kind, positions in use.syntax:
        present = [p < count and elements[p] != "" for p in positions]
        if kind == "P":
            if any(present) and not all(present):
                missing = positions[present.index(False)]
                out.append(("X12-ELEM-COND-MISSING", f"{seg_id}{missing:02d}",
                            f"{seg_id}{missing:02d} is required when any of "
                            f"{_keys(seg_id, positions)} is present"))
        elif kind == "C":
            if present[0] and not all(present[1:]):
                missing = positions[1 + present[1:].index(False)]
                out.append(("X12-ELEM-COND-MISSING", f"{seg_id}{missing:02d}",
                            f"{seg_id}{missing:02d} is required when {seg_id}"
                            f"{positions[0]:02d} is present"))
        elif kind == "R":
            if not any(present):
                out.append(("X12-ELEM-COND-MISSING", f"{seg_id}{positions[0]:02d}",
                            f"at least one of {_keys(seg_id, positions)} is required"))
        elif kind == "E":
            if sum(present) > 1:
                out.append(("X12-ELEM-EXCLUSION", f"{seg_id}{positions[1]:02d}",
                            f"only one of {_keys(seg_id, positions)} may be present"))
        elif kind == "L" and present[0] and not any(present[1:]):
            out.append(("X12-ELEM-COND-MISSING", f"{seg_id}{positions[1]:02d}",
                        f"one of {_keys(seg_id, positions[1:])} is required when "
                        f"{seg_id}{positions[0]:02d} is present"))
    return out


def _keys(seg_id: str, positions: tuple[int, ...]) -> str:
    return ", ".join(f"{seg_id}{p:02d}" for p in positions)
