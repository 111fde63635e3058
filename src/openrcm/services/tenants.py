"""Practices (the tenants) and the organizations that own them: onboarding a practice.

A billing company signs a new client, or a practice installs openrcm for itself: either way the
operator creates the practice (named by its group NPI and tax id), then its users (``openrcm
users create``), then its providers, payers and patients through the API. Creating a tenant
acts on the whole installation, which no member of one practice may do, so it is offered by
the command line and audited with the operator as actor.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from sqlalchemy import func, select

from openrcm.services import audit
from openrcm.services.errors import Conflict
from openrcm.services.schemas import Model, Npi
from openrcm.store.db import Database
from openrcm.store.models import Membership, Organization, Practice

PracticeName = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]


class PracticeIn(Model):
    """A practice to create; ``organization`` is the owning billing company or group (created
    when no organization has that name; the practice's own name when empty)."""

    name: PracticeName
    npi: Npi
    tax_id: Annotated[str, Field(pattern=r"^\d{9}$")]
    organization: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f]*$")] = ""


class PracticeOut(Model):
    """A practice, its organization and how many users belong to it."""

    id: str
    name: str
    organization: str
    npi: str | None
    tax_id: str | None
    members: int


def create_practice(db: Database, new: PracticeIn, *, actor: str) -> PracticeOut:
    """Create a practice under its organization.

    Raises:
        Conflict: a practice already has this NPI (a group NPI names one billing entity).
    """
    owner = new.organization.strip() or new.name
    with db.uow(None) as uow:
        session = uow.session
        if session.scalar(select(Practice.id).where(Practice.npi == new.npi)) is not None:
            raise Conflict("a practice with this NPI already exists", field="npi")
        org = session.scalar(select(Organization).where(Organization.name == owner)
                             .order_by(Organization.created_at).limit(1))
        if org is None:
            org = Organization(name=owner)
            session.add(org)
            session.flush()
        row = Practice(organization_id=org.id, name=new.name, npi=new.npi, tax_id=new.tax_id)
        session.add(row)
        session.flush()
        audit.append(uow, actor=actor, practice_id=row.id, action="practice.create",
                     resource=f"practice:{row.id}", detail={"organization": org.id})
        uow.commit()
        return PracticeOut(id=row.id, name=row.name, organization=org.name, npi=row.npi,
                           tax_id=row.tax_id, members=0)


def list_practices(db: Database) -> list[PracticeOut]:
    """Every practice of the installation, by organization then name."""
    members = select(Membership.practice_id, func.count().label("n")).group_by(
        Membership.practice_id).subquery()
    with db.uow(None, read_only=True) as uow:
        rows = uow.session.execute(
            select(Practice, Organization.name, func.coalesce(members.c.n, 0))
            .join(Organization, Organization.id == Practice.organization_id)
            .outerjoin(members, members.c.practice_id == Practice.id)
            .order_by(Organization.name, Practice.name))
        return [PracticeOut(id=p.id, name=p.name, organization=org, npi=p.npi,
                            tax_id=p.tax_id, members=n) for p, org, n in rows]
