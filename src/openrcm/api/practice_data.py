"""Practice-data routes: the route table for set-up, patients, coverage, encounters, coding,
fees and work items, plus the practice itself. Everything lives under
``/api/practices/{practice_id}`` so the tenant is explicit in every URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from openrcm.api.crud import crud_router
from openrcm.api.dependencies import CtxDep, PrincipalDep
from openrcm.services import members
from openrcm.services import practice as p
from openrcm.services.schemas import ChargeOut, MemberIn, MemberOut, Model, Page, PatientOut

PREFIX = "/api/practices/{practice_id}"

router = APIRouter(prefix=PREFIX)
router.include_router(crud_router(p.LOCATIONS, "/locations", tag="practice set-up"))
router.include_router(crud_router(p.PROVIDERS, "/providers", tag="practice set-up"))
router.include_router(crud_router(p.PAYERS, "/payers", tag="payers"))
router.include_router(crud_router(p.PLANS, "/payers/{parent_id}/plans", tag="payers"))
router.include_router(crud_router(p.PATIENTS, "/patients", tag="patients"))
router.include_router(crud_router(p.COVERAGES, "/patients/{parent_id}/coverages",
                                  tag="patients"))
router.include_router(crud_router(p.ENCOUNTERS, "/encounters", tag="encounters"))
router.include_router(crud_router(p.DOCUMENTS, "/encounters/{parent_id}/documents",
                                  tag="encounters", update=False))
router.include_router(crud_router(p.DIAGNOSES, "/encounters/{parent_id}/diagnoses",
                                  tag="coding"))
router.include_router(crud_router(p.CHARGES, "/encounters/{parent_id}/charges", tag="coding"))
router.include_router(crud_router(p.FEE_SCHEDULES, "/fee-schedules", tag="fee schedules"))
router.include_router(crud_router(p.FEE_ITEMS, "/fee-schedules/{parent_id}/items",
                                  tag="fee schedules"))
router.include_router(crud_router(p.WORK_ITEMS, "/work-items", tag="work items"))
router.include_router(crud_router(p.REMITTANCES, "/remittances", tag="ledger", update=False))

Id = Annotated[str, Path(min_length=1, max_length=36)]


@router.post("/patients/search", response_model=Page[PatientOut], tags=["patients"])
def search_patients(body: p.PatientSearch, ctx: CtxDep) -> Page[PatientOut]:
    """Find patients by last name (+ birth date) or member id; PHI stays out of the URL."""
    return p.search_patients(ctx, body)


@router.post("/encounters/{parent_id}/charges/{record_id}/finalize", response_model=ChargeOut,
             tags=["coding"])
def finalize_charge(parent_id: Id, record_id: Id, ctx: CtxDep) -> ChargeOut:
    """Finalize a charge: records who and when; it can be billed but not edited afterwards."""
    return p.finalize_charge(ctx, parent_id, record_id)


@router.get("/members", response_model=list[MemberOut], tags=["members"])
def list_members(ctx: CtxDep) -> list[MemberOut]:
    """Users of this practice and their roles here."""
    return members.list_members(ctx)


@router.post("/members", response_model=MemberOut, status_code=201, tags=["members"])
def add_member(body: MemberIn, ctx: CtxDep) -> MemberOut:
    """Create a user of this practice with the given roles."""
    return members.add_member(ctx, body)


@router.delete("/members/{user_id}", status_code=204, tags=["members"])
def remove_member(user_id: Id, ctx: CtxDep) -> Response:
    """Remove a user's membership of this practice."""
    members.remove_member(ctx, user_id)
    return Response(status_code=204)


@router.get("", response_model=p.PracticeOut, tags=["practice set-up"])
def get_practice(ctx: CtxDep) -> p.PracticeOut:
    """The practice (any member)."""
    return p.practice_view(ctx)


class MyPractice(Model):
    id: str
    roles: list[str]


practices = APIRouter(prefix="/api/practices", tags=["practice set-up"])


@practices.get("", response_model=list[MyPractice])
def my_practices(who: PrincipalDep) -> list[MyPractice]:
    """The practices the signed-in user belongs to, with their roles in each."""
    return [MyPractice(id=pid, roles=sorted(r.value for r in roles))
            for pid, roles in sorted(who.memberships.items())]
