"""Request-scoped dependencies: the runtime, the authenticated principal, the service context.

A request is authenticated by ``Authorization: Bearer <token>`` or by the session cookie. The
practice comes from the path; a practice the user is not a member of is NotFound (404), like a
practice that does not exist. Permission checks are NOT made here: use cases declare them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from openrcm.config import Settings
from openrcm.services import auth
from openrcm.services.bootstrap import Runtime, build
from openrcm.services.context import Ctx
from openrcm.services.errors import Unauthenticated

SESSION_COOKIE = "openrcm_session"

_bearer = HTTPBearer(auto_error=False, description="API token or session id from /api/auth/login")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="web session")


def runtime(request: Request) -> Runtime:
    """The application's runtime: set by ``openrcm serve`` or a test, else built from the
    environment on first use."""
    state = request.app.state
    value = getattr(state, "runtime", None)
    if value is None:
        value = state.runtime = build(Settings.from_env())
    assert isinstance(value, Runtime)
    return value


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def principal(
    request: Request,
    rt: Annotated[Runtime, Depends(runtime)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> auth.Principal:
    """The authenticated user, or 401."""
    secret = bearer.credentials if bearer is not None else cookie
    if not secret or len(secret) > 200:
        raise Unauthenticated("sign in first (Authorization: Bearer or session cookie)")
    return auth.authenticate(rt.db, secret)


PracticeId = Annotated[str, Path(min_length=1, max_length=36, description="the practice (tenant)")]


def ctx(
    request: Request,
    practice_id: PracticeId,
    rt: Annotated[Runtime, Depends(runtime)],
    who: Annotated[auth.Principal, Depends(principal)],
) -> Ctx:
    """The service context for the practice in the path (404 if the user is not a member)."""
    reason = request.headers.get("x-purpose-of-use", "")
    actor = auth.actor_for(who, practice_id, ip=client_ip(request), reason=reason)
    return Ctx(db=rt.db, cipher=rt.cipher, actor=actor)


CtxDep = Annotated[Ctx, Depends(ctx)]
PrincipalDep = Annotated[auth.Principal, Depends(principal)]
RuntimeDep = Annotated[Runtime, Depends(runtime)]
