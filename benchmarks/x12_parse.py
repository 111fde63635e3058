"""X12 parse benchmark: openrcm's typed 835 view against oxedi, edi-835-parser, pyx12 and
LinuxForHealth x12 on the same generated files, in the same run.

Files are built by replicating the real sample remittances shipped in tests/x12/fixtures
(each copy a whole, balanced transaction set with its own ST/SE control number, so BPR02
always equals the claim payments less PLB), to 1 MB and 50 MB, plus a large 837P. Peers run
in their own virtual environments under benchmarks/.peers/ (created here on first use;
LinuxForHealth x12 needs pydantic<2, so it cannot share openrcm's). Each measurement runs in a
fresh subprocess; peak RSS is read from that process.

Usage: ``python -m benchmarks x12_parse [--big-mb 50] [--small-mb 1] [--skip-peers]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(__file__).resolve().parent / ".peers"
FIXTURES = ROOT / "tests" / "x12" / "fixtures"
# LinuxForHealth x12 rejects the TR3 samples above (its SE count check disagrees with them),
# so it is measured on a file built from its own demo 835 when the shared data is present.
SHARED_LFH_835 = ROOT.parent / "shared" / "data" / "x12" / "linuxforhealth" / "demo-file" / \
    "demo.835"
SLOW_PEERS = {"pyx12", "linuxforhealth-x12"}  # measured on the small files only

# name -> (pip requirements, measuring script run with the peer's python: argv[1] = file)
PEER_SPECS: dict[str, tuple[list[str], str]] = {
    "oxedi": (["oxedi==0.6.0"], """
import sys, time, oxedi
data = open(sys.argv[1], 'rb').read()
t = time.perf_counter()
parsed = oxedi.parse(data)
claims = parsed.count_claims()
print(time.perf_counter() - t, claims)
"""),
    "edi-835-parser": (["edi-835-parser==1.8.0"], """
import sys, time
from edi_835_parser import parse
t = time.perf_counter()
import warnings
warnings.simplefilter('ignore')
tx = parse(sys.argv[1])
claims = tx.count_claims()
print(time.perf_counter() - t, claims)
"""),
    "linuxforhealth-x12": (["linuxforhealth-x12==0.57.0", "pydantic<2"], """
import sys, time
from linuxforhealth.x12.io import X12ModelReader
t = time.perf_counter()
claims = 0
with X12ModelReader(sys.argv[1]) as reader:
    for model in reader.models():
        for header in getattr(model, 'loop_2000', []) or []:
            claims += len(getattr(header, 'loop_2100', []) or [])
print(time.perf_counter() - t, claims)
"""),
    "pyx12": (["pyx12==4.0.0"], """
import sys, time, logging
logging.disable(logging.CRITICAL)
import pyx12.error_handler, pyx12.params, pyx12.x12context
t = time.perf_counter()
param = pyx12.params.params()
errh = pyx12.error_handler.errh_null()
claims = 0
with open(sys.argv[1]) as fd:
    reader = pyx12.x12context.X12ContextReader(param, errh, fd)
    for node in reader.iter_segments('2100'):
        claims += 1
print(time.perf_counter() - t, claims)
"""),
}

# 837P readers of the peers that have one (oxedi and edi-835-parser read 835 only)
PEER_837: dict[str, str] = {
    "pyx12": """
import sys, time, logging
logging.disable(logging.CRITICAL)
import pyx12.error_handler, pyx12.params, pyx12.x12context
t = time.perf_counter()
claims = 0
with open(sys.argv[1]) as fd:
    reader = pyx12.x12context.X12ContextReader(pyx12.params.params(),
                                               pyx12.error_handler.errh_null(), fd)
    for node in reader.iter_segments('2300'):
        claims += 1
print(time.perf_counter() - t, claims)
""",
    "linuxforhealth-x12": """
import sys, time
from linuxforhealth.x12.io import X12ModelReader
t = time.perf_counter()
claims = 0
with X12ModelReader(sys.argv[1]) as reader:
    for model in reader.models():
        for provider in getattr(model, 'loop_2000a', []) or []:
            for subscriber in getattr(provider, 'loop_2000b', []) or []:
                claims += len(getattr(subscriber, 'loop_2300', []) or [])
print(time.perf_counter() - t, claims)
""",
}

OPENRCM_835 = """
import resource, sys, time
from openrcm.x12.views.remittance import iter_remittances
t = time.perf_counter()
claims = 0
with open(sys.argv[1], 'rb') as fh:
    for remittance in iter_remittances(fh):
        claims += len(remittance.claims)
elapsed = time.perf_counter() - t
print(elapsed, claims, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

OPENRCM_837 = """
import resource, sys, time
from openrcm.x12.parser import iter_transactions
from openrcm.x12.views.claim import claim_file_of
t = time.perf_counter()
claims = 0
with open(sys.argv[1], 'rb') as fh:
    for tx in iter_transactions(fh):
        claims += len(claim_file_of(tx).claims)
print(time.perf_counter() - t, claims, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

OPENRCM_VALIDATE = """
import sys, time
from openrcm.x12.parser import parse
t = time.perf_counter()
with open(sys.argv[1], 'rb') as fh:
    doc = parse(fh)
print(time.perf_counter() - t, sum(1 for _ in doc.transactions()), 0)
"""


def _segments(path: Path) -> tuple[list[str], str, str]:
    text = path.read_bytes().decode("latin-1").strip()
    term = text[105]
    return [s.strip("\r\n") for s in text.split(term) if s.strip("\r\n")], term, text[3]


def build_file(target_bytes: int, templates: list[Path], out: Path) -> int:
    """Write an interchange of whole transaction sets copied round-robin from ``templates``."""
    bodies: list[tuple[list[str], str]] = []
    envelope: list[str] = []
    term = sep = ""
    for path in templates:
        segs, term, sep = _segments(path)
        st = next(i for i, s in enumerate(segs) if s.startswith(f"ST{sep}"))
        se = next(i for i, s in enumerate(segs) if s.startswith(f"SE{sep}"))
        bodies.append((segs[st + 1:se], segs[st].split(sep)[1]))
        if not envelope:
            envelope = segs[:2]
    gs = envelope[1].split(sep)
    count = size = 0
    with out.open("w", encoding="latin-1", newline="") as fh:
        fh.write(envelope[0] + term + "\n" + envelope[1] + term + "\n")
        while size < target_bytes:
            body, set_id = bodies[count % len(bodies)]
            count += 1
            control = f"{count:09d}"
            lines = [f"ST{sep}{set_id}{sep}{control}", *body,
                     f"SE{sep}{len(body) + 2}{sep}{control}"]
            chunk = (term + "\n").join(lines) + term + "\n"
            fh.write(chunk)
            size += len(chunk)
        fh.write(f"GE{sep}{count}{sep}{gs[6]}{term}\n")
        isa = envelope[0].split(sep)
        fh.write(f"IEA{sep}1{sep}{isa[13]}{term}\n")
    return count


def _peer_python(name: str, requirements: list[str]) -> Path | None:
    env_dir = PEERS / name
    python = env_dir / "bin" / "python"
    marker = env_dir / ".installed"
    if not marker.exists():
        print(f"   setting up {name} in {env_dir} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        result = subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f"   {name}: install failed: {result.stderr.strip()[-300:]}")
            return None
        marker.write_text(" ".join(requirements))
    return python


def _run(python: Path | str, script: str, path: Path, timeout: float,
         env: dict[str, str] | None = None) -> tuple[float, int, int] | str:
    try:
        result = subprocess.run([str(python), "-c", script, str(path)], capture_output=True,
                                text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    if result.returncode != 0:
        return "failed: " + (result.stderr.strip().splitlines() or ["?"])[-1][:200]
    fields = result.stdout.split()
    return float(fields[0]), int(fields[1]), int(fields[2]) if len(fields) > 2 else 0


def _report(label: str, size: int, outcome: tuple[float, int, int] | str,
            baseline: float | None) -> float | None:
    if isinstance(outcome, str):
        print(f"   {label:<28} {outcome}")
        return None
    elapsed, claims, rss_kb = outcome
    rate = size / 1e6 / elapsed
    ratio = f"  openrcm/peer {baseline / rate:6.1f}x" if baseline else ""
    rss = f"  peak RSS {rss_kb / 1024:6.1f} MB" if rss_kb else ""
    print(f"   {label:<28} {rate:8.2f} MB/s  {elapsed:7.2f} s  {claims:8d} claims{rss}{ratio}")
    return rate


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="x12_parse")
    parser.add_argument("--small-mb", type=float, default=1.0)
    parser.add_argument("--big-mb", type=float, default=50.0)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--peer-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # edi-835-parser cannot read the payee id of this one (int() on an alphanumeric FI id)
    templates_835 = sorted(p for p in (FIXTURES / "835").glob("*.edi")
                           if p.name != "secondary-payment-with-higher-fee-schedule.edi")
    lfh_demo = SHARED_LFH_835 if SHARED_LFH_835.exists() else None
    templates_837 = sorted((FIXTURES / "837p").glob("*.edi"))
    with tempfile.TemporaryDirectory(prefix="x12bench") as tmp:
        work = Path(tmp)
        files = {
            "835 small": (work / "small.835", templates_835, args.small_mb),
            "835 big": (work / "big.835", templates_835, args.big_mb),
            "837P": (work / "big.837", templates_837, args.small_mb),
        }
        if lfh_demo is not None:
            files["835 LinuxForHealth demo"] = (work / "lfh.835", [lfh_demo], args.small_mb)
        for label, (path, templates, mb) in files.items():
            count = build_file(int(mb * 1e6), templates, path)
            print(f"{label}: {path.stat().st_size / 1e6:.1f} MB, {count} transaction sets")
        peers: dict[str, Path] = {}
        if not args.skip_peers:
            for name, (requirements, _) in PEER_SPECS.items():
                python = _peer_python(name, requirements)
                if python is not None:
                    peers[name] = python
        for label in ("835 small", "835 big", "835 LinuxForHealth demo"):
            if label not in files:
                continue
            path = files[label][0]
            size = path.stat().st_size
            print(f"== {label} ({size / 1e6:.1f} MB): parse to the typed 835 view")
            own = _run(sys.executable, OPENRCM_835, path, args.peer_timeout * 4, env)
            rate = _report("openrcm (streaming view)", size, own, None)
            if label == "835 small":
                _report("openrcm (full validation)", size,
                        _run(sys.executable, OPENRCM_VALIDATE, path, args.peer_timeout, env),
                        None)
            fastest_python = oxedi_rate = 0.0
            for name, python in peers.items():
                if label == "835 big" and name in SLOW_PEERS:
                    print(f"   {name:<28} skipped on the big file (see its small-file rate)")
                    continue
                if name == "linuxforhealth-x12" and label != "835 LinuxForHealth demo":
                    continue
                outcome = _run(python, PEER_SPECS[name][1], path, args.peer_timeout)
                peer_rate = _report(name, size, outcome, rate)
                if peer_rate and name != "oxedi":
                    fastest_python = max(fastest_python, peer_rate)
                elif peer_rate:
                    oxedi_rate = peer_rate
            if rate and fastest_python:
                print(f"   openrcm / fastest pure-Python peer: {rate / fastest_python:.1f}x "
                      "(goal >= 5x)")
            if rate and oxedi_rate:
                print(f"   openrcm / oxedi (Rust): {rate / oxedi_rate:.2f}x (goal >= 0.5x)")
        path = files["837P"][0]
        size = path.stat().st_size
        print(f"== 837P ({size / 1e6:.1f} MB): parse + typed claim view")
        rate = _report("openrcm", size,
                       _run(sys.executable, OPENRCM_837, path, args.peer_timeout, env), None)
        for name, script in PEER_837.items():
            if name in peers:
                _report(name, size, _run(peers[name], script, path, args.peer_timeout), rate)
    print(json.dumps({"peers": sorted(peers)}))
