"""A practice's members: who may sign in to it and with which roles (practice admins)."""

from __future__ import annotations

from sqlalchemy import select

from openrcm.security.passwords import PasswordPolicyError
from openrcm.security.roles import Permission as P
from openrcm.services import audit, auth
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import Conflict, InvalidInput, NotFound
from openrcm.services.schemas import MemberIn, MemberOut
from openrcm.store.models import Membership, User


@requires(P.USER_READ)
def list_members(ctx: Ctx) -> list[MemberOut]:
    """The practice's users and their roles here (never their other practices)."""
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(
            select(User.id, User.email, Membership.roles)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.practice_id == ctx.actor.practice_id).order_by(User.email)).all()
        return [MemberOut(user_id=uid, email=email, roles=sorted(r for r in roles.split(",") if r))
                for uid, email, roles in rows]


@requires(P.USER_ADMIN)
def add_member(ctx: Ctx, cmd: MemberIn) -> MemberOut:
    """Create a user who belongs to this practice with the given roles."""
    try:
        user_id = auth.create_user(ctx.db, cmd.email, cmd.password,
                                   {ctx.actor.practice_id: cmd.roles}, actor=ctx.actor.user_id)
    except PasswordPolicyError as exc:
        raise InvalidInput(str(exc), field="password") from exc
    return MemberOut(user_id=user_id, email=cmd.email.strip().lower(),
                     roles=sorted(r.value for r in cmd.roles))


@requires(P.USER_ADMIN)
def remove_member(ctx: Ctx, user_id: str) -> None:
    """Take a user's access to this practice away (the user and other memberships remain)."""
    if user_id == ctx.actor.user_id:
        raise Conflict("you cannot remove your own membership")
    with ctx.uow() as uow:
        row = uow.session.scalar(select(Membership).where(
            Membership.practice_id == ctx.actor.practice_id, Membership.user_id == user_id))
        if row is None:
            raise NotFound(f"member {user_id} not found")
        uow.session.delete(row)
        audit.record(ctx, uow, "member.remove", f"user:{user_id}", phi=False)
        uow.commit()
