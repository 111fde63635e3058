"""API throughput and latency on loopback: reading a patient's account and creating a charge.

``python -m benchmarks api_load`` (defaults) or
``python -m benchmarks.api_load [--seconds S] [--requests N] [--threads T] [--engines ...]``

For each engine (SQLite in WAL mode; PostgreSQL when the server binaries are installed, started
throw-away like the test suite's) the benchmark migrates a fresh database, loads a small demo
practice, starts ``openrcm serve`` (uvicorn, one process) in a subprocess, signs in as the demo
admin and drives it from T client threads (httpx, keep-alive) for S seconds or N requests,
whichever comes first. It reports requests/s and p50/p95 latency for:

- ``GET  /api/practices/{p}/patients/{id}/account`` (decrypts nothing, SUMs postings, audits);
- ``POST /api/practices/{p}/encounters/{id}/charges`` (validates, prices from the charge
  master, writes the charge and its audit event);
- ``GET  /health`` in the same server, the framework's floor: the ratio shows what the
  practice-data work costs on top of FastAPI + uvicorn on this machine.

The machine may be shared, so the floor is measured in the same run and ratios matter more than
absolute numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from openrcm.security.phi import generate_key


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _postgres_url() -> Iterator[str | None]:
    try:
        from tests.support.postgres import PostgresUnavailable, running_postgres
    except ImportError:
        yield None
        return
    try:
        with running_postgres() as server:
            yield server.create_database()
    except PostgresUnavailable:
        yield None


def _prepare(env: dict[str, str], patients: int) -> None:
    """Migrate and load the demo in a child process with the benchmark's environment."""
    code = ("from openrcm.cli._common import runtime; from openrcm.services import demo; "
            "from openrcm.store import migrate; rt = runtime(); migrate.upgrade(rt.db.engine); "
            f"demo.load(rt.db, rt.cipher, patients={patients})")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


@contextlib.contextmanager
def _server(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "openrcm.cli.main", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _drive(name: str, base: str, token: str, threads: int, seconds: float, limit: int,
           request: Callable[[httpx.Client, random.Random], httpx.Response]) -> Result:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while time.monotonic() < stop:
                with lock:
                    if len(latencies) + errors >= limit:
                        return
                start = time.perf_counter()
                response = request(client, rng)
                elapsed = time.perf_counter() - start
                with lock:
                    if response.status_code < 300:
                        latencies.append(elapsed)
                    else:
                        errors += 1

    began = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return Result(name, len(latencies), time.monotonic() - began, latencies, errors)


def _engine(label: str, url: str, args: argparse.Namespace, home: Path) -> list[Result]:
    env = dict(os.environ, OPENRCM_HOME=str(home), OPENRCM_DATABASE_URL=url,
               OPENRCM_PHI_KEYS=generate_key())
    _prepare(env, args.patients)
    with _server(env) as base:
        login = httpx.post(base + "/api/auth/login", json={
            "email": "admin@demo.openrcm", "password": "demo-admin-password", "kind": "token"})
        login.raise_for_status()
        token = login.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        practice = next(pid for pid in login.json()["practices"]
                        if httpx.get(f"{base}/api/practices/{pid}", headers=headers)
                        .json()["name"] == "Demo Family Medicine")
        root = f"/api/practices/{practice}"
        patients = [p["id"] for p in httpx.get(f"{base}{root}/patients?limit=200",
                                               headers=headers, timeout=60).json()["items"]]
        encounters = [e["id"] for e in httpx.get(f"{base}{root}/encounters?limit=200",
                                                 headers=headers, timeout=60).json()["items"]]

        def account(client: httpx.Client, rng: random.Random) -> httpx.Response:
            return client.get(f"{root}/patients/{rng.choice(patients)}/account")

        def charge(client: httpx.Client, rng: random.Random) -> httpx.Response:
            return client.post(f"{root}/encounters/{rng.choice(encounters)}/charges",
                               json={"code": "99213"})

        def health(client: httpx.Client, rng: random.Random) -> httpx.Response:
            return client.get("/health")

        out = []
        for name, fn in (("health (floor)", health), ("GET account", account),
                         ("POST charge", charge)):
            result = _drive(f"{label} {name}", base, token, args.threads, args.seconds,
                            args.requests, fn)
            out.append(result)
        return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks api_load")
    parser.add_argument("--seconds", type=float, default=8.0, help="per scenario (bound)")
    parser.add_argument("--requests", type=int, default=3000, help="per scenario (bound)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="openrcm-bench-") as tmp:
        if "sqlite" in args.engines:
            home = Path(tmp) / "sqlite"
            results += _engine("sqlite", f"sqlite:///{home / 'openrcm.db'}", args, home)
        if "postgresql" in args.engines:
            with _postgres_url() as url:
                if url is None:
                    print("postgresql: server binaries not installed, skipped")
                else:
                    results += _engine("postgresql", url, args, Path(tmp) / "pg")
    print(f"{'scenario':32} {'req':>6} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
          f" {'vs floor':>8}")
    floor: dict[str, float] = {}
    for r in results:
        engine = r.name.split()[0]
        if "floor" in r.name:
            floor[engine] = r.rps
        ratio = r.rps / floor[engine] if floor.get(engine) else float("nan")
        p50 = statistics.median(r.latencies) * 1000 if r.latencies else float("nan")
        print(f"{r.name:32} {r.count:6d} {r.errors:4d} {r.rps:8.1f} {p50:8.1f} "
              f"{r.pct(0.95):8.1f} {ratio:8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
