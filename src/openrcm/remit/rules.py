"""What posting does with each CAS adjustment, and how denials are classified: a data table.

``data/adjustment_rules.csv`` maps a group code and CARC (``*`` for the rest of a group) to a
posting action, a denial category and a suggested next action. A payer that uses a code
differently is a data change, not a code change. Descriptions of CARC and RARC come from the
code lists shipped with ``openrcm.codesets``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from openrcm.codesets.reference.lists import carc, rarc
from openrcm.remit.model import Action

DENIAL_CATEGORIES = (
    "front-end", "coding", "eligibility", "authorization", "medical necessity",
    "timely filing", "duplicate", "bundling", "other",
)
"""Categories a held adjustment (a denial) can fall in, in the order reports list them."""


class RuleTableError(ValueError):
    """The adjustment rule table is malformed; the message names the row."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: for ``group``/``reason``, do ``action``; file under ``category``."""

    group: str
    reason: str
    action: Action
    category: str
    next_action: str


def parse_rules(text: str) -> dict[tuple[str, str], Rule]:
    """Read a rule table (CSV with header group,reason,action,category,next_action).

    Raises:
        RuleTableError: an unknown action, a hold rule outside the denial categories, or a
            repeated key; the message names the line.
    """
    rules: dict[tuple[str, str], Rule] = {}
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            action = Action(row["action"])
        except ValueError as exc:
            raise RuleTableError(f"line {n}: unknown action {row['action']!r}") from exc
        if action is Action.HOLD and row["category"] not in DENIAL_CATEGORIES:
            raise RuleTableError(f"line {n}: held adjustments need a denial category")
        key = (row["group"], row["reason"])
        if key in rules:
            raise RuleTableError(f"line {n}: {key[0]}-{key[1]} appears twice")
        rules[key] = Rule(row["group"], row["reason"], action, row["category"],
                          row["next_action"])
    return rules


@cache
def rules() -> dict[tuple[str, str], Rule]:
    """The shipped table (read once)."""
    text = resources.files("openrcm.remit").joinpath("data/adjustment_rules.csv").read_text()
    return parse_rules(text)


FALLBACK = Rule("*", "*", Action.HOLD, "other",
                "Unknown adjustment group: review the remittance line by hand.")


def rule_for(group: str, reason: str) -> Rule:
    """The rule for one CAS adjustment: exact code first, then the group's default."""
    table = rules()
    return table.get((group, reason)) or table.get((group, "*")) or FALLBACK


@cache
def carc_text(code: str) -> str:
    """The CARC description (first sentence), or a plain note when the code is unknown."""
    entry = carc().get(code)
    if entry is None:
        return f"unknown adjustment reason code {code}"
    return entry.description.split(" Usage:")[0]


@cache
def rarc_text(code: str) -> str:
    """The RARC description, or a plain note when the code is unknown."""
    entry = rarc().get(code)
    return entry.description if entry is not None else f"unknown remark code {code}"
