"""The hash chain that makes the audit log tamper-evident.

Each stored event carries ``prev_hash`` (the previous event's hash) and ``hash`` =
SHA-256(prev_hash, canonical JSON of the event). Changing, removing, reordering or slipping in
an event breaks the arithmetic at a place ``verify_chain`` can name. An unkeyed chain cannot stop
someone who rewrites the whole tail with recomputed hashes; publishing the head (``seq`` and
``hash``) elsewhere and passing it back as ``head`` closes that gap and also detects a truncated
tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from openrcm.findings import Finding, Severity

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first event."""

SOURCE = "openrcm audit chain"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One audited action: who did what to which record, when, from where and why.

    Attributes:
        seq: position in the chain, 1, 2, 3 ... with no gaps.
        at: when, timezone-aware (stored and hashed as UTC).
        actor: user id (or ``system``).
        practice_id: the tenant, or None for actions outside any practice (e.g. login).
        action: dotted verb such as ``patient.read`` or ``payment.post``.
        resource: ``type:id`` of the record touched.
        ip: client address.
        reason: why (the purpose of use), may be empty.
        phi: whether protected health information was read or written.
        detail: extra identifiers; never PHI values.
    """

    seq: int
    at: datetime
    actor: str
    practice_id: str | None
    action: str
    resource: str
    ip: str
    reason: str
    phi: bool
    detail: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.seq < 1:
            raise ValueError("audit seq starts at 1")
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("audit time must be timezone-aware")
        object.__setattr__(self, "at", self.at.astimezone(UTC))
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))

    def canonical(self) -> str:
        """The exact text that is hashed: sorted keys, no spaces, UTC time to the microsecond."""
        return json.dumps(
            {
                "seq": self.seq,
                "at": self.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "actor": self.actor,
                "practice_id": self.practice_id,
                "action": self.action,
                "resource": self.resource,
                "ip": self.ip,
                "reason": self.reason,
                "phi": self.phi,
                "detail": {str(k): str(v) for k, v in self.detail.items()},
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256 (hex) of the previous hash and the event's canonical JSON."""
    return hashlib.sha256(f"{prev_hash}\n{event.canonical()}".encode("ascii")).hexdigest()


def _finding(code: str, seq: int, message: str, hint: str) -> Finding:
    return Finding(
        code=code,
        severity=Severity.ERROR,
        message=message,
        location={"seq": seq},
        hint=hint,
        source=SOURCE,
    )


def verify_chain(
    rows: Iterable[tuple[AuditEvent, str, str]],
    *,
    start: tuple[int, str] = (0, GENESIS_HASH),
    head: tuple[int, str] | None = None,
) -> list[Finding]:
    """Check stored audit rows, in stored order, and say where and how the chain is broken.

    Args:
        rows: ``(event, prev_hash, hash)`` as stored, ordered by seq.
        start: ``(seq, hash)`` the first row follows; the genesis by default, or a trusted
            checkpoint to verify only the newer part of a long log.
        head: ``(seq, hash)`` of the last event as published elsewhere, to detect truncation.

    Returns:
        One finding per row that breaks the chain (empty when intact). Codes: AUDIT-EDITED,
        AUDIT-DELETED, AUDIT-REORDERED, AUDIT-INSERTED, AUDIT-TRUNCATED; ``location.seq`` is the
        seq the finding is about. The first finding is the first break.
    """
    materialised = list(rows)
    present = {event.seq for event, _, _ in materialised}
    findings: list[Finding] = []
    last_seq, last_hash = start
    seen: set[int] = set()
    hash_at: dict[int, str] = {}
    earlier_hashes: set[str] = set()
    for event, prev, stored in materialised:
        seq = event.seq
        if seq in seen or seq == last_seq:
            findings.append(
                _finding(
                    "AUDIT-INSERTED",
                    seq,
                    f"two audit events claim seq {seq}: one of them was inserted",
                    "compare both rows with a backup; the one no later event links to is forged",
                )
            )
        elif seq < last_seq:
            findings.append(
                _finding(
                    "AUDIT-REORDERED",
                    seq,
                    f"audit event {seq} is stored after event {last_seq}",
                    "events were moved; restore the order from a backup",
                )
            )
            seen.add(seq)
            continue
        elif prev != last_hash:
            if prev in earlier_hashes and seq <= last_seq + 1:
                findings.append(
                    _finding(
                        "AUDIT-INSERTED",
                        last_seq,
                        f"audit event {last_seq} is not in the chain: event {seq} links past it",
                        "the event was inserted; remove it after checking a backup",
                    )
                )
            elif seq > last_seq + 1:
                missing = list(range(last_seq + 1, seq))
                if all(s in present for s in missing):
                    findings.append(
                        _finding(
                            "AUDIT-REORDERED",
                            seq,
                            f"audit event {seq} is stored before event {missing[0]}",
                            "events were moved; restore the order from a backup",
                        )
                    )
                else:
                    findings.append(
                        _finding(
                            "AUDIT-DELETED",
                            missing[0],
                            f"audit events {missing[0]}..{missing[-1]} are missing",
                            "events were deleted; restore them from a backup",
                        )
                    )
            else:
                findings.append(
                    _finding(
                        "AUDIT-EDITED",
                        last_seq,
                        f"audit event {seq} does not link to event {last_seq}: "
                        f"event {last_seq} was rewritten",
                        "compare the event with a backup",
                    )
                )
        elif seq > last_seq + 1:
            findings.append(
                _finding(
                    "AUDIT-DELETED",
                    last_seq + 1,
                    f"audit events {last_seq + 1}..{seq - 1} are missing",
                    "events were deleted and the chain rehashed; restore from a backup",
                )
            )
        elif event_hash(prev, event) != stored:
            findings.append(
                _finding(
                    "AUDIT-EDITED",
                    seq,
                    f"audit event {seq} was changed after it was written",
                    "compare the event with a backup",
                )
            )
        seen.add(seq)
        hash_at.setdefault(seq, stored)
        earlier_hashes.add(last_hash)
        last_seq, last_hash = seq, stored
    if head is not None:
        head_seq, head_hash = head
        if head_seq > last_seq:
            findings.append(
                _finding(
                    "AUDIT-TRUNCATED",
                    last_seq + 1,
                    f"the log ends at event {last_seq} but the published head is {head_seq}",
                    "events at the end were deleted; restore them from a backup",
                )
            )
        elif hash_at.get(head_seq, head_hash) != head_hash:
            findings.append(
                _finding(
                    "AUDIT-EDITED",
                    head_seq,
                    f"audit event {head_seq} differs from the published head",
                    "the chain was rewritten; restore from a backup",
                )
            )
    return findings
