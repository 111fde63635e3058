"""First-listed (outpatient, guideline IV.A) or principal (inpatient, II) diagnosis.

The reason chiefly responsible for the visit or admission is the condition the provider names
in the assessment / diagnosis / impression, or else the chief complaint; a manifestation code
is never first (I.A.13), and history / family history Z codes (Z80-Z87) describe the patient's
past, not the reason for the encounter.
"""

from __future__ import annotations

from dataclasses import replace

from openrcm.coding.guidelines import Candidate
from openrcm.coding.terminology import Terminology, covered_by

DIAGNOSTIC_SECTIONS = frozenset({"assessment", "diagnosis", "impression"})
HISTORY_PREFIXES = ("Z80", "Z81", "Z82", "Z83", "Z84", "Z85", "Z86", "Z87", "I25.2")
ROUTINE_EXAMINATIONS = ("Z00", "Z01")
# codes that only add to another: the organism of an infection classified elsewhere (I.C.1.b)
# and the cause of an injury (I.C.20)
INFECTIOUS_AGENTS = ("B95", "B96", "B97")
EXTERNAL_CAUSES = ("V", "W", "X", "Y")


ADMISSION_WORDS = frozenset({"admitted", "admission", "hospitalized"})


def _priority(c: Candidate, setting: str, terminology: Terminology) -> tuple[int, str]:
    facts = terminology.facts(c.code)
    if facts is not None and facts.manifestation:
        return 7, "manifestation code: never sequenced first (I.A.13)"
    if covered_by(c.code, INFECTIOUS_AGENTS):
        return 7, "infectious agent of a condition classified elsewhere: never first (I.C.1.b)"
    if c.code.startswith(EXTERNAL_CAUSES):
        return 7, "external cause code: never sequenced first (I.C.20)"
    if covered_by(c.code, ROUTINE_EXAMINATIONS):
        return 0, "encounter for a routine examination: listed first (I.C.21.c.13)"
    if c.code.startswith("O"):
        return 0, "a complication of pregnancy: chapter 15 codes are sequenced first (I.C.15.a.1)"
    if covered_by(c.code, HISTORY_PREFIXES):
        return 6, "history code: secondary only (I.C.21.c.4)"
    if setting == "inpatient" and not c.code.startswith("R") \
            and c.sentence_words & ADMISSION_WORDS:
        return 0, "the condition the patient was admitted for (II)"
    if c.code.startswith("R"):
        if c.sections & DIAGNOSTIC_SECTIONS:
            return 4, "symptom named in the assessment, no confirmed diagnosis explains it"
        return 5, "symptom code"
    if c.sections & DIAGNOSTIC_SECTIONS and "chief_complaint" in c.sections:
        return 0, "diagnosis named in the chief complaint and the assessment"
    if c.sections & DIAGNOSTIC_SECTIONS:
        return 1, "diagnosis named in the assessment/diagnosis section"
    if "chief_complaint" in c.sections or "hpi" in c.sections:
        return 2, "condition named as the reason for the visit"
    return 3, "condition documented in the note"


def sequence(
    candidates: list[Candidate], setting: str, terminology: Terminology
) -> list[tuple[Candidate, str]]:
    """Active candidates in reporting order, each with the reason for its position."""
    keyed = [(c, *_priority(c, setting, terminology)) for c in candidates]
    # within a class, the order the note gives them (its diagnosis list), not how sure the
    # lexicon was of the words
    keyed.sort(key=lambda t: (t[1], t[0].first, -t[0].confidence))
    keyed = _code_first_order(keyed, terminology)
    label = "first-listed diagnosis" if setting == "outpatient" else "principal diagnosis"
    guideline = "IV.A" if setting == "outpatient" else "II"
    out = []
    for i, (c, _, why) in enumerate(keyed):
        reason = f"{label} ({guideline}): {why}" if i == 0 else f"secondary: {why}"
        out.append((replace(c), reason))
    return out


def _code_first_order(
    keyed: list[tuple[Candidate, int, str]], terminology: Terminology
) -> list[tuple[Candidate, int, str]]:
    """I.A.13: a code whose "code first" note names another reported code goes after it."""
    out = list(keyed)
    for _ in range(len(out)):
        moved = False
        for i, (c, _, _) in enumerate(out):
            facts = terminology.facts(c.code)
            if facts is None or not facts.code_first:
                continue
            later = next(
                (j for j in range(i + 1, len(out)) if covered_by(out[j][0].code, facts.code_first)),
                None,
            )
            if later is not None:
                first = out.pop(later)
                out.insert(
                    i, (first[0], first[1], f"{first[2]}; coded first per the note at {c.code}")
                )
                moved = True
                break
        if not moved:
            break
    return out
