"""Sign-in endpoints: login (session cookie and token), logout, who am I, TOTP enrolment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from openrcm.api.dependencies import SESSION_COOKIE, PrincipalDep, RuntimeDep, client_ip
from openrcm.services import auth
from openrcm.services.schemas import Model

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginIn(Model):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    totp_code: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    kind: Literal["session", "token"] = "session"


class LoginOut(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    user_id: str
    practices: list[str]


class MeOut(BaseModel):
    user_id: str
    email: str
    practices: dict[str, list[str]]


class TotpEnrollOut(BaseModel):
    secret: str
    provisioning_uri: str


class TotpVerifyIn(Model):
    code: Annotated[str, Field(pattern=r"^\d{6}$")]


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, request: Request, response: Response, rt: RuntimeDep) -> LoginOut:
    """Sign in; a session also sets the HttpOnly cookie, a token is for API clients."""
    result = auth.login(rt.db, rt.cipher, body.email, body.password, totp_code=body.totp_code,
                        ip=client_ip(request), kind=body.kind)
    if body.kind == "session":
        response.set_cookie(SESSION_COOKIE, result.token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https",
                            expires=result.expires_at)
    return LoginOut(token=result.token, expires_at=result.expires_at, user_id=result.user_id,
                    practices=list(result.practices))


@router.post("/logout", status_code=204)
def logout(who: PrincipalDep, request: Request, rt: RuntimeDep) -> Response:
    """Revoke the current session or token."""
    auth.logout(rt.db, who, ip=client_ip(request))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me", response_model=MeOut)
def me(who: PrincipalDep) -> MeOut:
    """The signed-in user and their roles per practice."""
    return MeOut(user_id=who.user_id, email=who.email,
                 practices={p: sorted(r.value for r in roles)
                            for p, roles in who.memberships.items()})


@router.post("/totp/enroll", response_model=TotpEnrollOut)
def totp_enroll(who: PrincipalDep, rt: RuntimeDep) -> TotpEnrollOut:
    """Start TOTP enrolment: the secret is shown once; confirm with /totp/verify."""
    secret, uri = auth.enroll_totp(rt.db, rt.cipher, who)
    return TotpEnrollOut(secret=secret, provisioning_uri=uri)


@router.post("/totp/verify", status_code=204)
def totp_verify(body: TotpVerifyIn, who: PrincipalDep, rt: RuntimeDep) -> Response:
    """Confirm TOTP enrolment with a current code; later sign-ins need a code."""
    auth.confirm_totp(rt.db, rt.cipher, who, body.code)
    return Response(status_code=204)
