"""ERA posting benchmark: 835 claim payments posted per second into SQLite and PostgreSQL.

Builds a practice with N billed one-line claims (bulk rows: the benchmark measures posting,
not claim creation), writes one 835 paying all of them (payment, CO-45 and PR-2 on every line,
so three journal entries and seven postings per claim), and times ``post_era`` end to end:
parse, match, plan, ledger entries, bulk insert, commit. Peak RSS is reported to show memory
stays bounded: the posting runs in a process of its own, so the peak is the posting's, not the
benchmark's (seeding, building the test file). The peer is pyx12's ``X12Reader`` merely
tokenizing the same file (no posting at all), to put the parse share of the work in proportion.
Goal: >= 2,000 claims/s on SQLite for a 100,000-claim file.

    python -m benchmarks era_post [--claims 20000,100000] [--engines sqlite,postgresql]

Reported: claims/s by wall clock and per CPU-second of the posting process (the machine is
shared, so wall time includes waiting for other jobs; the load average is printed with each
run), on PostgreSQL also the CPU of the server's backends for the benchmark database (the
server does much of the work there, in processes of its own), and the posting process's own
peak RSS (``VmHWM``) for each file size, to show memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import insert, text

from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services.context import Actor, Ctx
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database, create_schema
from openrcm.store.models import (
    Charge,
    Claim,
    ClaimLine,
    Coverage,
    Encounter,
    Organization,
    Patient,
    Payer,
    Practice,
    Provider,
)
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import ClaimPayment, Remittance, ServicePayment

DOS = date(2026, 3, 2)
GOAL = 2000.0


def _seed(db: Database, claims: int) -> tuple[str, list[str]]:
    """One practice, payer, patient, encounter and charge; ``claims`` claims of one line."""
    now = datetime.now(UTC)
    with db.system() as uow:
        s = uow.session
        org = Organization(name="bench")
        s.add(org)
        s.flush()
        practice = Practice(organization_id=org.id, name="bench")
        s.add(practice)
        s.flush()
        pid = practice.id
        payer = Payer(practice_id=pid, payer_code="BENCHPAY", name="Bench payer",
                      claim_filing_indicator="CI")
        provider = Provider(practice_id=pid, kind="individual", npi="1234567893",
                            last_name="Bench")
        patient = Patient(practice_id=pid, account_number="B1", first_name_enc="x",
                          last_name_enc="x", birth_date_enc="x", last_name_index="x",
                          name_dob_index="x")
        s.add_all([payer, provider, patient])
        s.flush()
        coverage = Coverage(practice_id=pid, patient_id=patient.id, payer_id=payer.id,
                            priority=1, member_id_enc="x", member_id_index="x",
                            effective_from=date(2025, 1, 1))
        encounter = Encounter(practice_id=pid, patient_id=patient.id, date_of_service=DOS,
                              rendering_provider_id=provider.id,
                              billing_provider_id=provider.id)
        s.add_all([coverage, encounter])
        s.flush()
        charge = Charge(practice_id=pid, encounter_id=encounter.id, code="99213",
                        fee=Decimal("150.00"), entered_by="bench")
        s.add(charge)
        s.flush()
        ids = [f"{n:08d}-0000-4000-8000-{n:012d}" for n in range(claims)]
        for start in range(0, claims, 5000):
            chunk = ids[start:start + 5000]
            s.execute(insert(Claim), [{
                "id": cid, "practice_id": pid, "encounter_id": encounter.id,
                "patient_id": patient.id, "coverage_id": coverage.id, "payer_id": payer.id,
                "state": "submitted", "total_charge": Decimal("150.00"), "created_at": now,
                "updated_at": now} for cid in chunk])
            s.execute(insert(ClaimLine), [{
                "id": f"L{cid[1:]}", "practice_id": pid, "claim_id": cid,
                "charge_id": charge.id, "line_number": 1, "code": "99213",
                "charge_amount": Decimal("150.00")} for cid in chunk])
    return pid, ids


def _file(ids: list[str]) -> bytes:
    claims = tuple(ClaimPayment(
        cid.upper(), "1", Decimal("150.00"), Decimal("73.60"), payer_control=f"P{n}",
        lines=(ServicePayment("HC", "99213", Decimal("150.00"), Decimal("73.60"),
                              service_date=DOS, adjustments=(
                                  Adjustment("CO", "45", Decimal("58.00")),
                                  Adjustment("PR", "2", Decimal("18.40")))),))
        for n, cid in enumerate(ids))
    view = Remittance("0001", "I", Decimal("73.60") * len(ids), "C", "ACH", date(2026, 4, 1),
                      "BENCHTRACE", Entity("PR", "BENCH", id_qualifier="XV", id="BENCHPAY"),
                      Entity("PE", "CLINIC"), claims=claims)
    return write_remittance([view], Envelope("BENCH", "CLINIC", 1, 1, date(2026, 4, 1))).encode()


def _peak_mb() -> float:
    """This process's own peak RSS (MB).

    ``VmHWM`` from /proc, not ``getrusage``'s ``ru_maxrss``: on Linux ``ru_maxrss`` survives
    ``execve``, so a process spawned (fork + exec) by the benchmark, after it has seeded
    100,000 claims, reports the benchmark's peak, not its own (how earlier runs measured a
    posting "growing" to 390 MB).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _server_cpu(db: Database) -> float | None:
    """CPU seconds (user + system) spent so far by the PostgreSQL client backends serving
    this database (not autovacuum), read from /proc (the server runs on this machine); None on
    SQLite or without /proc."""
    if db.dialect != "postgresql" or not Path("/proc").is_dir():
        return None
    with db.engine.connect() as conn:
        pids = list(conn.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend'")))
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def _post(url: str, practice: str, path: str, claims: int,
          results: multiprocessing.Queue[tuple[float, float, float, float, float | None]]
          ) -> None:
    """The posting itself, in a fresh process, so its peak RSS is the posting's own (the
    parent's seeding and test-file building are not counted). On PostgreSQL the server's
    backends for this database are created by this process, so their CPU is the posting's
    (plus this process's one connection check before it)."""
    content = Path(path).read_bytes()
    db = Database(url)
    ctx = Ctx(db=db, cipher=PhiCipher([generate_key()]),
              actor=Actor(user_id="bench", practice_id=practice, roles=frozenset({Role.ADMIN})))
    before = _server_cpu(db)
    start, cpu = time.perf_counter(), time.process_time()
    out = post_era(ctx, content)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    after = _server_cpu(db)
    server = after - before if after is not None and before is not None else None
    posted = out.remittances[0].posted
    assert posted == claims, f"posted {posted} of {claims}"
    again = time.perf_counter()
    assert post_era(ctx, content).duplicate
    duplicate = time.perf_counter() - again
    db.dispose()
    results.put((elapsed, used, duplicate, _peak_mb(), server))


class _Run(NamedTuple):
    wall: float
    cpu: float
    duplicate: float
    size: int
    peak: float
    server: float | None


def _openrcm(url: str, claims: int, tmp: Path) -> _Run:
    db = Database(url)
    create_schema(db.engine)
    practice, ids = _seed(db, claims)
    db.dispose()
    path = tmp / f"bench-{claims}.835"
    path.write_bytes(_file(ids))
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[float, float, float, float, float | None]] = \
        context.Queue()
    child = context.Process(target=_post, args=(url, practice, str(path), claims, results))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"the posting process failed (exit code {child.exitcode})")
    elapsed, used, duplicate, peak, server = results.get(timeout=10)
    return _Run(elapsed, used, duplicate, path.stat().st_size, peak, server)


def _pyx12(content: bytes) -> float | None:
    try:
        from pyx12.x12file import X12Reader
    except ImportError:
        return None
    start = time.perf_counter()
    for _segment in X12Reader(io.StringIO(content.decode())):
        pass
    return time.perf_counter() - start


def _url(engine: str, tmp: Path, n: int) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp / f'bench-{n}.db'}"
        return
    try:
        from tests.support.postgres import PostgresUnavailable, running_postgres
    except ImportError:
        print("postgresql: skipped (tests.support.postgres not importable)")
        return
    try:
        with running_postgres() as server:
            yield server.create_database()
    except PostgresUnavailable as exc:
        print(f"postgresql: skipped ({exc})")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="era_post")
    parser.add_argument("--claims", default="100000",
                        help="claims per file; several sizes comma-separated, e.g. 20000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.claims.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            peer = _pyx12(_file([f"{i:08d}-0000-4000-8000-{i:012d}" for i in range(n)]))
            for engine in args.engines.split(","):
                for url in _url(engine, Path(tmp), n):
                    run = _openrcm(url, n, Path(tmp))
                    load = os.getloadavg()[0]
                    wall, cpu = n / run.wall, n / run.cpu
                    print(f"{engine:10s} openrcm post_era: {n} claims in {run.wall:.1f} s wall "
                          f"= {wall:,.0f} claims/s (goal {GOAL:,.0f}/s: x{wall / GOAL:.2f}); "
                          f"CPU of the posting process {run.cpu:.1f} s = {cpu:,.0f} claims per "
                          f"CPU-second (x{cpu / GOAL:.2f}); load average {load:.1f}")
                    if run.server is not None:
                        print(f"{'':10s} CPU of the PostgreSQL backends {run.server:.1f} s; "
                              f"client + server {run.cpu + run.server:.1f} s = "
                              f"{n / (run.cpu + run.server):,.0f} claims per CPU-second")
                    print(f"{'':10s} file {run.size / 1e6:.1f} MB; same file again "
                          f"{run.duplicate * 1000:.0f} ms; peak RSS of the posting process "
                          f"{run.peak:.0f} MB")
                    if peer is not None:
                        print(f"{'':10s} pyx12 X12Reader tokenizing only: {peer:.1f} s "
                              f"({n / peer:,.0f} claims/s); openrcm full posting / pyx12 "
                              f"tokenizing = x{peer / run.wall:.2f} speed")
