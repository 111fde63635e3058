"""A real SFTP server for tests: asyncssh serving a temporary folder (chrooted) on a free port
of 127.0.0.1, in a background thread with its own event loop.

It has a generated host key, one authorized client key (written as an OpenSSH private key
file, as a clearinghouse account's key would be) and optionally a password. ``faults`` makes
the server's renames into an archive folder fail a given number of times, which is how the
tests crash a fetch between download and remote move.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

USER = "clinic"


@dataclass
class Faults:
    """Failures the server injects (counters go down as they happen)."""

    archive_moves: int = 0


@dataclass
class Server:
    """A running server and what a client needs to reach it."""

    root: Path
    port: int
    host_key: asyncssh.SSHKey
    known_hosts: Path
    client_key: Path
    faults: Faults = field(default_factory=Faults)
    renames: list[tuple[str, str]] = field(default_factory=list)

    def options(self, local: Path, **extra: str) -> dict[str, str]:
        """Options of the ``sftp`` adapter for this server (key authentication), the local
        folder ``local``; ``extra`` overrides or adds options."""
        return {"host": "127.0.0.1", "port": str(self.port), "username": USER,
                "remote_outbox": "/inbound", "remote_inbox": "/outbound",
                "key_file": str(self.client_key), "known_hosts": str(self.known_hosts),
                "root": str(local), "timeout": "10", **extra}

    def known_hosts_line(self, key: asyncssh.SSHKey) -> str:
        """A known_hosts line naming ``key`` as this server's (port-qualified host)."""
        public = key.export_public_key("openssh").decode().split()
        return f"[127.0.0.1]:{self.port} {public[0]} {public[1]}\n"


class _Sftp(asyncssh.SFTPServer):
    def __init__(self, chan: asyncssh.SSHServerChannel, server: Server) -> None:
        super().__init__(chan, chroot=str(server.root).encode())
        self._server = server

    def rename(self, oldpath: bytes, newpath: bytes) -> None:
        faults = self._server.faults
        if faults.archive_moves > 0 and b"/archive/" in newpath:
            faults.archive_moves -= 1
            raise asyncssh.SFTPFailure("injected failure")
        super().rename(oldpath, newpath)
        self._server.renames.append((oldpath.decode(), newpath.decode()))


class _Auth(asyncssh.SSHServer):
    def __init__(self, password: str | None) -> None:
        self._password = password

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return self._password is not None

    def validate_password(self, username: str, password: str) -> bool:
        return username == USER and password == self._password


@contextmanager
def sftp_server(base: Path, *, password: str | None = None) -> Iterator[Server]:
    """Run a server under ``base`` (``base/remote`` is what clients see as ``/``, with the
    folders ``/inbound`` and ``/outbound``) until the block ends."""
    root = base / "remote"
    for folder in ("inbound", "outbound"):
        (root / folder).mkdir(parents=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client = asyncssh.generate_private_key("ssh-ed25519")
    client_key = base / "client_key"
    client_key.write_bytes(client.export_private_key("openssh"))
    client_key.chmod(0o600)
    authorized = asyncssh.import_authorized_keys(client.export_public_key("openssh").decode())
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    server = Server(root, 0, host_key, base / "known_hosts", client_key)

    async def listen() -> asyncssh.SSHAcceptor:
        return await asyncssh.listen(
            "127.0.0.1", 0, server_host_keys=[host_key], authorized_client_keys=authorized,
            server_factory=lambda: _Auth(password),
            sftp_factory=lambda chan: _Sftp(chan, server))

    acceptor = asyncio.run_coroutine_threadsafe(listen(), loop).result(10)
    server.port = int(acceptor.sockets[0].getsockname()[1])
    server.known_hosts.write_text(server.known_hosts_line(host_key))
    try:
        yield server
    finally:
        async def close() -> None:
            acceptor.close()
            await acceptor.wait_closed()
            sessions = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in sessions:
                task.cancel()
            await asyncio.gather(*sessions, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
