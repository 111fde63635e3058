"""Typed view of the 835 (005010X221A1) health care claim payment/advice.

What remittance posting needs, as frozen values with Decimal money: the payment (BPR), its
trace (TRN), payer and payee, each claim (CLP) with its adjustments (CAS), people, dates and
service lines (SVC) with theirs, and provider-level adjustments (PLB). ``remittance_of``
reads a parsed transaction; ``openrcm.x12.builders.remittance`` writes one back.

The classes are slotted dataclasses compared by value and meant to be treated as values, but
not ``frozen``: a frozen dataclass costs about ten times more to construct, and a remittance
file can hold millions of service lines (see benchmarks/x12_parse.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from openrcm.x12.tokens import Segment, Tokenizer
from openrcm.x12.tree import Loop, Transaction
from openrcm.x12.views.common import (
    Address,
    Adjustment,
    Entity,
    adjustments_of,
    amount,
    date_of,
    entity_from,
    entity_of,
    money_of,
    n1_entity_of,
)


@dataclass(slots=True)
class ServicePayment:
    """One SVC service line: what was billed, what was paid, why the difference.

    Attributes:
        qualifier: SVC01-1 (``HC`` HCPCS/CPT, ``AD`` ADA, ``NU`` revenue code...).
        code: SVC01-2 procedure code. modifiers: SVC01-3..6.
        charge: SVC02. paid: SVC03. revenue_code: SVC04. units: SVC05 paid units.
        submitted: SVC06 components when the payer adjudicated a different code than billed.
        submitted_units: SVC07.
        service_date / start_date / end_date: DTM*472 / 150 / 151.
        adjustments: line CAS. control_number: REF*6R. allowed: AMT*B6.
        remarks: LQ*HE remittance advice remark codes (RARC).
    """

    qualifier: str
    code: str
    charge: Decimal
    paid: Decimal
    modifiers: tuple[str, ...] = ()
    revenue_code: str = ""
    units: Decimal | None = None
    submitted: tuple[str, ...] = ()
    submitted_units: Decimal | None = None
    service_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    adjustments: tuple[Adjustment, ...] = ()
    control_number: str = ""
    allowed: Decimal | None = None
    remarks: tuple[str, ...] = ()


@dataclass(slots=True)
class ClaimPayment:
    """One CLP claim payment.

    Attributes:
        patient_control: CLP01, the provider's claim id (CLM01 of the 837).
        status: CLP02 (1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal...).
        charge: CLP03. paid: CLP04. patient_responsibility: CLP05.
        filing_indicator: CLP06. payer_control: CLP07, the payer's claim number.
        facility_type: CLP08. frequency: CLP09. drg: CLP11.
        patient: NM1*QC. insured: NM1*IL. corrected_insured: NM1*74. rendering: NM1*82.
        crossover: NM1*TT (claim forwarded to another payer).
        statement_start / statement_end: DTM*232 / 233. received: DTM*050.
        coverage_amount: AMT*AU.
    """

    patient_control: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal | None = None
    filing_indicator: str = ""
    payer_control: str = ""
    facility_type: str = ""
    frequency: str = ""
    drg: str = ""
    adjustments: tuple[Adjustment, ...] = ()
    patient: Entity | None = None
    insured: Entity | None = None
    corrected_insured: Entity | None = None
    rendering: Entity | None = None
    crossover: Entity | None = None
    statement_start: date | None = None
    statement_end: date | None = None
    received: date | None = None
    coverage_amount: Decimal | None = None
    lines: tuple[ServicePayment, ...] = ()


@dataclass(slots=True)
class ProviderAdjustment:
    """One PLB adjustment: provider, fiscal period date, reason (PLB03-1), reference, amount.

    A positive amount reduces the payment (a recoupment); a negative one increases it.
    """

    provider_id: str
    fiscal_date: date | None
    reason: str
    reference: str
    amount: Decimal


@dataclass(slots=True)
class Remittance:
    """One 835 transaction set.

    Attributes:
        control: ST02. handling: BPR01 (``I`` remittance with payment, ``H`` advice only...).
        amount: BPR02 total payment. credit_debit: BPR03. method: BPR04 (``CHK``, ``ACH``,
            ``NON``, ``FWT``, ``BOP``). payment_format: BPR05 (``CCP``, ``CTX``).
        bank: BPR06..BPR15 as sent (sender/receiver DFI and account data for EFT).
        payment_date: BPR16. trace_type: TRN01. trace_number: TRN02 (check or EFT number).
        originator_id: TRN03. receiver_id: REF*EV. production_date: DTM*405.
        payer / payee: 1000A / 1000B. payer_contact: PER*BL (name, phone).
    """

    control: str
    handling: str
    amount: Decimal
    credit_debit: str
    method: str
    payment_date: date | None
    trace_number: str
    payer: Entity
    payee: Entity
    payment_format: str = ""
    bank: tuple[str, ...] = ()
    trace_type: str = "1"
    originator_id: str = ""
    receiver_id: str = ""
    production_date: date | None = None
    payer_contact: tuple[str, ...] = ()
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()


def _service(loop: Loop, comp: str, rep: str) -> ServicePayment:
    svc = loop.children[0]
    assert isinstance(svc, Segment)
    proc = svc.get(1).split(comp)
    service_date = start = end = None
    control = ""
    allowed = None
    remarks: list[str] = []
    cas: list[Segment] = []
    for child in loop.children[1:]:
        if not isinstance(child, Segment):
            continue
        sid = child.elements[0]
        if sid == "CAS":
            cas.append(child)
        elif sid == "DTM":
            qual = child.get(1)
            if qual == "472":
                service_date = date_of(child.get(2))
            elif qual == "150":
                start = date_of(child.get(2))
            elif qual == "151":
                end = date_of(child.get(2))
        elif sid == "REF" and child.get(1) == "6R":
            control = child.get(2)
        elif sid == "AMT" and child.get(1) == "B6":
            allowed = amount(child.get(2))
        elif sid == "LQ" and child.get(1) == "HE":
            remarks.append(child.get(2))
    submitted = tuple(svc.get(6).split(comp)) if svc.get(6) else ()
    return ServicePayment(
        qualifier=proc[0], code=proc[1] if len(proc) > 1 else "", charge=money_of(svc.get(2)),
        paid=money_of(svc.get(3)), modifiers=tuple(proc[2:6]), revenue_code=svc.get(4),
        units=amount(svc.get(5)), submitted=submitted, submitted_units=amount(svc.get(7)),
        service_date=service_date, start_date=start, end_date=end,
        adjustments=adjustments_of([c.elements for c in cas]), control_number=control,
        allowed=allowed, remarks=tuple(remarks))


def _claim(loop: Loop, comp: str, rep: str) -> ClaimPayment:
    clp = loop.children[0]
    assert isinstance(clp, Segment)
    people: dict[str, Entity] = {}
    dates: dict[str, date | None] = {}
    cas: list[Segment] = []
    lines: list[ServicePayment] = []
    coverage = None
    for child in loop.children[1:]:
        if isinstance(child, Loop):
            if child.id == "2110":
                lines.append(_service(child, comp, rep))
            continue
        sid = child.elements[0]
        if sid == "CAS":
            cas.append(child)
        elif sid == "NM1":
            people.setdefault(child.get(1), entity_of(child))
        elif sid == "DTM":
            dates.setdefault(child.get(1), date_of(child.get(2)))
        elif sid == "AMT" and child.get(1) == "AU":
            coverage = amount(child.get(2))
    return ClaimPayment(
        patient_control=clp.get(1), status=clp.get(2), charge=money_of(clp.get(3)),
        paid=money_of(clp.get(4)), patient_responsibility=amount(clp.get(5)),
        filing_indicator=clp.get(6), payer_control=clp.get(7), facility_type=clp.get(8),
        frequency=clp.get(9), drg=clp.get(11),
        adjustments=adjustments_of([c.elements for c in cas]),
        patient=people.get("QC"), insured=people.get("IL"), corrected_insured=people.get("74"),
        rendering=people.get("82"), crossover=people.get("TT"),
        statement_start=dates.get("232"), statement_end=dates.get("233"),
        received=dates.get("050"), coverage_amount=coverage, lines=tuple(lines))


def _plb(plb: list[str], comp: str) -> list[ProviderAdjustment]:
    """The adjustments of one PLB's elements (up to six reason/amount pairs)."""
    out: list[ProviderAdjustment] = []
    count = len(plb)
    provider = plb[1] if count > 1 else ""
    fiscal = date_of(plb[2]) if count > 2 else None
    for p in range(3, min(count, 15), 2):
        reason = plb[p]
        if not reason:
            continue
        parts = reason.split(comp)
        out.append(ProviderAdjustment(provider, fiscal, parts[0],
                                      parts[1] if len(parts) > 1 else "",
                                      money_of(plb[p + 1] if p + 1 < count else "")))
    return out


def remittance_of(tx: Transaction) -> Remittance:
    """The typed 835 of a parsed transaction (tolerant: missing parts become empty values)."""
    if tx.set_id != "835":
        raise ValueError(f"transaction set {tx.set_id[:3]!r} is not an 835")
    d = tx.delimiters
    comp, rep = d.component, d.repetition
    bpr = trn = None
    receiver = ""
    production = None
    payer = payee = Entity("", "")
    contact: tuple[str, ...] = ()
    claims: list[ClaimPayment] = []
    plbs: list[ProviderAdjustment] = []
    for child in tx.body.children:
        if isinstance(child, Loop):
            if child.id == "2000":
                for sub in child.children:
                    if isinstance(sub, Loop) and sub.id == "2100":
                        claims.append(_claim(sub, comp, rep))
            elif child.id in ("1000A", "1000B"):
                n1 = child.children[0]
                assert isinstance(n1, Segment)
                if child.id == "1000A":
                    payer = n1_entity_of(n1, child)
                    per = child.first("PER", e1="BL")
                    contact = tuple(per.elements[2:]) if per is not None else ()
                else:
                    payee = n1_entity_of(n1, child)
            continue
        sid = child.elements[0]
        if sid == "BPR":
            bpr = child
        elif sid == "TRN":
            trn = child
        elif sid == "REF" and child.get(1) == "EV":
            receiver = child.get(2)
        elif sid == "DTM" and child.get(1) == "405":
            production = date_of(child.get(2))
        elif sid == "PLB":
            plbs.extend(_plb(child.elements, comp))
    bpr = bpr or Segment(["BPR"])
    trn = trn or Segment(["TRN"])
    return Remittance(
        control=tx.control, handling=bpr.get(1), amount=money_of(bpr.get(2)),
        credit_debit=bpr.get(3), method=bpr.get(4), payment_format=bpr.get(5),
        bank=tuple(bpr.elements[6:16]) if any(bpr.elements[6:16]) else (),
        payment_date=date_of(bpr.get(16)), trace_type=trn.get(1) or "1",
        trace_number=trn.get(2), originator_id=trn.get(3), receiver_id=receiver,
        production_date=production, payer=payer, payee=payee, payer_contact=contact,
        claims=tuple(claims), provider_adjustments=tuple(plbs))


_PAD = [""] * 20


def _padded(elements: list[str], length: int) -> list[str]:
    """``elements`` with empty strings added up to ``length`` items (reads need no checks)."""
    short = length - len(elements)
    return elements + _PAD[:short] if short > 0 else elements


def _service_payment(svc: list[str], cas: list[list[str]], service_date: date | None,
                     start: date | None, end: date | None, control: str,
                     allowed: Decimal | None, remarks: list[str], comp: str) -> ServicePayment:
    """A streamed SVC and what followed it as a ServicePayment (once per service line)."""
    if len(svc) < 5:
        # SVC01-03 only, the usual line: no padding, no cache calls for absent elements
        if len(svc) < 4:
            svc = _padded(svc, 4)
        revenue_code, units, submitted_units = "", None, None
        submitted: tuple[str, ...] = ()
    else:
        svc = _padded(svc, 8)
        revenue_code, original = svc[4], svc[6]
        units = amount(svc[5]) if svc[5] else None
        submitted = tuple(original.split(comp)) if original else ()
        submitted_units = amount(svc[7]) if svc[7] else None
    proc = svc[1].split(comp)
    parts = len(proc)
    adjustments = adjustments_of(cas) if cas else ()
    # positional: this runs once per service line of a remittance file
    return ServicePayment(
        proc[0], proc[1] if parts > 1 else "", money_of(svc[2]), money_of(svc[3]),
        tuple(proc[2:6]) if parts > 2 else (), revenue_code, units, submitted, submitted_units,
        service_date, start, end, adjustments, control, allowed,
        tuple(remarks) if remarks else ())


def _claim_payment(clp: list[str], cas: list[list[str]], people: dict[str, Entity],
                   dates: dict[str, date | None], coverage: Decimal | None,
                   lines: list[ServicePayment]) -> ClaimPayment:
    """A streamed CLP and what followed it as a ClaimPayment (fields in declaration order)."""
    if len(clp) < 12:
        clp = _padded(clp, 12)
    responsibility = clp[5]
    if dates:
        start, end, received = dates.get("232"), dates.get("233"), dates.get("050")
    else:
        start = end = received = None
    get = people.get
    return ClaimPayment(
        clp[1], clp[2], money_of(clp[3]), money_of(clp[4]),
        amount(responsibility) if responsibility else None, clp[6], clp[7], clp[8], clp[9],
        clp[11], adjustments_of(cas) if cas else (), get("QC"), get("IL"), get("74"),
        get("82"), get("TT"), start, end, received, coverage, tuple(lines))


def iter_remittances(source: str | bytes | BinaryIO | TextIO) -> Iterator[Remittance]:
    """Stream the typed 835s of an input straight from its segments (the fast path).

    Gives the same values as ``remittance_of`` on each parsed transaction, without building
    the loop tree and without validating: use it to post large remittance files in bounded
    memory, and ``parse`` to check them.

    The claim and service line being read live in local variables rather than in builder
    objects (one more object per line and attribute access on every segment), and the
    element lists come from the tokenizer's lazy batches: the loop below is where reading a
    remittance file spends its time, see benchmarks/x12_parse.py.
    """
    tokenizer = Tokenizer(source)
    comp = tokenizer.delimiters.component
    header: dict[str, Any] = {}
    claims: list[ClaimPayment] = []
    plbs: list[ProviderAdjustment] = []
    party: list[Any] | None = None
    in_835 = False
    # the open claim (clp is None outside one) ...
    clp: list[str] | None = None
    claim_cas: list[list[str]] = []
    people: dict[str, Entity] = {}
    claim_dates: dict[str, date | None] = {}
    coverage: Decimal | None = None
    lines: list[ServicePayment] = []
    # ... and its open service line (svc is None outside one)
    svc: list[str] | None = None
    line_cas: list[list[str]] = []
    service_date = start = end = None  # DTM*472, 150, 151; the last one wins, as in the tree
    control = ""
    allowed: Decimal | None = None
    remarks: list[str] = []
    for batch in tokenizer.element_batches():
        for e in batch:
            sid = e[0]
            if sid == "DTM" or sid == "AMT":
                try:
                    qual, text = e[1], e[2]
                except IndexError:
                    qual, text = e[1] if len(e) > 1 else "", ""
                if sid == "AMT":
                    if svc is not None:
                        if qual == "B6":
                            allowed = amount(text)
                    elif clp is not None and qual == "AU":
                        coverage = amount(text)
                elif svc is not None:
                    if qual == "472":
                        service_date = date_of(text)
                    elif qual == "150":
                        start = date_of(text)
                    elif qual == "151":
                        end = date_of(text)
                elif clp is not None:
                    if qual not in claim_dates:
                        claim_dates[qual] = date_of(text)
                elif qual == "405" and "production" not in header:
                    header["production"] = date_of(text)
            elif sid == "CAS":
                if svc is not None:
                    line_cas.append(e)
                elif clp is not None:
                    claim_cas.append(e)
            elif sid == "SVC":
                if clp is not None:
                    if svc is not None:
                        lines.append(_service_payment(svc, line_cas, service_date, start,
                                                      end, control, allowed, remarks, comp))
                    svc, line_cas, control, allowed, remarks = e, [], "", None, []
                    service_date = start = end = None
            elif sid == "NM1":
                if clp is not None and svc is None and len(e) > 1 and e[1] not in people:
                    people[e[1]] = entity_from(e)
            elif sid == "CLP" or sid == "PLB" or sid == "SE":
                if clp is not None:
                    if svc is not None:
                        lines.append(_service_payment(svc, line_cas, service_date, start,
                                                      end, control, allowed, remarks, comp))
                    claims.append(_claim_payment(clp, claim_cas, people, claim_dates,
                                                 coverage, lines))
                clp = svc = None
                if sid == "CLP":
                    clp, claim_cas, people, claim_dates, coverage, lines = \
                        e, [], {}, {}, None, []
                    party = None
                elif sid == "PLB":
                    plbs.extend(_plb(e, comp))
                elif in_835:
                    in_835 = False
                    yield _header_view(header, claims, plbs)
            elif sid == "REF":
                qual = e[1] if len(e) > 1 else ""
                if svc is not None:
                    if qual == "6R":
                        control = e[2] if len(e) > 2 else ""
                elif clp is None and party is None and qual == "EV":
                    header["receiver"] = e[2] if len(e) > 2 else ""
            elif sid == "LQ":
                if svc is not None and len(e) > 1 and e[1] == "HE":
                    remarks.append(e[2] if len(e) > 2 else "")
            elif sid == "N3" or sid == "N4":
                if party is not None and sid not in party[1]:
                    party[1][sid] = e
            elif sid == "N1":
                if clp is None:
                    party = [e, {}]
                    header[e[1] if len(e) > 1 else ""] = party
            elif sid == "PER":
                if (
                    party is not None
                    and len(e) > 1
                    and e[1] == "BL"
                    and "contact" not in header
                    and header.get("PR") is party
                ):
                    header["contact"] = tuple(e[2:])
            elif sid == "BPR" or sid == "TRN":
                header[sid] = e
            elif sid == "ST":
                comp = tokenizer.delimiters.component  # each interchange declares its own
                in_835 = len(e) > 1 and e[1] == "835"
                header = {"control": e[2] if len(e) > 2 else ""}
                claims, plbs, clp, svc, party = [], [], None, None, None


def _party(found: list[Any] | None) -> Entity:
    """A streamed payer or payee: ``[N1 elements, {"N3": elements, "N4": elements}]``."""
    if found is None:
        return Entity("", "")
    n1, extra = found
    n3, n4 = extra.get("N3"), extra.get("N4")
    address = None
    if n3 is not None or n4 is not None:
        n3 = _PAD if n3 is None else _padded(n3, 3)
        n4 = _PAD if n4 is None else _padded(n4, 5)
        address = Address(n3[1], n3[2], n4[1], n4[2], n4[3], n4[4])
    n1 = _padded(n1, 5)
    return Entity(n1[1], n1[2], "", "", "", n1[3], n1[4], False, address)


def _header_view(header: dict[str, Any], claims: list[ClaimPayment],
                 plbs: list[ProviderAdjustment]) -> Remittance:
    """The Remittance of a streamed transaction (fields in declaration order)."""
    bank = header.get("BPR", _PAD)[6:16]
    bpr = _padded(header.get("BPR", _PAD), 17)
    trn = _padded(header.get("TRN", _PAD), 4)
    return Remittance(
        header["control"], bpr[1], money_of(bpr[2]), bpr[3], bpr[4], date_of(bpr[16]), trn[2],
        _party(header.get("PR")), _party(header.get("PE")), bpr[5],
        tuple(bank) if any(bank) else (), trn[1] or "1", trn[3], header.get("receiver", ""),
        header.get("production"), header.get("contact", ()), tuple(claims), tuple(plbs))
