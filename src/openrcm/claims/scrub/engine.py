"""The edit engine: every edit is a row of data plus one small function, run in one pass.

An ``Edit`` carries what a biller reads (stable ID, severity, message, fix hint, the rule book
it comes from and its release) and a ``check`` that looks at the claim's precomputed ``Facts``
and returns the places where the rule is broken, with the values the message needs. The engine
computes ``Facts`` once per claim (dates, normalised codes, modifier sets, diagnosis lookups,
patient age), then asks each active edit in turn; an edit costs nothing when it finds nothing.
Edits whose reference data is absent (no NCCI tables loaded, say) are left out when the
``Scrubber`` is made, and the report lists the families that ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openrcm.claims.model import Claim, ClaimKind
from openrcm.claims.scrub.reference import DiagnosisFacts, MceFacts, NcciReference, Reference
from openrcm.findings import Finding, Severity

#: A billed line as duplicate detection sees it: patient, date, code, modifiers, provider.
LineKey = tuple[str, date, str, tuple[str, ...], str]
#: Where a rule was broken and the values its message template needs.
Hit = tuple[Mapping[str, str | int], Mapping[str, object]]


@dataclass(frozen=True, slots=True)
class History:
    """What was already billed, for duplicate detection: a key per line
    (patient, date, code, modifiers, provider) to the claim that carried it."""

    billed: Mapping[tuple[str, date, str, tuple[str, ...], str], str] = field(default_factory=dict)


@dataclass(slots=True)
class Facts:
    """A claim with everything edits ask more than once worked out ahead.

    Built once per claim by ``Scrubber.facts`` and only read by edits (it is not frozen
    because a frozen dataclass costs a ``object.__setattr__`` per field, per claim).

    Attributes:
        dx_codes: diagnosis codes upper-case without the period, in claim order.
        dx_facts: the tabular facts per diagnosis (``None``: invalid on the date), or an empty
            tuple when no ICD-10-CM reference is loaded.
        procedures: each line's procedure code, upper-case.
        mods: each line's modifiers as a frozenset (a property, worked out when first asked:
            only a PTP pair with modifier indicator 1 or a payer rule needs them).
        age: the patient's age in whole years on the first date of service.
        professional: the claim is professional (837P) rather than institutional.
        ncci: the NCCI tables of the claim's setting, if loaded.
    """

    claim: Claim
    as_of: date
    dos: date
    dx_codes: tuple[str, ...]
    dx_facts: tuple[DiagnosisFacts | None, ...]
    mce_facts: tuple[MceFacts | None, ...]
    procedures: tuple[str, ...]
    age: int
    reference: Reference
    history: History
    ncci: NcciReference | None
    professional: bool
    add_on_hits: Sequence[Hit] | None = None
    line_keys: list[LineKey] | None = None
    line_mods: tuple[frozenset[str], ...] | None = None

    @property
    def mods(self) -> tuple[frozenset[str], ...]:
        if self.line_mods is None:
            self.line_mods = tuple(
                [frozenset(ln.modifiers) if ln.modifiers else _NO_MODS for ln in self.claim.lines]
            )
        return self.line_mods


Check = Callable[[Facts], Sequence[Hit]]
#: A quick test that a claim passes every edit of a group (see ``Edit.screen``).
Screen = Callable[[Facts], bool]
NO_HISTORY = History()
_NO_MODS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Edit:
    """One scrubber edit.

    Attributes:
        id: stable identifier (``PRV-NPI-CHECKDIGIT``); reports and payer appeals quote it.
        severity: ``error`` blocks submission, ``warning`` does not.
        message: a ``str.format`` template over the check's values; never contains PHI.
        hint: what the biller should do.
        source: the rule book (``ASC X12 TR3``, ``ICD-10-CM convention``, ``CMS NCCI`` ...).
        release: the version of that rule book the edit follows.
        family: which reference the edit needs (``core``, ``icd10cm``, ``ncci``, ``mce``,
            ``payer``); the scrubber leaves out families whose data is absent.
        kinds: the claim kinds the edit applies to (both by default); the scrubber runs an
            edit only on claims of those kinds.
        screen: a cheap test shared by neighbouring edits (the same function object) that is
            True only when none of them can find anything on the claim; the engine then skips
            them all. Most claims are clean, and one pass over a claim's lines (or parties,
            or diagnoses) costs less than each edit's own. A screen may say False for a
            claim that passes (the edits then run and find nothing), never True for one
            that does not.
    """

    id: str
    severity: Severity
    message: str
    hint: str
    source: str
    release: str
    family: str
    check: Check
    kinds: frozenset[ClaimKind] = frozenset(ClaimKind)
    screen: Screen | None = None


@dataclass(frozen=True, slots=True)
class ClaimReport:
    """The scrub result of one claim."""

    claim_id: str
    findings: tuple[Finding, ...]
    families: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """True when nothing blocks submission (warnings allowed)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_json(self, releases: Mapping[str, str] | None = None) -> dict[str, Any]:
        """A JSON-able dict for the API and ``--json``; ``releases`` maps edit IDs to their
        release so each finding says which version of its rule book fired."""
        rel = releases or {}
        return {
            "claim_id": self.claim_id,
            "clean": self.clean,
            "errors": sum(1 for f in self.findings if f.severity is Severity.ERROR),
            "warnings": sum(1 for f in self.findings if f.severity is Severity.WARNING),
            "families": list(self.families),
            "findings": [
                {
                    "code": f.code,
                    "severity": str(f.severity),
                    "message": f.message,
                    "hint": f.hint,
                    "source": f.source,
                    "release": rel.get(f.code, ""),
                    "location": dict(f.location),
                }
                for f in self.findings
            ],
        }


@dataclass(frozen=True, slots=True)
class BatchReport:
    """The scrub result of a batch: each claim's report and counts per edit."""

    claims: tuple[ClaimReport, ...]
    releases: Mapping[str, str]

    @property
    def clean_count(self) -> int:
        return sum(1 for c in self.claims if c.clean)

    def counts(self) -> dict[str, int]:
        """How often each edit fired over the batch, most frequent first."""
        tally: dict[str, int] = {}
        for report in self.claims:
            for f in report.findings:
                tally[f.code] = tally.get(f.code, 0) + 1
        return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "claims": len(self.claims),
            "clean": self.clean_count,
            "blocked": len(self.claims) - self.clean_count,
            "by_edit": self.counts(),
            "reports": [c.to_json(self.releases) for c in self.claims],
        }


def age_on(birth: date, day: date) -> int:
    """Whole years between ``birth`` and ``day`` (negative when born after ``day``)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


class Scrubber:
    """Runs a fixed set of edits against claims, with one ``Reference``.

    Made once per batch (or per process): construction selects the edits whose reference is
    present, so scrubbing a claim is a single loop.
    """

    def __init__(self, edits: Iterable[Edit], reference: Reference) -> None:
        present = {"core", "payer"}
        if reference.diagnoses is not None:
            present.add("icd10cm")
        if reference.ncci is not None or reference.ncci_outpatient is not None:
            present.add("ncci")
        if reference.mce is not None:
            present.add("mce")
        self.reference = reference
        self.edits: tuple[Edit, ...] = tuple(e for e in edits if e.family in present)
        self.families: tuple[str, ...] = tuple(sorted(present))
        self._plans = {
            kind: _plan([e for e in self.edits if kind in e.kinds]) for kind in ClaimKind
        }
        loaded = {
            "ncci": " / ".join(
                n.release for n in (reference.ncci, reference.ncci_outpatient) if n is not None
            ),
            "mce": reference.mce.release if reference.mce is not None else "",
            "icd10cm": reference.diagnoses.release if reference.diagnoses is not None else "",
        }
        self.releases: dict[str, str] = {
            e.id: e.release or loaded.get(e.family, "") for e in self.edits
        }
        self._normal = _Normalised()
        self._days: dict[date, _DayCodes] = {}

    def facts(self, claim: Claim, as_of: date, history: History) -> Facts:
        """Work out once what several edits need."""
        ref = self.reference
        dos = min([line.service_date for line in claim.lines]) if claim.lines else as_of
        normal = self._normal
        dx_codes = tuple([normal[d.code] for d in claim.diagnoses])
        on_day = self._days.get(dos)
        if on_day is None:
            if len(self._days) >= _KEPT:
                self._days.clear()
            on_day = self._days[dos] = _DayCodes(ref, dos)
        found = [on_day[c] for c in dx_codes]
        dx_facts = tuple([dx for dx, _ in found]) if ref.diagnoses else ()
        mce_facts = tuple([mce for _, mce in found]) if ref.mce else ()
        professional = claim.kind is _PROFESSIONAL
        lines = claim.lines
        return Facts(
            claim,
            as_of,
            dos,
            dx_codes,
            dx_facts,
            mce_facts,
            tuple([line.procedure.upper() for line in lines]),
            age_on(claim.patient.birth_date, dos),
            ref,
            history,
            ref.ncci if professional else ref.ncci_outpatient,
            professional,
        )

    def scrub(self, claim: Claim, as_of: date, history: History | None = None) -> ClaimReport:
        """Scrub one claim as of ``as_of`` (the day it would be submitted)."""
        return self._run(claim, as_of, history or NO_HISTORY)[0]

    def _run(self, claim: Claim, as_of: date, history: History) -> tuple[ClaimReport, Facts]:
        facts = self.facts(claim, as_of, history)
        findings: list[Finding] = []
        claim_id = claim.claim_id
        for screen, group in self._plans[claim.kind]:
            if screen is not None and screen(facts):
                continue
            for check, edit in group:
                hits = check(facts)
                if hits:
                    findings.extend(_findings(edit, claim_id, hits))
        return ClaimReport(claim_id, tuple(findings), self.families), facts

    def scrub_batch(
        self, claims: Iterable[Claim], as_of: date, history: History | None = None
    ) -> BatchReport:
        """Scrub many claims. Lines of earlier claims in the batch count as already billed, so
        the same service twice in one batch is caught as a duplicate."""
        billed = dict(history.billed) if history else {}
        running = History(billed)  # sees each claim's lines once the claim is scrubbed
        reports = []
        for claim in claims:
            report, facts = self._run(claim, as_of, running)
            reports.append(report)
            keys = facts.line_keys if facts.line_keys is not None else line_keys(claim)
            billed.update(dict.fromkeys(keys, claim.claim_id))
        return BatchReport(tuple(reports), self.releases)


#: Entries the scrubber's own caches keep (days, codes per day, code spellings).
_KEPT = 4096


class _Normalised(dict[str, str]):
    """Diagnosis codes as written to their lookup form (upper-case, no period), each worked
    out once: a practice's claims repeat a few hundred codes."""

    def __missing__(self, code: str) -> str:
        normal = code.replace(".", "").upper()
        if len(self) < 16 * _KEPT:
            self[code] = normal
        return normal


class _DayCodes(dict[str, tuple[DiagnosisFacts | None, MceFacts | None]]):
    """The ICD-10-CM and MCE facts of each diagnosis code on one date of service, asked of
    the references once (both answers in one probe per code and claim)."""

    def __init__(self, reference: Reference, day: date) -> None:
        super().__init__()
        self._reference = reference
        self._day = day

    def __missing__(self, code: str) -> tuple[DiagnosisFacts | None, MceFacts | None]:
        dx, mce, day = self._reference.diagnoses, self._reference.mce, self._day
        found = (dx.diagnosis(code, day) if dx else None, mce.mce(code, day) if mce else None)
        if len(self) < _KEPT:
            self[code] = found
        return found


Plan = tuple[tuple[Screen | None, tuple[tuple[Check, Edit], ...]], ...]
_PROFESSIONAL = ClaimKind.PROFESSIONAL


def _plan(edits: Sequence[Edit]) -> Plan:
    """The edits in order, neighbours with the same screen (or none) grouped together."""
    groups: list[tuple[Screen | None, list[tuple[Check, Edit]]]] = []
    for e in edits:
        if groups and groups[-1][0] is e.screen:
            groups[-1][1].append((e.check, e))
        else:
            groups.append((e.screen, [(e.check, e)]))
    return tuple((screen, tuple(members)) for screen, members in groups)


def _findings(edit: Edit, claim_id: str, hits: Sequence[Hit]) -> list[Finding]:
    """The findings of one edit that fired: its templates filled, located on the claim."""
    out = []
    for where, values in hits:
        location: dict[str, str | int] = {"claim": claim_id}
        location.update(where)
        out.append(
            Finding(
                code=edit.id,
                severity=edit.severity,
                message=edit.message.format(**values),
                location=location,
                hint=edit.hint.format(**values),
                source=edit.source,
            )
        )
    return out


def line_keys(claim: Claim) -> list[LineKey]:
    """The duplicate-detection key of each line: patient, date, code, modifiers (in any
    order), provider."""
    provider = (claim.rendering_provider or claim.billing_provider).npi
    person = claim.patient.person_id
    return [
        (
            person,
            line.service_date,
            line.procedure.upper(),
            line.modifiers if len(line.modifiers) < 2 else tuple(sorted(line.modifiers)),
            provider,
        )
        for line in claim.lines
    ]


def billed_keys(claim: Claim) -> dict[LineKey, str]:
    """Every line key of ``claim``, pointing at its claim ID (to build a ``History``)."""
    return dict.fromkeys(line_keys(claim), claim.claim_id)
