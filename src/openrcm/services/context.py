"""Who is acting, in which practice, and the one place permissions are enforced.

Every use case takes a :class:`Ctx` first. ``@requires(Permission.X)`` declares the permission
the use case needs and checks it before the body runs, so routers, pages and commands never
decide access themselves. The declared permission is kept on the function
(``__permission__``) so tests and documentation can list the matrix from the code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from openrcm.security.phi import PhiCipher
from openrcm.security.roles import Permission, Role, allowed
from openrcm.services.errors import Forbidden
from openrcm.store.db import Database, UnitOfWork
from openrcm.store.types import utcnow

P = ParamSpec("P")
R = TypeVar("R")

SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """The caller: a user acting for one practice with that membership's roles.

    Attributes:
        user_id: the user's id, or ``system`` for the CLI's own work.
        practice_id: the tenant every query is confined to.
        roles: the roles of the user's membership in that practice.
        ip: where the request came from (for the audit log).
        reason: the purpose of use the caller gave, if any.
    """

    user_id: str
    practice_id: str
    roles: frozenset[Role]
    ip: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Ctx:
    """Everything a use case needs from the shell: database, PHI cipher, caller, clock."""

    db: Database
    cipher: PhiCipher
    actor: Actor
    clock: Callable[[], datetime] = field(default=utcnow)

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work confined to the caller's practice (``read_only``: writes nothing,
        not even an audit event)."""
        return self.db.uow(self.actor.practice_id, read_only=read_only)


def authorize(ctx: Ctx, permission: Permission) -> None:
    """Refuse unless the caller's roles in the practice grant ``permission``.

    Raises:
        Forbidden: they do not.
    """
    if not allowed(ctx.actor.roles, permission):
        raise Forbidden(f"your role in this practice does not allow {permission.value}")


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[Ctx, P], R]], Callable[Concatenate[Ctx, P], R]]:
    """Declare and enforce the permission a use case needs.

    Raises:
        Forbidden: the caller's roles in the practice do not grant ``permission``.
    """

    def decorate(fn: Callable[Concatenate[Ctx, P], R]) -> Callable[Concatenate[Ctx, P], R]:
        @functools.wraps(fn)
        def wrapper(ctx: Ctx, /, *args: P.args, **kwargs: P.kwargs) -> R:
            authorize(ctx, permission)
            return fn(ctx, *args, **kwargs)

        wrapper.__permission__ = permission  # type: ignore[attr-defined]
        return wrapper

    return decorate
