"""Audit log read route (auditors and admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from openrcm.api.dependencies import CtxDep
from openrcm.services import audit

router = APIRouter(prefix="/api/practices/{practice_id}/audit", tags=["audit"])


class AuditEventOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    resource: str
    ip: str
    reason: str
    phi: bool
    detail: dict[str, str]


@router.get("/events", response_model=list[AuditEventOut])
def events(ctx: CtxDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
           after_seq: Annotated[int, Query(ge=0, le=2**53)] = 0,
           resource: Annotated[str | None, Query(max_length=120)] = None
           ) -> list[AuditEventOut]:
    """The practice's audit events in chain order, after ``after_seq``."""
    return [AuditEventOut(seq=e.seq, at=e.at, actor=e.actor, action=e.action,
                          resource=e.resource, ip=e.ip, reason=e.reason, phi=e.phi,
                          detail=dict(e.detail))
            for e in audit.list_events(ctx, limit=limit, after_seq=after_seq,
                                       resource=resource)]
