"""Stored claims as the claims package's values: read back, scrub, export (837P / CMS-1500 for
professional claims, 837I / UB-04 for a facility encounter's).

The values come from :func:`openrcm.services.payer_loop.claim_model`, the same function the
837 submission uses, so what a biller builds, scrubs and exports here is byte for byte what
would be sent: providers, the payer and the coverage sequence, subscriber and patient (PHI
decrypted and audited by the record service), diagnoses and pointers, charges, and the prior
payer's 835 result read back from the journal; a claim whose encounter has a type of bill
comes back as an institutional claim (:mod:`openrcm.services.claims_institutional`), and
``openrcm submit`` sends it in an 837I batch of its own.
Nothing here writes to the store.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field
from sqlalchemy import select

from openrcm.claims import model
from openrcm.claims.scrub.engine import BatchReport, Scrubber
from openrcm.claims.x837 import Party, next_control_numbers, write_837
from openrcm.security.roles import Permission as P
from openrcm.services import payer_loop
from openrcm.services.claim_states import ClaimState
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import InvalidInput
from openrcm.services.records import find
from openrcm.services.schemas import Id, Model
from openrcm.store.models import Claim, Encounter
from openrcm.x12.builders.envelope import BuildError, Envelope

LIVE = tuple(s.value for s in ClaimState if s not in (ClaimState.VOIDED, ClaimState.REPLACED))
"""Claim states still billed: a voided or replaced claim is history, not something to send."""


class EncounterRef(Model):
    """The encounter whose claims to read."""

    encounter_id: Id


class ScrubIn(Model):
    """Scrub one claim or every live claim of an encounter, as of a submission day."""

    claim_id: Id | None = None
    encounter_id: Id | None = None
    as_of: date | None = None


class ExportIn(Model):
    """Write an encounter's claims (or one claim) as an 837 file (837P professional, 837I
    facility) or a paper form PDF (CMS-1500 professional, UB-04 facility)."""

    format: Literal["837p", "837i", "cms1500", "ub04"]
    claim_id: Id | None = None
    encounter_id: Id | None = None
    sender: str = Field("OPENRCM", min_length=2, max_length=15, pattern=r"^[0-9A-Za-z]+$")
    receiver: str = Field("CLEARINGHOUSE", min_length=2, max_length=15,
                          pattern=r"^[0-9A-Za-z]+$")
    submitter_phone: str = Field("5555550100", pattern=r"^[0-9]{10}$")
    last_control: int = Field(0, ge=0, le=999_999_999)
    test: bool = False
    review: bool = False
    on: date | None = None


def _claim_ids(ctx: Ctx, claim_id: str | None, encounter_id: str | None) -> list[str]:
    """The stored claims named by exactly one of ``claim_id`` / ``encounter_id`` (tenancy:
    another practice's record is simply not found)."""
    if (claim_id is None) == (encounter_id is None):
        raise InvalidInput("name exactly one of claim_id and encounter_id", field="claim_id")
    practice = ctx.actor.practice_id
    with ctx.uow() as uow:
        if claim_id is not None:
            find(uow, Claim, claim_id, practice, "claim")
            return [claim_id]
        assert encounter_id is not None
        find(uow, Encounter, encounter_id, practice, "encounter")
        ids = list(uow.session.scalars(select(Claim.id).where(
            Claim.practice_id == practice, Claim.encounter_id == encounter_id,
            Claim.state.in_(LIVE)).order_by(Claim.created_at, Claim.id)))
    if not ids:
        raise InvalidInput(f"encounter {encounter_id} has no live claims: create one from its "
                           "finalized charges first", field="encounter_id")
    return ids


@requires(P.CLAIM_READ)
def claims_of(ctx: Ctx, *, claim_id: str | None = None,
              encounter_id: str | None = None) -> list[model.Claim]:
    """The live claims of an encounter (or one claim) as ``openrcm.claims.model.Claim``:
    institutional when the encounter is a facility encounter, professional otherwise."""
    return [payer_loop.claim_model(ctx, cid) for cid in _claim_ids(ctx, claim_id, encounter_id)]


_KIND = {"837p": model.ClaimKind.PROFESSIONAL, "cms1500": model.ClaimKind.PROFESSIONAL,
         "837i": model.ClaimKind.INSTITUTIONAL, "ub04": model.ClaimKind.INSTITUTIONAL}
_OTHER = {"837p": "837i", "837i": "837p", "cms1500": "ub04", "ub04": "cms1500"}


@requires(P.CLAIM_READ)
def scrub(ctx: Ctx, engine: Scrubber, cmd: ScrubIn) -> BatchReport:
    """Scrub stored claims with ``engine`` as of ``cmd.as_of`` (default: today)."""
    values = claims_of(ctx, claim_id=cmd.claim_id, encounter_id=cmd.encounter_id)
    return engine.scrub_batch(values, cmd.as_of or ctx.clock().date())


@requires(P.CLAIM_READ)
def export(ctx: Ctx, cmd: ExportIn) -> tuple[bytes, str, str]:
    """The file's bytes, media type and a file name; a paper form takes one claim per file.

    The format must fit the claims' kind (837P / CMS-1500 professional, 837I / UB-04
    facility): the error names the format to use instead.
    """
    values = claims_of(ctx, claim_id=cmd.claim_id, encounter_id=cmd.encounter_id)
    want = _KIND[cmd.format]
    wrong = [v.claim_id for v in values if v.kind is not want]
    if wrong:
        kind = "professional" if want is model.ClaimKind.INSTITUTIONAL else "facility"
        raise InvalidInput(f"claim {wrong[0]} is a {kind} claim: export it as "
                           f"{_OTHER[cmd.format]}", field="format")
    day = cmd.on or ctx.clock().date()
    if cmd.format in ("cms1500", "ub04"):
        from openrcm.claims.forms import Flavour, FormError, cms1500_pdf, ub04_pdf

        form = "CMS-1500" if cmd.format == "cms1500" else "UB-04"
        if len(values) != 1:
            raise InvalidInput(f"the encounter has {len(values)} claims and a {form} file "
                               "holds one: name the claim_id", field="claim_id")
        render = cms1500_pdf if cmd.format == "cms1500" else ub04_pdf
        try:
            pdf = render(values[0], day, Flavour.REVIEW if cmd.review else Flavour.DATA)
        except FormError as exc:
            raise InvalidInput(str(exc), field="claim_id") from None
        return pdf, "application/pdf", f"{form.replace('-', '')}-{values[0].claim_id}.pdf"
    (control,) = next_control_numbers(cmd.last_control, 1)
    envelope = Envelope(cmd.sender, cmd.receiver, control, control, day,
                        ctx.clock().strftime("%H%M"), usage="T" if cmd.test else "P")
    try:
        text = write_837(values, envelope, Party(cmd.sender, cmd.sender, "BILLING",
                                                 cmd.submitter_phone),
                         Party(cmd.receiver, cmd.receiver), control)
    except (BuildError, ValueError) as exc:
        raise InvalidInput(f"the 837 cannot be written: {exc}", field="encounter_id") from None
    return text.encode(), "application/edi-x12", f"{cmd.format.upper()}-{control:09d}.x12"
