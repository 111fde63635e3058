"""Coding speed and quality on the CodiEsp dev notes, single core.

openrcm: notes per second, p50/p95 latency per note (warm engine), and cold start (a new
process: open the code set, load the compiled lexicon, code the first note). Peer: the
package icd10-coder, whose ICD-10-CM FTS5 search is run on every sentence of the note (the
naive "search each sentence" coder); both are scored with the CodiEsp MAP on the same notes.

Usage: ``python -m benchmarks coding_speed [--notes N] [--home DIR]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openrcm.coding.codesets_adapter import codes_under
from openrcm.coding.eval.codiesp import Document
from openrcm.coding.eval.metrics import mean_average_precision
from openrcm.coding.eval.run import gold_for, learned_model, predictor, ranked_predictor
from openrcm.config import Settings
from openrcm.services import coding as service
from openrcm.services.codesets import icd10cm

COLD = """
import sys, time
t0 = float(sys.argv[2])
from pathlib import Path
from openrcm.config import Settings
from openrcm.services.coding import engine
from openrcm.coding.pipeline import NoteInput, suggest
settings = Settings(home=Path(sys.argv[1]), database_url="", phi_keys=())
result = suggest(NoteInput(open(sys.argv[3]).read()), engine(settings, learned=False))
print(time.time() - t0, len(result.suggestions))
"""


def _single_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _measure(
    docs: list[Document], run: Callable[[Document], tuple[str, ...]]
) -> tuple[list[float], dict[str, tuple[str, ...]], float]:
    """Wall latency per note, the ranked codes, and the CPU seconds of the whole run."""
    latencies: list[float] = []
    ranked: dict[str, tuple[str, ...]] = {}
    cpu = time.process_time()
    for doc in docs:
        t = time.perf_counter()
        ranked[doc.doc_id] = run(doc)
        latencies.append(time.perf_counter() - t)
    return latencies, ranked, time.process_time() - cpu


def _peer() -> Callable[[Document], tuple[str, ...]] | None:
    try:
        from icd10_coder import coder  # type: ignore[import-untyped]
    except ImportError:
        return None
    conn = coder.get_conn(coder.CM_DB)

    def run(doc: Document) -> tuple[str, ...]:
        codes: list[str] = []
        for sentence in doc.text.splitlines():
            if sentence.strip():
                codes += [row[0] for row in coder.cm_search(conn, sentence, limit=3)]
        return tuple(dict.fromkeys(codes))

    return run


def _report(name: str, latencies: list[float], cpu: float, map_: float) -> float:
    total = sum(latencies)
    rate = len(latencies) / total
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    p50 = statistics.median(latencies) * 1000
    cpu_rate = len(latencies) / cpu if cpu else float("inf")
    print(
        f"{name:>14}: {rate:7.1f} notes/s ({cpu_rate:6.1f} per CPU s)  p50 {p50:6.1f} ms  "
        f"p95 {p95:6.1f} ms  MAP {map_:.4f}"
    )
    return rate


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="coding_speed")
    parser.add_argument("--notes", type=int, default=250)
    parser.add_argument(
        "--peer-notes", type=int, default=25, help="notes for the (slow) peer; both are scored"
    )
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args(argv)
    _single_core()
    home = args.home or Path(os.environ.get("OPENRCM_HOME", tempfile.mkdtemp("-coding-bench")))
    settings = Settings(home=home, database_url="", phi_keys=())
    t = time.perf_counter()
    engine = service.engine(settings, learned=False)
    print(f"engine ready in {time.perf_counter() - t:.1f} s (first run compiles and caches)")
    cm = icd10cm(settings)
    docs_all, mapping = gold_for("dev", engine.terminology, lambda c: codes_under(cm, c))
    docs = list(docs_all[: args.notes])
    gold = {d.doc_id: mapping.mapped[d.doc_id] for d in docs}
    predict = predictor(engine)
    _measure(docs[:5], lambda d: predict(d).ranked)  # warm the per-code caches
    ours_lat, ours_ranked, ours_cpu = _measure(docs, lambda d: predict(d).ranked)
    _report("openrcm", ours_lat, ours_cpu, mean_average_precision(ours_ranked, gold))
    learned = service.engine(settings)
    t = time.perf_counter()
    predict_l = ranked_predictor(learned, learned_model(learned, lambda c: codes_under(cm, c)))
    print(f"train neighbour index, ranker, phrase votes loaded in {time.perf_counter() - t:.1f} s")
    l_lat, l_ranked, l_cpu = _measure(docs, lambda d: predict_l(d).ranked)
    _report("openrcm+learn", l_lat, l_cpu, mean_average_precision(l_ranked, gold))
    peer = _peer() if args.peer_notes > 0 else None
    if peer is not None:
        few = docs[: args.peer_notes]
        few_gold = {d.doc_id: gold[d.doc_id] for d in few}
        print(f"-- on the first {len(few)} notes (the peer searches every sentence):")
        o_lat, o_ranked, o_cpu = _measure(few, lambda d: predict(d).ranked)
        ours_few = _report("openrcm", o_lat, o_cpu, mean_average_precision(o_ranked, few_gold))
        peer_lat, peer_ranked, peer_cpu = _measure(few, peer)
        theirs = _report(
            "icd10-coder", peer_lat, peer_cpu, mean_average_precision(peer_ranked, few_gold)
        )
        print(f"speed ratio openrcm / icd10-coder: {ours_few / theirs:.1f}x")
    elif args.peer_notes > 0:
        print("icd10-coder not installed: peer skipped")
    else:
        print("--peer-notes 0: peer skipped")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write(docs[0].text)
    colds = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(home), repr(time.time()), fh.name],
            capture_output=True,
            text=True,
            check=True,
        )
        colds.append(float(out.stdout.split()[0]))
    os.unlink(fh.name)
    print(
        f"cold start (process start to first suggestion): best {min(colds):.2f} s, "
        f"median {statistics.median(colds):.2f} s  (goal < 2 s)"
    )
    print("goals: >= 50 notes/s, p95 < 100 ms")
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
