"""Fixtures for the edit tables: the fixture folder and the shipped practitioner table."""

from __future__ import annotations

from pathlib import Path

import pytest

from openrcm.codesets.edits.ptp import PtpTable
from openrcm.codesets.edits.store import load_ptp

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home per test session whose cache holds the compiled shipped practitioner table."""
    return tmp_path_factory.mktemp("edits-home")


@pytest.fixture(scope="session")
def practitioner_ptp(shipped_home: Path) -> PtpTable:
    """The real 2024-07-01 practitioner PTP table (2.5 M pairs), compiled once per session."""
    return load_ptp("practitioner", shipped_home)
