"""Fixtures for services tests: the shared practice fixtures (tests/support/practice.py)."""

from tests.support.practice import client, db, rt, world

__all__ = ["client", "db", "rt", "world"]
