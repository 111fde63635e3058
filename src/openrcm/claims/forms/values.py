"""What goes in each box of the paper forms, from a claim (no drawing here).

A claim with more service lines than a form holds (6 on the CMS-1500, 22 on the UB-04) fills
several pages. CMS-1500 pages each stand alone with their own total (NUCC instructions: each
form is a separate claim to the payer); UB-04 pages are numbered "n OF m" and the total is on
the last page, as the NUBC manual asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.claims.forms.layout import CMS1500_LINES_PER_PAGE, UB04_LINES_PER_PAGE
from openrcm.claims.model import (
    SELF,
    Address,
    Claim,
    ClaimKind,
    Frequency,
    Person,
    Provider,
    ServiceLine,
)
from openrcm.money import ZERO


@dataclass(frozen=True, slots=True)
class Page:
    """One printed page: header/footer box values and one mapping per service line."""

    boxes: dict[str, str]
    lines: tuple[dict[str, str], ...]


class FormError(ValueError):
    """The claim cannot be printed on the requested form."""


UB04_OCCURRENCES = tuple(f"{box}{row}" for row in "ab" for box in ("31", "32", "33", "34"))
"""FL31-34 in the order the NUBC fills them: the a line across, then the b line."""
UB04_SPANS = tuple(f"{box}{row}" for row in "ab" for box in ("35", "36"))
UB04_VALUES = tuple(f"{box}{row}" for row in "abcd" for box in ("39", "40", "41"))


def _mdy(d: date | None, year_digits: int = 4) -> str:
    if d is None:
        return ""
    year = f"{d.year:04d}"[-year_digits:]
    return f"{d.month:02d} {d.day:02d} {year}"


def _mmddyy(d: date | None) -> str:
    return "" if d is None else f"{d.month:02d}{d.day:02d}{d.year % 100:02d}"


def _amount(value: Decimal) -> str:
    """Dollars and cents with a space for the decimal point, as the forms print them."""
    return f"{value:.2f}".replace(".", " ")


def _name(p: Person) -> str:
    return f"{p.last_name}, {p.first_name}".upper()


def _pname(p: Provider) -> str:
    return (
        p.name if p.is_organization or not p.first_name else f"{p.name}, {p.first_name}"
    ).upper()


def _city(a: Address) -> str:
    return f"{a.city} {a.state} {a.zip}".upper()


def _ndc(line: ServiceLine) -> str:
    """Box 24 shaded: ``N4`` + NDC, then unit and quantity (NUCC instructions)."""
    if not line.ndc:
        return ""
    qty = f"{line.ndc_quantity.normalize():f}" if line.ndc_quantity is not None else ""
    return f"N4{line.ndc} {line.ndc_unit}{qty}" if qty else f"N4{line.ndc}"


def _chunks(items: tuple[ServiceLine, ...], size: int) -> list[tuple[ServiceLine, ...]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [()]


_RELATION = {SELF: "self", "01": "spouse", "19": "child"}
#: SBR09 claim filing indicator -> box 1 checkbox.
_PLAN = {
    "MB": "MB",
    "MA": "MB",
    "MC": "MC",
    "CH": "CH",
    "VA": "VA",
    "FI": "FECA",
    "CI": "CI",
    "BL": "CI",
    "HM": "CI",
    "12": "CI",
    "13": "CI",
    "14": "CI",
    "15": "CI",
}


def cms1500_pages(claim: Claim, printed_on: date) -> list[Page]:
    """Box values of a professional claim on CMS-1500 (02/12) pages."""
    if claim.kind is not ClaimKind.PROFESSIONAL:
        raise FormError(f"claim {claim.claim_id} is institutional: print it on a UB-04")
    cov, pat, sub = claim.coverage, claim.patient, claim.coverage.subscriber
    bp = claim.billing_provider
    boxes: dict[str, str] = {
        "carrier.name": claim.payer.name.upper(),
        f"1.{_PLAN.get(claim.payer.filing_indicator, 'OT')}": "X",
        "1a": cov.member_id,
        "2": _name(pat),
        "3.dob": _mdy(pat.birth_date),
        "4": _name(sub),
        f"6.{_RELATION.get(cov.relationship, 'other')}": "X",
        "11": cov.group_number,
        "10a.N": "X",
        "10b.N": "X",
        "10c.N": "X",
        "11d.N" if not claim.other_coverages else "11d.Y": "X",
        "12": "SIGNATURE ON FILE",
        "13": "SIGNATURE ON FILE",
        "21.ind": "0",
        "23": claim.prior_authorization or claim.referral_number,
        "25": bp.tax_id,
        "25.SSN" if bp.tax_id_kind == "SY" else "25.EIN": "X",
        "26": claim.claim_id,
        "27.Y": "X",
        "31": "SIGNATURE ON FILE",
        "31.date": _mdy(printed_on),
        "33.name": _pname(bp),
        "33a": bp.npi,
    }
    if pat.sex in ("M", "F"):
        boxes[f"3.{pat.sex}"] = "X"
    if sub.sex in ("M", "F") and cov.relationship != SELF:
        boxes[f"11a.{sub.sex}"] = "X"
        boxes["11a.dob"] = _mdy(sub.birth_date)
    if claim.payer.address is not None:
        boxes["carrier.line1"] = claim.payer.address.line1.upper()
        boxes["carrier.city"] = _city(claim.payer.address)
    for prefix, addr in (("5", pat.address), ("7", sub.address)):
        if addr is not None:
            boxes[f"{prefix}.street"] = addr.line1.upper()
            boxes[f"{prefix}.city"] = addr.city.upper()
            boxes[f"{prefix}.state"] = addr.state.upper()
            boxes[f"{prefix}.zip"] = addr.zip
    if bp.address is not None:
        boxes["33.street"] = bp.address.line1.upper()
        boxes["33.city"] = _city(bp.address)
    if claim.accident is not None:
        key = {"AA": "10b", "EM": "10a"}.get(claim.accident.cause, "10c")
        boxes.pop(f"{key}.N", None)
        boxes[f"{key}.Y"] = "X"
        if key == "10b":
            boxes["10b.state"] = claim.accident.state
    if claim.onset_date is not None:
        boxes["14"] = _mdy(claim.onset_date)
        boxes["14.qual"] = "431"
    if claim.referring_provider is not None:
        boxes["17"] = "DN " + _pname(claim.referring_provider)
        boxes["17b"] = claim.referring_provider.npi
    if claim.other_coverages:
        other = claim.other_coverages[0]
        boxes["9"] = _name(other.subscriber)
        boxes["9a"] = other.member_id
        boxes["9d"] = other.payer.name.upper()
    if claim.frequency is not Frequency.ORIGINAL:
        boxes["22.code"] = str(claim.frequency)
        boxes["22.ref"] = claim.payer_claim_control_number
    fac = claim.service_facility
    if fac is not None:
        boxes["32.name"] = _pname(fac)
        boxes["32a"] = fac.npi
        if fac.address is not None:
            boxes["32.street"] = fac.address.line1.upper()
            boxes["32.city"] = _city(fac.address)
    for i, dx in enumerate(claim.diagnoses[:12]):
        boxes[f"21.{'ABCDEFGHIJKL'[i]}"] = dx.code.replace(".", "")
    rendering = (claim.rendering_provider or bp).npi
    paid_by_line = {la.line_id: la.paid for adj in claim.prior_adjudications for la in adj.lines}
    pages = []
    for chunk in _chunks(claim.lines, CMS1500_LINES_PER_PAGE):
        rows = []
        for ln in chunk:
            rows.append(
                {
                    "24a.from": _mdy(ln.service_date, 2),
                    "24a.to": _mdy(ln.service_date_end or ln.service_date, 2),
                    "24b": ln.place_of_service or claim.place_of_service,
                    "24d.code": ln.procedure,
                    "24d.mods": " ".join(ln.modifiers),
                    "24e": "".join("ABCDEFGHIJKL"[p - 1] for p in ln.pointers if 1 <= p <= 12),
                    "24f": _amount(ln.charge),
                    "24g": f"{ln.units.normalize():f}",
                    "24j": rendering,
                    "24i": "",
                    "24.ndc": _ndc(ln),
                }
            )
        page = dict(boxes)
        page["28"] = _amount(sum((ln.charge for ln in chunk), ZERO))
        paid = sum((paid_by_line.get(ln.line_id, ZERO) for ln in chunk), ZERO)
        if paid:
            page["29"] = _amount(paid)
        pages.append(Page(page, tuple(rows)))
    return pages


def ub04_pages(claim: Claim, printed_on: date) -> list[Page]:
    """Form-locator values of an institutional claim on UB-04 pages."""
    if claim.kind is not ClaimKind.INSTITUTIONAL or claim.institutional is None:
        raise FormError(f"claim {claim.claim_id} is not institutional: print it on a CMS-1500")
    inst = claim.institutional
    pat, bp = claim.patient, claim.billing_provider
    tob = inst.type_of_bill.lstrip("0")
    boxes: dict[str, str] = {
        "1.name": _pname(bp),
        "3a": claim.claim_id,
        "4": "0" + tob[:2] + str(claim.frequency) if len(tob) >= 2 else inst.type_of_bill,
        "5": bp.tax_id,
        "6.from": _mmddyy(inst.statement_from or claim.first_service_date),
        "6.to": _mmddyy(inst.statement_to or claim.last_service_date),
        "8": _name(pat),
        "10": _mdy(pat.birth_date).replace(" ", ""),
        "11": pat.sex,
        "12": _mmddyy(inst.admission_date),
        "13": inst.admission_hour,
        "14": inst.admission_type,
        "15": inst.admission_source,
        "16": inst.discharge_hour,
        "17": inst.patient_status,
        "45.created": _mmddyy(printed_on),
        "56": bp.npi,
        "66": "0",
        "81": f"B3 {bp.taxonomy}" if bp.taxonomy else "",
    }
    if bp.address is not None:
        boxes["1.street"] = bp.address.line1.upper()
        boxes["1.city"] = _city(bp.address)
    if pat.address is not None:
        boxes["9.street"] = pat.address.line1.upper()
        boxes["9.city"] = pat.address.city.upper()
        boxes["9.state"] = pat.address.state
        boxes["9.zip"] = pat.address.zip
    occurrences = [(o.code, o.on) for o in inst.occurrences]
    if claim.accident is not None:
        cause = {"AA": "01", "EM": "04"}.get(claim.accident.cause, "05")
        if all(code != cause for code, _ in occurrences):
            occurrences.insert(0, (cause, claim.accident.on))
    if len(occurrences) > len(UB04_OCCURRENCES):
        raise FormError(
            f"claim {claim.claim_id}: {len(occurrences)} occurrence codes, the "
            f"UB-04 holds {len(UB04_OCCURRENCES)}"
        )
    for box, (code, on) in zip(UB04_OCCURRENCES, occurrences, strict=False):
        boxes[f"{box}.code"], boxes[f"{box}.date"] = code, _mmddyy(on)
    if len(inst.occurrence_spans) > len(UB04_SPANS):
        raise FormError(
            f"claim {claim.claim_id}: {len(inst.occurrence_spans)} occurrence "
            f"span codes, the UB-04 holds {len(UB04_SPANS)}"
        )
    for box, span in zip(UB04_SPANS, inst.occurrence_spans, strict=False):
        boxes[f"{box}.code"] = span.code
        boxes[f"{box}.from"], boxes[f"{box}.to"] = _mmddyy(span.start), _mmddyy(span.end)
    if len(inst.values) > len(UB04_VALUES):
        raise FormError(
            f"claim {claim.claim_id}: {len(inst.values)} value codes, the UB-04 "
            f"holds {len(UB04_VALUES)}"
        )
    for box, value in zip(UB04_VALUES, inst.values, strict=False):
        boxes[f"{box}.code"], boxes[f"{box}.amount"] = value.code, _amount(value.amount)
    order = [claim.coverage, *claim.other_coverages]
    order.sort(key=lambda c: "PST".index(str(c.responsibility)))
    prior = {a.payer_id: a.paid for a in claim.prior_adjudications}
    for sfx, cov in zip("ABC", order, strict=False):
        boxes[f"50{sfx}"] = cov.payer.name.upper()
        boxes[f"51{sfx}"] = cov.payer.payer_id
        boxes[f"52{sfx}"] = "Y"
        boxes[f"53{sfx}"] = "Y"
        if cov.payer.payer_id in prior:
            boxes[f"54{sfx}"] = _amount(prior[cov.payer.payer_id])
        boxes[f"58{sfx}"] = _name(cov.subscriber)
        boxes[f"59{sfx}"] = cov.relationship
        boxes[f"60{sfx}"] = cov.member_id
        boxes[f"62{sfx}"] = cov.group_number
        if cov is claim.coverage:
            boxes[f"63{sfx}"] = claim.prior_authorization
            boxes[f"64{sfx}"] = claim.payer_claim_control_number
    dx = claim.diagnoses
    if dx:
        boxes["67"] = dx[0].code.replace(".", "") + (dx[0].poa or "")
        for letter, d in zip("ABCDEFGHIJKLMNOPQ", dx[1:18], strict=False):
            boxes[f"67{letter}"] = d.code.replace(".", "") + (d.poa or "")
    if inst.admitting_diagnosis:
        boxes["69"] = inst.admitting_diagnosis.replace(".", "")
    for number, code in zip(range(18, 29), inst.condition_codes, strict=False):
        boxes[str(number)] = code
    for box, doctor in (("76", inst.attending), ("77", inst.operating)):
        if doctor is not None:
            boxes[f"{box}.npi"] = doctor.npi
            boxes[f"{box}.name"] = f"{doctor.name} {doctor.first_name}".upper()
    chunks = _chunks(claim.lines, UB04_LINES_PER_PAGE)
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        rows = [
            {
                "42": ln.revenue_code,
                "44": " ".join([ln.procedure, *ln.modifiers]).strip(),
                "45": _mmddyy(ln.service_date),
                "46": f"{ln.units.normalize():f}",
                "47": _amount(ln.charge),
            }
            for ln in chunk
        ]
        page = dict(boxes)
        page["page"] = f"{n} OF {len(chunks)}"
        if n == len(chunks):
            page["47.total"] = _amount(claim.total_charge)
        pages.append(Page(page, tuple(rows)))
    return pages
