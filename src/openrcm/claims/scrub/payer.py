"""Payer edits every payer applies: timely filing, coverage on the date of service, primary
adjudication before a secondary claim, and duplicate claims."""

from __future__ import annotations

from collections.abc import Sequence

from openrcm.claims.model import Frequency, Responsibility
from openrcm.claims.scrub.engine import Edit, Facts, Hit, line_keys
from openrcm.findings import Severity

PAYER = "payer rule"
NONE: Sequence[Hit] = ()
#: Days before the filing limit when the scrubber starts warning.
FILING_WARNING_DAYS = 30


def timely_filing(f: Facts) -> Sequence[Hit]:
    limit = f.claim.payer.timely_filing_days
    age = (f.as_of - f.dos).days
    if age > limit:
        return (({"field": "service_date"}, {"days": age, "limit": limit}),)
    return NONE


def timely_filing_soon(f: Facts) -> Sequence[Hit]:
    limit = f.claim.payer.timely_filing_days
    left = limit - (f.as_of - f.dos).days
    return (
        (({"field": "service_date"}, {"left": left}),) if 0 <= left <= FILING_WARNING_DAYS else NONE
    )


def coverage_active(f: Facts) -> Sequence[Hit]:
    cov = f.claim.coverage
    if cov.effective is None and cov.end is None:
        return NONE
    return [
        ({"line": i + 1}, {"day": ln.service_date.isoformat()})
        for i, ln in enumerate(f.claim.lines)
        if not cov.active_on(ln.service_date)
    ]


_EARLIER = {
    Responsibility.PRIMARY: (),
    Responsibility.SECONDARY: (Responsibility.PRIMARY,),
    Responsibility.TERTIARY: (Responsibility.PRIMARY, Responsibility.SECONDARY),
}


def prior_adjudication(f: Facts) -> Sequence[Hit]:
    c = f.claim
    have = {a.responsibility for a in c.prior_adjudications}
    return [
        ({"field": "prior_adjudications"}, {"which": str(r.name).lower()})
        for r in _EARLIER[c.coverage.responsibility]
        if r not in have
    ]


def other_coverage(f: Facts) -> Sequence[Hit]:
    c = f.claim
    payers = {cov.payer.payer_id for cov in c.other_coverages}
    return [
        ({"field": "prior_adjudications"}, {"payer": a.payer_id})
        for a in c.prior_adjudications
        if a.payer_id not in payers
    ]


def duplicate(f: Facts) -> Sequence[Hit]:
    billed = f.history.billed
    c = f.claim
    if not billed or c.frequency is not Frequency.ORIGINAL:
        return NONE
    hits: list[Hit] = []
    keys = f.line_keys = line_keys(c)
    for i, key in enumerate(keys):
        other = billed.get(key)
        if other is not None and other != c.claim_id:
            hits.append(({"line": i + 1, "other_claim": other}, {"other": other}))
    return hits


# Screens (see ``Edit.screen``): True only when none of the group's edits can fire.
_PRIMARY = Responsibility.PRIMARY


def dates_clean(f: Facts) -> bool:
    """Neither filing edit nor PAYER-COVERAGE-INACTIVE can fire: more than the warning
    period left, and every line inside the coverage dates."""
    c = f.claim
    if c.payer.timely_filing_days - (f.as_of - f.dos).days <= FILING_WARNING_DAYS:
        return False
    cov = c.coverage
    start, end = cov.effective, cov.end
    if start is None and end is None:
        return True
    for ln in c.lines:
        day = ln.service_date
        if (start is not None and day < start) or (end is not None and day > end):
            return False
    return True


def cob_clean(f: Facts) -> bool:
    """A primary claim carrying no prior adjudication: the COB edits cannot fire."""
    c = f.claim
    return c.coverage.responsibility is _PRIMARY and not c.prior_adjudications


E, W = Severity.ERROR, Severity.WARNING

EDITS: tuple[Edit, ...] = (
    Edit(
        "PAYER-TIMELY-FILING",
        E,
        "The claim is {days} days after the date of service; the "
        "payer's filing limit is {limit} days.",
        "Send it with proof of timely filing only if an earlier submission was on time.",
        PAYER,
        "",
        "payer",
        timely_filing,
        screen=dates_clean,
    ),
    Edit(
        "PAYER-TIMELY-FILING-SOON",
        W,
        "Only {left} days remain before the payer's filing limit.",
        "Submit this claim first.",
        PAYER,
        "",
        "payer",
        timely_filing_soon,
        screen=dates_clean,
    ),
    Edit(
        "PAYER-COVERAGE-INACTIVE",
        E,
        "The coverage is not active on {day}.",
        "Check eligibility; bill the payer that covered that day, or the patient.",
        PAYER,
        "",
        "payer",
        coverage_active,
        screen=dates_clean,
    ),
    Edit(
        "PAYER-COB-PRIOR-MISSING",
        E,
        "A {which} payer's adjudication is missing from this claim.",
        "Post the earlier payer's remittance before sending this claim.",
        PAYER,
        "",
        "payer",
        prior_adjudication,
        screen=cob_clean,
    ),
    Edit(
        "PAYER-COB-UNKNOWN-PAYER",
        E,
        "Prior adjudication from payer {payer} matches none of the patient's other coverages.",
        "Add that coverage to the claim's other coverages.",
        PAYER,
        "",
        "payer",
        other_coverage,
        screen=cob_clean,
    ),
    Edit(
        "PAYER-DUPLICATE",
        E,
        "This service was already billed on claim {other}.",
        "Do not rebill; send a corrected claim (frequency 7) if the first one was wrong.",
        PAYER,
        "",
        "payer",
        duplicate,
    ),
)
