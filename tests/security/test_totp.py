"""TOTP at fixed times: RFC 6238 vectors, ±1 step drift, replay step, URI."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from openrcm.security.totp import (
    code_at,
    matched_step,
    new_secret,
    provisioning_uri,
    verify_totp,
)

# RFC 6238 appendix B: ASCII secret "12345678901234567890", SHA-1, 8 digits there; the 6-digit
# code is the last six digits of the published 8-digit value.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")
AT = datetime.fromtimestamp(59, tz=UTC)


def test_rfc6238_vector() -> None:
    """At T=59s the RFC's SHA-1 code is 94287082; six digits -> 287082."""
    assert code_at(RFC_SECRET, AT) == "287082"
    assert verify_totp(RFC_SECRET, "287082", AT)


def test_other_rfc_vector() -> None:
    """At T=1111111109 the RFC's code is 07081804 -> 081804."""
    at = datetime.fromtimestamp(1111111109, tz=UTC)
    assert verify_totp(RFC_SECRET, "081804", at)


def test_one_step_drift_accepted_two_refused() -> None:
    """A code is accepted 30 s early or late, not 60 s."""
    secret = new_secret()
    now = datetime(2026, 11, 22, 12, 0, 15, tzinfo=UTC)
    code = code_at(secret, now)
    assert verify_totp(secret, code, now + timedelta(seconds=30))
    assert verify_totp(secret, code, now - timedelta(seconds=30))
    assert not verify_totp(secret, code, now + timedelta(seconds=60))
    assert not verify_totp(secret, code, now - timedelta(seconds=60))


def test_matched_step_names_the_step_for_replay_checks() -> None:
    """The matched step is the code's own step, even when verified a step later."""
    secret = new_secret()
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
    step = int(now.timestamp()) // 30
    code = code_at(secret, now)
    assert matched_step(secret, code, now + timedelta(seconds=30)) == step
    assert matched_step(secret, code[:3] + " " + code[3:], now) == step


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_refused(bad: str) -> None:
    """Codes that are not six digits never verify."""
    assert not verify_totp(new_secret(), bad, datetime(2026, 1, 1, tzinfo=UTC))


def test_naive_time_and_bad_secret_raise() -> None:
    """A naive datetime and a non-base32 secret are programming errors, not a False."""
    with pytest.raises(ValueError):
        verify_totp(new_secret(), "123456", datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        verify_totp("not base32 !!", "123456", datetime(2026, 1, 1, tzinfo=UTC))


def test_provisioning_uri() -> None:
    """The URI names the issuer and account and carries the secret."""
    secret = new_secret()
    uri = provisioning_uri(secret, "biller@example.test")
    assert uri.startswith("otpauth://totp/openrcm:biller%40example.test?")
    assert f"secret={secret}" in uri
    assert "issuer=openrcm" in uri
    assert len(secret) == 32
