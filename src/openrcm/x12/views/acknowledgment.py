"""Typed view of a received 999 (005010X231A1) implementation acknowledgment.

After an 837 goes out, the 999 says, per transaction set (AK2/IK5) and for the whole group
(AK9), whether the receiver's front end accepted it, and when not, which segment (IK3) and
element (IK4) broke the guide. Claim tracking needs exactly that: which claims' sets were
rejected, and where, so the fix can be pointed at.
"""

from __future__ import annotations

from dataclasses import dataclass

from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Loop, Transaction

# IK501/AK901 values that let the set or group through (E: accepted with errors noted).
_ACCEPTED = {"A", "E"}


@dataclass(frozen=True, slots=True)
class ElementError:
    """An IK4: the element at fault inside the segment of its IK3.

    Attributes:
        position: IK401-1 element position. component: IK401-2. repetition: IK401-3.
        reference: IK402 data element reference number.
        code: IK403 error code (``1`` required missing, ``7`` invalid code, ``8`` invalid
            date, ``I12`` pattern...). bad_value: IK404 copy of the bad data.
    """

    position: int
    component: int | None
    repetition: int | None
    reference: str
    code: str
    bad_value: str


@dataclass(frozen=True, slots=True)
class SegmentError:
    """An IK3: which segment, where in the set, which loop, and why.

    Attributes:
        segment_id: IK301. position: IK302, the segment's position in the set (ST = 1).
        loop: IK303 loop identifier. code: IK304 (``2`` unexpected, ``3`` required missing,
            ``8`` has data element errors, ``I6`` situational missing...).
        elements: the IK4 element errors under it.
    """

    segment_id: str
    position: int | None
    loop: str
    code: str
    elements: tuple[ElementError, ...] = ()


@dataclass(frozen=True, slots=True)
class SetResult:
    """One AK2..IK5: the verdict on one transaction set of the acknowledged group.

    Attributes:
        set_id: AK201 (``837``...). control: AK202, the ST02 acknowledged.
        guide: AK203 implementation convention reference.
        status: IK501 (``A`` accepted, ``E`` accepted with errors, ``R`` rejected).
        codes: IK502..IK506 transaction set syntax error codes.
        errors: the IK3 segment errors.
    """

    set_id: str
    control: str
    guide: str
    status: str
    codes: tuple[str, ...] = ()
    errors: tuple[SegmentError, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when the set goes on to adjudication (IK501 A or E)."""
        return self.status in _ACCEPTED


@dataclass(frozen=True, slots=True)
class ImplementationAck:
    """One 999 transaction set.

    Attributes:
        control: ST02 of the 999.
        functional_group: AK101 (``HC`` for 837s). group_control: AK102, the GS06 answered.
        version: AK103 (the GS08 answered).
        results: one SetResult per AK2.
        group_status: AK901 (``A``, ``E``, ``P`` partially accepted, ``R``).
        included / received / accepted_count: AK902 / AK903 / AK904.
        group_codes: AK905..AK909 functional group syntax error codes.
    """

    control: str
    functional_group: str
    group_control: str
    version: str
    results: tuple[SetResult, ...]
    group_status: str
    included: int | None
    received: int | None
    accepted_count: int | None
    group_codes: tuple[str, ...] = ()

    def result_for(self, control: str) -> SetResult | None:
        """The result for the transaction set whose ST02 was ``control``."""
        return next((r for r in self.results if r.control == control), None)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _element_error(ik4: Segment, comp: str) -> ElementError:
    parts = [*ik4.get(1).split(comp), "", "", ""]
    return ElementError(position=_int(parts[0]) or 0, component=_int(parts[1]),
                        repetition=_int(parts[2]), reference=ik4.get(2), code=ik4.get(3),
                        bad_value=ik4.get(4))


def _segment_error(loop: Loop, comp: str) -> SegmentError:
    ik3 = loop.first("IK3")
    elements = [_element_error(ik4, comp) for sub in loop.children
                if isinstance(sub, Loop) for ik4 in sub.all("IK4")]
    elements += [_element_error(ik4, comp) for ik4 in loop.all("IK4")]
    return SegmentError(segment_id=ik3.get(1) if ik3 else "",
                        position=_int(ik3.get(2)) if ik3 else None,
                        loop=ik3.get(3) if ik3 else "", code=ik3.get(4) if ik3 else "",
                        elements=tuple(elements))


def _result(loop: Loop, comp: str) -> SetResult:
    ak2, ik5 = loop.first("AK2"), loop.first("IK5")
    errors = tuple(_segment_error(sub, comp) for sub in loop.children
                   if isinstance(sub, Loop) and sub.first("IK3") is not None)
    return SetResult(
        set_id=ak2.get(1) if ak2 else "", control=ak2.get(2) if ak2 else "",
        guide=ak2.get(3) if ak2 else "", status=ik5.get(1) if ik5 else "",
        codes=tuple(c for c in (ik5.get(p) for p in range(2, 7)) if c) if ik5 else (),
        errors=errors)


def acknowledgment_of(tx: Transaction) -> ImplementationAck:
    """Read a parsed 999 into an ImplementationAck (missing parts stay empty)."""
    comp = tx.delimiters.component
    ak1, ak9 = tx.body.first("AK1"), tx.body.first("AK9")
    results = tuple(_result(c, comp) for c in tx.body.children
                    if isinstance(c, Loop) and c.first("AK2") is not None)
    return ImplementationAck(
        control=tx.control, functional_group=ak1.get(1) if ak1 else "",
        group_control=ak1.get(2) if ak1 else "", version=ak1.get(3) if ak1 else "",
        results=results, group_status=ak9.get(1) if ak9 else "",
        included=_int(ak9.get(2)) if ak9 else None, received=_int(ak9.get(3)) if ak9 else None,
        accepted_count=_int(ak9.get(4)) if ak9 else None,
        group_codes=tuple(c for c in (ak9.get(p) for p in range(5, 10)) if c) if ak9 else ())
