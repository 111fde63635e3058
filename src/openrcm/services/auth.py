"""Sign-in, sessions, API tokens, TOTP and lockout: who the caller is and for which practice.

Only hashes of secrets are stored (argon2id for passwords, SHA-256 for session ids and tokens,
the TOTP secret encrypted as PHI-grade data). Unknown e-mail and wrong password give the same
answer so accounts cannot be enumerated. A user of practice A who names practice B gets
``NotFound``, exactly as for a practice that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from openrcm.security import passwords, tokens, totp
from openrcm.security.lockout import LockoutPolicy
from openrcm.security.phi import PhiCipher
from openrcm.security.roles import Role
from openrcm.services import audit
from openrcm.services.context import SYSTEM_ACTOR, Actor
from openrcm.services.errors import (
    AccountLocked,
    Conflict,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from openrcm.store.db import Database, UnitOfWork
from openrcm.store.models import ApiToken, AuthSession, LoginFailure, Membership, Practice, User
from openrcm.store.types import utcnow

SESSION_TTL = timedelta(hours=12)
TOKEN_TTL = timedelta(days=30)
LOCKOUT = LockoutPolicy()
TOTP_CONTEXT = "user.totp_secret"
_DUMMY_HASH = passwords.hash_password("not-a-real-password-0")


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user and the roles each of their practices grants them."""

    user_id: str
    email: str
    memberships: Mapping[str, frozenset[Role]]
    credential_id: str
    mfa_passed: bool


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A new session: the secret (shown once) and when it expires."""

    token: str
    expires_at: datetime
    user_id: str
    practices: tuple[str, ...]


def _norm_email(email: str) -> str:
    return email.strip().lower()


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


def create_user(db: Database, email: str, password: str,
                memberships: Mapping[str, Iterable[Role]], *, actor: str = SYSTEM_ACTOR) -> str:
    """Create a user with memberships (practice id -> roles); returns the user id.

    Raises:
        PasswordPolicyError: the password is too short or too long.
        Conflict: the e-mail is taken.
        NotFound: a practice does not exist.
    """
    email = _norm_email(email)
    if "@" not in email:
        raise InvalidInput("email must be an e-mail address", field="email")
    digest = passwords.hash_password(password)
    with db.uow(None) as uow:
        session = uow.session
        if session.scalar(select(User.id).where(User.email == email)):
            raise Conflict("a user with this e-mail already exists", field="email")
        user = User(email=email, password_hash=digest)
        session.add(user)
        session.flush()
        for practice_id, roles in memberships.items():
            if session.get(Practice, practice_id) is None:
                raise NotFound(f"practice {practice_id} not found")
            names = ",".join(sorted(Role(r).value for r in roles))
            session.add(Membership(user_id=user.id, practice_id=practice_id, roles=names))
        audit.append(uow, actor=actor, practice_id=None, action="user.create",
                     resource=f"user:{user.id}", detail={"practices": ",".join(memberships)})
        uow.commit()
        return user.id


def login(db: Database, cipher: PhiCipher, email: str, password: str, *,
          totp_code: str | None = None, ip: str = "", kind: str = "session",
          clock: Callable[[], datetime] = utcnow) -> LoginResult:
    """Check credentials (and TOTP when enrolled) and open a session or API token.

    Raises:
        Unauthenticated: wrong e-mail/password/TOTP (``totp_required`` when a code is missing).
        AccountLocked: too many recent failures.
    """
    now = clock()
    with db.uow(None) as uow:
        session = uow.session
        user = session.scalar(select(User).where(User.email == _norm_email(email)))
        if user is None or not user.is_active:
            passwords.verify_password(_DUMMY_HASH, password)
            audit.append(uow, actor="anonymous", practice_id=None, action="auth.login_failed",
                         resource="user:unknown", ip=ip, at=now)
            uow.commit()
            raise Unauthenticated("wrong e-mail or password")
        failures = list(session.scalars(select(LoginFailure.at).where(
            LoginFailure.user_id == user.id, LoginFailure.at >= LOCKOUT.relevant_since(now))))
        if LOCKOUT.is_locked(failures, now):
            audit.append(uow, actor=user.id, practice_id=None, action="auth.login_locked",
                         resource=f"user:{user.id}", ip=ip, at=now)
            uow.commit()
            raise AccountLocked("too many failed sign-ins: try again later")
        ok = passwords.verify_password(user.password_hash, password)
        mfa_missing = False
        if ok and user.totp_enabled and user.totp_secret_enc:
            secret = cipher.decrypt(user.totp_secret_enc, context=TOTP_CONTEXT)
            if not totp_code:
                mfa_missing = True
                ok = False
            else:
                step = totp.matched_step(secret, totp_code, now)
                ok = step is not None and step > user.totp_last_step  # a code works once
                if ok and step is not None:
                    user.totp_last_step = step
        if not ok:
            if not mfa_missing:
                session.add(LoginFailure(user_id=user.id, at=now, ip=ip))
            audit.append(uow, actor=user.id, practice_id=None, action="auth.login_failed",
                         resource=f"user:{user.id}", ip=ip, at=now)
            uow.commit()
            if mfa_missing:
                err = Unauthenticated("a TOTP code is required for this account")
                err.code = "totp_required"
                raise err
            raise Unauthenticated("wrong e-mail or password")
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        secret_value, digest = (tokens.new_token() if kind == "token"
                                else tokens.new_session_id())
        expires = now + (TOKEN_TTL if kind == "token" else SESSION_TTL)
        if kind == "token":
            cred_id = _add(uow, ApiToken(user_id=user.id, name="login", token_hash=digest,
                                         created_at=now, expires_at=expires))
        else:
            cred_id = _add(uow, AuthSession(user_id=user.id, token_hash=digest, kind="session",
                                            mfa_passed=user.totp_enabled, created_at=now,
                                            expires_at=expires))
        practices = tuple(session.scalars(
            select(Membership.practice_id).where(Membership.user_id == user.id)))
        audit.append(uow, actor=user.id, practice_id=None, action="auth.login",
                     resource=f"user:{user.id}", ip=ip, at=now,
                     detail={"kind": kind, "credential": cred_id})
        uow.commit()
        return LoginResult(token=secret_value, expires_at=expires, user_id=user.id,
                           practices=practices)


def _add(uow: UnitOfWork, row: ApiToken | AuthSession) -> str:
    uow.session.add(row)
    uow.session.flush()
    return row.id


def authenticate(db: Database, secret: str, *, clock: Callable[[], datetime] = utcnow
                 ) -> Principal:
    """The principal behind a session id or bearer token.

    Raises:
        Unauthenticated: unknown, expired or revoked.
    """
    now = clock()
    digest = tokens.hash_token(secret)
    with db.uow(None, read_only=True) as uow:
        session = uow.session
        cred: AuthSession | ApiToken | None
        if secret.startswith(tokens.TOKEN_PREFIX):
            cred = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
            mfa = True
        else:
            cred = session.scalar(select(AuthSession).where(AuthSession.token_hash == digest))
            mfa = bool(cred and cred.mfa_passed)
        if cred is None or cred.revoked_at is not None or (
                cred.expires_at is not None and cred.expires_at <= now):
            raise Unauthenticated("session or token is not valid")
        user = session.get(User, cred.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("session or token is not valid")
        rows = session.execute(select(Membership.practice_id, Membership.roles)
                               .where(Membership.user_id == user.id)).all()
        return Principal(user_id=user.id, email=user.email,
                         memberships={pid: parse_roles(r) for pid, r in rows},
                         credential_id=cred.id, mfa_passed=mfa)


def actor_for(principal: Principal, practice_id: str, *, ip: str = "", reason: str = ""
              ) -> Actor:
    """The actor for ``practice_id``; a practice the user does not belong to is NotFound."""
    roles = principal.memberships.get(practice_id)
    if roles is None:
        raise NotFound(f"practice {practice_id} not found")
    return Actor(user_id=principal.user_id, practice_id=practice_id, roles=roles, ip=ip,
                 reason=reason[:200])


def logout(db: Database, principal: Principal, *, ip: str = "",
           clock: Callable[[], datetime] = utcnow) -> None:
    """Revoke the session or token the principal authenticated with."""
    now = clock()
    with db.uow(None) as uow:
        cred = (uow.session.get(AuthSession, principal.credential_id)
                or uow.session.get(ApiToken, principal.credential_id))
        if cred is not None and cred.revoked_at is None:
            cred.revoked_at = now
        audit.append(uow, actor=principal.user_id, practice_id=None, action="auth.logout",
                     resource=f"user:{principal.user_id}", ip=ip, at=now)
        uow.commit()


def enroll_totp(db: Database, cipher: PhiCipher, principal: Principal) -> tuple[str, str]:
    """Start TOTP enrolment: a new secret (returned once) and its provisioning URI."""
    secret = totp.new_secret()
    with db.uow(None) as uow:
        user = uow.session.get(User, principal.user_id)
        if user is None:
            raise Unauthenticated("session or token is not valid")
        if user.totp_enabled:
            raise Conflict("TOTP is already enabled for this account")
        user.totp_secret_enc = cipher.encrypt(secret, context=TOTP_CONTEXT)
        audit.append(uow, actor=user.id, practice_id=None, action="auth.totp_enroll",
                     resource=f"user:{user.id}")
        uow.commit()
        return secret, totp.provisioning_uri(secret, user.email)


def confirm_totp(db: Database, cipher: PhiCipher, principal: Principal, code: str, *,
                 clock: Callable[[], datetime] = utcnow) -> None:
    """Finish enrolment: a correct code turns the second factor on for later sign-ins.

    Raises:
        Conflict: no enrolment was started.
        Unauthenticated: the code is wrong.
    """
    with db.uow(None) as uow:
        user = uow.session.get(User, principal.user_id)
        if user is None or not user.totp_secret_enc:
            raise Conflict("start TOTP enrolment first")
        secret = cipher.decrypt(user.totp_secret_enc, context=TOTP_CONTEXT)
        step = totp.matched_step(secret, code, clock())
        if step is None:
            raise Unauthenticated("wrong TOTP code")
        user.totp_enabled = True
        user.totp_last_step = step
        audit.append(uow, actor=user.id, practice_id=None, action="auth.totp_enabled",
                     resource=f"user:{user.id}")
        uow.commit()
