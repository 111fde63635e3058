"""Office/outpatient E/M level (99202-99205 new, 99211-99215 established), CPT 2021+ rules.

Why two paths: since 2021 an office visit is levelled by medical decision making (MDM) **or**
by total time on the date of the encounter, whichever supports the higher level. MDM has three
elements (problems, data, risk); the level is the one at least two of them reach, i.e. the
median of the three. Each element keeps a line of rationale so a coder (or an auditor) can see
why. Only CPT code numbers are shipped, never descriptor text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LEVEL_NAMES = ("straightforward", "low", "moderate", "high")
DATA_NAMES = ("minimal or none", "limited", "moderate", "extensive")
RISK_NAMES = ("minimal", "low", "moderate", "high")


@dataclass(frozen=True, slots=True)
class Problems:
    """Problems addressed at the visit, counted by their 2021 MDM class."""

    self_limited: int = 0
    stable_chronic: int = 0
    acute_uncomplicated: int = 0
    chronic_with_exacerbation: int = 0
    undiagnosed_new_uncertain: int = 0
    acute_with_systemic_symptoms: int = 0
    acute_complicated_injury: int = 0
    chronic_severe_exacerbation: int = 0
    threat_to_life_or_function: int = 0


@dataclass(frozen=True, slots=True)
class Data:
    """Data reviewed and analysed: the three categories of the 2021 table."""

    external_notes: int = 0
    test_results_reviewed: int = 0
    tests_ordered: int = 0
    independent_historian: bool = False
    independent_interpretation: bool = False
    external_discussion: bool = False


@dataclass(frozen=True, slots=True)
class EmInput:
    """What the level is computed from.

    Attributes:
        patient: ``new`` or ``established``.
        problems: problems addressed.
        data: data reviewed/ordered.
        risk: 0 minimal, 1 low, 2 moderate, 3 high risk of patient management.
        total_minutes: total practitioner time on the date, when documented.
        minimal_service: an established visit that may not need a physician (99211).
    """

    patient: str
    problems: Problems
    data: Data
    risk: int
    total_minutes: int | None = None
    minimal_service: bool = False

    def __post_init__(self) -> None:
        if self.patient not in ("new", "established"):
            raise ValueError(f"patient must be new or established, got {self.patient!r}")
        if not 0 <= self.risk <= 3:
            raise ValueError(f"risk must be 0-3, got {self.risk}")
        if self.total_minutes is not None and self.total_minutes < 0:
            raise ValueError("total_minutes cannot be negative")


@dataclass(frozen=True, slots=True)
class EmResult:
    """The proposed code and the element-by-element rationale behind it."""

    code: str | None
    basis: str
    mdm_level: str
    problems_level: str
    data_level: str
    risk_level: str
    mdm_code: str | None
    time_code: str | None
    rationale: tuple[str, ...]


@lru_cache(maxsize=1)
def em_table() -> dict[str, Any]:
    """The shipped code numbers, time minimums and extraction cues."""
    text = resources.files("openrcm.coding").joinpath("data/em.yaml").read_text("utf-8")
    table: dict[str, Any] = yaml.safe_load(text)
    return table


def problems_level(p: Problems) -> tuple[int, str]:
    """Level of the problems element and the reason."""
    if p.chronic_severe_exacerbation or p.threat_to_life_or_function:
        return 3, "chronic illness with severe exacerbation or threat to life or bodily function"
    if p.chronic_with_exacerbation:
        return 2, "chronic illness with exacerbation, progression or side effects of treatment"
    if p.stable_chronic >= 2:
        return 2, f"{p.stable_chronic} stable chronic illnesses"
    if p.undiagnosed_new_uncertain:
        return 2, "undiagnosed new problem with uncertain prognosis"
    if p.acute_with_systemic_symptoms:
        return 2, "acute illness with systemic symptoms"
    if p.acute_complicated_injury:
        return 2, "acute complicated injury"
    if p.stable_chronic == 1:
        return 1, "1 stable chronic illness"
    if p.acute_uncomplicated:
        return 1, "acute uncomplicated illness or injury"
    if p.self_limited >= 2:
        return 1, f"{p.self_limited} self-limited or minor problems"
    if p.self_limited == 1:
        return 0, "1 self-limited or minor problem"
    return 0, "no problem of a higher class documented"


def data_level(d: Data) -> tuple[int, str]:
    """Level of the data element: counts the category 1/2/3 elements of the 2021 table."""
    tests_docs = d.external_notes + d.test_results_reviewed + d.tests_ordered
    cat1_moderate = tests_docs + (1 if d.independent_historian else 0) >= 3
    categories_met = sum((cat1_moderate, d.independent_interpretation, d.external_discussion))
    detail = (
        f"category 1: {tests_docs} unique tests/documents"
        f"{' + independent historian' if d.independent_historian else ''}; "
        f"category 2 (independent interpretation): "
        f"{'yes' if d.independent_interpretation else 'no'}; "
        f"category 3 (discussion with external physician): "
        f"{'yes' if d.external_discussion else 'no'}"
    )
    if categories_met >= 2:
        return 3, f"extensive: 2 of 3 categories met ({detail})"
    if categories_met == 1:
        return 2, f"moderate: 1 of 3 categories met ({detail})"
    if tests_docs >= 2 or d.independent_historian:
        return 1, f"limited ({detail})"
    return 0, f"minimal or none ({detail})"


def time_code(patient: str, minutes: int | None) -> str | None:
    """The highest code whose minimum total time ``minutes`` reaches, if any."""
    if minutes is None:
        return None
    best: str | None = None
    for code, minimum in sorted(em_table()["time_minimums"][patient].items()):
        if minutes >= int(minimum):
            best = str(code)
    return best


def em_level(em: EmInput) -> EmResult:
    """Level the visit by MDM (2 of 3 elements) and by time, and keep the higher."""
    p_level, p_why = problems_level(em.problems)
    d_level, d_why = data_level(em.data)
    r_level = em.risk
    mdm = sorted((p_level, d_level, r_level))[1]
    codes = em_table()["codes"][em.patient]
    mdm_code = str(codes[mdm])
    by_time = time_code(em.patient, em.total_minutes)
    rationale = [
        f"problems: {LEVEL_NAMES[p_level]} — {p_why}",
        f"data: {DATA_NAMES[d_level]} — {d_why}",
        f"risk: {RISK_NAMES[r_level]}",
        f"MDM: {LEVEL_NAMES[mdm]} (the level at least 2 of the 3 elements reach) -> {mdm_code}",
    ]
    if em.total_minutes is not None:
        rationale.append(
            f"time: {em.total_minutes} min -> {by_time or 'below the lowest time threshold'}"
        )
    code, basis = mdm_code, "mdm"
    if by_time is not None and by_time > mdm_code:
        code, basis = by_time, "time"
    if em.patient == "established" and em.minimal_service and mdm == 0 and basis == "mdm":
        code, basis = "99211", "minimal service"
        rationale.append("minimal service that may not require a physician -> 99211")
    rationale.append(f"selected {code} by {basis}")
    return EmResult(
        code=code,
        basis=basis,
        mdm_level=LEVEL_NAMES[mdm],
        problems_level=LEVEL_NAMES[p_level],
        data_level=DATA_NAMES[d_level],
        risk_level=RISK_NAMES[r_level],
        mdm_code=mdm_code,
        time_code=by_time,
        rationale=tuple(rationale),
    )


_CLAUSE = re.compile(r"(?:[^.;\n]|\.(?=\d))+")  # a decimal point does not end a clause


@lru_cache(maxsize=1)
def _negation() -> re.Pattern[str]:
    words = "|".join(em_table()["test_cues"]["negation"])
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """True when a negation word comes before ``start`` in the same clause ("denies fever",
    "no CT ordered", "declined the x-ray")."""
    begin = start
    while begin > 0 and not (
        text[begin - 1] in ";\n"
        or (text[begin - 1] == "." and not text[begin : begin + 1].isdigit())
    ):
        begin -= 1
    return _negation().search(text, begin, start) is not None


def _count(text: str, patterns: list[str]) -> int:
    """Affirmed mentions of the patterns: a cue the note negates is not documentation of it."""
    return sum(
        1
        for p in patterns
        for m in re.finditer(rf"(?<!\w){p}(?!\w)", text, re.IGNORECASE)
        if not _negated(text, m.start())
    )


@lru_cache(maxsize=1)
def _test_lexicon() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """One pattern for every way notes write a test (longest first), its canonical names, and
    the order and review cues."""
    table = em_table()
    names = {
        alias.lower(): str(canonical)
        for canonical, aliases in table["tests"].items()
        for alias in aliases
    }
    alternatives = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    cues = table["test_cues"]
    return (
        re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE),
        names,
        re.compile(rf"(?<!\w)(?:{'|'.join(cues['ordered'])})(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w)(?:{'|'.join(cues['reviewed'])})(?!\w)", re.IGNORECASE),
    )


def _unique_tests(text: str) -> tuple[set[str], set[str]]:
    """The distinct tests whose results the note reviews, and those it orders, by canonical
    name.

    The 2021 MDM data element counts each unique test once ("CBC reviewed" twice is one
    test; "HbA1c" and "A1c" are the same) and ordering a test includes reviewing its result.
    A test counts when its clause orders it or reviews or reports its result (the nearest cue
    decides which; a value right after the name, "A1c 8.2", is a reported result); a test
    merely named does not, nor one the clause negates ("no CT ordered", "declined the x-ray").
    """
    tests, names, ordered_cue, reviewed_cue = _test_lexicon()
    reviewed: set[str] = set()
    ordered: set[str] = set()
    for clause in _CLAUSE.finditer(text):
        body = clause.group(0)
        cues = [(m.start(), m.end(), "ordered") for m in ordered_cue.finditer(body)]
        cues += [(m.start(), m.end(), "reviewed") for m in reviewed_cue.finditer(body)]
        for m in tests.finditer(body):
            if _negated(text, clause.start() + m.start()):
                continue
            name = names[m.group(0).lower()]
            if re.match(r"\s*(?:of|was|is|=|:)?\s*\d", body[m.end() :]):
                reviewed.add(name)  # a value reported: "A1c 8.2"
                continue
            # the nearest cue says what was done with this test; before it wins a tie
            # ("reviewed the A1c and ordered a lipid panel")
            near = min(
                (
                    (
                        m.start() - end if end <= m.start() else start - m.end(),
                        0 if end <= m.start() else 1,
                        kind,
                    )
                    for start, end, kind in cues
                ),
                default=None,
            )
            if near is not None:
                (reviewed if near[2] == "reviewed" else ordered).add(name)
    return reviewed, ordered - reviewed


def extract_em_input(
    text: str,
    patient: str,
    chronic_codes: int,
    acute_codes: int,
) -> EmInput:
    """Read the MDM elements and total time from a note's words, conservatively.

    ``chronic_codes`` / ``acute_codes`` are the numbers of final diagnosis codes the coding
    pipeline classed as chronic and acute. Phrases come from ``data/em.yaml``; anything not
    documented counts as absent, so the level errs low, which is what an auditor expects.
    """
    cues: dict[str, list[str]] = em_table()["cues"]
    minutes: int | None = None
    for pattern in cues["total_time"]:
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            minutes = int(found.group(1))
            break
    exacerbated = _count(text, cues["exacerbation"]) > 0
    problems = Problems(
        stable_chronic=0 if exacerbated else chronic_codes,
        chronic_with_exacerbation=1 if exacerbated and chronic_codes else 0,
        acute_uncomplicated=acute_codes,
        chronic_severe_exacerbation=min(1, _count(text, cues["severe_exacerbation"])),
        threat_to_life_or_function=min(1, _count(text, cues["threat_to_life"])),
        acute_with_systemic_symptoms=1
        if acute_codes and _count(text, cues["systemic_symptoms"])
        else 0,
        undiagnosed_new_uncertain=min(1, _count(text, cues["undiagnosed_new_problem"])),
        acute_complicated_injury=min(1, _count(text, cues["acute_complicated_injury"])),
    )
    reviewed, ordered = _unique_tests(text)
    data = Data(
        external_notes=_count(text, cues["external_notes"]),
        test_results_reviewed=len(reviewed),
        tests_ordered=len(ordered),
        independent_historian=_count(text, cues["independent_historian"]) > 0,
        independent_interpretation=_count(text, cues["independent_interpretation"]) > 0,
        external_discussion=_count(text, cues["external_discussion"]) > 0,
    )
    if _count(text, cues["risk_high"]):
        risk = 3
    elif _count(text, cues["risk_moderate"]):
        risk = 2
    elif _count(text, cues["risk_low"]):
        risk = 1
    else:
        risk = 0
    return EmInput(patient, problems, data, risk, minutes)
