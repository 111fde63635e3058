"""Procedure codes as small integers, and the dates the edit files use.

NCCI tables hold millions of code pairs. A HCPCS or CPT code is five characters from
``0-9A-Z``, so it is a base-36 number below 36**5 (< 2**26): two of them fit in one 64-bit
key with no interning table to ship or keep in sync. ``int(code, 36)`` does the packing in C.
"""

from __future__ import annotations

from datetime import date

CODE_BITS = 26
"""Bits one packed code takes: 36**5 = 60,466,176 < 2**26."""

NO_END = date(9999, 12, 31)
"""The deletion date of an edit that has not been deleted (CMS writes ``*`` or nothing)."""

NO_END_DAY = NO_END.toordinal()
UNKNOWN_START_DAY = 0
"""Ordinal used when a source gives no effective date: the edit is taken as always in effect."""

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_procedure_code(code: str) -> bool:
    """True when ``code`` has the shape of a HCPCS/CPT code: five ASCII letters or digits."""
    return len(code) == 5 and code.isascii() and code.isalnum()


def pack(code: str) -> int:
    """The code as an integer below 2**26; raises ``ValueError`` for anything not 5 alnum chars.

    ``int()`` alone would accept ``"1_234"`` or ``" 1234"``, hence the shape check first.
    """
    if len(code) != 5 or not code.isascii() or not code.isalnum():
        raise ValueError(f"not a HCPCS/CPT code (5 letters or digits): {code!r}")
    return int(code, 36)


def unpack(number: int) -> str:
    """The five-character code ``pack`` made ``number`` from (upper case)."""
    chars = []
    for _ in range(5):
        number, digit = divmod(number, 36)
        chars.append(_DIGITS[digit])
    return "".join(reversed(chars))


def pair_key(column1: str, column2: str) -> int:
    """One 52-bit integer for an ordered code pair; sorting keys sorts by column 1, then 2."""
    return (pack(column1) << CODE_BITS) | pack(column2)


def parse_date(text: str) -> date | None:
    """A date as the NCCI files write it, or None for "none" (``*``, empty).

    Accepted: ``YYYY-MM-DD``, ``YYYYMMDD``, ``MM/DD/YYYY`` and the Julian ``YYYYDDD`` of the
    add-on code file. ``9999-12-31`` stays a date (the caller compares it to ``NO_END``).

    Raises:
        ValueError: the text is none of these.
    """
    text = text.strip()
    if text in ("", "*"):
        return None
    try:
        return _parse_date(text)
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None


def _parse_date(text: str) -> date:
    if len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text)
    if len(text) == 10 and text[2] == "/":
        month, day, year = text.split("/")
        return date(int(year), int(month), int(day))
    if text.isdigit() and len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and len(text) == 7:
        first = date(int(text[:4]), 1, 1)
        last_day = date(first.year, 12, 31).toordinal() - first.toordinal() + 1
        if not 1 <= int(text[4:]) <= last_day:
            raise ValueError(f"not a Julian date (YYYYDDD): {text!r}")
        return date.fromordinal(first.toordinal() + int(text[4:]) - 1)
    raise ValueError(f"not a date: {text!r}")
