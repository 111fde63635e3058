"""Fixtures for the store tests (shared with services and api through tests.store.fixtures)."""

from tests.store.fixtures import db

__all__ = ["db"]
