"""Eligibility (270/271): a readable benefits summary and a patient responsibility estimate.

The 271's EB segments say whether coverage is active (EB01 1-5 active, 6-8 inactive), and give
the deductible and out-of-pocket amounts (EB01 C and G; EB06 23 = for the year, 29 = still
remaining), copays (B, amount in EB07) and coinsurance (A, fraction in EB08) per service type
(EB03, e.g. 30 health benefit plan coverage, 98 professional office visit), in network (EB12
``N`` rows are skipped). AAA segments are request errors (75: subscriber not found). The 271
is read by the x12 package's typed view (``openrcm.x12.views.eligibility``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from openrcm.money import ZERO, cents
from openrcm.x12.parser import parse
from openrcm.x12.views.eligibility import Member, Rejection, eligibility_of

ACTIVE = frozenset({"1", "2", "3", "4", "5"})
AAA_REASONS = {"72": "invalid member id", "73": "invalid name", "75": "subscriber not found",
               "76": "duplicate member id", "42": "payer system unavailable",
               "15": "required information missing", "58": "invalid date of birth",
               "04": "authorized quantity exceeded", "41": "authorization or access restricted",
               "43": "invalid or missing provider identification",
               "79": "invalid participant identification (payer id not known)",
               "80": "no response received, transaction terminated",
               "T4": "payer name or identifier missing"}


@dataclass(frozen=True, slots=True)
class Benefits:
    """What a 271 says about one member.

    Attributes:
        found: False when the payer could not identify the member (AAA).
        active: coverage active on the requested date.
        plan: plan description (EB05). errors: AAA reasons in plain words.
        deductible / deductible_remaining / oop_max / oop_remaining: individual amounts.
        copays / coinsurance: by service type code.
    """

    member_id: str
    found: bool
    active: bool
    plan: str = ""
    deductible: Decimal | None = None
    deductible_remaining: Decimal | None = None
    oop_max: Decimal | None = None
    oop_remaining: Decimal | None = None
    copays: tuple[tuple[str, Decimal], ...] = ()
    coinsurance: tuple[tuple[str, Decimal], ...] = ()
    errors: tuple[str, ...] = ()

    def copay_for(self, service_type: str) -> Decimal:
        """The copay for a service type (falling back to type 30), zero when none."""
        table = dict(self.copays)
        return table.get(service_type, table.get("30", ZERO))

    def coinsurance_for(self, service_type: str) -> Decimal:
        """The coinsurance fraction for a service type (falling back to 30), zero when none."""
        table = dict(self.coinsurance)
        return table.get(service_type, table.get("30", ZERO))

    def summary(self) -> list[str]:
        """The benefits in plain lines, for the CLI and the front desk."""
        if not self.found:
            what = "member not found" if self.member_id else "the payer did not answer"
            return [f"{what}: {', '.join(self.errors) or 'no reason given'}"]
        lines = [f"coverage: {'active' if self.active else 'inactive'}"
                 + (f" ({self.plan})" if self.plan else "")]
        for label, total, left in (("deductible", self.deductible, self.deductible_remaining),
                                   ("out-of-pocket maximum", self.oop_max, self.oop_remaining)):
            if total is not None:
                lines.append(f"{label}: {total} (remaining {'?' if left is None else left})")
        lines += [f"copay for service type {t}: {a}" for t, a in self.copays]
        lines += [f"coinsurance for service type {t}: {cents(f * 100)}%"
                  for t, f in self.coinsurance]
        return lines


def read_271(content: bytes | str) -> list[Benefits]:
    """One Benefits per subscriber/dependent in a 271 file (read by the typed 271 view); a
    271 that rejects the whole inquiry at the payer or provider level (AAA in 2100A/2100B:
    payer unavailable, payer or provider not known) gives one Benefits without a member id,
    not found, with those reasons."""
    out: list[Benefits] = []
    for tx in parse(content, validate=False).transactions():
        if tx.set_id != "271":
            continue
        response = eligibility_of(tx)
        if response.rejections and not response.members:
            out.append(Benefits(member_id="", found=False, active=False,
                                errors=tuple(_reasons(response.rejections))))
        out.extend(_benefits(member) for member in response.members)
    return out


def _reasons(rejections: Iterable[Rejection]) -> list[str]:
    return [AAA_REASONS.get(r.reason, f"request error {r.reason}") for r in rejections
            if r.reason or not r.valid]


def _benefits(member: Member) -> Benefits:
    errors = _reasons((*member.rejections, *(r for b in member.benefits for r in b.rejections)))
    active = plan = None
    values: dict[tuple[str, str], Decimal] = {}
    copays: list[tuple[str, Decimal]] = []
    coinsurance: list[tuple[str, Decimal]] = []
    for eb in member.benefits:
        code, types = eb.info, eb.service_types or ("30",)
        if eb.in_network is False:
            continue  # out-of-network benefits: the summary is about the in-network ones
        if code in ACTIVE or code in ("6", "7", "8"):
            active = code in ACTIVE if active is None else active or code in ACTIVE
            plan = plan or eb.plan_description
        elif code in ("C", "G") and eb.amount is not None and eb.coverage_level in ("", "IND"):
            values.setdefault((code, eb.time_period), eb.amount)
        elif code == "B" and eb.amount is not None:
            copays += [(t, eb.amount) for t in types]
        elif code == "A" and eb.percent is not None:
            coinsurance += [(t, eb.percent) for t in types]
    return Benefits(
        member_id=member.person.id, found=not errors, active=bool(active), plan=plan or "",
        deductible=values.get(("C", "23")), deductible_remaining=values.get(("C", "29")),
        oop_max=values.get(("G", "23")), oop_remaining=values.get(("G", "29")),
        copays=tuple(copays), coinsurance=tuple(coinsurance), errors=tuple(errors))


@dataclass(frozen=True, slots=True)
class Estimate:
    """The patient's expected share of an allowed amount, and how it splits."""

    allowed: Decimal
    deductible: Decimal
    copay: Decimal
    coinsurance: Decimal

    @property
    def patient(self) -> Decimal:
        """Deductible + copay + coinsurance."""
        return self.deductible + self.copay + self.coinsurance

    def summary(self) -> str:
        """The estimate in one plain line, for the CLI and the front desk."""
        return (f"estimate for an allowed amount of {self.allowed}: deductible "
                f"{self.deductible}, copay {self.copay}, coinsurance {self.coinsurance}; "
                f"the patient pays {self.patient}, the plan {self.allowed - self.patient}")


def estimate(benefits: Benefits, allowed: Decimal, service_type: str = "30") -> Estimate:
    """The patient responsibility for a service with ``allowed`` amount, the way payers apply
    it: deductible first, then the copay, then coinsurance on the rest, capped by the
    out-of-pocket remaining. Inactive coverage makes the whole amount the patient's."""
    if not benefits.found or not benefits.active:
        return Estimate(allowed, ZERO, ZERO, allowed)
    deductible = min(allowed, benefits.deductible_remaining or ZERO)
    copay = min(benefits.copay_for(service_type), allowed - deductible)
    coinsurance = cents((allowed - deductible - copay) * benefits.coinsurance_for(service_type))
    cap = benefits.oop_remaining
    if cap is not None and deductible + copay + coinsurance > cap:
        over = deductible + copay + coinsurance - cap
        coinsurance = max(coinsurance - over, ZERO)
    return Estimate(allowed, deductible, copay, coinsurance)
