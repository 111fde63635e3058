"""Tokens and session ids: random, hashed with SHA-256, compared in constant time."""

from __future__ import annotations

import hashlib

from openrcm.security.tokens import hash_token, new_session_id, new_token, token_matches


def test_new_token_pairs_token_with_its_hash() -> None:
    """The returned hash is the SHA-256 hex of the returned token."""
    token, digest = new_token()
    assert token.startswith("orcm_")
    assert digest == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert token not in digest
    assert len(token) > 40


def test_tokens_are_unique() -> None:
    """A thousand tokens and session ids never repeat."""
    assert len({new_token()[0] for _ in range(1000)}) == 1000
    assert len({new_session_id()[0] for _ in range(1000)}) == 1000


def test_session_ids_and_matching() -> None:
    """Session ids hash the same way; only the right token matches a stored hash."""
    sid, digest = new_session_id()
    assert sid.startswith("orcs_")
    assert token_matches(sid, digest)
    assert not token_matches(sid + "x", digest)
