"""The scrubber's findings on a seeded random batch are exactly those recorded before its
fast paths (shared caches, whole-claim shortcuts) were written.

``fixtures/scrub_golden.json.gz`` was produced by the value-by-value scrubber at commit
df5d25b. Each claim mixes clean values with the faults the edits look for (bad NPIs, ZIPs,
P.O. boxes, pointers, units, modifiers, codes, dates, COB gaps, duplicates), so a shortcut
that skips or changes a finding, its message or its location fails here. To re-record after
a deliberate change of an edit: ``python -m tests.claims.test_scrub_golden``.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openrcm.claims.model import (
    Accident,
    Address,
    Claim,
    ClaimKind,
    Coverage,
    Diagnosis,
    Frequency,
    Institutional,
    LineAdjudication,
    Payer,
    Person,
    PriorAdjudication,
    Provider,
    Responsibility,
    ServiceLine,
)
from openrcm.claims.scrub import Scrubber, scrubber
from openrcm.claims.scrub.engine import History
from openrcm.claims.scrub.reference import Reference
from tests.claims.test_scrub_edits import REFERENCE
from tests.claims.test_sources import ncci

GOLDEN = Path(__file__).parent / "fixtures" / "scrub_golden.json.gz"
AS_OF = date(2025, 6, 30)

ADDRESSES = [
    Address("100 Main St", "Springfield", "IL", "627011234"),
    Address("12 Oak Ave", "Springfield", "IL", "62702"),
    Address("PO Box 12", "Springfield", "IL", "627011234"),
    Address("1 Elm", "Springfield", "XX", "62702"),
    Address("1 Elm", "Springfield", "IL", "6270"),
    Address(" ", "Springfield", "IL", "62702"),
    Address("9 Pine", "", "IL", "62702-1234"),
    Address("5 Lake Rd", "Chicago", "IL", "60601", line2="Lock Box 7"),
]
NPIS = ["1234567893", "1111111112", "1999999992", "1234567890", "12345", "", "123456789A"]
TAX_IDS = [("123456789", "EI"), ("12-345678", "EI"), ("000123456", "SY"), ("", "EI")]
PROCEDURES = ["99213", "99214", "36415", "81002", "20551", "20552", "11042", "11045", "97110",
              "99417", "99205", "0054T", "J1100", "A-1", "", "9921", "99213 "]
MODIFIERS = ["25", "59", "XS", "LT", "GA", "ZZ", "1", "abc", "QW"]
DIAGNOSES = ["E11.9", "I10", "J18.9", "E11", "S52.501", "S52.501A", "S52.501Z", "G63.2",
             "E10.40", "N40", "O80", "Z99.99", "e11.9", "1AB", ""]
POS = ["11", "11", "02", "21", "99", "1", ""]
PAYERS = [Payer("ACME1", "Acme", timely_filing_days=90), Payer("MEDI1", "Medi", "MB", 365),
          Payer("SLOW1", "Slow", timely_filing_days=30)]


def _pick(rnd: random.Random, good: list[Any], bad: list[Any], p_bad: float = 0.15) -> Any:
    return rnd.choice(bad) if bad and rnd.random() < p_bad else rnd.choice(good)


def _provider(rnd: random.Random, organisation: bool = False) -> Provider:
    tax_id, kind = _pick(rnd, TAX_IDS[:1], TAX_IDS[1:])
    return Provider(
        _pick(rnd, NPIS[:3], NPIS[3:]),
        rnd.choice(["Maple Practice", "Rivera", ""]),
        "" if organisation else rnd.choice(["Ana", ""]),
        is_organization=organisation,
        tax_id=tax_id,
        tax_id_kind=kind,
        taxonomy="207Q00000X",
        address=_pick(rnd, ADDRESSES[:2], [*ADDRESSES[2:], None]),
    )


def _person(rnd: random.Random, n: int) -> Person:
    return Person(
        f"P{n % 40}",
        _pick(rnd, ["Testperson", "Doe"], ["", " "]),
        "Alex",
        rnd.choice([date(1980, 5, 17), date(2024, 12, 1), date(1950, 1, 1), date(2026, 1, 1)]),
        _pick(rnd, ["M", "F"], ["U", "X", ""]),
        _pick(rnd, ADDRESSES[:2], [*ADDRESSES[3:6], None]),
    )


def _line(rnd: random.Random, k: int, day: date, n_dx: int) -> ServiceLine:
    pointers = tuple(range(1, min(n_dx, rnd.randint(1, 4)) + 1))
    if rnd.random() < 0.12:
        pointers = rnd.choice([(), (0,), (1, 1), (1, 2, 3, 4, 5), (n_dx + 1,), (2, 1)])
    ndc, quantity, unit = "", None, "UN"
    if rnd.random() < 0.08:
        ndc = rnd.choice(["00002143380", "1234", "0000214338A"])
        quantity = rnd.choice([None, Decimal("1.5"), Decimal(0)])
        unit = rnd.choice(["UN", "ML", "XX"])
    end = day + timedelta(days=rnd.choice([0, 1, -1])) if rnd.random() < 0.1 else None
    return ServiceLine(
        f"L{k}",
        _pick(rnd, PROCEDURES[:13], PROCEDURES[13:], 0.1),
        _pick(rnd, [Decimal("95.00"), Decimal("15.50")], [Decimal(0), Decimal("-5")], 0.05),
        day,
        modifiers=tuple(rnd.sample(MODIFIERS, rnd.choice([0, 0, 0, 1, 1, 2, 5]))),
        units=_pick(rnd, [Decimal(1), Decimal(2), Decimal(5)], [Decimal(0), Decimal(100000)], 0.05),
        pointers=pointers,
        place_of_service=_pick(rnd, [""], POS, 0.1),
        service_date_end=end,
        ndc=ndc,
        ndc_quantity=quantity,
        ndc_unit=unit,
    )


def _claim(rnd: random.Random, n: int) -> Claim:
    patient = _person(rnd, n)
    subscriber = patient if rnd.random() < 0.8 else _person(rnd, n + 1)
    relationship = rnd.choice(["18", "18", "19", "01"])
    responsibility = _pick(rnd, [Responsibility.PRIMARY],
                           [Responsibility.SECONDARY, Responsibility.TERTIARY], 0.2)
    coverage = Coverage(
        rnd.choice(PAYERS),
        responsibility,
        subscriber,
        _pick(rnd, ["ACM123456", "M1"], ["", "X"], 0.05),
        relationship=relationship,
        effective=rnd.choice([None, date(2025, 1, 1), date(2025, 4, 1)]),
        end=rnd.choice([None, None, date(2025, 3, 31)]),
    )
    day = date(2025, 1, 2) + timedelta(days=rnd.randint(0, 200))
    dx = tuple(
        Diagnosis(_pick(rnd, DIAGNOSES[:3], DIAGNOSES[3:], 0.3), rnd.choice(["", "Y", "Q"]))
        for _ in range(rnd.choice([0, 1, 2, 3, 4, 13]) if rnd.random() < 0.05
                       else rnd.randint(1, 4))
    )
    n_lines = rnd.choice([0, 51]) if rnd.random() < 0.02 else rnd.randint(1, 5)
    lines = tuple(
        _line(rnd, k, day + timedelta(days=rnd.choice([0, 0, 0, 0, 1])), len(dx))
        for k in range(n_lines)
    )
    kind = ClaimKind.INSTITUTIONAL if rnd.random() < 0.1 else ClaimKind.PROFESSIONAL
    institutional = None
    if kind is ClaimKind.INSTITUTIONAL and rnd.random() < 0.9:
        institutional = Institutional(
            rnd.choice(["111", "131", "0131", "12", "11A"]),
            patient_status=rnd.choice(["01", ""]),
            admission_date=rnd.choice([day, None]),
            statement_from=rnd.choice([day, None]),
            statement_to=day,
            attending=rnd.choice([_provider(rnd), None]),
        )
        lines = tuple(replace(ln, revenue_code=rnd.choice(["0120", "300", ""])) for ln in lines)
    frequency = _pick(rnd, [Frequency.ORIGINAL], [Frequency.REPLACEMENT, Frequency.VOID], 0.1)
    prior: tuple[PriorAdjudication, ...] = ()
    others: tuple[Coverage, ...] = ()
    if responsibility is not Responsibility.PRIMARY and rnd.random() < 0.6:
        payer_id = rnd.choice(["MEDI1", "GONE1"])
        prior = (PriorAdjudication(payer_id, Responsibility.PRIMARY, Decimal("80.00"), day,
                                   lines=(LineAdjudication("L0", "99213", Decimal("80.00"),
                                                           Decimal(1)),)),)
        others = (replace(coverage, payer=PAYERS[1], responsibility=Responsibility.PRIMARY),)
    return Claim(
        _pick(rnd, [f"C{n:05d}"], ["", "X" * 25, "X" * 40, "A\tB"], 0.05),
        kind,
        _provider(rnd, organisation=True),
        coverage,
        patient,
        dx,
        lines,
        place_of_service=_pick(rnd, ["11"], POS, 0.1),
        frequency=frequency,
        payer_claim_control_number=rnd.choice(["", "PCN9"]),
        rendering_provider=rnd.choice([None, _provider(rnd)]),
        referring_provider=rnd.choice([None, None, None, _provider(rnd)]),
        service_facility=rnd.choice([None, None, None, _provider(rnd, organisation=True)]),
        other_coverages=others,
        prior_adjudications=prior,
        accident=rnd.choice([None] * 8 + [Accident("AA", day, "IL"), Accident("AA", day, "")]),
        institutional=institutional,
    )


def random_batch(seed: int, n: int) -> list[Claim]:
    """``n`` claims from one seed; every tenth repeats an earlier one (duplicate claims)."""
    rnd = random.Random(seed)
    out: list[Claim] = []
    for i in range(n):
        if out and i % 10 == 9:
            out.append(replace(rnd.choice(out), claim_id=f"D{i:05d}"))
        else:
            out.append(_claim(rnd, i))
    return out


def _scrubbers() -> dict[str, Scrubber]:
    return {
        "tables": scrubber(REFERENCE),
        "codesets": scrubber(Reference(ncci=ncci(), places_of_service=frozenset({"11", "21"}))),
        "core": scrubber(),
    }


def findings_of(seed: int = 6, n: int = 600) -> dict[str, list[list[Any]]]:
    """Every finding of each scrubber over the batch (scrubbed twice: as a batch with a
    history, and claim by claim), as JSON-able rows."""
    claims = random_batch(seed, n)
    history = History({("P3", date(2025, 1, 5), "99213", (), "1234567893"): "OLD1"})
    out: dict[str, list[list[Any]]] = {}
    for name, scrub in _scrubbers().items():
        rows: list[list[Any]] = []
        batch = scrub.scrub_batch(claims, AS_OF, history)
        singles = [scrub.scrub(c, AS_OF) for c in claims]
        for report in (*batch.claims, *singles):
            rows.append([report.claim_id, list(report.families)])
            rows.extend(
                [f.code, str(f.severity), f.message, f.hint, f.source, dict(f.location)]
                for f in report.findings
            )
        out[name] = rows
    return out


def test_findings_equal_the_recorded_reference_behaviour() -> None:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
        expected = json.load(fh)
    actual = json.loads(json.dumps(findings_of()))
    for name in expected:
        assert len(actual[name]) == len(expected[name]), name
        for got, want in zip(actual[name], expected[name], strict=True):
            assert got == want, name


def test_a_screen_passes_only_claims_its_edits_pass() -> None:
    """``Edit.screen`` may only skip edits that would have found nothing."""
    claims = random_batch(7, 400)
    screened = 0
    for scrub in _scrubbers().values():
        for c in claims:
            facts = scrub.facts(c, AS_OF, History())
            for edit in scrub.edits:
                if edit.screen is not None and c.kind in edit.kinds and edit.screen(facts):
                    screened += 1
                    assert not edit.check(facts), (edit.id, c.claim_id)
    assert screened > 1000


def test_the_batch_exercises_most_edits() -> None:
    """A golden file that only holds clean claims would prove nothing."""
    codes = {row[0] for rows in findings_of(n=600).values() for row in rows if len(row) == 6}
    assert len(codes) >= 40, sorted(codes)


if __name__ == "__main__":
    with gzip.open(GOLDEN, "wt", encoding="utf-8") as out:
        json.dump(findings_of(), out)
    sys.stdout.write(f"wrote {GOLDEN}\n")
