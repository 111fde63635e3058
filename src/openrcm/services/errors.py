"""Service errors: a stable ``code`` a client can match on, an HTTP status, a PHI-free message.

Interfaces map these one to one: the API renders them as application/problem+json, the CLI
prints ``code: message``. Messages name identifiers and fields, never patient data.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a use case raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """No such record in the caller's practice (also what other tenants' ids look like)."""

    code = "not_found"
    status = 404


class Forbidden(ServiceError):
    """The caller's roles in this practice do not grant the permission."""

    code = "forbidden"
    status = 403


class Unauthenticated(ServiceError):
    """No valid session or token, or wrong credentials."""

    code = "unauthenticated"
    status = 401


class AccountLocked(ServiceError):
    """Too many failed sign-ins: the lockout policy holds the account."""

    code = "account_locked"
    status = 423


class Conflict(ServiceError):
    """The request contradicts the stored state (duplicate, illegal transition, reuse)."""

    code = "conflict"
    status = 409


class InvalidInput(ServiceError):
    """A value is well-formed JSON but not acceptable (bad NPI, unknown pointer, ...)."""

    code = "invalid"
    status = 422


class IllegalTransition(Conflict):
    """A claim state change the transition table does not allow."""

    code = "illegal_transition"
