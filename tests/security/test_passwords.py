"""Password hashing: argon2id, policy, verification and rehash detection."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from openrcm.security.passwords import (
    PasswordPolicyError,
    hash_password,
    needs_rehash,
    verify_password,
)

GOOD = "correct horse battery"


def test_hash_is_argon2id_and_verifies() -> None:
    """A fresh hash is argon2id, salted, and verifies only the right password."""
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD + "!")
    assert hash_password(GOOD) != stored


def test_short_password_refused_without_echoing_it() -> None:
    """Passwords under 12 characters are refused and the message does not contain them."""
    with pytest.raises(PasswordPolicyError) as info:
        hash_password("short-pw-11")
    assert "short-pw-11" not in str(info.value)
    assert "12" in str(info.value)


def test_whitespace_only_and_huge_passwords_refused() -> None:
    """Whitespace-only and absurdly long passwords are refused."""
    with pytest.raises(PasswordPolicyError):
        hash_password(" " * 20)
    with pytest.raises(PasswordPolicyError):
        hash_password("x" * 2000)


def test_corrupt_hash_verifies_false_and_needs_rehash() -> None:
    """A corrupt stored hash fails like a wrong password and is flagged for rehash."""
    assert not verify_password("not-a-hash", GOOD)
    assert needs_rehash("not-a-hash")


def test_current_hash_needs_no_rehash() -> None:
    """A hash made today with today's parameters is current."""
    assert not needs_rehash(hash_password(GOOD))


def test_weaker_parameters_and_other_variant_need_rehash() -> None:
    """Hashes made with weaker parameters, or argon2i, are flagged for upgrade but still verify."""
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash(GOOD)
    assert verify_password(weak, GOOD)
    assert needs_rehash(weak)
    other = PasswordHasher(type=Type.I).hash(GOOD)
    assert needs_rehash(other)
