"""X12 tools for a practice's users: validate a file, read what it holds, answer it with a 999.

Nothing is stored, but an 837 or 835 carries patients' names, members and diagnoses, so the
tools sit behind the same door as the stored claims: a signed-in member of the practice with
``claim.read``, and reading a file's contents (``parse``, which returns the typed views) is an
audited PHI read. ``validate`` and ``acknowledge`` answer with findings and a 999, which never
quote element values (openrcm.x12 findings carry positions, not data), so they are not.
"""

from __future__ import annotations

import hashlib
from typing import Any

from openrcm.findings import has_errors
from openrcm.security.roles import Permission as P
from openrcm.services import audit
from openrcm.services.context import Ctx, requires
from openrcm.x12 import operations


def _resource(content: bytes) -> str:
    """The audit resource naming a file by content (a file has no id: it is not stored)."""
    return f"x12:sha256:{hashlib.sha256(content).hexdigest()[:16]}"


@requires(P.CLAIM_READ)
def validate(ctx: Ctx, content: bytes) -> dict[str, Any]:
    """Findings of the interchange; ``valid`` is false when any is an error."""
    _, findings = operations.validate_bytes(content)
    return {"valid": not has_errors(findings),
            "findings": [operations.finding_json(f) for f in findings]}


@requires(P.CLAIM_READ)
def parse(ctx: Ctx, content: bytes) -> dict[str, Any]:
    """What the interchange holds, with the typed 835/837 views (PHI: the read is audited)."""
    document, _ = operations.validate_bytes(content)
    out = operations.summary(document)
    with ctx.uow() as uow:
        audit.record(ctx, uow, "x12.parse", _resource(content), phi=True,
                     detail={"transactions": str(len(out["transactions"]))})
        uow.commit()
    return out


@requires(P.CLAIM_READ)
def acknowledge(ctx: Ctx, content: bytes, control: int) -> dict[str, str | None]:
    """The 999 (and the TA1 when the envelope is bad), dated by the context's clock."""
    now = ctx.clock()
    result = operations.acknowledgments(content, control, now.date(), now.strftime("%H%M"))
    return {"ack_999": result.ack_999, "ta1": result.ta1}
