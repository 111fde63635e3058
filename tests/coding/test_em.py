"""E/M levels from the 2021 office/outpatient MDM table and the time thresholds."""

from __future__ import annotations

import pytest

from openrcm.coding.em import (
    Data,
    EmInput,
    Problems,
    data_level,
    em_level,
    extract_em_input,
    problems_level,
    time_code,
)


def test_two_of_three_elements_decide_mdm() -> None:
    # moderate problems, limited data, moderate risk -> moderate (99214)
    em = EmInput(
        "established",
        Problems(stable_chronic=2),
        Data(test_results_reviewed=2),
        risk=2,
    )
    result = em_level(em)
    assert result.code == "99214"
    assert result.mdm_level == "moderate"
    assert result.basis == "mdm"
    assert any(line.startswith("data: limited") for line in result.rationale)


def test_one_high_element_alone_does_not_raise_the_level() -> None:
    em = EmInput("new", Problems(threat_to_life_or_function=1), Data(), risk=1)
    result = em_level(em)
    assert result.problems_level == "high"
    assert result.code == "99203"


@pytest.mark.parametrize(
    ("problems", "level"),
    [
        (Problems(), 0),
        (Problems(self_limited=1), 0),
        (Problems(self_limited=2), 1),
        (Problems(stable_chronic=1), 1),
        (Problems(acute_uncomplicated=1), 1),
        (Problems(stable_chronic=2), 2),
        (Problems(chronic_with_exacerbation=1), 2),
        (Problems(undiagnosed_new_uncertain=1), 2),
        (Problems(acute_with_systemic_symptoms=1), 2),
        (Problems(acute_complicated_injury=1), 2),
        (Problems(chronic_severe_exacerbation=1), 3),
        (Problems(threat_to_life_or_function=1), 3),
    ],
)
def test_problem_classes(problems: Problems, level: int) -> None:
    assert problems_level(problems)[0] == level


@pytest.mark.parametrize(
    ("data", "level"),
    [
        (Data(), 0),
        (Data(test_results_reviewed=1), 0),
        (Data(test_results_reviewed=1, tests_ordered=1), 1),
        (Data(independent_historian=True), 1),
        (Data(test_results_reviewed=2, independent_historian=True), 2),
        (Data(external_notes=1, test_results_reviewed=1, tests_ordered=1), 2),
        (Data(independent_interpretation=True), 2),
        (Data(external_discussion=True), 2),
        (Data(independent_interpretation=True, external_discussion=True), 3),
        (Data(tests_ordered=3, independent_interpretation=True), 3),
    ],
)
def test_data_categories(data: Data, level: int) -> None:
    assert data_level(data)[0] == level


@pytest.mark.parametrize(
    ("patient", "minutes", "code"),
    [
        ("new", 14, None),
        ("new", 15, "99202"),
        ("new", 29, "99202"),
        ("new", 30, "99203"),
        ("new", 45, "99204"),
        ("new", 60, "99205"),
        ("new", 90, "99205"),
        ("established", 9, None),
        ("established", 10, "99212"),
        ("established", 20, "99213"),
        ("established", 30, "99214"),
        ("established", 39, "99214"),
        ("established", 40, "99215"),
    ],
)
def test_time_minimums(patient: str, minutes: int, code: str | None) -> None:
    assert time_code(patient, minutes) == code


def test_time_wins_when_it_supports_a_higher_level() -> None:
    em = EmInput("established", Problems(stable_chronic=1), Data(), risk=1, total_minutes=42)
    result = em_level(em)
    assert (result.code, result.basis, result.mdm_code) == ("99215", "time", "99213")


def test_mdm_wins_when_time_is_lower() -> None:
    em = EmInput("new", Problems(stable_chronic=2), Data(), risk=2, total_minutes=20)
    result = em_level(em)
    assert (result.code, result.basis, result.time_code) == ("99204", "mdm", "99202")


def test_minimal_established_service_is_99211() -> None:
    em = EmInput("established", Problems(), Data(), risk=0, minimal_service=True)
    assert em_level(em).code == "99211"


def test_bad_input_is_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="new or established"):
        EmInput("returning", Problems(), Data(), risk=0)
    with pytest.raises(ValueError, match="risk"):
        EmInput("new", Problems(), Data(), risk=4)


def test_extraction_from_a_note() -> None:
    note = (
        "Type 2 diabetes, poorly controlled. Hypertension.\n"
        "Reviewed the A1c and ordered a lipid panel; BMP reviewed.\n"
        "Increase the dose of metformin.\n"
        "Total time spent on the date of the encounter: 25 minutes."
    )
    em = extract_em_input(note, "established", chronic_codes=2, acute_codes=0)
    assert em.total_minutes == 25
    assert em.problems.chronic_with_exacerbation == 1
    assert em.data.test_results_reviewed == 2
    assert em.data.tests_ordered == 1
    assert em.risk == 2
    result = em_level(em)
    assert result.code == "99214"
    assert result.basis == "mdm"


def test_each_unique_test_counts_once_and_synonyms_are_one_test() -> None:
    note = (
        "CBC reviewed. HbA1c reviewed. Reviewed the A1c again and the CBC was reviewed.\n"
        "Ordered an EKG; ECG ordered for tomorrow. Ordered a CBC."
    )
    em = extract_em_input(note, "established", chronic_codes=1, acute_codes=0)
    assert em.data.test_results_reviewed == 2  # cbc, a1c
    assert em.data.tests_ordered == 1  # the ECG; the CBC ordered is already counted


def test_a_test_the_note_says_was_not_done_does_not_count() -> None:
    note = "No CT ordered today. Patient declined the ordered x-ray. Ordered a TSH."
    em = extract_em_input(note, "new", chronic_codes=0, acute_codes=1)
    assert em.data.tests_ordered == 1


def test_tests_listed_after_one_cue_and_values_reported_all_count() -> None:
    note = (
        "A1c 8.2 today, reviewed BMP and urine microalbumin. Will order a lipid panel "
        "and TSH. Colonoscopy was discussed."
    )
    em = extract_em_input(note, "established", chronic_codes=1, acute_codes=0)
    assert (em.data.test_results_reviewed, em.data.tests_ordered) == (3, 2)
    assert data_level(em.data)[0] == 2  # moderate: 5 unique tests (category 1)


def test_a_named_test_without_order_or_result_does_not_count() -> None:
    note = "Last CT in 2019 per patient. Discussed that an MRI may be needed someday."
    em = extract_em_input(note, "new", chronic_codes=0, acute_codes=1)
    assert (em.data.test_results_reviewed, em.data.tests_ordered) == (0, 0)


@pytest.mark.parametrize(
    "plan",
    [
        "Start lisinopril 10 mg daily.",
        "Increase metformin.",
        "Continue atorvastatin 40 mg nightly.",
        "Discontinue hydrochlorothiazide; switch to amlodipine.",
        "Amoxicillin 500 mg three times a day for 10 days, 875 mg bid if tolerated.",
    ],
)
def test_prescription_drug_management_is_moderate_risk(plan: str) -> None:
    em = extract_em_input(f"Sinusitis. {plan}", "established", chronic_codes=0, acute_codes=1)
    assert em.risk == 2


@pytest.mark.parametrize(
    "plan", ["Start physical therapy.", "Ibuprofen over the counter.", "Continue home exercises."]
)
def test_no_prescription_no_moderate_risk(plan: str) -> None:
    em = extract_em_input(f"Low back strain. {plan}", "established", chronic_codes=0, acute_codes=1)
    assert em.risk < 2


def test_negated_cues_are_not_documentation() -> None:
    note = (
        "Acute cough. Negative for fever or chills. Denies worsening of her asthma. "
        "No evidence of sepsis."
    )
    em = extract_em_input(note, "established", chronic_codes=1, acute_codes=1)
    assert em.problems.acute_with_systemic_symptoms == 0
    assert em.problems.chronic_with_exacerbation == 0
    assert em.problems.threat_to_life_or_function == 0
    fever = extract_em_input(
        "Acute cough with fever and chills.", "established", chronic_codes=0, acute_codes=1
    )
    assert fever.problems.acute_with_systemic_symptoms == 1


def test_a_follow_up_visit_reaches_99214_on_mdm() -> None:
    note = (
        "ASSESSMENT AND PLAN:\n1. Type 2 diabetes with diabetic CKD stage 3a - A1c 8.2 "
        "today, reviewed BMP and urine microalbumin. Increase metformin.\n"
        "2. Hypertension - uncontrolled, start lisinopril 10 mg daily.\n"
    )
    result = em_level(extract_em_input(note, "established", chronic_codes=2, acute_codes=0))
    assert (result.problems_level, result.data_level, result.risk_level) == (
        "moderate",
        "moderate",
        "moderate",
    )
    assert result.code == "99214" and result.basis == "mdm"


@pytest.mark.parametrize("line", ["Chest x-ray personally reviewed: right lower lobe infiltrate.",
                                  "I personally viewed the ECG: sinus rhythm.",
                                  "My own read of the CT shows no bleed."])
def test_independent_interpretation(line: str) -> None:
    em = extract_em_input(line, "new", chronic_codes=0, acute_codes=1)
    assert em.data.independent_interpretation
