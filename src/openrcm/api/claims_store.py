"""Claim routes: build, read, list and move claims through the state machine."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from openrcm.api.claims import default_scrubber
from openrcm.api.dependencies import CtxDep
from openrcm.claims.jsonio import to_json
from openrcm.claims.scrub import Scrubber
from openrcm.services import claim_output, claims
from openrcm.services.claim_states import ClaimState
from openrcm.services.records import MAX_LIMIT
from openrcm.services.schemas import Page

router = APIRouter(prefix="/api/practices/{practice_id}/claims", tags=["claims"])
Id = Annotated[str, Path(min_length=1, max_length=36)]
Ref = Annotated[str | None, Query(max_length=36)]


@router.post("", response_model=claims.ClaimOut, status_code=201)
def create_claim(body: claims.ClaimIn, ctx: CtxDep) -> claims.ClaimOut:
    """Build a claim from an encounter's finalized charges (frequency 1), or file a
    replacement (7) or void (8) of an adjudicated claim."""
    return claims.create_claim(ctx, body)


@router.get("", response_model=Page[claims.ClaimOut])
def list_claims(ctx: CtxDep, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
                cursor: Ref = None, state: ClaimState | None = None, patient_id: Ref = None,
                payer_id: Ref = None) -> Page[claims.ClaimOut]:
    """Claims of the practice, filtered by state, patient or payer."""
    return claims.list_claims(ctx, limit=limit, cursor=cursor,
                              state=state.value if state else None, patient_id=patient_id,
                              payer_id=payer_id)


@router.post("/build")
def build_claims(body: claim_output.EncounterRef, ctx: CtxDep) -> list[dict[str, Any]]:
    """The encounter's live claims as claim values (providers, coverages, patient, diagnoses,
    lines, prior payers' results): exactly what an 837 of them holds."""
    return [to_json(c) for c in claim_output.claims_of(ctx, encounter_id=body.encounter_id)]


@router.post("/scrub")
def scrub_claims(body: claim_output.ScrubIn, ctx: CtxDep,
                 engine: Annotated[Scrubber, Depends(default_scrubber)]) -> dict[str, Any]:
    """The scrub report of one stored claim or of an encounter's live claims."""
    return claim_output.scrub(ctx, engine, body).to_json()


@router.post("/export", response_class=Response)
def export_claims(body: claim_output.ExportIn, ctx: CtxDep) -> Response:
    """An encounter's claims (or one claim) as an 837 file (837P professional, 837I facility)
    or a paper form PDF (CMS-1500, UB-04)."""
    data, media, name = claim_output.export(ctx, body)
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{claim_id}", response_model=claims.ClaimOut)
def get_claim(claim_id: Id, ctx: CtxDep) -> claims.ClaimOut:
    """One claim with lines, state history and the states it may move to."""
    return claims.get_claim(ctx, claim_id)


@router.post("/{claim_id}/transitions", response_model=claims.ClaimOut)
def transition_claim(claim_id: Id, body: claims.TransitionIn, ctx: CtxDep) -> claims.ClaimOut:
    """Move a claim to another state; illegal moves are refused with ``illegal_transition``."""
    return claims.transition_claim(ctx, claim_id, body)
