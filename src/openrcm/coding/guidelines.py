"""ICD-10-CM Official Guidelines as rule objects, each citing its section (FY2026 numbering).

Each rule takes the draft (every candidate code with its evidence and context) and returns a
new draft: it may set a candidate aside (kept, with the reason, so the coder sees why it is
not proposed), replace it with another code, or add warnings. Rules run in the order of
:data:`RULES`; the order matters (context before combinations, combinations before
symptoms, Excludes1 and billable checks last).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from openrcm.coding.lexicon import Combination, RawCombination
from openrcm.coding.model import Category, Span
from openrcm.coding.terminology import Terminology, covered_by
from openrcm.coding.text import words

HYPERTENSIVE = ("I10", "I11", "I12", "I13")
"""Essential hypertension and its presumed combinations with heart disease and CKD, which
I.C.9.a.1-3 decide (secondary hypertension, I15, is coded beside its cause instead)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A code under consideration.

    Attributes:
        code, title: the code.
        confidence: 0-1.
        evidence: note spans.
        derivation: index path, synonym or learned phrase.
        categories: ConText categories common to every mention (a code asserted once is
            asserted).
        sections: sections of the mentions.
        first: offset of the first mention (sequencing falls back on it).
        rules: citations of rules applied.
        warnings, queries: for the coder and the provider.
        aside: why the candidate is not proposed ("" when it is).
        sentence_words: content words of the sentences holding the mentions.
        index_path: index titles of the best mention (for "with" combinations).
    """

    code: str
    title: str
    confidence: float
    evidence: tuple[Span, ...]
    derivation: str
    categories: frozenset[Category]
    sections: frozenset[str]
    first: int
    rules: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()
    aside: str = ""
    sentence_words: frozenset[str] = frozenset()
    index_path: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return not self.aside


@dataclass(frozen=True, slots=True)
class Draft:
    """Candidates plus what the rules need to know about the encounter."""

    candidates: tuple[Candidate, ...]
    setting: str
    terminology: Terminology
    combinations: dict[tuple[str, ...], list[RawCombination]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One guideline: its id, the section it cites, a one-line statement, and the function."""

    rule_id: str
    citation: str
    statement: str
    apply: Callable[[Draft], Draft]


@lru_cache(maxsize=1)
def guideline_data() -> dict[str, Any]:
    """The code maps the rules use (``data/guidelines.yaml``)."""
    text = resources.files("openrcm.coding").joinpath("data/guidelines.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _lookup_prefix(table: list[dict[str, str]], code: str) -> str | None:
    for row in table:
        if covered_by(code, (str(row["prefix"]),)):
            return str(row["code"])
    return None


def _aside(c: Candidate, reason: str, citation: str) -> Candidate:
    return replace(c, aside=reason, rules=(*c.rules, citation))


def _with_candidates(draft: Draft, candidates: list[Candidate]) -> Draft:
    return replace(draft, candidates=tuple(candidates))


def _new_candidate(draft: Draft, code: str, base: Candidate, citation: str, why: str) -> Candidate:
    facts = draft.terminology.facts(code)
    title = facts.title if facts else code
    return replace(
        base,
        code=code,
        title=title,
        derivation=f"{why} (from {base.code}: {base.derivation})",
        rules=(*base.rules, citation),
        categories=frozenset(),
        aside="",
    )


def _joint_evidence(*candidates: Candidate) -> tuple[Span, ...]:
    """Every evidence span of ``candidates``, once each, in note order."""
    return tuple(sorted({e for c in candidates for e in c.evidence}, key=lambda s: s.start))


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per code: evidence merged, the active and most confident one kept."""
    by_code: dict[str, Candidate] = {}
    for c in candidates:
        seen = by_code.get(c.code)
        if seen is None:
            by_code[c.code] = c
            continue
        keep, other = (
            (seen, c) if (seen.active, seen.confidence) >= (c.active, c.confidence) else (c, seen)
        )
        by_code[c.code] = replace(
            keep,
            evidence=_joint_evidence(keep, other),
            first=min(keep.first, other.first),
            confidence=min(1.0, max(keep.confidence, other.confidence) + 0.05),
            sections=keep.sections | other.sections,
        )
    return list(by_code.values())


# --- context rules ----------------------------------------------------------------------


def _negated(draft: Draft) -> Draft:
    out = []
    for c in draft.candidates:
        if c.active and Category.NEGATED in c.categories:
            c = _aside(c, "negated in the note (denied or ruled out)", "IV.J")
        elif c.active and Category.HYPOTHETICAL in c.categories:
            c = _aside(c, "hypothetical or planned, not a current condition", "IV.J")
        out.append(c)
    return _with_candidates(draft, out)


def _family(draft: Draft) -> Draft:
    table = guideline_data()["family_history"]
    out = []
    for c in draft.candidates:
        if c.active and Category.FAMILY in c.categories:
            out.append(_aside(c, "the condition belongs to a relative", "I.C.21.c.4"))
            z = _lookup_prefix(table, c.code)
            if z:
                out.append(_new_candidate(draft, z, c, "I.C.21.c.4", "family history"))
            continue
        out.append(c)
    return _with_candidates(draft, _merge(out))


def _history(draft: Draft) -> Draft:
    data = guideline_data()
    chronic = tuple(data["chronic"])
    out = []
    for c in draft.candidates:
        if c.active and Category.HISTORICAL in c.categories:
            if covered_by(c.code, chronic):
                warn = "listed as past history; chronic, so coded as current (IV.I): confirm"
                out.append(replace(c, warnings=(*c.warnings, warn), rules=(*c.rules, "IV.I")))
                continue
            out.append(_aside(c, "history only: the condition no longer exists", "I.C.21.c.4"))
            z = _lookup_prefix(data["personal_history"], c.code)
            if z:
                out.append(_new_candidate(draft, z, c, "I.C.21.c.4", "personal history"))
            continue
        out.append(c)
    return _with_candidates(draft, _merge(out))


def _uncertain(draft: Draft) -> Draft:
    out = []
    for c in draft.candidates:
        if c.active and Category.UNCERTAIN in c.categories:
            if draft.setting == "outpatient":
                c = _aside(
                    c,
                    "uncertain diagnosis (probable, suspected, rule out): in the outpatient "
                    "setting code the signs and symptoms instead",
                    "IV.H",
                )
            else:
                warn = "uncertain diagnosis coded as if established (inpatient, at discharge)"
                c = replace(c, warnings=(*c.warnings, warn), rules=(*c.rules, "II.H"))
        out.append(c)
    return _with_candidates(draft, out)


# --- combination rules ------------------------------------------------------------------


def _with_convention(draft: Draft) -> Draft:
    """I.A.15: the index "with" links two conditions; one combination code replaces them."""
    candidates = list(draft.candidates)
    active = [c for c in candidates if c.active]
    replaced: dict[str, str] = {}
    added: list[Candidate] = []
    named = {id(c): _named_words(c) for c in active}
    for head in active:
        if not head.index_path or head.code in replaced or head.code.startswith("I1"):
            continue
        combos: list[Combination] = []
        for cut in range(len(head.index_path), 0, -1):
            combos = [Combination(*c) for c in draft.combinations.get(head.index_path[:cut], [])]
            if combos:
                break
        for combo in combos:
            if combo.code.startswith(HYPERTENSIVE):
                continue  # I.C.9.a decides hypertension's combinations (the rule before)
            wanted = set(combo.target_words)
            target = next((t for t in active if t is not head and wanted <= named[id(t)]), None)
            in_sentence = set(combo.target_words) <= head.sentence_words
            if target is None and not in_sentence:
                continue
            facts = draft.terminology.facts(combo.code)
            if facts is None:
                continue
            new = _new_candidate(
                draft, combo.code, head, "I.A.15", f'"with" combination: {" ".join(combo.target)}'
            )
            if target is not None:
                new = replace(
                    new,
                    evidence=_joint_evidence(head, target),
                )
                if not covered_by(target.code, facts.use_additional):
                    replaced[target.code] = combo.code
            replaced[head.code] = combo.code
            added.append(new)
            break
    out = [
        _aside(c, f"included in combination code {replaced[c.code]}", "I.A.15")
        if c.active and c.code in replaced
        else c
        for c in candidates
    ]
    return _with_candidates(draft, _merge(out + added))


def _named_words(c: Candidate) -> set[str]:
    """Words the candidate's evidence and title use (what a combination target must name)."""
    return set(words(c.title)) | {w for e in c.evidence for w in words(e.text)}


def _hypertension(draft: Draft) -> Draft:
    """I.C.9.a.1-3: hypertension with heart disease / CKD is presumed linked: I11, I12, I13."""
    data = guideline_data()["hypertension"]
    active = [c for c in draft.candidates if c.active]
    hypertensive = [c for c in active if covered_by(c.code, HYPERTENSIVE)]
    htn = next((c for c in hypertensive if c.code == data["essential"]),
               hypertensive[0] if hypertensive else None)
    if htn is None:
        return draft
    heart = [c for c in active if covered_by(c.code, data["heart_disease_prefixes"])]
    failure = any(covered_by(c.code, data["heart_failure_prefixes"]) for c in heart)
    ckd = [c for c in active if covered_by(c.code, data["ckd_prefixes"])]
    advanced = any(covered_by(c.code, data["ckd_advanced"]) for c in ckd)
    if heart and ckd:
        table = data["heart_and_kidney"]
        key = ("failure_" if failure else "") + ("advanced" if advanced else "early")
        code = table.get(key, table["none"]) if key != "early" else table["none"]
        citation = "I.C.9.a.3"
    elif heart:
        code = data["heart"]["with_failure" if failure else "without_failure"]
        citation = "I.C.9.a.1"
    elif ckd:
        code = data["kidney"]["advanced" if advanced else "early"]
        citation = "I.C.9.a.2"
    else:
        return draft
    new = _new_candidate(draft, code, htn, citation, "hypertension presumed linked")
    new = replace(
        new,
        evidence=_joint_evidence(htn, *heart, *ckd),
        warnings=(*new.warnings, "use additional codes for the heart failure type and CKD stage"),
    )
    # every other hypertensive code (the bare I10, or a combination named without the heart
    # failure or CKD stage the note documents) gives way to the one the rule derives
    out = [
        _aside(c, f"hypertension combined into {code}", citation)
        if c.active and covered_by(c.code, HYPERTENSIVE) and c.code != code else c
        for c in draft.candidates
    ]
    return _with_candidates(draft, _merge([*out, new]))


def _symptom_class(draft: Draft) -> Draft:
    """I.A.15: "with" also links a condition to a class of symptoms its code names ("benign
    prostatic hyperplasia with lower urinary tract symptoms", N40.1). The index cannot say that
    urinary retention is such a symptom, the Tabular List can: the with-code's "use additional
    code" note lists the class's members, which stay coded beside it."""
    active = [c for c in draft.candidates if c.active]
    replaced: dict[str, tuple[str, str]] = {}
    added: list[Candidate] = []
    for row in guideline_data()["symptom_class"]:
        base = next((c for c in active if c.code == row["without"]), None)
        facts = draft.terminology.facts(row["with"])
        if base is None or facts is None:
            continue
        members = [
            c for c in active if c is not base
            and (covered_by(c.code, facts.use_additional) or c.code in row["as"])
        ]
        if not members:
            continue
        named = ", ".join(c.code for c in members)
        new = _new_candidate(
            draft, row["with"], base, "I.A.15", f"with a symptom of its class ({named})"
        )
        added.append(
            replace(
                new,
                evidence=_joint_evidence(base, *members),
            )
        )
        replaced[base.code] = (row["with"], f"included in combination code {row['with']}")
        for member in members:
            listed_as = row["as"].get(member.code)
            if listed_as is not None and draft.terminology.facts(listed_as) is not None:
                added.append(
                    _new_candidate(
                        draft, listed_as, member, "I.A.15",
                        f"the symptom as {row['with']}'s use-additional note lists it",
                    )
                )
                replaced[member.code] = (listed_as, f"coded {listed_as} beside {row['with']}")
    out = [
        _aside(c, replaced[c.code][1], "I.A.15") if c.active and c.code in replaced else c
        for c in draft.candidates
    ]
    return _with_candidates(draft, _merge(out + added))


def _hiv_disease(draft: Draft) -> Draft:
    """I.C.1.a.2.(d): "HIV positive" is Z21 only while no HIV-related condition is documented;
    with one (an opportunistic infection such as Pneumocystis pneumonia), the patient has HIV
    disease, B20, beside the condition. The link is presumed from the condition's kind, so the
    coder is asked to confirm it with the provider."""
    data = guideline_data()["hiv"]
    active = [c for c in draft.candidates if c.active]
    status = next((c for c in active if c.code == data["status"]), None)
    related = [c for c in active if covered_by(c.code, tuple(data["related"]))]
    if status is None or not related:
        return draft
    citation = "I.C.1.a.2.(d)"
    named = ", ".join(c.code for c in related)
    new = _new_candidate(
        draft, data["disease"], status, citation, f"HIV-related condition documented ({named})"
    )
    new = replace(
        new,
        evidence=_joint_evidence(status, *related),
        warnings=(
            *new.warnings,
            f"confirm with the provider that {named} is HIV-related (else Z21 stays)",
        ),
    )
    out = [
        _aside(c, f"HIV-related condition documented: {data['disease']}", citation)
        if c is status
        else c
        for c in draft.candidates
    ]
    return _with_candidates(draft, _merge([*out, new]))


def _integral_symptoms(draft: Draft) -> Draft:
    """I.B.5: signs and symptoms routinely part of a confirmed diagnosis are not coded."""
    table: dict[str, list[str]] = guideline_data()["integral_symptoms"]
    symptoms = tuple(table)
    active = [c for c in draft.candidates if c.active and not covered_by(c.code, symptoms)]
    out = []
    for c in draft.candidates:
        if c.active and covered_by(c.code, symptoms):
            for prefix, diagnoses in table.items():
                if covered_by(c.code, (prefix,)):
                    cause = next((d for d in active if covered_by(d.code, diagnoses)), None)
                    if cause is not None:
                        c = _aside(c, f"symptom integral to {cause.code}", "I.B.5")
                    break
        out.append(c)
    return _with_candidates(draft, out)


def _not_reported_with(draft: Draft) -> Draft:
    """Codes a documented condition rules out (``not_reported_with`` in the data): Z79.4
    long-term insulin is not assigned with type 1 diabetes (I.C.4.a.3); B99.9, "infection"
    alone, gives way to a documented specific infection (I.A.9.b)."""
    active = [c for c in draft.candidates if c.active]
    out = []
    for c in draft.candidates:
        for row in guideline_data()["not_reported_with"]:
            if c.active and c.code == row["code"] and any(
                    covered_by(o.code, tuple(row["when"])) for o in active):
                c = _aside(c, str(row["reason"]), str(row["citation"]))
        out.append(c)
    return _with_candidates(draft, out)


# --- tabular conventions ----------------------------------------------------------------


_OPEN_DETAIL = re.compile(
    r"\b(?:unspecified|not specified)\s+(?:organism|site|type|part|control)s?\b"
    r"|\b(?:organism|site|type|part|control)s?\s+(?:unspecified|not specified)\b",
    re.IGNORECASE)


def _says_less(core: set[str], other: set[str], same_category: bool) -> bool:
    """``core`` says strictly less than ``other``; within a category a word also counts as
    said by a longer word ending with it ("neuropathy" by "polyneuropathy": E11.40 yields
    to E11.42)."""
    if core < other:
        return True
    if not same_category or core == other:
        return False
    return all(w in other or (len(w) >= 6 and any(o != w and o.endswith(w) for o in other))
               for w in core)


def _unspecified(title: str) -> bool:
    """The title leaves the condition's detail open (unspecified, not specified, NOS)."""
    lowered = title.lower()
    return "unspecified" in lowered or "not specified" in lowered


def _paired(draft: Draft, code: str, other: str) -> bool:
    """True when a tabular note asks for ``other`` beside ``code`` (use additional / code
    first): I11.0 wants its heart failure type coded too, so I50.9 does not yield to it."""
    facts, others = draft.terminology.facts(code), draft.terminology.facts(other)
    return bool((facts and covered_by(other, facts.use_additional + facts.code_first))
                or (others and covered_by(code, others.use_additional + others.code_first)))


def _most_specific(draft: Draft) -> Draft:
    """I.A.9.b / IV.F: a code gives way to a documented, more specific one: a sibling whose
    title says more ("Chronic diastolic heart failure" beside "Acute on chronic diastolic
    heart failure"), or, for an unspecified code, any code of its chapter that does."""
    active = [c for c in draft.candidates if c.active]
    out = []
    for c in draft.candidates:
        if c.active:
            # what the title leaves open says nothing: "Sepsis, unspecified organism" is
            # "sepsis", less than "Sepsis due to Escherichia coli"
            core = set(words(_OPEN_DETAIL.sub(" ", c.title)))
            # an unspecified code also gives way across categories of its chapter: "Eczema"
            # (L30.9, dermatitis unspecified) beside "atopic dermatitis" (L20.9)
            unspecified = _unspecified(c.title)
            better = next(
                (
                    o
                    for o in active
                    if o is not c
                    and (o.code[:3] == c.code[:3] or (unspecified and o.code[0] == c.code[0]))
                    and _says_less(core, set(words(o.title)), o.code[:3] == c.code[:3])
                    and not _paired(draft, o.code, c.code)
                ),
                None,
            )
            if better is not None:
                c = _aside(c, f"less specific than {better.code}", "I.A.9.b")
        out.append(c)
    return _with_candidates(draft, out)


def _excludes1(draft: Draft) -> Draft:
    """I.A.12.a: two codes in an Excludes1 relation are never reported together, except when
    the two conditions are unrelated to each other (:func:`_unrelated`); then both stay, with a
    warning and a query, because the guideline says to ask the provider when it is unclear."""
    candidates = list(draft.candidates)
    # the more specific code of a conflicting pair is kept: "Urinary tract infection, site
    # not specified" gives way to "Acute cystitis without hematuria"
    order = sorted(
        (i for i, c in enumerate(candidates) if c.active),
        key=lambda i: (_unspecified(candidates[i].title), -candidates[i].confidence,
                       candidates[i].first),
    )
    kept: list[int] = []
    for i in order:
        c = candidates[i]
        facts = draft.terminology.facts(c.code)
        conflicts = []
        for j in kept:
            other = candidates[j]
            other_facts = draft.terminology.facts(other.code)
            if (facts and covered_by(other.code, facts.excludes1)) or (
                other_facts and covered_by(c.code, other_facts.excludes1)
            ):
                conflicts.append(other)
        related = next((o for o in conflicts if not _unrelated(c, o)), None)
        if related is not None:
            candidates[i] = _aside(c, f"Excludes1 conflict with {related.code}", "I.A.12.a")
            continue
        for other in conflicts:
            c = replace(
                c,
                rules=(*c.rules, "I.A.12.a"),
                warnings=(
                    *c.warnings,
                    f"Excludes1 with {other.code} not applied: documented apart, as an "
                    "unrelated condition (I.A.12.a exception)",
                ),
                queries=(
                    *c.queries,
                    f"Are '{c.title}' and '{other.title}' unrelated conditions? If they are "
                    "related, only one of the codes may be reported.",
                ),
            )
        candidates[i] = c
        kept.append(i)
    return _with_candidates(draft, candidates)


def _unrelated(a: Candidate, b: Candidate) -> bool:
    """Whether two Excludes1 candidates read as unrelated conditions: different chapters,
    neither named in the other's sentences, and titles sharing no word stem (no common site
    or disease). E10/E11 (same chapter) or low back pain/low back strain ("back") stay related.
    """
    if a.code[:1] == b.code[:1]:
        return False
    words_a = {w for span in a.evidence for w in words(span.text)}
    words_b = {w for span in b.evidence for w in words(span.text)}
    if words_a & b.sentence_words or words_b & a.sentence_words:
        return False
    return not {w[:5] for w in words(a.title)} & {w[:5] for w in words(b.title)}


def _code_first_use_additional(draft: Draft) -> Draft:
    """I.A.13: etiology/manifestation pairs and "use additional code" notes."""
    active_codes = [c.code for c in draft.candidates if c.active]
    out = []
    for c in draft.candidates:
        facts = draft.terminology.facts(c.code) if c.active else None
        if facts is not None:
            warnings = list(c.warnings)
            if facts.manifestation and not any(
                covered_by(o, facts.code_first) for o in active_codes if o != c.code
            ):
                warnings.append(
                    "manifestation code: code first the underlying condition "
                    f"({', '.join(facts.code_first[:4])})"
                )
            if facts.use_additional and not any(
                covered_by(o, facts.use_additional) for o in active_codes if o != c.code
            ):
                warnings.append(
                    f"use additional code, if documented: {', '.join(facts.use_additional[:4])}"
                )
            if len(warnings) != len(c.warnings):
                c = replace(c, warnings=tuple(warnings), rules=(*c.rules, "I.A.13"))
        out.append(c)
    return _with_candidates(draft, out)


def _billable_only(draft: Draft) -> Draft:
    """I.A.3 (and I.B.1): only complete, billable codes are reported."""
    out = []
    for c in draft.candidates:
        if c.active:
            facts = draft.terminology.facts(c.code)
            if facts is None:
                c = _aside(c, f"{c.code} is not valid in {draft.terminology.release}", "I.A.3")
            elif not facts.billable:
                c = _aside(c, f"{c.code} is a header, not billable", "I.A.3")
        out.append(c)
    return _with_candidates(draft, out)


RULES: tuple[Rule, ...] = (
    Rule("negated", "IV.J", "Negated or hypothetical conditions are not coded.", _negated),
    Rule("family", "I.C.21.c.4", "Family history is coded with Z80-Z84.", _family),
    Rule(
        "history",
        "I.C.21.c.4",
        "A condition that no longer exists is coded as personal history (Z85-Z87).",
        _history,
    ),
    Rule(
        "uncertain",
        "IV.H / II.H",
        "Uncertain diagnoses: symptoms only for outpatients, as established for inpatients.",
        _uncertain,
    ),
    Rule(
        "hypertension",
        "I.C.9.a.1-3",
        "Hypertension with heart disease or CKD is presumed linked (I11, I12, I13).",
        _hypertension,
    ),
    Rule("with", "I.A.15", '"With" links conditions into one combination code.', _with_convention),
    Rule(
        "symptom-class",
        "I.A.15",
        '"With" a class of symptoms: the combination code when the note documents a member.',
        _symptom_class,
    ),
    Rule(
        "hiv-disease",
        "I.C.1.a.2.(d)",
        "HIV status (Z21) becomes HIV disease (B20) with a documented HIV-related condition.",
        _hiv_disease,
    ),
    Rule(
        "integral-symptoms",
        "I.B.5",
        "Signs and symptoms integral to a confirmed diagnosis are not coded.",
        _integral_symptoms,
    ),
    Rule(
        "specificity",
        "I.A.9.b",
        "An unspecified code is not reported beside a specific code of the same category.",
        _most_specific,
    ),
    Rule(
        "not-reported-with",
        "I.C.4.a.3",
        "A code a documented condition rules out is not reported (Z79.4 with type 1 diabetes).",
        _not_reported_with,
    ),
    Rule("excludes1", "I.A.12.a", "Excludes1 codes are never reported together.", _excludes1),
    Rule(
        "code-first",
        "I.A.13",
        "Code first / use additional code notes pair etiology and manifestation.",
        _code_first_use_additional,
    ),
    Rule("billable", "I.A.3", "Only billable codes are final.", _billable_only),
)


def apply_rules(draft: Draft, rules: tuple[Rule, ...] = RULES) -> Draft:
    """Run every rule in order."""
    for rule in rules:
        draft = rule.apply(draft)
    return draft
