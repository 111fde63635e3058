"""Checks for the identifiers billing depends on: NPI, tax id, taxonomy, codes, modifiers.

Pure functions: they say whether a value is well formed; the schemas call them so bad input is
refused at the edge with the field named.
"""

from __future__ import annotations

import re

_NPI_PREFIX = "80840"  # ISO 7812 prefix for US health identifiers: part of the NPI check digit
ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")
PROCEDURE = re.compile(r"^(\d{4}[0-9FTU]|[A-V]\d{4})$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
TAXONOMY = re.compile(r"^\d{3}[0-9A-Z]{6}X$")
TAX_ID = re.compile(r"^\d{9}$")
POS = re.compile(r"^\d{2}$")


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (doubling from the rightmost digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def npi_check_digit(first_nine: str) -> int:
    """The check digit of an NPI whose first nine digits are given (prefix 80840 applied)."""
    return luhn_check_digit(_NPI_PREFIX + first_nine)


def is_valid_npi(npi: str) -> bool:
    """Ten digits, first digit 1 or 2, last digit the Luhn check over 80840 + first nine."""
    return (len(npi) == 10 and npi.isdigit() and npi[0] in "12"
            and npi_check_digit(npi[:9]) == int(npi[9]))


def normalize_icd10(code: str) -> str:
    """ICD-10-CM as stored: upper case, no dot (the 837 writes it that way)."""
    return code.strip().upper().replace(".", "")
