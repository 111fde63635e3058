"""Values shared by the typed views: names, addresses, adjustments; and element readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from openrcm.x12.tokens import Segment, is_digits
from openrcm.x12.tree import Loop


@dataclass(slots=True)
class Address:
    """N3/N4: street lines, city, state, postal code (and country when outside the US)."""

    line1: str
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(slots=True)
class Entity:
    """An NM1 (or N1) party: a person or an organization, with its identifier.

    Attributes:
        entity: NM101/N101 entity identifier code (``85`` billing provider, ``PR`` payer...).
        last: last name or organization name. first, middle, suffix: person name parts.
        id_qualifier: NM108/N103 (``XX`` NPI, ``MI`` member id, ``PI`` payer id...).
        id: NM109/N104.
        person: True for NM102 = 1.
        address: N3/N4 when the loop has them.
    """

    entity: str
    last: str
    first: str = ""
    middle: str = ""
    suffix: str = ""
    id_qualifier: str = ""
    id: str = ""
    person: bool = False
    address: Address | None = None


@dataclass(slots=True)
class Adjustment:
    """One CAS triplet: group (CO, PR, OA, PI, CR), reason code (CARC), amount, quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@lru_cache(maxsize=8192)
def amount(text: str) -> Decimal | None:
    """An R element as an exact Decimal; None when empty or not a number.

    Cached: remittance files repeat the same few thousand amounts and dates, and building a
    Decimal is the costliest step of reading a service line.
    """
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_ZERO = Decimal("0")


@lru_cache(maxsize=8192)
def money_of(text: str) -> Decimal:
    """A required amount: Decimal, zero when empty or unreadable (validation reports it)."""
    value = amount(text)
    return _ZERO if value is None else value


@lru_cache(maxsize=8192)
def date_of(text: str) -> date | None:
    """A CCYYMMDD element as a date; None when empty or not a real date."""
    if len(text) != 8 or not is_digits(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def ymd(value: date | None) -> str:
    """A date as CCYYMMDD; empty for None."""
    return value.strftime("%Y%m%d") if value is not None else ""


def fmt(value: Decimal | None) -> str:
    """An amount as X12 R text: no exponent, no superfluous sign; empty for None."""
    if value is None:
        return ""
    return format(value, "f")


def entity_of(nm1: Segment, loop: Loop | None = None) -> Entity:
    """An NM1 segment (plus N3/N4 of its loop) as an Entity."""
    return entity_from(nm1.elements, address_of(loop) if loop is not None else None)


def entity_from(e: list[str], address: Address | None = None) -> Entity:
    """NM1 elements as an Entity."""
    if len(e) < 10:
        e = e + [""] * (10 - len(e))
    return Entity(e[1], e[3], e[4], e[5], e[7], e[8], e[9], e[2] == "1", address)


def n1_entity_of(n1: Segment, loop: Loop) -> Entity:
    """An N1 segment (835 payer/payee) plus its N3/N4 as an Entity."""
    return Entity(entity=n1.get(1), last=n1.get(2), id_qualifier=n1.get(3), id=n1.get(4),
                  address=address_of(loop))


def address_of(loop: Loop) -> Address | None:
    """N3/N4 of a loop, None when it has neither."""
    n3, n4 = loop.first("N3"), loop.first("N4")
    if n3 is None and n4 is None:
        return None
    return Address(line1=n3.get(1) if n3 else "", line2=n3.get(2) if n3 else "",
                   city=n4.get(1) if n4 else "", state=n4.get(2) if n4 else "",
                   postal_code=n4.get(3) if n4 else "", country=n4.get(4) if n4 else "")


def adjustments_of(segments: list[list[str]]) -> tuple[Adjustment, ...]:
    """Every CAS triplet (up to six per segment, given as element lists) in order."""
    if len(segments) == 1:
        cas = segments[0]
        if len(cas) == 4 and cas[2]:
            # CAS*group*reason*amount alone, most of a remittance file's adjustments
            return (Adjustment(cas[1], cas[2], money_of(cas[3])),)
    out: list[Adjustment] = []
    for cas in segments:
        count = len(cas)
        if count < 3:
            continue
        group = cas[1]
        if count < 6:
            # one triplet, the usual CAS: no padding copy
            reason = cas[2]
            if reason:
                quantity = cas[4] if count > 4 else ""
                out.append(Adjustment(group, reason, money_of(cas[3]) if count > 3 else _ZERO,
                                      amount(quantity) if quantity else None))
            continue
        if count < 20:
            cas = [*cas, "", ""]
        for p in range(2, count if count < 19 else 19, 3):
            reason = cas[p]
            if reason:
                out.append(Adjustment(group, reason, money_of(cas[p + 1]), amount(cas[p + 2])))
    return tuple(out)


def cas_segments(adjustments: tuple[Adjustment, ...]) -> list[list[str]]:
    """CAS segments for adjustments: consecutive ones of a group share a CAS, six at most."""
    out: list[list[str]] = []
    current: list[str] = []
    for adj in adjustments:
        if not current or current[1] != adj.group or len(current) >= 20:
            current = ["CAS", adj.group]
            out.append(current)
        current += [adj.reason, fmt(adj.amount), fmt(adj.quantity)]
    return [trim(seg) for seg in out]


def nm1_segment(entity: Entity) -> list[str]:
    """An Entity as NM1 elements (trailing empties trimmed)."""
    return trim(["NM1", entity.entity, "1" if entity.person else "2", entity.last, entity.first,
                 entity.middle, "", entity.suffix, entity.id_qualifier, entity.id])


def address_segments(address: Address | None) -> list[list[str]]:
    """N3 and N4 for an address (none for None)."""
    if address is None:
        return []
    return [trim(["N3", address.line1, address.line2]),
            trim(["N4", address.city, address.state, address.postal_code, address.country])]


def trim(elements: list[str]) -> list[str]:
    """Drop trailing empty elements: X12 writers must not send them."""
    end = len(elements)
    while end > 1 and elements[end - 1] == "":
        end -= 1
    return elements[:end]
