"""NCCI PTP table: load time, memory and lookups per second, openrcm vs a naive dict.

Both load the real practitioner table shipped in the repo (2,546,017 rows, effective
2024-07-01) and answer the same date-aware question ``edit for (column 1, column 2) on a date of
service``. Each runs in its own subprocess so its resident memory is its own:

* openrcm: ``load_ptp("practitioner", home)``: sorted ``array`` columns + bisect, loaded from
  the compiled cache under ``home`` (compiled first if absent; that time is printed too);
* naive: ``dict[(column1, column2)] -> list[(deletion, modifier indicator, rationale)]`` built
  from the CSV, the obvious way to hold the table in Python.

Besides single lookups it times 4-code claims (all 12 ordered pairs): openrcm's
``edits_among`` against the dict probed pair by pair.

Lookup rates are per CPU second of the measuring process (``time.process_time``), so other
work on a shared machine does not distort them; load times are wall-clock.

Usage: ``python -m benchmarks ncci_lookup`` (options: ``--lookups N``, ``--home DIR``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from openrcm.codesets.edits.codes import NO_END
from openrcm.codesets.edits.store import DATA, load_ptp
from openrcm.config import Settings

SOURCE = DATA / "ncci_ptp_prac_2024Q3_northstar.csv.gz"
ON = date(2024, 8, 1)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workload(n: int) -> list[tuple[str, str]]:
    """Half pairs that have an edit, half pairs of codes that have none (seeded, repeatable)."""
    rng = random.Random(20240701)
    with gzip.open(SOURCE, "rt", newline="") as stream:
        rows = csv.reader(stream)
        next(rows)
        sample = [(r[0], r[1]) for i, r in enumerate(rows) if i % 97 == 0]
    codes = sorted({c for pair in sample for c in pair})
    hits = [rng.choice(sample) for _ in range(n // 2)]
    misses = [(rng.choice(codes), rng.choice(codes)) for _ in range(n - n // 2)]
    pairs = hits + misses
    rng.shuffle(pairs)
    return pairs


def _passes(
    has_edit: Callable[[str, str], bool], pairs: list[tuple[str, str]], repeat: int = 3
) -> tuple[int, float, float]:
    """Edits found, seconds of the first (cold) pass, seconds of the best pass."""
    times = []
    found = 0
    for _ in range(repeat):
        start = time.process_time()
        found = sum(1 for a, b in pairs if has_edit(a, b))
        times.append(time.process_time() - start)
    return found, times[0], min(times)


def _claims(pairs: list[tuple[str, str]], size: int = 4) -> list[list[str]]:
    """Claims of ``size`` procedure codes (two workload pairs each): every ordered pair checked."""
    return [[*pairs[i], *pairs[i + 1]][:size] for i in range(0, len(pairs) - 1, 2)]


def _best_time(run: Callable[[], int], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def _openrcm(home: Path, pairs: list[tuple[str, str]]) -> dict[str, float]:
    cached = any((home / "codesets" / "edits" / "cache").glob("ptp-practitioner-*.bin"))
    compile_s = 0.0
    if not cached:
        start = time.perf_counter()
        load_ptp("practitioner", home)
        compile_s = time.perf_counter() - start
    base = _rss_mb()
    start = time.perf_counter()
    table = load_ptp("practitioner", home)
    load_s = time.perf_counter() - start
    rss = _rss_mb()
    found, first, best = _passes(lambda a, b: table.edits_for(a, b, ON) is not None, pairs)
    claims = _claims(pairs)
    claim_s = _best_time(lambda: sum(len(table.edits_among(c, ON)) for c in claims))
    return {
        "claims_per_s": len(claims) / claim_s,
        "rows": len(table),
        "compile_s": compile_s,
        "load_s": load_s,
        "rss_mb": rss,
        "table_mb": rss - base if not compile_s else float("nan"),
        "first_pass_per_s": len(pairs) / first,
        "lookups_per_s": len(pairs) / best,
        "found": found,
    }


def _naive(pairs: list[tuple[str, str]]) -> dict[str, float]:
    base = _rss_mb()
    start = time.perf_counter()
    table: dict[tuple[str, str], list[tuple[date, int, str]]] = {}
    dates: dict[str, date] = {}
    with gzip.open(SOURCE, "rt", newline="") as stream:
        rows = csv.reader(stream)
        next(rows)
        for c1, c2, deletion, mi, rationale in rows:
            day = dates.get(deletion) or dates.setdefault(deletion, date.fromisoformat(deletion))
            table.setdefault((c1, c2), []).append((day, int(mi), rationale))
    load_s = time.perf_counter() - start
    rss = _rss_mb()

    def lookup(a: str, b: str) -> tuple[date, int, str] | None:
        live = [r for r in table.get((a, b), ()) if r[0] >= ON]
        return min(live) if live else None

    found, first, best = _passes(lambda a, b: lookup(a, b) is not None, pairs)
    claims = _claims(pairs)

    def among(codes: list[str]) -> int:
        return sum(1 for a in codes for b in codes if a != b and lookup(a, b) is not None)

    claim_s = _best_time(lambda: sum(among(c) for c in claims))
    return {
        "claims_per_s": len(claims) / claim_s,
        "rows": sum(len(v) for v in table.values()),
        "compile_s": 0.0,
        "load_s": load_s,
        "rss_mb": rss,
        "table_mb": rss - base,
        "first_pass_per_s": len(pairs) / first,
        "lookups_per_s": len(pairs) / best,
        "found": found,
    }


def _worker(which: str, home: Path, lookups: int) -> None:
    pairs = _workload(lookups)
    result = _openrcm(home, pairs) if which == "openrcm" else _naive(pairs)
    print(json.dumps(result))


def _run(which: str, home: Path, lookups: int) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.ncci_lookup",
            "--worker",
            which,
            "--home",
            str(home),
            "--lookups",
            str(lookups),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="ncci_lookup")
    parser.add_argument("--lookups", type=int, default=400_000)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--worker", choices=("openrcm", "naive"), default=None)
    args = parser.parse_args(argv)
    home = args.home or Settings.from_env().home
    if args.worker:
        _worker(args.worker, home, args.lookups)
        return
    ours = _run("openrcm", home, args.lookups)
    if ours["compile_s"]:
        print(f"(first run: compiled the cache in {ours['compile_s']:.1f} s; measuring again)")
        ours = _run("openrcm", home, args.lookups)
    naive = _run("naive", home, args.lookups)
    if ours["found"] != naive["found"]:
        raise SystemExit(f"answers differ: openrcm {ours['found']}, naive {naive['found']}")
    print(
        f"practitioner PTP rows: {int(ours['rows']):,}; lookups: {args.lookups:,} "
        f"({int(ours['found']):,} with an edit in effect on {ON}; deletion {NO_END} = none)"
    )
    print(
        f"{'':14}{'load s':>10}{'table MB':>10}{'RSS MB':>10}"
        f"{'1st pass/s':>14}{'lookups/s':>14}{'4-code claims/s':>17}"
    )
    for name, r in (("openrcm", ours), ("naive dict", naive)):
        print(
            f"{name:14}{r['load_s']:>10.2f}{r['table_mb']:>10.0f}{r['rss_mb']:>10.0f}"
            f"{r['first_pass_per_s']:>14,.0f}{r['lookups_per_s']:>14,.0f}"
            f"{r['claims_per_s']:>17,.0f}"
        )
    print(
        f"ratios openrcm/naive: load {ours['load_s'] / naive['load_s']:.3f}x, "
        f"table memory {ours['table_mb'] / naive['table_mb']:.2f}x, "
        f"RSS {ours['rss_mb'] / naive['rss_mb']:.2f}x, "
        f"lookups/s {ours['lookups_per_s'] / naive['lookups_per_s']:.2f}x, "
        f"claims/s {ours['claims_per_s'] / naive['claims_per_s']:.2f}x (best of 3 passes)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
