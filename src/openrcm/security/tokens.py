"""Bearer tokens and session ids: random, shown once, stored only as a SHA-256 hash.

A stolen database copy then holds nothing that logs anyone in. SHA-256 (not argon2) is right
here because the token already carries 256 bits of randomness: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "orcm_"
"""Marks API tokens so secret scanners and people recognise a leaked one."""

SESSION_PREFIX = "orcs_"


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token or session id: the only form that is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A new API bearer token and its hash: show the first once, store the second."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def new_session_id() -> tuple[str, str]:
    """A new web session id (cookie value) and its hash, as for tokens."""
    session_id = SESSION_PREFIX + secrets.token_urlsafe(32)
    return session_id, hash_token(session_id)


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    return hmac.compare_digest(hash_token(token), stored_hash)
