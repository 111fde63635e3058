"""A clearinghouse reached by SFTP: batches go up to its inbound folder, answers come down
from its outbound folder.

Submission uploads to a hidden temporary name (``.NAME.part``) and renames it into place, so
the clearinghouse never picks up half a file; SFTP's rename does not overwrite, so a batch
name already on the server is refused, and so is one recorded locally in ``root/sent/``
(where a copy of every batch sent is kept). A batch is never sent twice.

Fetching is two-phase so that a crash at any point loses nothing and repeats nothing: each
remote file is first written durably to ``root/received/`` (``write_atomic``, fsync), only
then moved to the remote archive folder (or deleted); the files in ``root/received/`` are
handed to the caller oldest first and moved to ``root/received/archive/`` (one fetch at a
time per ``root``: a lock file). A file downloaded
again after a crash (same name, same bytes) is recognised and not returned a second time.

Host keys are always verified against the configured ``known_hosts``: an unknown or changed
key refuses the connection. Errors name the server, the folder and the cause, never a secret
or a file's content.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import posixpath
import stat
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import paramiko

from openrcm.payers.adapter import (
    AdapterError,
    EnrollmentStatus,
    InboundFile,
    OutboundFile,
    SubmitReceipt,
    register,
)
from openrcm.payers.directory.adapter import read_enrollment, safe_name, write_atomic
from openrcm.payers.sftp.options import AfterFetch, SftpOptions, parse_options


class _UnknownHostKey(Exception):
    """The server offered a key that ``known_hosts`` does not list for it."""

    def __init__(self, key: paramiko.PKey) -> None:
        super().__init__(key.get_name())
        self.key = key


class _RefuseUnknown(paramiko.MissingHostKeyPolicy):
    """Never trust a key on first use: the operator adds it after checking its fingerprint."""

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str,
                         key: paramiko.PKey) -> None:
        raise _UnknownHostKey(key)


def _describe(key: paramiko.PKey) -> str:
    return f"{key.get_name()} {key.fingerprint}"


class SftpAdapter:
    """One clearinghouse SFTP account; a connection is opened for each submit or fetch."""

    name = "sftp"

    def __init__(self, options: SftpOptions) -> None:
        self.options = options
        self.sent = options.root / "sent"
        self.received = options.root / "received"
        self.delivered = self.received / "archive"
        for folder in (self.sent, self.received, self.delivered):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    # --- connection -------------------------------------------------------------------------

    def _private_key(self) -> paramiko.PKey | None:
        path = self.options.key_file
        if path is None:
            return None
        passphrase = self.options.passphrase()
        secret = passphrase.encode() if passphrase is not None else None
        try:
            # paramiko hands the password to cryptography, which takes bytes only (the stubs
            # say str); a missing one is reported by cryptography as a TypeError
            return paramiko.PKey.from_path(path, password=secret)  # type: ignore[arg-type]
        except FileNotFoundError:
            raise AdapterError(f"sftp adapter: private key file {path} does not exist") \
                from None
        except (paramiko.PasswordRequiredException, TypeError):
            raise AdapterError(f"sftp adapter: private key file {path} is encrypted; name the "
                               "variable holding its passphrase (key_passphrase_env)") from None
        except (paramiko.SSHException, ValueError, OSError):
            raise AdapterError(f"sftp adapter: cannot read private key file {path} (not a "
                               "private key, or a wrong passphrase)") from None

    @contextmanager
    def _session(self) -> Iterator[paramiko.SFTPClient]:
        o = self.options
        where = o.where
        client = paramiko.SSHClient()
        try:
            client.load_host_keys(str(o.known_hosts))
        except OSError:
            raise AdapterError(f"sftp {where}: cannot read known_hosts file {o.known_hosts}; "
                               "host keys are always verified") from None
        client.set_missing_host_key_policy(_RefuseUnknown())
        pkey = self._private_key()
        started = time.monotonic()
        try:
            client.connect(o.host, o.port, username=o.username, pkey=pkey,
                           password=o.password(), timeout=o.timeout, banner_timeout=o.timeout,
                           auth_timeout=o.timeout, channel_timeout=o.timeout,
                           allow_agent=False, look_for_keys=False)
            sftp = client.open_sftp()
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(o.timeout)
        except _UnknownHostKey as exc:
            client.close()
            raise AdapterError(
                f"sftp {where}: unknown host key ({_describe(exc.key)}) is not in "
                f"{o.known_hosts}; refusing to connect. Check the fingerprint with the "
                "clearinghouse, then add the key to that file") from None
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise AdapterError(
                f"sftp {where}: host key changed: the server offered {_describe(exc.key)} but "
                f"{o.known_hosts} has {_describe(exc.expected_key)}; refusing to connect "
                "(the server may be an impostor)") from None
        except paramiko.AuthenticationException:
            client.close()
            how = "private key" if o.key_file else "password"
            raise AdapterError(f"sftp {where}: authentication failed for user {o.username} "
                               f"(by {how})") from None
        except TimeoutError:
            client.close()
            raise AdapterError(f"sftp {where}: timed out after {o.timeout:g} s") from None
        except paramiko.SSHException:
            client.close()
            # paramiko reports a silent server as a protocol error raised in its own thread
            waited = time.monotonic() - started
            cause = (f"timed out after {o.timeout:g} s waiting for the SSH server"
                     if waited >= o.timeout * 0.9 else "SSH negotiation failed")
            raise AdapterError(f"sftp {where}: {cause}") from None
        except OSError as exc:
            client.close()
            failure: Exception = exc
            if isinstance(exc, paramiko.ssh_exception.NoValidConnectionsError):
                failure = next(iter(exc.errors.values()), exc)  # one per address tried
            reason = (getattr(failure, "strerror", None) or type(failure).__name__).lower()
            raise AdapterError(f"sftp {where}: cannot connect: {reason}") from None
        try:
            yield sftp
        except TimeoutError:
            raise AdapterError(f"sftp {where}: timed out after {o.timeout:g} s") from None
        except (paramiko.SSHException, EOFError):
            raise AdapterError(f"sftp {where}: the connection broke") from None
        finally:
            client.close()

    def _folder(self, sftp: paramiko.SFTPClient, folder: str, option: str) -> None:
        try:
            mode = sftp.stat(folder).st_mode
        except OSError as exc:
            raise self._remote_error(folder, exc, f"remote folder ({option})") from None
        if mode is None or not stat.S_ISDIR(mode):
            raise AdapterError(f"sftp {self.options.where}: remote {option} {folder} is not "
                               "a folder")

    def _remote_error(self, path: str, exc: OSError, what: str) -> AdapterError:
        if exc.errno == errno.ENOENT:
            return AdapterError(f"sftp {self.options.where}: {what} {path} does not exist")
        if exc.errno == errno.EACCES:
            return AdapterError(f"sftp {self.options.where}: permission denied on {what} "
                                f"{path}")
        return AdapterError(f"sftp {self.options.where}: {what} {path} failed "
                            f"({exc.strerror or 'server error'})")

    # --- submit -----------------------------------------------------------------------------

    def submit(self, batch: OutboundFile) -> SubmitReceipt:
        name = safe_name(batch.name)
        folder = self.options.remote_outbox
        record = self.sent / name
        if record.exists():
            raise AdapterError(f"batch {name} was already sent (recorded in {self.sent})")
        target = posixpath.join(folder, name)
        temporary = posixpath.join(folder, f".{name}.part")
        with self._session() as sftp:
            self._folder(sftp, folder, "remote_outbox")
            if _exists(sftp, target):
                raise AdapterError(f"batch {name} was already sent ({target} is on "
                                   f"{self.options.where})")
            try:
                with sftp.open(temporary, "wb") as handle:
                    handle.set_pipelined(True)
                    handle.write(batch.content)
                if sftp.stat(temporary).st_size != len(batch.content):
                    raise AdapterError(f"sftp {self.options.where}: upload of {name} to "
                                       f"{folder} arrived incomplete")
            except OSError as exc:
                raise self._remote_error(temporary, exc, "upload to") from None
            try:
                sftp.rename(temporary, target)
            except OSError as exc:
                if _exists(sftp, target):
                    raise AdapterError(f"batch {name} was already sent ({target} is on "
                                       f"{self.options.where})") from None
                raise self._remote_error(target, exc, "rename into") from None
        write_atomic(record, batch.content)
        return SubmitReceipt(name, target)

    # --- fetch ------------------------------------------------------------------------------

    def fetch(self) -> list[InboundFile]:
        with self._one_fetch_at_a_time():
            return self._fetch()

    @contextmanager
    def _one_fetch_at_a_time(self) -> Iterator[None]:
        """Two fetches into the same ``root`` (the command line and the API, say) take turns,
        so a file is never handed to both."""
        with open(self.options.root / ".fetch.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _fetch(self) -> list[InboundFile]:
        o = self.options
        with self._session() as sftp:
            self._folder(sftp, o.remote_inbox, "remote_inbox")
            try:
                entries = sftp.listdir_attr(o.remote_inbox)
            except OSError as exc:
                raise self._remote_error(o.remote_inbox, exc, "listing of") from None
            waiting = sorted((e for e in entries if e.st_mode is not None
                              and stat.S_ISREG(e.st_mode) and _complete(e.filename)),
                             key=lambda e: (e.st_mtime or 0, e.filename))
            if waiting and o.after_fetch is AfterFetch.ARCHIVE:
                self._archive_folder(sftp)
            for entry in waiting:
                remote = posixpath.join(o.remote_inbox, entry.filename)
                try:
                    with sftp.open(remote, "rb") as handle:
                        handle.prefetch()
                        content = handle.read()
                except OSError as exc:
                    raise self._remote_error(remote, exc, "download of") from None
                self._keep(safe_name(entry.filename), content, entry.st_mtime)
                self._dispose(sftp, remote, entry.filename, content)
        return self._hand_over()

    def _archive_folder(self, sftp: paramiko.SFTPClient) -> None:
        folder = self.options.remote_archive
        if not _exists(sftp, folder):
            try:
                sftp.mkdir(folder)
            except OSError as exc:
                raise self._remote_error(folder, exc, "creating remote_archive") from None
        self._folder(sftp, folder, "remote_archive")

    def _keep(self, name: str, content: bytes, mtime: int | None) -> None:
        """Store a downloaded file durably unless the same bytes are already here."""
        for candidate in (name, _variant(name, content)):
            held = [p for p in (self.received / candidate, self.delivered / candidate)
                    if p.exists()]
            if any(p.read_bytes() == content for p in held):
                return  # downloaded before (a fetch cut short): never returned twice
            if not held:
                target = self.received / candidate
                write_atomic(target, content)
                if mtime is not None:
                    os.utime(target, (mtime, mtime))
                return
        raise AdapterError(f"sftp {self.options.where}: {name} arrived again with other "
                           f"content, and {self.received} already holds both versions")

    def _dispose(self, sftp: paramiko.SFTPClient, remote: str, name: str,
                 content: bytes) -> None:
        """Take a file stored locally off the remote inbox: into the archive (under a name
        marked by its content when the archive already has one of that name), or deleted."""
        archive = self.options.after_fetch is AfterFetch.ARCHIVE
        try:
            if not archive:
                sftp.remove(remote)
                return
            target = posixpath.join(self.options.remote_archive, name)
            if _exists(sftp, target):
                target = posixpath.join(self.options.remote_archive, _variant(name, content))
            sftp.rename(remote, target)
        except OSError as exc:
            action = f"moved to {self.options.remote_archive}" if archive else "deleted"
            raise AdapterError(
                f"sftp {self.options.where}: {remote} is stored locally but could not be "
                f"{action} ({exc.strerror or 'server error'}); the next fetch finishes it"
            ) from None

    def _hand_over(self) -> list[InboundFile]:
        """Files stored but not yet returned, oldest first, each moved aside once returned."""
        files = sorted((p for p in self.received.iterdir()
                        if p.is_file() and not p.name.startswith(".")),
                       key=lambda p: (p.stat().st_mtime_ns, p.name))
        out: list[InboundFile] = []
        for path in files:
            out.append(InboundFile(path.name, path.read_bytes()))
            os.replace(path, self.delivered / path.name)
        return out

    # --- enrollment -------------------------------------------------------------------------

    def enrollment(self, payer_id: str, transaction: str) -> EnrollmentStatus:
        return read_enrollment(self.options.root / "enrollment.yaml", payer_id, transaction)


_IN_TRANSFER = (".part", ".tmp", ".filepart", ".partial")


def _complete(name: str) -> bool:
    """Whether a remote name is a finished file: hidden names and the usual in-transfer
    suffixes are files the clearinghouse is still writing."""
    return not name.startswith(".") and not name.lower().endswith(_IN_TRANSFER)


def _variant(name: str, content: bytes) -> str:
    """The name a second, different file of the same name is kept under."""
    return f"{name}.{hashlib.sha256(content).hexdigest()[:12]}"


def _exists(sftp: paramiko.SFTPClient, path: str) -> bool:
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return False
        raise
    return True


def _factory(options: Mapping[str, str]) -> SftpAdapter:
    return SftpAdapter(parse_options(options))


register("sftp", _factory)
