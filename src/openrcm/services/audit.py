"""The audit log: append hash-chained events in the caller's transaction, verify, read.

Each event is written inside the same transaction as the read or write it records, so an action
cannot commit without its audit record. Appends are serialised (an advisory lock on PostgreSQL,
the database write lock on SQLite) so the chain has one order. Detail values are identifiers,
never PHI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime

from sqlalchemy import select, text

from openrcm.findings import Finding
from openrcm.security.audit_chain import GENESIS_HASH, AuditEvent, event_hash, verify_chain
from openrcm.security.roles import Permission
from openrcm.services.context import Ctx, requires
from openrcm.store.db import Database, UnitOfWork
from openrcm.store.models import AuditEventRow
from openrcm.store.types import utcnow

_LOCK_KEY = 0x6F70656E72636D  # "openrcm": the advisory lock that orders audit appends


def append(uow: UnitOfWork, *, actor: str, practice_id: str | None, action: str, resource: str,
           ip: str = "", reason: str = "", phi: bool = False,
           detail: Mapping[str, str] | None = None, at: datetime | None = None) -> AuditEvent:
    """Add one event to the chain within ``uow``'s transaction and return it."""
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = session.execute(
        select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = AuditEvent(seq=seq, at=at or utcnow(), actor=actor, practice_id=practice_id,
                       action=action, resource=resource, ip=ip, reason=reason, phi=phi,
                       detail=dict(detail or {}))
    session.add(AuditEventRow(
        seq=seq, at=event.at, actor=actor, practice_id=practice_id, action=action,
        resource=resource, ip=ip, reason=reason, phi=phi,
        detail=json.dumps(dict(event.detail), sort_keys=True), prev_hash=prev,
        hash=event_hash(prev, event),
    ))
    session.flush()
    return event


def record(ctx: Ctx, uow: UnitOfWork, action: str, resource: str, *, phi: bool,
           detail: Mapping[str, str] | None = None) -> AuditEvent:
    """Audit an action of the context's actor in its practice."""
    actor = ctx.actor
    return append(uow, actor=actor.user_id, practice_id=actor.practice_id, action=action,
                  resource=resource, ip=actor.ip, reason=actor.reason, phi=phi, detail=detail,
                  at=ctx.clock())


def _row_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(seq=row.seq, at=row.at, actor=row.actor, practice_id=row.practice_id,
                      action=row.action, resource=row.resource, ip=row.ip, reason=row.reason,
                      phi=row.phi, detail=json.loads(row.detail))


def _stored(db: Database) -> Iterator[tuple[AuditEvent, str, str]]:
    with db.uow(None) as uow:
        rows = uow.session.scalars(
            select(AuditEventRow).order_by(AuditEventRow.seq).execution_options(yield_per=1000)
        )
        for row in rows:
            yield _row_event(row), row.prev_hash, row.hash


def verify(db: Database) -> tuple[int, list[Finding]]:
    """Check the whole chain; returns (events checked, findings naming the first broken seq)."""
    rows = list(_stored(db))
    return len(rows), verify_chain(rows)


@requires(Permission.AUDIT_READ)
def list_events(ctx: Ctx, *, limit: int = 50, after_seq: int = 0,
                resource: str | None = None) -> list[AuditEvent]:
    """The practice's audit events in chain order (auditors and admins)."""
    with ctx.uow() as uow:
        query = (select(AuditEventRow)
                 .where(AuditEventRow.practice_id == ctx.actor.practice_id,
                        AuditEventRow.seq > after_seq)
                 .order_by(AuditEventRow.seq).limit(limit))
        if resource:
            query = query.where(AuditEventRow.resource == resource)
        events = [_row_event(r) for r in uow.session.scalars(query)]
        record(ctx, uow, "audit.read", "audit_events", phi=False,
               detail={"count": str(len(events))})
        uow.commit()
    return events
