"""ConText rules, one case per trigger family, each on a short note written for the purpose."""

from __future__ import annotations

import pytest

from openrcm.coding.context import default_context_rules, parse_context_rules
from openrcm.coding.model import Category

from .helpers import categories_of

NEG, UNC, HIST, FAM, HYP = (
    Category.NEGATED,
    Category.UNCERTAIN,
    Category.HISTORICAL,
    Category.FAMILY,
    Category.HYPOTHETICAL,
)

CASES = [
    # negated
    ("Patient denies chest pain.", "chest pain", {NEG}),
    ("No fever today.", "fever", {NEG}),
    ("No evidence of pneumonia on the film.", "pneumonia", {NEG}),
    ("Negative for streptococcal pharyngitis.", "pharyngitis", {NEG}),
    ("Healed without infection.", "infection", {NEG}),
    ("Pulmonary embolism was ruled out.", "Pulmonary embolism", {NEG}),
    ("Ruled out myocardial infarction.", "myocardial infarction", {NEG}),
    ("He does not have diabetes.", "diabetes", {NEG}),
    ("Hepatitis C serology is negative.", "Hepatitis C", {NEG}),
    ("Never smoker.", "smoker", {NEG}),
    ("Non-smoker.", "smoker", {NEG}),
    ("Non-Hodgkin lymphoma.", "Non-Hodgkin lymphoma", set()),  # the cue inside the mention
    # historical (more)
    ("Former smoker.", "smoker", {HIST}),
    ("Ex-smoker.", "smoker", {HIST}),
    ("Smoker, quit in 2010.", "Smoker", {HIST}),
    ("Gestational diabetes in her last pregnancy.", "Gestational diabetes", {HIST}),
    ("Stopped metformin last year.", "metformin", {NEG}),
    ("Metformin was discontinued.", "Metformin", {NEG}),
    # uncertain
    ("Probable pneumonia.", "pneumonia", {UNC}),
    ("Possible urinary tract infection.", "urinary tract infection", {UNC}),
    ("Suspected appendicitis.", "appendicitis", {UNC}),
    ("Likely viral gastroenteritis.", "gastroenteritis", {UNC}),
    ("Rule out sepsis.", "sepsis", {UNC}),
    ("Bronchitis versus pneumonia.", "Bronchitis", {UNC}),
    ("Bronchitis vs pneumonia.", "pneumonia", {UNC}),
    ("Cannot exclude fracture.", "fracture", {UNC}),
    ("Questionable cellulitis of the leg.", "cellulitis", {UNC}),
    # historical
    ("History of colon cancer.", "colon cancer", {HIST}),
    ("H/o stroke.", "stroke", {HIST}),
    ("Status post appendectomy.", "appendectomy", {HIST}),
    ("S/p myocardial infarction.", "myocardial infarction", {HIST}),
    # family
    ("Mother had breast cancer.", "breast cancer", {FAM}),
    ("Family history of colon cancer.", "colon cancer", {FAM}),
    # hypothetical
    ("Return if chest pain recurs.", "chest pain", {HYP}),
    ("If fever develops, call.", "fever", {HYP}),
    ("You should avoid dehydration.", "dehydration", {HYP}),
    ("Counselled on risk of stroke.", "stroke", {HYP}),
    ("Screening for colon cancer.", "colon cancer", {HYP}),
]


@pytest.mark.parametrize(("note", "phrase", "expected"), CASES)
def test_trigger(note: str, phrase: str, expected: set[Category]) -> None:
    assert categories_of(note, phrase) == expected


def test_plain_assertion_has_no_category() -> None:
    assert categories_of("Acute bronchitis.", "bronchitis") == set()


def test_scope_stops_at_a_terminator() -> None:
    note = "Denies fever but reports productive cough."
    assert categories_of(note, "fever") == {NEG}
    assert categories_of(note, "cough") == set()


def test_scope_stops_at_the_sentence_end() -> None:
    note = "No fever. Pneumonia on the film."
    assert categories_of(note, "Pneumonia") == set()


def test_scope_is_limited_in_words() -> None:
    note = "No relief after the first two doses of the new medicine, and asthma."
    assert categories_of(note, "asthma") == set()


def test_longest_trigger_wins() -> None:
    # "no history of" negates; it must not also read as "history of" (historical).
    assert categories_of("No history of seizures.", "seizures") == {NEG}


def test_pseudo_trigger_blocks_negation() -> None:
    assert categories_of("No increase in edema.", "edema") == set()
    assert categories_of("Gram negative sepsis.", "sepsis") == set()


def test_family_history_section_implies_family() -> None:
    note = "Family history:\nDiabetes.\nAssessment: hypertension"
    assert categories_of(note, "Diabetes") == {FAM}
    assert categories_of(note, "hypertension") == set()


def test_past_history_section_implies_historical() -> None:
    note = "PMH: appendicitis\nAssessment: cough"
    assert categories_of(note, "appendicitis") == {HIST}


def test_ros_negatives_are_negated_and_positives_are_not() -> None:
    note = "ROS: Negative for fever, chills.\nPositive for cough."
    assert categories_of(note, "chills") == {NEG}
    assert categories_of(note, "cough") == set()


def test_section_and_trigger_combine() -> None:
    note = "Family history: mother had no diabetes."
    assert categories_of(note, "diabetes") == {FAM, NEG}


def test_every_shipped_rule_fires_on_a_sentence_built_for_it() -> None:
    """Each non-pseudo rule in the data gives its category to a word placed in its scope."""
    for rule in default_context_rules().rules:
        if rule.category == "pseudo":
            continue
        if rule.direction == "backward":
            note = f"Asthma {rule.phrase} today."
            phrase = "Asthma"
        else:
            note = f"Seen {rule.phrase} asthma."
            phrase = "asthma"
        assert Category(rule.category) in categories_of(note, phrase), rule


def test_bad_rule_data_names_the_rule() -> None:
    with pytest.raises(ValueError, match="'denies'"):
        parse_context_rules(
            {
                "rules": [
                    {
                        "phrase": "denies",
                        "category": "negat",
                        "direction": "forward",
                        "max_scope": 3,
                    }
                ]
            }
        )
    with pytest.raises(ValueError, match="direction"):
        parse_context_rules(
            {"rules": [{"phrase": "x", "category": "negated", "direction": "up", "max_scope": 1}]}
        )
