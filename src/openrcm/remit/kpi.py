"""Remittance KPIs: auto-post rate, denial rate by category, time to payment.

Computed from plain records so the same numbers come out of a test, a report and the API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.remit.model import PostingPlan
from openrcm.remit.rules import DENIAL_CATEGORIES

_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Kpis:
    """Remittance performance over a set of posted plans.

    Attributes:
        claims: claim payments received. auto_posted: of those, posted without a person.
        auto_post_rate: auto_posted / claims (0 when there were none).
        lines: service lines posted. denial_rate: held lines per category / lines posted.
        days_to_payment_mean / median: submission -> payment date, over paid claims.
    """

    claims: int
    auto_posted: int
    auto_post_rate: Decimal
    lines: int
    denial_rate: dict[str, Decimal]
    days_to_payment_mean: Decimal | None
    days_to_payment_median: Decimal | None


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(_PLACES) if whole else Decimal(0)


def kpis(plans: Iterable[PostingPlan],
         payment_days: Sequence[tuple[date, date]] = ()) -> Kpis:
    """KPIs over ``plans`` and ``(submitted, paid)`` date pairs of paid claims."""
    claims = auto = lines = 0
    denied: Counter[str] = Counter()
    for plan in plans:
        if plan.refused:
            continue
        claims += plan.claims_received
        auto += plan.claims_received - plan.claims_unmatched
        lines += sum(len(c.lines) for c in plan.claims)
        seen: set[tuple[str, str, str]] = set()
        for denial in plan.denials:
            key = (denial.claim_id, denial.line_id, denial.category)
            if key not in seen:
                seen.add(key)
                denied[denial.category] += 1
    mean, median = days_to_payment(payment_days)
    return Kpis(claims, auto, _rate(auto, claims), lines,
                {c: _rate(denied[c], lines) for c in DENIAL_CATEGORIES}, mean, median)


def days_to_payment(payment_days: Iterable[tuple[date, date]]
                    ) -> tuple[Decimal | None, Decimal | None]:
    """Mean (one decimal) and median days from submission to payment; None without a pair."""
    days = sorted((paid - sent).days for sent, paid in payment_days)
    if not days:
        return None, None
    mid = len(days) // 2
    median = Decimal(days[mid]) if len(days) % 2 else Decimal(days[mid - 1] + days[mid]) / 2
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")), median
