"""Checks for the identifiers billing depends on: NPI, tax id, taxonomy, codes, modifiers.

Pure functions: they say whether a value is well formed; the schemas call them so bad input is
refused at the edge with the field named.
"""

from __future__ import annotations

import re

from openrcm.x12.edits.npi import npi_valid

ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")
PROCEDURE = re.compile(r"^(\d{4}[0-9FTU]|[A-V]\d{4})$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
TAXONOMY = re.compile(r"^\d{3}[0-9A-Z]{6}X$")
TAX_ID = re.compile(r"^\d{9}$")
POS = re.compile(r"^\d{2}$")


def is_valid_npi(npi: str) -> bool:
    """An NPI the NPPES could issue: first digit 1 or 2 and a right check digit."""
    return npi[:1] in ("1", "2") and npi_valid(npi)


def normalize_icd10(code: str) -> str:
    """ICD-10-CM as stored: upper case, no dot (the 837 writes it that way)."""
    return code.strip().upper().replace(".", "")
