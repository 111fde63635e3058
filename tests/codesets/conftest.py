"""One compiled ICD-10-CM store per test session (building it takes ~15 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openrcm.codesets.icd10cm import ICD10CM, open_icd10cm


@pytest.fixture(scope="session")
def codeset_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder whose ICD-10-CM store is compiled from the bundled releases."""
    home = tmp_path_factory.mktemp("codeset-home")
    open_icd10cm(home)
    return home


@pytest.fixture(scope="session")
def cm(codeset_home: Path) -> ICD10CM:
    """The bundled FY2025 and FY2026 releases, opened from the compiled store."""
    return open_icd10cm(codeset_home)
