"""Claims scrubbed and 837 claims written per second, on one core, with the real NCCI tables.

``python -m benchmarks claims_scrub`` (options through ``main``: ``--claims N``,
``--repeat N``, ``--no-icd10cm``)

Loads the Medicare NCCI practitioner PTP table (2.5 million pairs), the MUE and add-on code
tables through ``openrcm.codesets.edits`` (compiled once under the openrcm home) and, unless
``--no-icd10cm``, the ICD-10-CM releases; builds N synthetic professional claims (a visit
and 0-4 other services, common office codes); scrubs them, then writes them as 837P files
in batches of 1,000.
When the shipped NCCI files are absent it generates tables of the same size (2,546,017 pairs,
14,677 MUEs). Rates are given per CPU second of this process (the machine may be shared) and
per wall second, best and median of ``--repeat`` runs (3 by default; on a shared machine the
spread is wide, so both are printed with the load average); memory is the peak resident set.
There is no peer library that scrubs claims, so the figures are compared with the issue's
goals: 20,000 claims/s scrubbed, 10,000 claims/s written, under 500 MB.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import time
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openrcm.claims.model import (
    Address,
    Claim,
    ClaimKind,
    Coverage,
    Diagnosis,
    Payer,
    Person,
    Provider,
    Responsibility,
    ServiceLine,
)
from openrcm.claims.scrub import scrubber
from openrcm.claims.scrub.reference import Reference
from openrcm.claims.scrub.sources import CodesetDiagnoses, CodesetNcci
from openrcm.claims.x837 import Party, write_837
from openrcm.codesets.edits.aoc import AocEdit, AocTable
from openrcm.codesets.edits.mue import MueRelease, MueTable
from openrcm.codesets.edits.ptp import PtpBuilder, PtpTable
from openrcm.config import Settings
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.edits.npi import npi_check_digit

GOAL_SCRUB = 20_000
GOAL_WRITE = 10_000
GOAL_MB = 500

#: One office visit per claim, (code, relative frequency) ...
VISITS = [("99213", 30), ("99214", 25), ("99212", 6), ("99203", 4), ("99204", 4)]
#: ... plus 0-4 of these services.
PROCEDURES = [
    ("36415", 12),
    ("81002", 6),
    ("85025", 6),
    ("80053", 6),
    ("80061", 4),
    ("83036", 4),
    ("93000", 4),
    ("90471", 3),
    ("90686", 3),
    ("96372", 3),
    ("J1100", 2),
    ("20610", 2),
    ("11042", 1),
    ("11045", 1),
    ("97110", 2),
    ("71046", 2),
    ("87880", 2),
]
DIAGNOSES = [
    "E11.9",
    "I10",
    "E78.5",
    "J06.9",
    "M54.50",
    "Z00.00",
    "E66.9",
    "K21.9",
    "N39.0",
    "J45.909",
    "F41.1",
    "R51.9",
    "Z23",
    "E03.9",
    "M17.11",
    "R05.9",
    "L03.115",
]


def _load_ncci(home: Path) -> tuple[CodesetNcci, str]:
    from openrcm.codesets.edits.store import load_aoc, load_mue, load_ptp

    try:
        ptp = load_ptp("practitioner", home)
        mue = load_mue(home)
        aoc = load_aoc(home)
        return CodesetNcci(ptp, mue, aoc, "practitioner"), "shipped 2024Q3 NCCI tables"
    except FileNotFoundError:
        return _synthetic_ncci(), "synthetic tables of the same size"


def _synthetic_ncci(pairs: int = 2_546_017, mues: int = 14_677) -> CodesetNcci:
    rnd = random.Random(7)
    codes = [f"{n:05d}" for n in range(10000, 100000, 3)]
    builder = PtpBuilder()
    seen: set[tuple[str, str]] = set()
    while len(builder) < pairs:
        a, b = rnd.choice(codes), rnd.choice(codes)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            builder.add(a, b, None, None, rnd.choice((0, 1, 1, 1, 9)), "synthetic")
    table: PtpTable = builder.build("practitioner", "synthetic")
    limits = {c: (rnd.randint(1, 4), rnd.choice((1, 2, 3)), "synthetic") for c in codes[:mues]}
    mue = MueTable({"practitioner": MueRelease("practitioner", "synthetic", None, limits)})
    aoc = AocTable("synthetic", [AocEdit("11045", "11042", 1)])
    return CodesetNcci(table, mue, aoc, "practitioner")


def _claims(n: int, seed: int = 1) -> list[Claim]:
    rnd = random.Random(seed)
    codes = [c for c, _ in PROCEDURES]
    weights = [w for _, w in PROCEDURES]
    visit_codes = [c for c, _ in VISITS]
    visit_weights = [w for _, w in VISITS]
    billing = Provider(
        "1234567893",
        "Maple Family Practice",
        is_organization=True,
        tax_id="123456789",
        taxonomy="207Q00000X",
        address=Address("100 Main St", "Springfield", "IL", "627011234"),
    )
    renderers = [
        Provider(
            f"1{n:08d}" + npi_check_digit(f"1{n:08d}"), f"Doctor{n}", "Pat", taxonomy="207Q00000X"
        )
        for n in range(10000001, 10000011)
    ]
    payers = [Payer(f"PAYER{i}", f"Payer {i}", timely_filing_days=365) for i in range(20)]
    out = []
    for i in range(n):
        person = Person(
            f"P{i % 5000}",
            "Synthetic",
            f"Person{i % 5000}",
            date(1940 + i % 70, 1 + i % 12, 1 + i % 28),
            "MF"[i % 2],
            Address(f"{i % 900} Elm St", "Springfield", "IL", "62702"),
        )
        cov = Coverage(
            payers[i % 20],
            Responsibility.PRIMARY,
            person,
            f"M{i:08d}",
            group_number="G1",
            effective=date(2024, 1, 1),
        )
        day = date(2025, 1, 2) + timedelta(days=rnd.randint(0, 200))
        dx = tuple(Diagnosis(d) for d in rnd.sample(DIAGNOSES, rnd.randint(1, 4)))
        visit = rnd.choices(visit_codes, visit_weights)[0]
        chosen = [visit, *rnd.choices(codes, weights, k=rnd.randint(0, 4))]
        codes_billed = list(dict.fromkeys(chosen))
        # A visit with a procedure the same day carries modifier 25, as billers code it; one
        # claim in ten forgets it (and the scrubber should catch that).
        visit_mods = ("25",) if len(codes_billed) > 1 and rnd.random() < 0.9 else ()
        lines = tuple(
            ServiceLine(
                f"L{k}",
                code,
                Decimal("95.00"),
                day,
                modifiers=visit_mods if k == 0 else (),
                pointers=tuple(range(1, min(len(dx), 4) + 1)),
            )
            for k, code in enumerate(codes_billed)
        )
        out.append(
            Claim(
                f"C{i:07d}",
                ClaimKind.PROFESSIONAL,
                billing,
                cov,
                person,
                dx,
                lines,
                rendering_provider=renderers[i % 10],
            )
        )
    return out


def _rates(n: int, runs: list[tuple[float, float]], goal: int) -> None:
    """Print claims/s per CPU and per wall second: the first run (the batch's own values not
    yet seen by any cache), the median and the best."""
    cpu = [n / c for c, _ in runs]
    wall = [n / w for _, w in runs]
    for name, rates in (("CPU", cpu), ("wall", wall)):
        print(
            f"  claims/s per {name} second: first {rates[0]:,.0f}, "
            f"median {statistics.median(rates):,.0f}, best {max(rates):,.0f}"
        )
    median = statistics.median(cpu)
    print(f"  goal {goal:,}: first run {cpu[0] / goal:.2f}x, median {median / goal:.2f}x")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="claims_scrub")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-icd10cm", action="store_true")
    args = parser.parse_args(argv)

    home = Settings.from_env().home
    started = time.perf_counter()
    ncci, origin = _load_ncci(home)
    diagnoses = None
    if not args.no_icd10cm:
        from openrcm.codesets.icd10cm import open_icd10cm

        diagnoses = CodesetDiagnoses(open_icd10cm(home))
    print(
        f"reference: {origin}, ICD-10-CM {'loaded' if diagnoses else 'not loaded'} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    from openrcm.claims.scrub.sources import CodesetMce
    from openrcm.codesets.edits.mce import load_mce

    engine = scrubber(Reference(diagnoses=diagnoses, ncci=ncci, mce=CodesetMce(load_mce(home))))
    # The reference data (ICD-10-CM tabular, code tables) is many long-lived objects; a
    # long-running service freezes them after start-up so the cyclic garbage collector stops
    # rescanning them. The claims are built afterwards, so they are collected as usual.
    gc.freeze()
    claims = _claims(args.claims)
    as_of = date(2025, 9, 30)

    engine.scrub_batch(claims[:500], as_of)  # warm the caches the way a running service has
    runs = []
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        report = engine.scrub_batch(claims, as_of)
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    print(
        f"scrubbed {len(claims)} claims ({report.clean_count} clean, "
        f"{sum(report.counts().values())} findings)"
    )
    _rates(len(claims), runs, GOAL_SCRUB)
    top = list(report.counts().items())[:5]
    print("  most frequent edits: " + ", ".join(f"{k} {v}" for k, v in top))
    del report

    env = Envelope("OPENRCM", "RECEIVER", 1, 1, as_of, "1200")
    sub, rec = Party("OPENRCM BILLING", "OPENRCM", "", "5555551234"), Party("CH", "RECEIVER")
    runs = []
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        size = 0
        for n, start in enumerate(range(0, len(claims), 1000), start=1):
            batch = claims[start : start + 1000]
            size += len(
                write_837(batch, replace(env, interchange_control=n, group_control=n), sub, rec, n)
            )
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    print(f"wrote {len(claims)} claims as 837P ({size / 1e6:.1f} MB)")
    _rates(len(claims), runs, GOAL_WRITE)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    rss = _rss_mb()
    print(f"peak memory {rss:,.0f} MB; goal < {GOAL_MB} MB: {'met' if rss < GOAL_MB else 'missed'}")
