"""Password hashing with argon2id, the memory-hard hash OWASP recommends for stored passwords.

Why here and not in the user service: the parameters and the policy are security decisions that
must be made once. ``needs_rehash`` lets the login service upgrade old hashes transparently when
the parameters are raised, at the one moment the plain password is known.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
"""Shortest password accepted; length beats composition rules (NIST SP 800-63B)."""

MAX_LENGTH = 1024
"""Longest password accepted, so a megabyte 'password' cannot be used to burn CPU."""

_HASHER = PasswordHasher(type=Type.ID)


class PasswordPolicyError(ValueError):
    """A new password breaks the policy; the message says which rule, never the password."""


def check_policy(password: str) -> None:
    """Refuse a new password that is too short or too long.

    Raises:
        PasswordPolicyError: naming the rule broken.
    """
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"password must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"password must be at most {MAX_LENGTH} characters long")
    if not password.strip():
        raise PasswordPolicyError("password must not be only whitespace")


def hash_password(password: str) -> str:
    """Hash a new password with argon2id after checking the policy.

    Returns:
        The PHC-format string (``$argon2id$v=19$m=...``) holding salt and parameters.

    Raises:
        PasswordPolicyError: the password breaks the policy.
    """
    check_policy(password)
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the stored hash; False for a mismatch or a corrupt hash.

    A corrupt stored hash answers False rather than raising so that a login attempt against it
    fails the same way as a wrong password and leaks nothing.
    """
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):  # a mismatch is a VerificationError
        return False


def needs_rehash(stored: str) -> bool:
    """True when the stored hash was made with weaker parameters than today's (or is not argon2id).

    Call after a successful ``verify_password`` and store ``hash_password(pw)`` if True.
    """
    try:
        return _HASHER.check_needs_rehash(stored) or not stored.startswith("$argon2id$")
    except (InvalidHashError, ValueError):
        return True
