"""Time-based one-time passwords (RFC 6238), the optional second factor.

The clock is a parameter (``at``) because this package is pure: the login service reads the
clock and passes it in, which is also what makes the tests exact. ``matched_step`` returns the
time step a code belongs to, so the service can refuse a code that was already used (replay).
"""

from __future__ import annotations

from datetime import datetime

import pyotp

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
"""Codes from one step before or after are accepted, for clock drift and typing time."""


def new_secret() -> str:
    """A new random base32 secret (160 bits), to be stored encrypted and shown once as a QR."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    try:
        totp.byte_secret()
    except ValueError as exc:  # binascii.Error is a ValueError
        raise ValueError("TOTP secret is not valid base32") from exc
    return totp


def provisioning_uri(secret: str, account: str, issuer: str = "openrcm") -> str:
    """The ``otpauth://`` URI an authenticator app reads from a QR code."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("TOTP time must be timezone-aware")


def code_at(secret: str, at: datetime) -> str:
    """The code valid at ``at``; used by tests and by enrolment to show the expected value."""
    _require_aware(at)
    return str(_totp(secret).at(at))


def matched_step(secret: str, code: str, at: datetime) -> int | None:
    """The time-step number ``code`` is valid for (within ±1 step of ``at``), or None.

    Spaces in the code are ignored, as people type "123 456".
    """
    _require_aware(at)
    totp = _totp(secret)
    cleaned = code.replace(" ", "")
    if len(cleaned) != DIGITS or not cleaned.isdigit():
        return None
    now_step = int(at.timestamp()) // STEP_SECONDS
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = now_step + offset
        if pyotp.utils.strings_equal(totp.generate_otp(step), cleaned):
            return step
    return None


def verify_totp(secret: str, code: str, at: datetime) -> bool:
    """True when ``code`` is valid at ``at`` give or take one 30-second step."""
    return matched_step(secret, code, at) is not None
