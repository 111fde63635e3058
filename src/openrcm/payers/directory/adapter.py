"""The folder drop most clearinghouses use: write batches to ``outbox/``, read ``inbox/``.

A mounted SFTP share or a sync client makes this the real thing. Writes are atomic (a
temporary name, then a rename) so the other side never reads half a file; a batch name already
in the outbox is refused, so a retry can never send the same batch twice. Fetched files move
to ``inbox/archive/`` so each is returned once. Enrollment comes from ``enrollment.yaml``
(``payer: {transaction: status}``), which the clearinghouse's portal export fills.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import yaml

from openrcm.payers.adapter import (
    AdapterError,
    EnrollmentStatus,
    InboundFile,
    OutboundFile,
    SubmitReceipt,
    register,
)


def safe_name(name: str) -> str:
    """``name`` when it is a plain file name (no folder, not hidden), else AdapterError."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise AdapterError(f"unsafe batch file name {name!r}")
    return name


class DirectoryAdapter:
    """Outbox/inbox folders under ``root``."""

    name = "directory"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outbox = root / "outbox"
        self.inbox = root / "inbox"
        self.archive = self.inbox / "archive"
        for folder in (self.outbox, self.inbox, self.archive):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AdapterError(f"cannot use {folder} as a folder: "
                                   f"{exc.strerror or type(exc).__name__}") from exc

    def submit(self, batch: OutboundFile) -> SubmitReceipt:
        target = self.outbox / safe_name(batch.name)
        if target.exists():
            raise AdapterError(f"batch {batch.name} was already sent")
        write_atomic(target, batch.content)
        return SubmitReceipt(batch.name, str(target.relative_to(self.root)))

    def fetch(self) -> list[InboundFile]:
        out: list[InboundFile] = []
        for path in sorted(p for p in self.inbox.iterdir() if p.is_file()
                           and not p.name.startswith(".")):
            content = path.read_bytes()
            out.append(InboundFile(path.name, content))
            os.replace(path, self.archive / path.name)
        return out

    def enrollment(self, payer_id: str, transaction: str) -> EnrollmentStatus:
        return read_enrollment(self.root / "enrollment.yaml", payer_id, transaction)


def read_enrollment(path: Path, payer_id: str, transaction: str) -> EnrollmentStatus:
    """Enrollment as the clearinghouse's portal export says (``payer: {transaction:
    status}``); every folder-based adapter keeps this file beside its folders."""
    if not path.exists():
        return EnrollmentStatus.UNKNOWN
    data = yaml.safe_load(path.read_text()) or {}
    try:
        return EnrollmentStatus(str((data.get(payer_id) or {}).get(transaction, "unknown")))
    except ValueError as exc:
        raise AdapterError(f"enrollment.yaml: bad status for {payer_id}/{transaction}") \
            from exc


def write_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` so readers see the whole file or nothing."""
    temporary = target.with_name(f".{target.name}.part")
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def _factory(options: Mapping[str, str]) -> DirectoryAdapter:
    if "root" not in options:
        raise AdapterError("the directory adapter needs a root folder (option root)")
    return DirectoryAdapter(Path(options["root"]))


register("directory", _factory)
