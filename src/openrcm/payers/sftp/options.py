"""The SFTP adapter's options, read from the plain string mapping every factory gets.

Secrets never travel as options: the password and the key passphrase are named by the
environment variable that holds them (``password_env``, ``key_passphrase_env``), so neither
ends up in ``adapters.yaml``, a shell history or a process listing. Host keys are always
checked against ``known_hosts``; there is no option to skip that.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from openrcm.payers.adapter import AdapterError


class AfterFetch(StrEnum):
    """What becomes of a remote file once it is safely stored locally."""

    ARCHIVE = "archive"
    DELETE = "delete"


KNOWN = ("host", "port", "username", "remote_outbox", "remote_inbox", "remote_archive",
         "after_fetch", "key_file", "key_passphrase_env", "password_env", "known_hosts",
         "root", "timeout")
_SECRETS = ("password", "passphrase", "key_passphrase", "secret")


@dataclass(frozen=True, slots=True)
class SftpOptions:
    """A checked SFTP configuration (no secret in it: only the names of their variables)."""

    host: str
    port: int
    username: str
    remote_outbox: str
    remote_inbox: str
    remote_archive: str
    after_fetch: AfterFetch
    known_hosts: Path
    root: Path
    timeout: float
    key_file: Path | None = None
    key_passphrase_env: str | None = None
    password_env: str | None = None

    @property
    def where(self) -> str:
        """``host:port``, as every error message names the server."""
        return f"{self.host}:{self.port}"

    def password(self) -> str | None:
        """The password from its environment variable (None when key authentication)."""
        return _secret(self.password_env)

    def passphrase(self) -> str | None:
        """The private key's passphrase from its environment variable, if one is named."""
        return _secret(self.key_passphrase_env)


def _secret(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise AdapterError(f"sftp adapter: environment variable {variable} is not set")
    return value


def _required(options: Mapping[str, str], key: str) -> str:
    value = options.get(key, "").strip()
    if not value:
        raise AdapterError(f"the sftp adapter needs option {key}")
    return value


def _number(options: Mapping[str, str], key: str, default: str, *, low: float,
            high: float) -> float:
    text = options.get(key, default).strip()
    try:
        value = float(text)
    except ValueError:
        raise AdapterError(f"sftp adapter: option {key} must be a number, not {text!r}") \
            from None
    if not low <= value <= high:
        raise AdapterError(f"sftp adapter: option {key} must be between {low:g} and {high:g}")
    return value


def _remote_folder(options: Mapping[str, str], key: str, default: str | None = None) -> str:
    value = options.get(key, "").strip() or default
    if value is None:
        raise AdapterError(f"the sftp adapter needs option {key} (a folder on the server)")
    return value.rstrip("/") or "/"


def parse_options(options: Mapping[str, str]) -> SftpOptions:
    """Check and type the options.

    Raises:
        AdapterError: a secret given as an option, an unknown or missing option, a bad
            number, no credential or two of them (the message names the option, never a
            value that could be a secret).
    """
    for key in options:
        if key.lower() in _SECRETS:
            raise AdapterError(f"sftp adapter: never put a secret in option {key}; name the "
                               "environment variable that holds it (password_env, "
                               "key_passphrase_env)")
        if key not in KNOWN:
            raise AdapterError(f"sftp adapter: unknown option {key}; known: "
                               f"{', '.join(KNOWN)}")
    port = _number(options, "port", "22", low=1, high=65535)
    if port != int(port):
        raise AdapterError("sftp adapter: option port must be a whole number")
    key_file = options.get("key_file", "").strip() or None
    password_env = options.get("password_env", "").strip() or None
    if (key_file is None) == (password_env is None):
        raise AdapterError("sftp adapter: give exactly one credential: key_file (a private "
                           "key file) or password_env (the variable holding the password)")
    after = options.get("after_fetch", AfterFetch.ARCHIVE.value).strip()
    try:
        after_fetch = AfterFetch(after)
    except ValueError:
        raise AdapterError(f"sftp adapter: option after_fetch must be archive or delete, "
                           f"not {after!r}") from None
    inbox = _remote_folder(options, "remote_inbox")
    return SftpOptions(
        host=_required(options, "host"), port=int(port),
        username=_required(options, "username"),
        remote_outbox=_remote_folder(options, "remote_outbox"), remote_inbox=inbox,
        remote_archive=_remote_folder(options, "remote_archive",
                                      posixpath.join(inbox, "archive")),
        after_fetch=after_fetch, known_hosts=Path(_required(options, "known_hosts")),
        root=Path(_required(options, "root")),
        timeout=_number(options, "timeout", "30", low=0.1, high=600),
        key_file=Path(key_file) if key_file else None,
        key_passphrase_env=options.get("key_passphrase_env", "").strip() or None,
        password_env=password_env)
