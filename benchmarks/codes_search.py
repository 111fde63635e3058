"""Encoder search benchmark: openrcm vs the FTS5 search of the package icd10-coder.

Runs the fixed query set of ``codes_search_queries.tsv`` (query -> expected ICD-10-CM codes)
through both systems in the same process and reports latency (p50/p95) and top-1/top-5
accuracy, then the cold open + first lookup time and memory of openrcm in a fresh process.

A hit counts when it is an expected code, or when the expected code is a 7-character code and
the hit is the code it completes (T39.1X1 for T39.1X1A): both systems are scored the same way.

Usage: ``python -m benchmarks codes_search [--home DIR] [--date YYYY-MM-DD]``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from openrcm.codesets.icd10cm import open_icd10cm
from openrcm.config import Settings

QUERIES = Path(__file__).with_name("codes_search_queries.tsv")

_COLD = """
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from pathlib import Path
from datetime import date
from openrcm.codesets.icd10cm import open_icd10cm
cm = open_icd10cm(Path(sys.argv[1]))
info = cm.lookup("E11.22", on=date.fromisoformat(sys.argv[2]))
t1, c1 = time.perf_counter(), time.process_time()
cm.search("type 2 diabetes with chronic kidney disease", on=date.fromisoformat(sys.argv[2]))
t2 = time.perf_counter()
cm.search("diabtes mellitus", on=date.fromisoformat(sys.argv[2]))
cm.index.find("Diabetes")
status = open("/proc/self/status").read()
kb = lambda key: int(status.split(key + ":")[1].split()[0])
print(json.dumps({"open_lookup": t1 - t0, "open_lookup_cpu": c1 - c0,
                  "first_search": t2 - t1, "title": info.title,
                  "rss_mb": kb("VmRSS") / 1024, "peak_mb": kb("VmHWM") / 1024}))
"""


def load_queries(path: Path = QUERIES) -> list[tuple[str, tuple[str, ...]]]:
    """The query set: (query, expected codes)."""
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        query, sep, expected = line.partition("\t")
        if not sep:
            raise ValueError(f"{path.name}: line {lineno}: expected QUERY<TAB>CODES")
        out.append((query, tuple(e.strip().upper() for e in expected.split("|"))))
    return out


def correct(hit: str, expected: tuple[str, ...]) -> bool:
    hit = hit.strip().upper()
    if "." not in hit and len(hit) > 3:
        hit = f"{hit[:3]}.{hit[3:]}"
    for e in expected:
        if hit == e:
            return True
        if len(e.replace(".", "")) == 7:
            base = e[:-1].rstrip("X").rstrip(".")
            if hit == base:
                return True
    return False


def measure(name: str, search: Callable[[str], list[str]],
            queries: list[tuple[str, tuple[str, ...]]]) -> dict[str, float]:
    """Latency percentiles (ms) and top-1/top-5 accuracy of one system."""
    times: list[float] = []
    cpu: list[float] = []
    top1 = top5 = 0
    misses: list[str] = []
    for query, expected in queries:
        t, c = time.perf_counter(), time.process_time()
        codes = search(query)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        if codes and correct(codes[0], expected):
            top1 += 1
        if any(correct(c, expected) for c in codes[:5]):
            top5 += 1
        else:
            misses.append(f"{query!r} -> {expected[0]} (got {', '.join(codes[:3]) or 'none'})")
    times.sort()
    cpu.sort()
    n = len(queries)
    result = {
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": cpu[min(n - 1, int(0.95 * n))],
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(n - 1, int(0.95 * n))],
        "max_ms": times[-1],
        "top1": top1 / n,
        "top5": top5 / n,
    }
    print(f"  {name:<12} p50 {result['p50_ms']:7.2f} ms  p95 {result['p95_ms']:7.2f} ms  "
          f"max {result['max_ms']:7.2f} ms  (CPU time p50 {result['cpu_p50_ms']:.2f} ms, "
          f"p95 {result['cpu_p95_ms']:.2f} ms)\n"
          f"  {'':<12} top-1 {top1}/{n} ({result['top1']:.1%})  "
          f"top-5 {top5}/{n} ({result['top5']:.1%})")
    for m in misses[:15]:
        print(f"      miss: {m}")
    if len(misses) > 15:
        print(f"      ... {len(misses) - 15} more misses")
    return result


def peer_search() -> Callable[[str], list[str]] | None:
    """icd10-coder's FTS5 search, or None when the package is not installed."""
    try:
        from icd10_coder import coder  # type: ignore[import-untyped]
    except ImportError:
        return None
    conn = sqlite3.connect(coder.CM_DB)

    def run(query: str) -> list[str]:
        return [str(row[0]) for row in coder.cm_search(conn, query, 10)]

    return run


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="codes_search")
    parser.add_argument("--home", type=Path, default=Settings.from_env().home)
    parser.add_argument("--date", default="2026-03-01")
    args = parser.parse_args(argv)
    dos = date.fromisoformat(args.date)
    queries = load_queries()
    print(f"  {len(queries)} queries, date of service {dos}, home {args.home}")

    t = time.perf_counter()
    cm = open_icd10cm(args.home)
    print(f"  store ready in {time.perf_counter() - t:.2f} s (includes a build when stale)")

    cold = subprocess.run([sys.executable, "-c", _COLD, str(args.home), args.date],
                          capture_output=True, text=True, check=True)
    c = json.loads(cold.stdout)
    print(f"  cold process: open + first lookup {c['open_lookup'] * 1000:.0f} ms "
          f"(CPU {c['open_lookup_cpu'] * 1000:.0f} ms; target < 500), "
          f"first search (loads index) {c['first_search'] * 1000:.0f} ms, "
          f"RSS with tabular+search+spelling+index loaded {c['rss_mb']:.0f} MB "
          f"(peak {c['peak_mb']:.0f} MB, target < 300)")

    # Warm-up: the first search loads the search index and the first misspelled word loads
    # the spelling table (both timed in the cold process above); the run measures steady state.
    cm.search("warm up hypertensoin", on=dos)

    def ours(query: str) -> list[str]:
        return [h.code for h in cm.search(query, on=dos, limit=10)]

    mine = measure("openrcm", ours, queries)
    peer = peer_search()
    if peer is None:
        print("  icd10-coder is not installed: no peer figures")
        return
    peer(queries[0][0])
    theirs = measure("icd10-coder", peer, queries)
    print(f"  ratios (icd10-coder / openrcm): p50 {theirs['p50_ms'] / mine['p50_ms']:.2f}x, "
          f"p95 {theirs['p95_ms'] / mine['p95_ms']:.2f}x; top-5 accuracy "
          f"{mine['top5']:.1%} vs {theirs['top5']:.1%} "
          f"({mine['top5'] / theirs['top5'] if theirs['top5'] else float('inf'):.2f}x), "
          f"top-1 {mine['top1']:.1%} vs {theirs['top1']:.1%}")
