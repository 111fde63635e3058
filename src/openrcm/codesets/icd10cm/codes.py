"""The shape of an ICD-10-CM code: normalising user input and checking the form.

Users type ``e1122``, ``E11.22`` or ``e11.22 ``; the tabular list writes codes with a dot after
the third character. Everything inside the package uses the tabular form.
"""

from __future__ import annotations

import re

from openrcm.codesets.icd10cm.errors import MalformedCode

# Letter, digit, alphanumeric, then up to four alphanumerics (the 7th may be a letter).
_FORM = re.compile(r"^[A-Z][0-9][0-9A-Z](?:[0-9A-Z]{1,4})?$")


def normalize(text: str) -> str:
    """Return ``text`` in tabular form (``E11.22``) or raise ``MalformedCode`` saying why.

    A trailing ``-`` (the index's "incomplete code" mark, ``C79.8-``) is not accepted here:
    callers that read the index strip it themselves.
    """
    raw = text.strip().upper()
    compact = raw.replace(".", "", 1) if raw.count(".") <= 1 else raw
    if not compact:
        raise MalformedCode("empty code", hint="give a code such as E11.22")
    if "." in raw and raw.index(".") != 3:
        raise MalformedCode(
            f"malformed code {text.strip()!r}: the dot must follow the third character",
            hint="write the code as E11.22 or E1122",
        )
    if not _FORM.match(compact):
        raise MalformedCode(
            f"malformed code {text.strip()!r}: an ICD-10-CM code is a letter, a digit, one "
            "more character, then up to four more (3 to 7 characters)",
            hint="write the code as E11.22 or E1122",
        )
    return compact if len(compact) == 3 else f"{compact[:3]}.{compact[3:]}"


def compact(code: str) -> str:
    """The code without its dot, as X12 837 claims carry it (``E1122``)."""
    return code.replace(".", "")


def is_well_formed(text: str) -> bool:
    """True when ``normalize`` would accept ``text``."""
    try:
        normalize(text)
    except MalformedCode:
        return False
    return True
