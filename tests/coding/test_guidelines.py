"""One test (or a few) per guideline rule, each on a short note written for the purpose."""

from __future__ import annotations

from openrcm.coding.guidelines import RULES
from openrcm.coding.lexicon import build_lexicon
from openrcm.coding.model import CodingResult
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.terminology import CodeFacts, IndexEntry, MemoryTerminology

from .terminology_fixture import ENGINE, TERMINOLOGY


def code(text: str, setting: str = "outpatient") -> CodingResult:
    return suggest(NoteInput(text, setting=setting), ENGINE)


def finals(result: CodingResult) -> list[str]:
    return [s.code for s in result.suggestions]


def aside(result: CodingResult) -> dict[str, str]:
    return {s.code: s.warnings[-1] for s in result.set_aside}


def test_every_rule_cites_a_guideline_section() -> None:
    for rule in RULES:
        assert rule.citation[:2] in ("I.", "II", "IV"), rule
        assert rule.statement


def test_negated_condition_is_not_coded() -> None:
    result = code("Patient denies fever. Pneumonia.")
    assert finals(result) == ["J18.9"]
    assert "negated" in aside(result)["R50.9"]


def test_hypothetical_condition_is_not_coded() -> None:
    result = code("Assessment: pneumonia.\nPlan: return if fever.")
    assert "R50.9" not in finals(result)
    assert "hypothetical" in aside(result)["R50.9"]


def test_uncertain_outpatient_codes_the_symptom_instead() -> None:
    # IV.H: "probable pneumonia" is not coded for an outpatient; the cough is.
    result = code("Cough for a week. Probable pneumonia.")
    assert finals(result) == ["R05.9"]
    assert "outpatient" in aside(result)["J18.9"]


def test_uncertain_inpatient_is_coded_as_established() -> None:
    # II.H: at discharge an uncertain diagnosis is coded as if it existed.
    result = code("Cough for a week. Probable pneumonia.", setting="inpatient")
    assert finals(result) == ["J18.9"]
    pneumonia = result.suggestions[0]
    assert "II.H" in pneumonia.rules
    assert any("as if established" in w for w in pneumonia.warnings)
    # and the cough is then integral to it (I.B.5)
    assert "integral" in aside(result)["R05.9"]


def test_symptoms_integral_to_a_confirmed_diagnosis_are_not_coded() -> None:
    result = code("Pneumonia with fever and cough.")
    assert finals(result) == ["J18.9"]
    assert "integral to J18.9" in aside(result)["R50.9"]
    assert "integral to J18.9" in aside(result)["R05.9"]


def test_history_of_becomes_a_personal_history_z_code() -> None:
    result = code("History of colon cancer, no recurrence.")
    assert finals(result) == ["Z85.038"]
    assert "history only" in aside(result)["C18.9"]
    assert "I.C.21.c.4" in result.suggestions[0].rules


def test_family_history_becomes_z80_z84() -> None:
    result = code("Mother had breast cancer.")
    assert finals(result) == ["Z80.3"]
    assert "relative" in aside(result)["C50.919"]


def test_family_history_section_alone_is_enough() -> None:
    result = code("Family history:\nBreast cancer.")
    assert finals(result) == ["Z80.3"]


def test_chronic_condition_in_past_history_stays_current() -> None:
    result = code("PMH: hypertension.")
    assert finals(result) == ["I10"]
    assert "IV.I" in result.suggestions[0].rules


def test_with_convention_makes_a_combination_code() -> None:
    # I.A.15 / I.C.4.a: diabetes "with" CKD is presumed linked -> E11.22, CKD stage added.
    result = code("Type 2 diabetes mellitus with chronic kidney disease stage 3.")
    assert finals(result) == ["E11.22", "N18.30"]
    combo = result.suggestions[0]
    assert "I.A.15" in combo.rules
    assert {e.text for e in combo.evidence} >= {"chronic kidney disease stage 3"}
    assert "included in combination code E11.22" in aside(result)["E11.9"]


def test_with_convention_links_conditions_in_separate_sentences() -> None:
    result = code("Assessment: Type 2 diabetes.\nChronic kidney disease.")
    assert "E11.22" in finals(result)


def test_hypertension_with_heart_failure_is_i11() -> None:
    result = code("Hypertension. Heart failure.")
    assert finals(result)[0] == "I11.0"
    assert "I.C.9.a.1" in result.suggestions[0].rules
    assert "I50.9" in finals(result)
    assert "combined into I11.0" in aside(result)["I10"]


def test_hypertension_with_ckd_is_i12() -> None:
    result = code("Hypertension. Chronic kidney disease stage 3.")
    assert set(finals(result)) == {"I12.9", "N18.30"}
    assert "I.C.9.a.2" in next(s for s in result.suggestions if s.code == "I12.9").rules


def test_hypertension_with_heart_failure_and_ckd_is_i13() -> None:
    result = code("Hypertension, heart failure and chronic kidney disease stage 3.")
    assert "I13.0" in finals(result)
    assert "I.C.9.a.3" in next(s for s in result.suggestions if s.code == "I13.0").rules


def test_unspecified_code_gives_way_to_a_specific_sibling() -> None:
    result = code("Chronic kidney disease. Chronic kidney disease stage 3.")
    assert finals(result) == ["N18.30"]
    assert "less specific" in aside(result)["N18.9"]


def test_excludes1_conflict_is_resolved() -> None:
    # I.A.12.a: E10 (type 1) and E11 (type 2) exclude each other; one is set aside.
    result = code("Diabetes type 1. Diabetes type 2.")
    assert len({"E10.9", "E11.9"} & set(finals(result))) == 1
    assert any("Excludes1" in why for why in aside(result).values())


def test_manifestation_is_never_first_and_asks_for_the_etiology() -> None:
    alone = code("Amyloid polyneuropathy.")
    g63 = alone.suggestions[0]
    assert g63.code == "G63"
    assert any("code first the underlying condition" in w for w in g63.warnings)
    paired = code("Assessment: amyloid polyneuropathy.\nAmyloidosis.")
    assert finals(paired) == ["E85.9", "G63"]
    assert "never sequenced first" in paired.suggestions[1].sequencing_reason


def test_use_additional_code_is_satisfied_by_a_present_code() -> None:
    result = code("Type 2 diabetes mellitus with chronic kidney disease stage 3.")
    combo = result.suggestions[0]
    assert not any("use additional" in w for w in combo.warnings)


def test_only_billable_codes_are_final() -> None:
    # I.A.3: the history rule maps a colon polyp to Z86.0100, absent from this release.
    result = code("History of colon polyp.")
    assert finals(result) == []
    assert "not valid in TEST" in aside(result)["Z86.0100"]


def test_laterality_missing_gives_unspecified_code_and_a_query() -> None:
    result = code("Fracture of the tibia.")
    s = result.suggestions[0]
    assert s.code == "S82.209A"
    assert s.queries and "laterality" in s.queries[0]
    assert "S82.201A" in s.queries[0]
    assert result.findings and result.findings[0].code == "CODING-QUERY"


def test_documented_laterality_gives_the_specific_code() -> None:
    result = code("Fracture of the right tibia.")
    s = result.suggestions[0]
    assert s.code == "S82.201A"
    assert not any("laterality" in q for q in s.queries)


def test_see_reference_is_followed() -> None:
    result = code("Pyrexia since yesterday.")
    assert finals(result) == ["R50.9"]
    assert "(see Fever)" in result.suggestions[0].derivation


def test_evidence_offsets_point_into_the_note() -> None:
    note = "Chief complaint: cough.\nAssessment: pneumonia, right lower lobe."
    result = code(note)
    for s in (*result.suggestions, *result.set_aside):
        for e in s.evidence:
            assert note[e.start : e.end] == e.text


def test_first_listed_diagnosis_comes_from_the_assessment() -> None:
    note = "Chief complaint: chest pain.\nHPI: heart failure.\nAssessment: pneumonia."
    result = code(note)
    assert result.suggestions[0].code == "J18.9"
    assert "first-listed" in result.suggestions[0].sequencing_reason
    assert "IV.A" in result.suggestions[0].sequencing_reason


def test_principal_diagnosis_for_inpatients() -> None:
    result = code("Assessment: pneumonia. Heart failure.", setting="inpatient")
    assert "principal diagnosis (II)" in result.suggestions[0].sequencing_reason


def _engine_with(codes: tuple[CodeFacts, ...], index: tuple[IndexEntry, ...]) -> Engine:
    """The test terminology plus some codes and index entries."""
    facts = {**TERMINOLOGY.codes, **{c.code: c for c in codes}}
    terminology = MemoryTerminology("TEST", facts, (*TERMINOLOGY.index, *index), TERMINOLOGY.terms)
    return Engine(terminology, build_lexicon(terminology))


def _colic_engine() -> Engine:
    """The test terminology plus R10.9 and N23 (the tabular R10 Excludes1 renal colic, N23)."""
    return _engine_with(
        (
            CodeFacts("R10.9", "Unspecified abdominal pain", True, excludes1=("N23",)),
            CodeFacts("N23", "Unspecified renal colic", True),
        ),
        (
            IndexEntry(("Pain, painful", "abdominal"), (), "R10.9"),
            IndexEntry(("Colic", "renal"), (), "N23"),
        ),
    )


def test_excludes1_pair_documented_together_stays_a_conflict() -> None:
    result = suggest(NoteInput("Abdominal pain from renal colic."), _colic_engine())
    assert len({"R10.9", "N23"} & set(finals(result))) == 1
    assert any("Excludes1 conflict" in why for why in aside(result).values())


def test_excludes1_exception_keeps_unrelated_conditions_and_queries_the_provider() -> None:
    # I.A.12.a exception: documented apart, different chapters, nothing in common -> both
    # are reported, with a warning and a query (the guideline: query when it is unclear).
    note = "Renal colic last month, passed a stone.\nToday: abdominal pain after a fall."
    result = suggest(NoteInput(note), _colic_engine())
    assert {"R10.9", "N23"} <= set(finals(result))
    flagged = [s for s in result.suggestions if any("I.A.12.a exception" in w for w in s.warnings)]
    assert len(flagged) == 1
    assert "unrelated conditions" in flagged[0].queries[-1]
    assert "I.A.12.a" in flagged[0].rules


def test_hypertension_rule_owns_its_combinations_and_the_admission_reason_leads() -> None:
    # I.C.9.a.3 gives I13.0 (heart failure and CKD stage 1-4); the index's "heart failure with
    # hypertension" (I11.0) must not replace it; "chronic" gives way to "acute on chronic"
    # (I.A.9.b); the admission was for heart failure, whose code-first note puts I13.0 first
    result = code(
        "Chronic diastolic heart failure, admitted with acute on chronic diastolic heart "
        "failure. Hypertension. Chronic kidney disease stage 3. Probable pneumonia.",
        setting="inpatient")
    assert finals(result)[:2] == ["I13.0", "I50.33"]
    assert {"N18.30", "J18.9"} <= set(finals(result))
    assert not {"I11.0", "I13.10", "I50.32", "I10"} & set(finals(result))
    assert "less specific than I50.33" in aside(result)["I50.32"]
    assert "coded first per the note at I50.33" in result.suggestions[0].sequencing_reason


def test_in_a_class_the_note_order_decides_not_the_lexicon_confidence() -> None:
    result = code("DISCHARGE DIAGNOSES:\n1. Heart failure\n2. Pneumonia", setting="inpatient")
    assert finals(result)[0] == "I50.9"


def test_long_term_insulin_for_type_2_not_for_type_1() -> None:
    # I.C.4.a.3: Z79.4 goes with type 2 diabetes treated with insulin, never with type 1
    assert {"E11.9", "Z79.4"} <= set(finals(code("Type 2 diabetes mellitus, on insulin.")))
    result = code("Type 1 diabetes mellitus, on insulin.")
    assert "Z79.4" not in finals(result)
    assert "part of the treatment of type 1" in aside(result)["Z79.4"]


def test_pain_and_swelling_of_an_injury_are_integral_to_it() -> None:
    result = code("Fracture of the right tibia, initial encounter. Joint pain and swelling.")
    assert finals(result) == ["S82.201A"]
    assert aside(result)["M25.50"].endswith("symptom integral to S82.201A")
    assert aside(result)["R60.9"].endswith("symptom integral to S82.201A")


def test_routine_exam_listed_first_and_an_unspecified_code_yields_across_categories() -> None:
    result = code("Eczema on the arms.\nASSESSMENT: Atopic dermatitis. Child examination, "
                  "normal.")
    assert finals(result) == ["Z00.129", "L20.9"]
    assert "routine examination" in result.suggestions[0].sequencing_reason
    assert aside(result)["L30.9"].endswith("less specific than L20.9")


def test_an_open_organism_yields_to_the_named_one() -> None:
    result = code("Pneumonia. Pneumonia due to Escherichia coli.")
    assert finals(result) == ["J15.5"]
    assert aside(result)["J18.9"].endswith("less specific than J15.5")


def test_excludes1_keeps_the_specific_code_and_without_is_not_with() -> None:
    result = code("Urinary tract infection. Acute cystitis without hematuria.")
    assert finals(result) == ["N30.00"]
    assert aside(result)["N39.0"].endswith("Excludes1 conflict with N30.00")


def test_a_longer_word_says_more_and_pregnancy_codes_lead() -> None:
    # I.A.9.b within a category: "polyneuropathy" says more than "neuropathy"
    result = code("Type 2 diabetes mellitus with diabetic neuropathy. Type 2 diabetes mellitus "
                  "with diabetic polyneuropathy.")
    assert finals(result) == ["E11.42"]
    assert aside(result)["E11.40"].endswith("less specific than E11.42")
    # an open "unspecified control" yields to "diet controlled"; chapter 15 goes first
    result = code("Anemia. Gestational diabetes mellitus in pregnancy, unspecified control. "
                  "Gestational diabetes mellitus in pregnancy, diet controlled.")
    assert finals(result) == ["O24.410", "D64.9"]
    assert "I.C.15.a.1" in result.suggestions[0].sequencing_reason


def test_an_infectious_agent_code_is_never_first() -> None:
    # I.C.1.b: B95-B97 identify the organism of a condition classified elsewhere, in addition
    engine = _engine_with(
        (
            CodeFacts("N30.00", "Acute cystitis without hematuria", True),
            CodeFacts(
                "B96.20", "Unspecified Escherichia coli [E. coli] as the cause of diseases", True
            ),
        ),
        (
            IndexEntry(("Cystitis", "acute"), (), "N30.00"),
            IndexEntry(("Escherichia coli",), (), "B96.20"),
        ),
    )
    result = suggest(NoteInput("Assessment: Escherichia coli acute cystitis."), engine)
    assert finals(result) == ["N30.00", "B96.20"]
    assert "never first (I.C.1.b)" in result.suggestions[1].sequencing_reason


def test_an_unspecified_infection_gives_way_to_a_documented_specific_one() -> None:
    # I.A.9.b: "infection" alone (B99.9) says less than the pneumocystosis the note documents
    engine = _engine_with(
        (
            CodeFacts("B99.9", "Unspecified infectious disease", True),
            CodeFacts("B59", "Pneumocystosis", True),
        ),
        (
            IndexEntry(("Infection, infected, infective",), ("opportunistic",), "B99.9"),
            IndexEntry(("Pneumocystosis",), (), "B59"),
        ),
    )
    result = suggest(NoteInput("Assessment: pneumocystosis. Opportunistic infection."), engine)
    assert finals(result) == ["B59"]
    assert "specific infection says less" in aside(result)["B99.9"]
    alone = suggest(NoteInput("Assessment: infection."), engine)
    assert finals(alone) == ["B99.9"]


def _hiv_engine() -> Engine:
    """The test terminology plus HIV status, HIV disease and pneumocystosis."""
    return _engine_with(
        (
            CodeFacts("Z21", "Asymptomatic HIV infection status", True),
            CodeFacts("B20", "Human immunodeficiency virus [HIV] disease", True),
            CodeFacts("B59", "Pneumocystosis", True),
        ),
        (
            IndexEntry(("HIV", "positive"), (), "Z21"),
            IndexEntry(("Pneumonia", "Pneumocystis"), (), "B59"),
        ),
    )


def test_hiv_positive_with_an_hiv_related_condition_is_hiv_disease() -> None:
    # I.C.1.a.2.(d): Z21 only without HIV-related conditions; Pneumocystis pneumonia is one
    engine = _hiv_engine()
    text = "Assessment: HIV positive. Pneumocystis pneumonia."
    result = suggest(NoteInput(text), engine)
    assert sorted(finals(result)) == ["B20", "B59"]
    assert "HIV-related condition documented: B20" in aside(result)["Z21"]
    b20 = next(s for s in result.suggestions if s.code == "B20")
    assert {text[e.start : e.end] for e in b20.evidence} >= {"Pneumocystis pneumonia"}
    assert "confirm with the provider that B59 is HIV-related" in b20.warnings[-1]
    status_only = suggest(NoteInput("Assessment: HIV positive. Ankle sprain."), engine)
    assert "Z21" in finals(status_only) and "B20" not in finals(status_only)


def _prostate_engine() -> Engine:
    """The test terminology plus BPH without and with lower urinary tract symptoms (N40.1's
    tabular "use additional code" list names the symptoms), urinary retention and nocturia."""
    symptoms = ("R39.14", "R35.1", "R39.16", "R35.0", "R39.11", "N39.4", "N13.8", "R33.8")
    return _engine_with(
        (
            CodeFacts("N40.0", "Benign prostatic hyperplasia without LUTS", True),
            CodeFacts(
                "N40.1", "Benign prostatic hyperplasia with LUTS", True, use_additional=symptoms
            ),
            # a title the note's words do not cover, so the note itself only reads R33.9
            CodeFacts("R33.8", "Other specified retention", True, code_first=("N40.1",)),
            CodeFacts("R33.9", "Retention of urine, unspecified", True),
            CodeFacts("R35.1", "Nocturia", True),
        ),
        (
            IndexEntry(("Hyperplasia, hyperplastic", "prostate"), (), "N40.0"),
            IndexEntry(("Retention, retained", "urinary"), (), "R33.9"),
            IndexEntry(("Nocturia",), (), "R35.1"),
        ),
    )


def test_a_symptom_of_the_class_a_code_names_makes_the_combination_code() -> None:
    # I.A.15: BPH "with lower urinary tract symptoms" is N40.1; urinary retention is one of
    # them (N40.1's use-additional note), coded R33.8 as that note lists it
    engine = _prostate_engine()
    text = "Assessment: prostate hyperplasia with urinary retention."
    result = suggest(NoteInput(text), engine)
    assert finals(result) == ["N40.1", "R33.8"]
    assert aside(result) == {
        "N40.0": "included in combination code N40.1",
        "R33.9": "coded R33.8 beside N40.1",
    }
    n40 = result.suggestions[0]
    assert {text[e.start : e.end] for e in n40.evidence} == {
        "prostate hyperplasia",
        "urinary retention",
    }
    nocturia = suggest(NoteInput("Assessment: prostate hyperplasia. Nocturia."), engine)
    assert finals(nocturia) == ["N40.1", "R35.1"]
    alone = suggest(NoteInput("Assessment: prostate hyperplasia."), engine)
    assert finals(alone) == ["N40.0"]
