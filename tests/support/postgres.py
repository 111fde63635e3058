"""A real PostgreSQL server for the test session, started from the OS package's binaries.

No mocks: the suite's PostgreSQL tests talk to this server. It lives in a temporary folder,
listens on loopback only, runs with fsync off (the data is thrown away), and is stopped when the
session ends. As root, the server runs as the ``postgres`` system user the OS package creates,
because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed; scripts/bootstrap.sh dev installs them."""


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(found)
    if not candidates:
        raise PostgresUnavailable(
            "initdb not found: run scripts/bootstrap.sh dev (installs Debian's postgresql)"
        )
    return Path(candidates[0]).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    """A running server; ``url(db)`` gives a SQLAlchemy URL for one of its databases."""

    port: int
    user: str = "openrcm"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database with a unique name and return its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a throw-away server and stop it afterwards, whatever happens in between."""
    bindir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="openrcm-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "openrcm", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off " \
              "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
        "-w", "start")
    try:
        yield PostgresServer(port=port)
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
