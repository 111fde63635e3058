"""Stable X12 finding codes and the acknowledgment field each one fills.

A clearinghouse reports front-end errors in a 999 (IK3 segment errors, IK4 element errors,
IK5/AK9 verdicts) or, for the envelope itself, a TA1. Mapping each finding code to exactly one
acknowledgment code here makes writing the 999 mechanical and keeps the codes stable: a
program may match on ``X12-ELEM-CODE`` forever.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Which acknowledgment structure reports a finding."""

    SEGMENT = "IK3"  # IK304 segment syntax error code
    ELEMENT = "IK4"  # IK403 element syntax error code
    TRANSACTION = "IK5"  # IK502 transaction set syntax error code
    GROUP = "AK9"  # AK905 functional group syntax error code
    INTERCHANGE = "TA1"  # TA105 interchange note code


# code -> (level, acknowledgment code)
ACK_CODES: dict[str, tuple[Level, str]] = {
    # segment level: IK304
    "X12-SEG-UNRECOGNIZED": (Level.SEGMENT, "1"),
    "X12-SEG-UNEXPECTED": (Level.SEGMENT, "2"),
    "X12-SEG-MISSING": (Level.SEGMENT, "3"),
    "X12-LOOP-MAX": (Level.SEGMENT, "4"),
    "X12-SEG-MAX-USE": (Level.SEGMENT, "5"),
    "X12-SEG-NOT-IN-SET": (Level.SEGMENT, "6"),
    "X12-SEG-NOT-USED": (Level.SEGMENT, "I4"),
    "X12-SEG-SITUATIONAL-MISSING": (Level.SEGMENT, "I6"),
    "X12-SEG-EDIT": (Level.SEGMENT, "8"),
    # element level: IK403
    "X12-ELEM-MISSING": (Level.ELEMENT, "1"),
    "X12-ELEM-COND-MISSING": (Level.ELEMENT, "2"),
    "X12-ELEM-TOO-MANY": (Level.ELEMENT, "3"),
    "X12-ELEM-TOO-SHORT": (Level.ELEMENT, "4"),
    "X12-ELEM-TOO-LONG": (Level.ELEMENT, "5"),
    "X12-ELEM-CHAR": (Level.ELEMENT, "6"),
    "X12-ELEM-CODE": (Level.ELEMENT, "7"),
    "X12-ELEM-DATE": (Level.ELEMENT, "8"),
    "X12-ELEM-TIME": (Level.ELEMENT, "9"),
    "X12-ELEM-EXCLUSION": (Level.ELEMENT, "10"),
    "X12-ELEM-REPEAT": (Level.ELEMENT, "12"),
    "X12-ELEM-COMPONENTS": (Level.ELEMENT, "13"),
    "X12-ELEM-NOT-USED": (Level.ELEMENT, "I10"),
    "X12-ELEM-CODE-NOT-USED": (Level.ELEMENT, "I6"),
    "X12-ELEM-PATTERN": (Level.ELEMENT, "I12"),
    "X12-ELEM-EDIT": (Level.ELEMENT, "I12"),
    "X12-ELEM-SITUATIONAL-MISSING": (Level.ELEMENT, "I9"),
    # NM109 with NM108 = XX failing the NPI check digit: the guide's identifier pattern
    "X12-NPI-CHECK-DIGIT": (Level.ELEMENT, "I12"),
    # transaction set level: IK502
    "X12-ST-UNSUPPORTED": (Level.TRANSACTION, "1"),
    "X12-SE-MISSING": (Level.TRANSACTION, "2"),
    "X12-SE-CONTROL": (Level.TRANSACTION, "3"),
    "X12-SE-COUNT": (Level.TRANSACTION, "4"),
    "X12-ST-SEGMENTS-IN-ERROR": (Level.TRANSACTION, "5"),
    "X12-ST-ID": (Level.TRANSACTION, "6"),
    "X12-ST-CONTROL": (Level.TRANSACTION, "7"),
    "X12-ST-CONTROL-DUP": (Level.TRANSACTION, "23"),
    # a guide openrcm does not hold (an addendum id like 005010X222A2 or a pre-HIPAA id like
    # 005010X279): IK502 I6, implementation convention not supported
    "X12-ST-GUIDE": (Level.TRANSACTION, "I6"),
    # functional group level: AK905
    "X12-GS-UNSUPPORTED": (Level.GROUP, "1"),
    "X12-GS-VERSION": (Level.GROUP, "2"),
    "X12-GE-MISSING": (Level.GROUP, "3"),
    "X12-GE-CONTROL": (Level.GROUP, "4"),
    "X12-GE-COUNT": (Level.GROUP, "5"),
    "X12-GS-CONTROL": (Level.GROUP, "6"),
    "X12-GS-CONTROL-DUP": (Level.GROUP, "19"),
    # interchange level: TA105
    "X12-IEA-CONTROL": (Level.INTERCHANGE, "001"),
    "X12-ISA-STANDARD": (Level.INTERCHANGE, "002"),
    "X12-ISA-VERSION": (Level.INTERCHANGE, "017"),
    "X12-ISA-TERMINATOR": (Level.INTERCHANGE, "004"),
    "X12-ISA-SENDER-QUAL": (Level.INTERCHANGE, "005"),
    "X12-ISA-SENDER": (Level.INTERCHANGE, "006"),
    "X12-ISA-RECEIVER-QUAL": (Level.INTERCHANGE, "007"),
    "X12-ISA-RECEIVER": (Level.INTERCHANGE, "008"),
    "X12-ISA-AUTH-QUAL": (Level.INTERCHANGE, "010"),
    "X12-ISA-AUTH": (Level.INTERCHANGE, "011"),
    "X12-ISA-SECURITY-QUAL": (Level.INTERCHANGE, "012"),
    "X12-ISA-SECURITY": (Level.INTERCHANGE, "013"),
    "X12-ISA-DATE": (Level.INTERCHANGE, "014"),
    "X12-ISA-TIME": (Level.INTERCHANGE, "015"),
    "X12-ISA-CONTROL": (Level.INTERCHANGE, "018"),
    "X12-ISA-ACK-REQUESTED": (Level.INTERCHANGE, "019"),
    "X12-ISA-USAGE": (Level.INTERCHANGE, "020"),
    "X12-IEA-COUNT": (Level.INTERCHANGE, "021"),
    "X12-ISA-STRUCTURE": (Level.INTERCHANGE, "022"),
    "X12-IEA-MISSING": (Level.INTERCHANGE, "023"),
    "X12-ISA-CONTENT": (Level.INTERCHANGE, "024"),
    "X12-ISA-ELEMENT-SEP": (Level.INTERCHANGE, "026"),
    "X12-ISA-COMPONENT-SEP": (Level.INTERCHANGE, "027"),
}


def ack_code(code: str) -> tuple[Level, str] | None:
    """The acknowledgment level and code for a finding code, None for non-X12 codes."""
    return ACK_CODES.get(code)
