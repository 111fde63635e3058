"""Well-formedness of the identifiers and addresses on a claim.

Each function answers one yes/no question so the edits stay one line each, and the results of
the costly ones are cached: the same few providers appear on thousands of claims.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openrcm.x12.edits.npi import npi_valid as x12_npi_valid

#: USPS state, district and territory codes accepted in N402 (and military "states").
STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
        "FM",
        "MH",
        "PW",
        "AA",
        "AE",
        "AP",
    ]
)

_PO_BOX = re.compile(r"\b(P\.?\s*O\.?\s*BOX|POST\s+OFFICE\s+BOX|POB\s|LOCK\s*BOX)\b", re.I)
_PROCEDURE = re.compile(r"[0-9]{4}[0-9A-Z]|[A-Z][0-9]{4}")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_ICD10CM = re.compile(r"[A-Z][0-9][0-9A-Z]([0-9A-Z]{1,4})?")


#: NPI check digit (Luhn over the prefix 80840), the X12 engine's own rule, cached here
#: because the scrubber asks it for every provider of every claim.
npi_valid = lru_cache(maxsize=65536)(x12_npi_valid)


def tax_id_valid(tax_id: str, kind: str) -> bool:
    """EIN: 9 digits with an IRS campus prefix (not 00, 07-09, 17-19, 28, 29, 49, 69, 70, 78,
    79, 89, 96, 97). SSN: 9 digits, area not 000/666/9xx, group and serial not zero."""
    if len(tax_id) != 9 or not tax_id.isdigit():
        return False
    if kind == "EI":
        return tax_id[:2] not in {
            "00",
            "07",
            "08",
            "09",
            "17",
            "18",
            "19",
            "28",
            "29",
            "49",
            "69",
            "70",
            "78",
            "79",
            "89",
            "96",
            "97",
        }
    if kind == "SY":
        area, group, serial = tax_id[:3], tax_id[3:5], tax_id[5:]
        return not (area in {"000", "666"} or area[0] == "9" or group == "00" or serial == "0000")
    return False


def zip_valid(zip_code: str) -> bool:
    """Five or nine digits, no hyphen (N403)."""
    return len(zip_code) in (5, 9) and zip_code.isdigit()


@lru_cache(maxsize=16384)
def is_po_box(line: str) -> bool:
    """True for a post-office or lock box (not allowed as the 837 billing provider address)."""
    return _PO_BOX.search(line) is not None


@lru_cache(maxsize=65536)
def procedure_well_formed(code: str) -> bool:
    """CPT (five digits, or four digits and F/T/U/M/A) or HCPCS Level II (letter + 4 digits)."""
    return _PROCEDURE.fullmatch(code) is not None


@lru_cache(maxsize=4096)
def modifier_well_formed(code: str) -> bool:
    """Two letters or digits."""
    return _MODIFIER.fullmatch(code) is not None


@lru_cache(maxsize=65536)
def icd10cm_well_formed(code: str) -> bool:
    """Letter, digit, alphanumeric, then up to four more (without the period)."""
    return _ICD10CM.fullmatch(code) is not None
