"""Lockout decided from failure times: windows, lock length, extension, boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.security.lockout import LockoutPolicy

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy()


def minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in offsets]


def test_four_failures_do_not_lock() -> None:
    """Fewer than five failures never lock."""
    assert not POLICY.is_locked(minutes(0, 1, 2, 3), T0 + timedelta(minutes=4))


def test_five_failures_in_window_lock_for_fifteen_minutes() -> None:
    """The fifth failure within 15 minutes locks until 15 minutes after it."""
    failures = minutes(0, 1, 2, 3, 4)
    assert POLICY.is_locked(failures, T0 + timedelta(minutes=4))
    assert POLICY.locked_until(failures, T0 + timedelta(minutes=5)) == T0 + timedelta(minutes=19)
    assert POLICY.is_locked(failures, T0 + timedelta(minutes=18, seconds=59))
    assert not POLICY.is_locked(failures, T0 + timedelta(minutes=19))


def test_failures_spread_wider_than_window_do_not_lock() -> None:
    """Five failures spread over more than the window never lock."""
    failures = minutes(0, 4, 8, 12, 16)
    assert not POLICY.is_locked(failures, T0 + timedelta(minutes=16))


def test_window_is_exclusive_at_its_length() -> None:
    """Failures exactly 15 minutes apart are not in the same window."""
    failures = minutes(0, 5, 10, 14, 15)
    assert not POLICY.is_locked(failures, T0 + timedelta(minutes=15))
    assert POLICY.is_locked(minutes(0, 5, 10, 14, 14.99), T0 + timedelta(minutes=15))


def test_failure_during_lock_extends_it() -> None:
    """Failing again while locked pushes the end of the lock."""
    failures = [*minutes(0, 1, 2, 3, 4), *minutes(10)]
    assert POLICY.locked_until(failures, T0 + timedelta(minutes=10)) == T0 + timedelta(minutes=25)


def test_future_failures_ignored_and_order_irrelevant() -> None:
    """Failures after now do not count; unsorted input is fine."""
    failures = minutes(4, 0, 3, 1, 2)
    assert not POLICY.is_locked(failures, T0 + timedelta(minutes=3))
    assert POLICY.is_locked(failures, T0 + timedelta(minutes=4))


def test_relevant_since_and_custom_policy() -> None:
    """Pruning horizon is window + lock; a stricter policy locks sooner."""
    assert POLICY.relevant_since(T0) == T0 - timedelta(minutes=30)
    strict = LockoutPolicy(max_failures=2, window=timedelta(minutes=1), lock_for=timedelta(hours=1))
    assert strict.is_locked(minutes(0, 0.5), T0 + timedelta(minutes=50))


def test_invalid_policy_refused() -> None:
    """Zero failures or non-positive durations make no sense."""
    with pytest.raises(ValueError):
        LockoutPolicy(max_failures=0)
    with pytest.raises(ValueError):
        LockoutPolicy(window=timedelta(0))


def brute_force_locked(policy: LockoutPolicy, failures: list[datetime], now: datetime) -> bool:
    """The rule read literally: some failure completes a run and its lock has not ended."""
    past = [t for t in failures if t <= now]
    for completing in past:
        run = [t for t in past if completing - policy.window < t <= completing]
        if len(run) >= policy.max_failures and now < completing + policy.lock_for:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=120), max_size=15),
    st.integers(min_value=0, max_value=150),
    st.integers(min_value=1, max_value=6),
)
def test_sliding_window_matches_the_literal_rule(
    offsets: list[int], now_minute: int, max_failures: int
) -> None:
    """The one-pass sliding window agrees with the rule checked failure by failure."""
    policy = LockoutPolicy(max_failures=max_failures)
    failures = [T0 + timedelta(minutes=m) for m in offsets]
    now = T0 + timedelta(minutes=now_minute)
    assert policy.is_locked(failures, now) == brute_force_locked(policy, failures, now)
