"""PHI cipher: round trip, context binding, tamper detection, rotation, blind indexes."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.security.phi import (
    PhiCipher,
    PhiDecryptError,
    PhiKeyError,
    generate_key,
    normalize_for_index,
)

OLD = generate_key()
NEW = generate_key()
CTX = "patient.last_name"


@settings(max_examples=50, deadline=None)
@given(st.text())
def test_round_trip(plain: str) -> None:
    """Any text decrypts to itself and never appears in the token."""
    cipher = PhiCipher([NEW])
    token = cipher.encrypt(plain, context=CTX)
    assert cipher.decrypt(token, context=CTX) == plain
    if len(plain) >= 4:
        assert plain not in token


def test_token_format_and_random_nonce() -> None:
    """Tokens are v1.<key-id>.<data>, and the same value encrypts differently each time."""
    cipher = PhiCipher([NEW])
    a = cipher.encrypt("Smith", context=CTX)
    b = cipher.encrypt("Smith", context=CTX)
    assert a != b
    version, kid, body = a.split(".")
    assert version == "v1"
    assert kid == cipher.current_key_id and len(kid) == 8
    assert "=" not in body


def test_wrong_context_fails() -> None:
    """A value moved to another column cannot be decrypted there."""
    cipher = PhiCipher([NEW])
    token = cipher.encrypt("Smith", context=CTX)
    with pytest.raises(PhiDecryptError) as info:
        cipher.decrypt(token, context="patient.first_name")
    assert "Smith" not in str(info.value)


def test_tamper_fails() -> None:
    """Flipping any bit of the ciphertext, or pointing the header at another key, fails."""
    cipher = PhiCipher([NEW, OLD])
    token = cipher.encrypt("1980-02-29", context="patient.birth_date")
    version, kid, body = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    for index in (0, 12, len(raw) - 1):
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        forged = f"{version}.{kid}." + base64.urlsafe_b64encode(bytes(flipped)).decode().rstrip("=")
        with pytest.raises(PhiDecryptError):
            cipher.decrypt(forged, context="patient.birth_date")
    other_kid = PhiCipher([OLD]).current_key_id
    with pytest.raises(PhiDecryptError):
        cipher.decrypt(f"{version}.{other_kid}.{body}", context="patient.birth_date")


@pytest.mark.parametrize("bad", ["", "v2.abcd1234.xxxx", "v1.abcd1234", "v1.zzzzzzzz.AAAA", "v1"])
def test_malformed_tokens_fail_cleanly(bad: str) -> None:
    """Garbage is a PhiDecryptError, never another exception."""
    with pytest.raises(PhiDecryptError):
        PhiCipher([NEW]).decrypt(bad, context=CTX)


def test_short_and_non_base64_body() -> None:
    """A body too short or not base64 is refused with a clear error."""
    cipher = PhiCipher([NEW])
    kid = cipher.current_key_id
    with pytest.raises(PhiDecryptError, match="too short"):
        cipher.decrypt(f"v1.{kid}.AAAA", context=CTX)
    with pytest.raises(PhiDecryptError, match="base64"):
        cipher.decrypt(f"v1.{kid}.A", context=CTX)


def test_key_rotation() -> None:
    """Old tokens still read after a new key is added; rotate rewrites them onto the new key."""
    before = PhiCipher([OLD])
    token = before.encrypt("MBR-0001", context="coverage.member_id")
    after = PhiCipher([NEW, OLD])
    assert after.decrypt(token, context="coverage.member_id") == "MBR-0001"
    assert after.needs_rotation(token)
    rotated = after.rotate(token, context="coverage.member_id")
    assert not after.needs_rotation(rotated)
    assert after.rotate(rotated, context="coverage.member_id") == rotated
    assert PhiCipher([NEW]).decrypt(rotated, context="coverage.member_id") == "MBR-0001"
    with pytest.raises(PhiDecryptError, match="not configured"):
        PhiCipher([NEW]).decrypt(token, context="coverage.member_id")


def test_blind_index_stable_normalised_and_context_bound() -> None:
    """Equal normalised values index equally, across ciphers and key rotation, per field."""
    one = PhiCipher([OLD])
    rotated = PhiCipher([NEW, OLD])
    a = one.blind_index("  SMITH ", context=CTX)
    assert a == one.blind_index("smith", context=CTX)
    assert a == rotated.blind_index("Smith", context=CTX)
    assert a != one.blind_index("smith", context="patient.first_name")
    assert a != one.blind_index("smyth", context=CTX)
    assert a != PhiCipher([NEW]).blind_index("smith", context=CTX)
    pinned = PhiCipher([NEW], index_key=OLD)
    assert pinned.blind_index("smith", context=CTX) == a
    assert len(a) == 64 and "smith" not in a


def test_normalize_for_index() -> None:
    """Case, width and whitespace differences vanish."""
    assert normalize_for_index("  De  La\tCRUZ ") == "de la cruz"
    assert normalize_for_index("ＳＭＩＴＨ") == "smith"


@pytest.mark.parametrize(
    "keys",
    [[], ["not-base64!!"], [base64.urlsafe_b64encode(b"short").decode()], [OLD, OLD]],
)
def test_bad_keys_refused_without_echo(keys: list[str]) -> None:
    """Missing, malformed, short and duplicate keys are refused; messages never hold a key."""
    with pytest.raises(PhiKeyError) as info:
        PhiCipher(keys)
    for key in keys:
        assert key not in str(info.value)


def test_empty_context_refused() -> None:
    """A context is mandatory: without it tokens would be interchangeable between fields."""
    cipher = PhiCipher([NEW])
    with pytest.raises(ValueError):
        cipher.encrypt("x", context="")
    with pytest.raises(ValueError):
        cipher.blind_index("x", context="")
