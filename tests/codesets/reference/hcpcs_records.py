"""Writes records in CMS's fixed-width HCPCS layout: how the sample fixture was made."""

from __future__ import annotations

import textwrap
from datetime import date

from openrcm.codesets.reference.hcpcs_fixed import FIELDS, RECORD_LENGTH


def write_record(
    code: str,
    recid: str,
    long: str,
    *,
    short: str = "",
    added: date | None = None,
    term: date | None = None,
    action: str = "N",
    seq: int = 100,
) -> str:
    """One 320-character record with the given fields, blanks elsewhere."""
    record = [" "] * RECORD_LENGTH

    def put(name: str, value: str) -> None:
        start, end = FIELDS[name]
        width = end - start + 1
        record[start - 1 : end] = list(value[:width].ljust(width))

    put("hcpc", code)
    put("seqnum", f"{seq:05d}")
    put("recid", recid)
    put("long", long)
    if recid in ("3", "7"):
        put("short", short)
        put("action", action)
        if added:
            put("added", added.strftime("%Y%m%d"))
        if term:
            put("term", term.strftime("%Y%m%d"))
    return "".join(record)


def sample_records() -> list[str]:
    """The records of fixtures/HCPC2024_JUL_ANWEB_sample.txt (synthetic text, real layout)."""
    long = (
        "Injection, triamcinolone acetonide, not otherwise specified, 10 mg, synthetic test "
        "record that runs past eighty"
    )
    first, rest = textwrap.wrap(long, 80)
    return [
        write_record(
            "J3301", "3", first, short="Triamcinolone acet inj NOS", added=date(2000, 1, 1)
        ),
        write_record("J3301", "4", rest, seq=200),
        write_record(
            "A4397",
            "3",
            "Irrigation supply; sleeve, each",
            short="Irrigation supply sleeve",
            added=date(1990, 1, 1),
            term=date(2021, 12, 31),
            action="D",
        ),
        write_record(
            "KX",
            "7",
            "Requirements specified in the medical policy have been met",
            short="Documentation on file",
        ),
        write_record("KX", "8", "(continued modifier text)", seq=200),
        write_record(
            "G0439",
            "3",
            "Annual wellness visit, includes a personalized prevention plan of service (pps), s",
            short="Ppps, subseq visit",
            added=date(2011, 1, 1),
        ),
    ]
