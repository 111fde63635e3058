"""Typed view of the 271 (005010X279A1) eligibility benefit response.

Front desks ask one question of a 271: is this person covered for this service, and what will
they owe? So the view keeps, per member (subscriber, and dependent when the patient is one),
every EB benefit with its coverage level, service types, plan, time period, amount, percent,
quantity and network flag, the dates and messages attached to it, and the related entities of
its LS/LE 2120 loop. AAA segments are business rejections inside a valid 271 (the payer could
not answer: member not found, provider not eligible...), kept with the level they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Loop, Transaction
from openrcm.x12.views.common import Entity, amount, date_of, entity_of

_MEMBER_LEVELS = {"22": "subscriber", "23": "dependent"}


@dataclass(frozen=True, slots=True)
class Rejection:
    """An AAA request validation: why the payer could not answer (part of) the inquiry.

    Attributes:
        level: the loop it came from (``2100A`` source, ``2100B`` receiver, ``2100C``/``2100D``
            member, ``2110C``/``2110D`` benefit).
        valid: AAA01 — Y when the request was valid but could not be answered, N when invalid.
        reason: AAA03 reject reason code (``72`` invalid member id, ``75`` subscriber not
            found, ``50`` provider ineligible for inquiries...).
        follow_up: AAA04 follow-up action code (``C`` correct and resubmit, ``N`` do not...).
    """

    level: str
    valid: bool
    reason: str
    follow_up: str


@dataclass(frozen=True, slots=True)
class BenefitDate:
    """A DTP of a benefit or member: qualifier (``291`` plan, ``346`` plan begin...) and dates."""

    qualifier: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Benefit:
    """One EB segment and what its 2110 loop attaches to it.

    Attributes:
        info: EB01 eligibility or benefit information (``1`` active coverage, ``6`` inactive,
            ``A`` co-insurance, ``B`` co-payment, ``C`` deductible, ``G`` out-of-pocket...).
        coverage_level: EB02 (``IND`` individual, ``FAM`` family, ``EMP`` employee only...).
        service_types: EB03 repetitions (``30`` health benefit plan coverage, ``98`` office
            visit...).
        insurance_type: EB04 (``HM`` HMO, ``MB`` Medicare Part B...).
        plan_description: EB05.
        time_period: EB06 (``23`` calendar year, ``27`` visit, ``29`` remaining...).
        amount: EB07 monetary amount. percent: EB08 as a fraction (``0.2`` = 20%).
        quantity_qualifier: EB09 (``VS`` visits...). quantity: EB10.
        authorization_required: EB11 (True Y, False N, None unknown or absent).
        in_network: EB12 (True Y, False N, None ``U`` or absent: applies to both).
        procedure: EB13 components (qualifier, code, modifiers...).
        dates: the 2110 DTP segments. messages: MSG01 texts.
        related: the NM1 entities of the LS/LE 2120 loop (primary care provider, other payer).
        rejections: AAA of the 2110 loop.
    """

    info: str
    coverage_level: str = ""
    service_types: tuple[str, ...] = ()
    insurance_type: str = ""
    plan_description: str = ""
    time_period: str = ""
    amount: Decimal | None = None
    percent: Decimal | None = None
    quantity_qualifier: str = ""
    quantity: Decimal | None = None
    authorization_required: bool | None = None
    in_network: bool | None = None
    procedure: tuple[str, ...] = ()
    dates: tuple[BenefitDate, ...] = ()
    messages: tuple[str, ...] = ()
    related: tuple[Entity, ...] = ()
    rejections: tuple[Rejection, ...] = ()


@dataclass(frozen=True, slots=True)
class Member:
    """A subscriber or dependent of the 271, with the benefits reported for them.

    Attributes:
        role: ``subscriber`` (HL03 22) or ``dependent`` (HL03 23).
        person: the 2100C/2100D NM1 (with N3/N4).
        traces: TRN segments as (type, number, originator) — TRN*2 echoes the 270's TRN.
        birth_date / gender: DMG02 / DMG03.
        relationship: INS02 (``18`` self, ``01`` spouse, ``19`` child...) when sent.
        dates: 2100 DTP segments (``346`` plan begin, ``307`` eligibility...).
        rejections: AAA of the 2100 loop.
        benefits: the EB loops, in order.
    """

    role: str
    person: Entity
    traces: tuple[tuple[str, str, str], ...] = ()
    birth_date: date | None = None
    gender: str = ""
    relationship: str = ""
    dates: tuple[BenefitDate, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    benefits: tuple[Benefit, ...] = ()

    @property
    def active(self) -> bool:
        """True when some benefit says active coverage (EB01 = 1)."""
        return any(b.info == "1" for b in self.benefits)


@dataclass(frozen=True, slots=True)
class EligibilityResponse:
    """One 271 transaction set.

    Attributes:
        control: ST02. reference: BHT03 (echoes the 270's BHT03). created: BHT04.
        source: the 2100A information source (payer). receiver: the 2100B provider.
        rejections: AAA of the source and receiver levels (the whole inquiry failed).
        members: subscribers and dependents, in order.
    """

    control: str
    reference: str
    created: date | None
    source: Entity | None
    receiver: Entity | None
    rejections: tuple[Rejection, ...]
    members: tuple[Member, ...]

    @property
    def rejected(self) -> bool:
        """True when the payer answered with a rejection at any level instead of benefits."""
        return bool(self.rejections) or any(m.rejections and not m.benefits for m in self.members)


def _rejections(loop: Loop) -> tuple[Rejection, ...]:
    return tuple(Rejection(loop.id, aaa.get(1) == "Y", aaa.get(3), aaa.get(4))
                 for aaa in loop.all("AAA"))


def _dates(loop: Loop) -> tuple[BenefitDate, ...]:
    out: list[BenefitDate] = []
    for dtp in loop.all("DTP"):
        text = dtp.get(3)
        first, _, last = text.partition("-")
        start = date_of(first)
        out.append(BenefitDate(dtp.get(1), start, date_of(last) if last else start))
    return tuple(out)


def _flag(text: str) -> bool | None:
    return True if text == "Y" else False if text == "N" else None



def _benefit(loop: Loop, eb: Segment, comp: str, rep: str) -> Benefit:
    related: list[Entity] = []
    for child in loop.children:
        if isinstance(child, Loop):
            nm1 = child.first("NM1")
            if nm1 is not None:
                related.append(entity_of(nm1, child))
    types = eb.get(3)
    procedure = eb.get(13)
    return Benefit(
        info=eb.get(1), coverage_level=eb.get(2),
        service_types=tuple(t for t in (types.split(rep) if rep else [types]) if t),
        insurance_type=eb.get(4), plan_description=eb.get(5), time_period=eb.get(6),
        amount=amount(eb.get(7)), percent=amount(eb.get(8)), quantity_qualifier=eb.get(9),
        quantity=amount(eb.get(10)), authorization_required=_flag(eb.get(11)),
        in_network=_flag(eb.get(12)),
        procedure=tuple(procedure.split(comp)) if procedure else (),
        dates=_dates(loop), messages=tuple(m.get(1) for m in loop.all("MSG")),
        related=tuple(related), rejections=_rejections(loop))


def _member(hl_loop: Loop, comp: str, rep: str) -> Member:
    hl = hl_loop.first("HL")
    role = _MEMBER_LEVELS.get(hl.get(3) if hl else "", "subscriber")
    name_loop = next((c for c in hl_loop.children if isinstance(c, Loop)
                      and c.first("NM1") is not None), None)
    nm1 = name_loop.first("NM1") if name_loop else None
    person = entity_of(nm1, name_loop) if nm1 is not None else Entity(entity="", last="")
    traces = tuple((t.get(1), t.get(2), t.get(3)) for t in hl_loop.all("TRN"))
    benefits: list[Benefit] = []
    dmg = ins = None
    dates: tuple[BenefitDate, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    if name_loop is not None:
        traces += tuple((t.get(1), t.get(2), t.get(3)) for t in name_loop.all("TRN"))
        dmg, ins = name_loop.first("DMG"), name_loop.first("INS")
        dates, rejections = _dates(name_loop), _rejections(name_loop)
        for child in name_loop.children:
            if isinstance(child, Loop):
                eb = child.first("EB")
                if eb is not None:
                    benefits.append(_benefit(child, eb, comp, rep))
    return Member(role=role, person=person, traces=traces,
                  birth_date=date_of(dmg.get(2)) if dmg else None,
                  gender=dmg.get(3) if dmg else "", relationship=ins.get(2) if ins else "",
                  dates=dates, rejections=rejections, benefits=tuple(benefits))


def _hl_loops(loop: Loop) -> list[Loop]:
    """Every HL loop below ``loop``, depth first, in input order."""
    out: list[Loop] = []
    for child in loop.children:
        if isinstance(child, Loop):
            if child.first("HL") is not None:
                out.append(child)
            out.extend(_hl_loops(child))
    return out


def _party(hl_loop: Loop) -> tuple[Entity | None, tuple[Rejection, ...]]:
    for child in hl_loop.children:
        if isinstance(child, Loop):
            nm1 = child.first("NM1")
            if nm1 is not None:
                return entity_of(nm1, child), _rejections(child)
    return None, _rejections(hl_loop)


def eligibility_of(tx: Transaction) -> EligibilityResponse:
    """Read a parsed 271 into an EligibilityResponse (missing parts stay empty)."""
    comp, rep = tx.delimiters.component, tx.delimiters.repetition
    bht = tx.body.first("BHT")
    source = receiver = None
    rejections: list[Rejection] = []
    members: list[Member] = []
    for hl_loop in _hl_loops(tx.body):
        hl = hl_loop.first("HL")
        level = hl.get(3) if hl is not None else ""
        if level == "20":
            source, found = _party(hl_loop)
            rejections.extend(found)
        elif level == "21":
            receiver, found = _party(hl_loop)
            rejections.extend(found)
        elif level in _MEMBER_LEVELS:
            members.append(_member(hl_loop, comp, rep))
    return EligibilityResponse(
        control=tx.control, reference=bht.get(3) if bht else "",
        created=date_of(bht.get(4)) if bht else None, source=source, receiver=receiver,
        rejections=tuple(rejections), members=tuple(members))
