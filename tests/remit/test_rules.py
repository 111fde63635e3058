"""The adjustment rule table is data: every row is valid and every CARC is a real code."""

from __future__ import annotations

import pytest

from openrcm.codesets.reference.lists import carc
from openrcm.remit.model import Action
from openrcm.remit.rules import (
    DENIAL_CATEGORIES,
    RuleTableError,
    carc_text,
    parse_rules,
    rarc_text,
    rule_for,
    rules,
)


def test_every_carc_in_the_table_is_in_the_code_list() -> None:
    codes = carc()
    missing = [r for (_, r) in rules() if r != "*" and r not in codes]
    assert missing == []


def test_every_category_named_in_the_brief_has_at_least_one_rule() -> None:
    held = {r.category for r in rules().values() if r.action is Action.HOLD}
    assert set(DENIAL_CATEGORIES) <= held


@pytest.mark.parametrize(("group", "reason", "action", "category"), [
    ("CO", "45", Action.CONTRACTUAL, "contractual"),
    ("CO", "16", Action.HOLD, "front-end"),
    ("CO", "97", Action.HOLD, "bundling"),
    ("CO", "50", Action.HOLD, "medical necessity"),
    ("CO", "29", Action.HOLD, "timely filing"),
    ("CO", "18", Action.HOLD, "duplicate"),
    ("CO", "197", Action.HOLD, "authorization"),
    ("CO", "27", Action.HOLD, "eligibility"),
    ("CO", "11", Action.HOLD, "coding"),
    ("CO", "999", Action.HOLD, "other"),
    ("PR", "1", Action.TRANSFER, "patient responsibility"),
    ("PR", "204", Action.TRANSFER, "patient responsibility"),
    ("OA", "23", Action.NONE, "prior payer"),
    ("ZZ", "1", Action.HOLD, "other"),
])
def test_rule_lookup(group: str, reason: str, action: Action, category: str) -> None:
    rule = rule_for(group, reason)
    assert (rule.action, rule.category) == (action, category)


def test_descriptions_come_from_the_code_lists() -> None:
    assert "fee schedule" in carc_text("45").lower()
    assert "Usage:" not in carc_text("45")
    assert carc_text("ZZZ") == "unknown adjustment reason code ZZZ"
    assert rarc_text("N130").startswith("Consult plan benefit")


@pytest.mark.parametrize(("text", "message"), [
    ("group,reason,action,category,next_action\nCO,45,pay,x,y\n", "line 2: unknown action"),
    ("group,reason,action,category,next_action\nCO,4,hold,misc,y\n", "denial category"),
    ("group,reason,action,category,next_action\nCO,4,hold,coding,y\nCO,4,hold,coding,y\n",
     "line 3: CO-4 appears twice"),
])
def test_bad_tables_are_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(RuleTableError, match=message):
        parse_rules(text)
