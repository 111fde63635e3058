"""Diagnosis code edits: ICD-10-CM conventions on the date of service and the Medicare Code
Editor's age and sex conflicts.

The tabular facts come from the ``DiagnosisReference`` (looked up once per claim in ``Facts``);
these checks only compare them.
"""

from __future__ import annotations

from collections.abc import Sequence

from openrcm.claims.scrub.engine import Edit, Facts, Hit
from openrcm.claims.scrub.formats import icd10cm_well_formed
from openrcm.claims.scrub.reference import AGE_BANDS
from openrcm.findings import Severity

ICD = "ICD-10-CM Official Guidelines for Coding and Reporting"
#: The conventions the shape checks follow; the tabular edits take the release of the loaded
#: ICD-10-CM reference instead.
ICD_RELEASE = "ICD-10-CM conventions"
MCE = "CMS Medicare Code Editor"
NONE: Sequence[Hit] = ()


def malformed(f: Facts) -> Sequence[Hit]:
    return [
        ({"diagnosis": i + 1}, {"code": f.claim.diagnoses[i].code})
        for i, c in enumerate(f.dx_codes)
        if not icd10cm_well_formed(c)
    ]


def duplicate(f: Facts) -> Sequence[Hit]:
    seen: set[str] = set()
    hits: list[Hit] = []
    for i, c in enumerate(f.dx_codes):
        if c in seen:
            hits.append(({"diagnosis": i + 1}, {"code": f.claim.diagnoses[i].code}))
        seen.add(c)
    return hits


def invalid(f: Facts) -> Sequence[Hit]:
    return [
        ({"diagnosis": i + 1}, {"code": f.claim.diagnoses[i].code, "dos": f.dos.isoformat()})
        for i, facts in enumerate(f.dx_facts)
        if facts is None and icd10cm_well_formed(f.dx_codes[i])
    ]


def not_billable(f: Facts) -> Sequence[Hit]:
    return [
        ({"diagnosis": i + 1}, {"code": f.claim.diagnoses[i].code})
        for i, facts in enumerate(f.dx_facts)
        if facts is not None and not facts.billable and not facts.seventh
    ]


def seventh_character(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    for i, facts in enumerate(f.dx_facts):
        if facts is None or not facts.seventh:
            continue
        code = f.dx_codes[i]
        if len(code) < 7 or code[6] not in facts.seventh:
            hits.append(
                (
                    {"diagnosis": i + 1},
                    {
                        "code": f.claim.diagnoses[i].code,
                        "allowed": ", ".join(sorted(facts.seventh)),
                    },
                )
            )
    return hits


def manifestation_first(f: Facts) -> Sequence[Hit]:
    if f.dx_facts and f.dx_facts[0] is not None and f.dx_facts[0].manifestation:
        return (({"diagnosis": 1}, {"code": f.claim.diagnoses[0].code}),)
    return NONE


def excludes1(f: Facts) -> Sequence[Hit]:
    codes = f.dx_codes
    if len(codes) < 2:
        return NONE
    hits: list[Hit] = []
    for i, facts in enumerate(f.dx_facts):
        if facts is None or not facts.excludes1:
            continue
        for j, other in enumerate(codes):
            if j != i and other.startswith(facts.excludes1):
                hits.append(
                    (
                        {"diagnosis": i + 1, "other": j + 1},
                        {"code": f.claim.diagnoses[i].code, "other": f.claim.diagnoses[j].code},
                    )
                )
    return hits


def mce_sex(f: Facts) -> Sequence[Hit]:
    sex = f.claim.patient.sex
    if sex not in ("M", "F"):
        return NONE
    return [
        (
            {"diagnosis": i + 1},
            {"code": f.claim.diagnoses[i].code, "sex": "female" if m.sex == "F" else "male"},
        )
        for i, m in enumerate(f.mce_facts)
        if m is not None and m.sex and m.sex != sex
    ]


def mce_age(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    for i, m in enumerate(f.mce_facts):
        if m is None or not m.age_band:
            continue
        low, high = AGE_BANDS[m.age_band]
        if not low <= f.age <= high:
            hits.append(
                (
                    {"diagnosis": i + 1},
                    {
                        "code": f.claim.diagnoses[i].code,
                        "band": m.age_band,
                        "low": low,
                        "high": high,
                    },
                )
            )
    return hits


# Screens (see ``Edit.screen``): True only when none of the group's edits can fire.


def dx_shape_clean(f: Facts) -> bool:
    """DX-FORMAT and DX-DUPLICATE cannot fire: distinct, well-formed codes."""
    codes = f.dx_codes
    return len(set(codes)) == len(codes) and all(map(icd10cm_well_formed, codes))


def dx_tabular_clean(f: Facts) -> bool:
    """DX-INVALID ... DX-MANIFESTATION-FIRST cannot fire: every code valid and billable on
    the date, none needing a 7th character, the first not a manifestation."""
    dx = f.dx_facts
    for facts in dx:
        if facts is None or not facts.billable or facts.seventh:
            return False
    return not (dx and dx[0] is not None and dx[0].manifestation)


def mce_clean(f: Facts) -> bool:
    """No diagnosis has an MCE age or sex edit."""
    return not any(f.mce_facts)


E, W = Severity.ERROR, Severity.WARNING

EDITS: tuple[Edit, ...] = (
    Edit(
        "DX-FORMAT",
        E,
        "Diagnosis {code} is not shaped like an ICD-10-CM code.",
        "Use letter, digit, then up to five characters (the period is optional).",
        ICD,
        ICD_RELEASE,
        "core",
        malformed,
        screen=dx_shape_clean,
    ),
    Edit(
        "DX-DUPLICATE",
        W,
        "Diagnosis {code} is listed twice.",
        "Remove the repeated diagnosis and re-point the lines.",
        ICD,
        ICD_RELEASE,
        "core",
        duplicate,
        screen=dx_shape_clean,
    ),
    Edit(
        "DX-INVALID",
        E,
        "Diagnosis {code} is not a valid ICD-10-CM code on {dos}.",
        "Use the code set in effect on the date of service; codes change every October 1.",
        ICD,
        "",
        "icd10cm",
        invalid,
        screen=dx_tabular_clean,
    ),
    Edit(
        "DX-NOT-BILLABLE",
        E,
        "Diagnosis {code} is a category header, not a billable code.",
        "Code to the highest specificity: pick one of its child codes.",
        ICD,
        "",
        "icd10cm",
        not_billable,
        screen=dx_tabular_clean,
    ),
    Edit(
        "DX-SEVENTH-CHAR",
        E,
        "Diagnosis {code} needs a 7th character ({allowed}).",
        "Add the encounter 7th character, with X placeholders to fill empty positions.",
        ICD,
        "",
        "icd10cm",
        seventh_character,
        screen=dx_tabular_clean,
    ),
    Edit(
        "DX-MANIFESTATION-FIRST",
        E,
        "Diagnosis {code} is a manifestation code and cannot be listed first.",
        "List the underlying condition first ('code first' note).",
        ICD,
        "",
        "icd10cm",
        manifestation_first,
        screen=dx_tabular_clean,
    ),
    Edit(
        "DX-EXCLUDES1",
        E,
        "Diagnoses {code} and {other} are an Excludes1 pair and cannot be reported together.",
        "Keep the code that the documentation supports; Excludes1 means 'not coded here'.",
        ICD,
        "",
        "icd10cm",
        excludes1,
    ),
    Edit(
        "MCE-SEX-CONFLICT",
        E,
        "Diagnosis {code} applies only to {sex} patients.",
        "Check the patient's sex and the diagnosis.",
        MCE,
        "",
        "mce",
        mce_sex,
        screen=mce_clean,
    ),
    Edit(
        "MCE-AGE-CONFLICT",
        E,
        "Diagnosis {code} is a {band} diagnosis (ages {low}-{high}) "
        "and conflicts with the patient's age.",
        "Check the birth date and the diagnosis.",
        MCE,
        "",
        "mce",
        mce_age,
        screen=mce_clean,
    ),
)
