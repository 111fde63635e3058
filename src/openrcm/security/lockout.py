"""Account lockout after repeated login failures, decided from the failure times alone.

The rule: when ``max_failures`` failures fall within any ``window``, the account is locked for
``lock_for`` after the failure that completed the run. Because the decision is a function of the
stored failure times and ``now``, it holds the same in every API process with no shared counter,
and a failure during the lock extends it (each failure may complete a new run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """How many failures, within how long, lock an account for how long."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if self.window <= timedelta(0) or self.lock_for <= timedelta(0):
            raise ValueError("window and lock_for must be positive")

    def relevant_since(self, now: datetime) -> datetime:
        """Failures older than this can no longer matter; the store may prune or skip them."""
        return now - self.window - self.lock_for

    def locked_until(self, failures: Sequence[datetime], now: datetime) -> datetime | None:
        """When the current lock ends, or None when the account is not locked at ``now``.

        Failures after ``now`` are ignored, so the answer for a past moment is reproducible.
        """
        times = sorted(t for t in failures if t <= now)
        until: datetime | None = None
        start = 0
        for end, failed_at in enumerate(times):
            while failed_at - times[start] >= self.window:
                start += 1
            if end - start + 1 >= self.max_failures:
                candidate = failed_at + self.lock_for
                if candidate > now and (until is None or candidate > until):
                    until = candidate
        return until

    def is_locked(self, failures: Sequence[datetime], now: datetime) -> bool:
        """True when the failures lock the account at ``now``."""
        return self.locked_until(failures, now) is not None
