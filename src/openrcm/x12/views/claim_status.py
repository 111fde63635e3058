"""Typed view of the 277 claim status response (005010X212) and 277CA acknowledgment (005010X214).

Both answer "what happened to my claim": the 277 after a 276 inquiry, the 277CA right after an
837 reaches the payer's front end (accepted into adjudication, or rejected and why). Both carry
STC statuses — a category (``A1`` received, ``A3`` rejected, ``F1`` paid, ``P1`` pending...),
a status code and the entity it concerns — at the level they apply to: the receiver (batch),
the provider, the claim and the service line. The view keeps each claim with its trace number
(TRN02), patient control number (REF*EJ, CLM01 of the 837), payer claim number and amounts, so
claim status can be matched back to the claim that was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Loop, Transaction
from openrcm.x12.views.common import Entity, amount, date_of, entity_of

# Loops holding one claim's status (TRN trigger) and one line's (SVC trigger), per guide.
_CLAIM_LOOPS = {"2200D", "2200E"}
_LINE_LOOPS = {"2220D", "2220E"}
# Category codes that mean the claim was not accepted into adjudication as sent: returned as
# unprocessable (A3), not found (A4), rejected for missing (A6), invalid (A7) or relational (A8)
# information. E0-E4 are about the status inquiry itself, not the claim.
_REJECTED = {"A3", "A4", "A6", "A7", "A8"}


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One health care claim status composite (STC01, STC10 or STC11).

    Attributes:
        category: component 1, claim status category code (code list 507).
        code: component 2, claim status code (code list 508).
        entity: component 3, the entity the status is about (``85`` billing provider...).
        code_list: component 4, NCPDP reject/payment code list qualifier when used.
    """

    category: str
    code: str
    entity: str = ""
    code_list: str = ""


@dataclass(frozen=True, slots=True)
class Status:
    """One STC segment.

    Attributes:
        codes: STC01, then STC10 and STC11 when present.
        effective: STC02 status information effective date.
        action: STC03 action code (277CA: ``U`` reject, ``WQ`` accept).
        charge: STC04 total claim (or line) charge. paid: STC05 payment amount.
        adjudicated: STC06 date. paid_date: STC08 check issue or EFT date.
        check_number: STC09. message: STC12 free-form text.
    """

    codes: tuple[StatusCode, ...]
    effective: date | None = None
    action: str = ""
    charge: Decimal | None = None
    paid: Decimal | None = None
    adjudicated: date | None = None
    paid_date: date | None = None
    check_number: str = ""
    message: str = ""

    @property
    def rejected(self) -> bool:
        """True when a category says the claim or line is rejected (not adjudicated)."""
        return any(c.category in _REJECTED for c in self.codes) or self.action == "U"


@dataclass(frozen=True, slots=True)
class LineStatus:
    """A service line's status (2220D/2220E).

    Attributes:
        qualifier / code / modifiers: SVC01 (``HC`` and a CPT/HCPCS code, ``NU`` revenue...).
        charge: SVC02. paid: SVC03. revenue_code: SVC04. units: SVC07.
        statuses: the line's STC segments. control_number: REF*FJ line item control number.
        start / end: DTP*472 service date (range).
    """

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()
    charge: Decimal | None = None
    paid: Decimal | None = None
    revenue_code: str = ""
    units: Decimal | None = None
    statuses: tuple[Status, ...] = ()
    control_number: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One claim's status (2200D/2200E) and the person it belongs to.

    Attributes:
        patient: the 2100D/2100E NM1 (``IL`` subscriber, ``QC`` patient).
        provider: the provider (2100C NM1*1P/85) the claim sits under, when present.
        trace: TRN02, the claim's trace number (the 276 TRN02; in a 277CA the 837 CLM01).
        statuses: STC segments, in order.
        patient_control: the 837 CLM01: REF*EJ in a 277, TRN02 in a 277CA.
        payer_claim: REF*1K payer claim control number.
        bill_type: REF*BLT. prescription: REF*XZ. voucher: REF*VV.
        clearinghouse_trace: REF*D9.
        start / end: DTP*472 (or 277CA DTP*472 service period).
        lines: the service line statuses.
    """

    patient: Entity | None
    provider: Entity | None
    trace: str
    statuses: tuple[Status, ...] = ()
    patient_control: str = ""
    payer_claim: str = ""
    bill_type: str = ""
    prescription: str = ""
    voucher: str = ""
    clearinghouse_trace: str = ""
    start: date | None = None
    end: date | None = None
    lines: tuple[LineStatus, ...] = ()

    @property
    def rejected(self) -> bool:
        """True when the claim's latest status rejects it."""
        return bool(self.statuses) and self.statuses[-1].rejected


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """Statuses reported for a whole party: the receiver (batch) or a provider.

    Attributes:
        level: ``receiver`` (2000B) or ``provider`` (2000C).
        party: its NM1. trace: TRN02 of its 2200 loop. statuses: its STC segments.
        accepted_count / rejected_count: QTY*90 / QTY*AA (277CA totals), None when absent.
        accepted_amount / rejected_amount: AMT*YU / AMT*YY (277CA totals), None when absent.
    """

    level: str
    party: Entity | None
    trace: str = ""
    statuses: tuple[Status, ...] = ()
    accepted_count: Decimal | None = None
    rejected_count: Decimal | None = None
    accepted_amount: Decimal | None = None
    rejected_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ClaimStatusResponse:
    """One 277 or 277CA transaction set.

    Attributes:
        guide: ST03/GS08 (``005010X212`` 277, ``005010X214`` 277CA).
        control: ST02. reference: BHT03. created: BHT04.
        source: the 2100A information source (payer or clearinghouse).
        parties: receiver and provider level statuses. claims: every claim status, in order.
    """

    guide: str
    control: str
    reference: str
    created: date | None
    source: Entity | None
    parties: tuple[PartyStatus, ...]
    claims: tuple[ClaimStatus, ...]

    @property
    def acknowledgment(self) -> bool:
        """True for a 277CA (claim acknowledgment), False for a 277 status response."""
        return self.guide.startswith("005010X214")


def _code(text: str, comp: str) -> StatusCode | None:
    if not text:
        return None
    parts = [*text.split(comp), "", "", "", ""]
    return StatusCode(parts[0], parts[1], parts[2], parts[3])


def _status(stc: Segment, comp: str) -> Status:
    codes = [c for c in (_code(stc.get(p), comp) for p in (1, 10, 11)) if c is not None]
    return Status(
        codes=tuple(codes),
        effective=date_of(stc.get(2)),
        action=stc.get(3),
        charge=amount(stc.get(4)),
        paid=amount(stc.get(5)),
        adjudicated=date_of(stc.get(6)),
        paid_date=date_of(stc.get(8)),
        check_number=stc.get(9),
        message=stc.get(12),
    )


def _span(loop: Loop) -> tuple[date | None, date | None]:
    dtp = loop.first("DTP", e1="472") or loop.first("DTP")
    if dtp is None:
        return None, None
    first, _, last = dtp.get(3).partition("-")
    start = date_of(first)
    return start, date_of(last) if last else start


def _ref(loop: Loop, qualifier: str) -> str:
    ref = loop.first("REF", e1=qualifier)
    return ref.get(2) if ref is not None else ""


def _line(loop: Loop, comp: str) -> LineStatus:
    svc = loop.first("SVC")
    proc = svc.get(1).split(comp) if svc is not None else []
    start, end = _span(loop)
    return LineStatus(
        qualifier=proc[0] if proc else "",
        code=proc[1] if len(proc) > 1 else "",
        modifiers=tuple(m for m in proc[2:] if m),
        charge=amount(svc.get(2)) if svc else None,
        paid=amount(svc.get(3)) if svc else None,
        revenue_code=svc.get(4) if svc else "",
        units=amount(svc.get(7)) if svc else None,
        statuses=tuple(_status(s, comp) for s in loop.all("STC")),
        control_number=_ref(loop, "FJ"),
        start=start,
        end=end,
    )


def _claim(
    loop: Loop, patient: Entity | None, provider: Entity | None, comp: str, acknowledgment: bool
) -> ClaimStatus:
    trn = loop.first("TRN")
    trace = trn.get(2) if trn else ""
    start, end = _span(loop)
    lines = tuple(
        _line(c, comp) for c in loop.children if isinstance(c, Loop) and c.id in _LINE_LOOPS
    )
    return ClaimStatus(
        patient=patient,
        provider=provider,
        trace=trace,
        statuses=tuple(_status(s, comp) for s in loop.all("STC")),
        patient_control=trace if acknowledgment else _ref(loop, "EJ"),
        payer_claim=_ref(loop, "1K"),
        bill_type=_ref(loop, "BLT"),
        prescription=_ref(loop, "XZ"),
        voucher=_ref(loop, "VV"),
        clearinghouse_trace=_ref(loop, "D9"),
        start=start,
        end=end,
        lines=lines,
    )


def _party(level: str, hl_loop: Loop, party: Entity | None, comp: str) -> PartyStatus | None:
    info = next((c for c in hl_loop.children if isinstance(c, Loop) and c.first("TRN")), None)
    if info is None:
        return None
    qty = {q.get(1): amount(q.get(2)) for q in info.all("QTY")}
    amt = {a.get(1): amount(a.get(2)) for a in info.all("AMT")}
    trn = info.first("TRN")
    return PartyStatus(
        level=level,
        party=party,
        trace=trn.get(2) if trn else "",
        statuses=tuple(_status(s, comp) for s in info.all("STC")),
        accepted_count=qty.get("90"),
        rejected_count=qty.get("AA"),
        accepted_amount=amt.get("YU"),
        rejected_amount=amt.get("YY"),
    )


def _name(hl_loop: Loop) -> Entity | None:
    for child in hl_loop.children:
        if isinstance(child, Loop):
            nm1 = child.first("NM1")
            if nm1 is not None:
                return entity_of(nm1, child)
    return None


class _Walker:
    """Walks nested HL loops, remembering the provider and person each claim belongs to."""

    def __init__(self, comp: str, acknowledgment: bool) -> None:
        self.comp = comp
        self.acknowledgment = acknowledgment
        self.source: Entity | None = None
        self.parties: list[PartyStatus] = []
        self.claims: list[ClaimStatus] = []

    def walk(self, loop: Loop, provider: Entity | None) -> None:
        for child in loop.children:
            if not isinstance(child, Loop):
                continue
            hl = child.first("HL")
            if hl is None:
                self.walk(child, provider)
                continue
            level, name = hl.get(3), _name(child)
            if level == "20":
                self.source = name
            elif level in ("21", "19"):
                found = _party("receiver" if level == "21" else "provider", child, name, self.comp)
                if found is not None:
                    self.parties.append(found)
                if level == "19":
                    provider = name
            for sub in child.children:
                if isinstance(sub, Loop) and sub.id in _CLAIM_LOOPS:
                    self.claims.append(_claim(sub, name, provider, self.comp, self.acknowledgment))
            self.walk(child, provider)


def claim_status_of(tx: Transaction) -> ClaimStatusResponse:
    """Read a parsed 277 (X212) or 277CA (X214) into a ClaimStatusResponse."""
    walker = _Walker(tx.delimiters.component, tx.guide_id.startswith("005010X214"))
    walker.walk(tx.body, None)
    bht = tx.body.first("BHT")
    return ClaimStatusResponse(
        guide=tx.guide_id,
        control=tx.control,
        reference=bht.get(3) if bht else "",
        created=date_of(bht.get(4)) if bht else None,
        source=walker.source,
        parties=tuple(walker.parties),
        claims=tuple(walker.claims),
    )
