"""Shared fixtures for the x12 tests: sample files by folder."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def sample(folder: str, name: str) -> bytes:
    """The bytes of one fixture file."""
    return (FIXTURES / folder / name).read_bytes()


def samples(folder: str) -> list[Path]:
    """Every fixture file of one folder, sorted."""
    return sorted(p for p in (FIXTURES / folder).iterdir() if p.suffix != ".md")
