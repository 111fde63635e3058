"""Claim routes: build, read, list and move claims through the state machine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from openrcm.api.dependencies import CtxDep
from openrcm.services import claims
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


@router.get("/{claim_id}", response_model=claims.ClaimOut)
def get_claim(claim_id: Id, ctx: CtxDep) -> claims.ClaimOut:
    """One claim with lines, state history and the states it may move to."""
    return claims.get_claim(ctx, claim_id)


@router.post("/{claim_id}/transitions", response_model=claims.ClaimOut)
def transition_claim(claim_id: Id, body: claims.TransitionIn, ctx: CtxDep) -> claims.ClaimOut:
    """Move a claim to another state; illegal moves are refused with ``illegal_transition``."""
    return claims.transition_claim(ctx, claim_id, body)
