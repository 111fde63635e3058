"""Where every box of the paper claim forms is, as data.

Both forms are printed on US Letter in a fixed character grid of 10 characters per inch and
6 lines per inch (66 lines of 85 columns), the way practice-management systems have always
filled the preprinted red forms. A field is (line, column, width) in that grid, 1-based;
``point`` turns that into PDF points. Checkbox options are fields of width 1 whose value is
``X``. Service-line fields are given once with their column; the renderer adds the row of
each line.

The tables here drive both flavours: the data-only print aligned to the preprinted form, and
the review form that draws each field's box and label around the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_WIDTH = 612.0
PAGE_HEIGHT = 792.0
#: Character pitch (10 per inch) and line pitch (6 per inch), in points.
CHAR = 7.2
LINE = 12.0
#: Left edge of column 1, in points.
LEFT = 18.0


def point(line: int, col: int) -> tuple[float, float]:
    """The baseline origin of the character cell at (line, col)."""
    return LEFT + (col - 1) * CHAR, PAGE_HEIGHT - line * LINE + 3.0


@dataclass(frozen=True, slots=True)
class Field:
    """One printable field: box number, label for the review form, grid position, width."""

    key: str
    label: str
    line: int
    col: int
    width: int


def _f(key: str, label: str, line: int, col: int, width: int) -> Field:
    return Field(key, label, line, col, width)


def _boxes(prefix: str, line: int, options: dict[str, tuple[int, str]]) -> list[Field]:
    return [_f(f"{prefix}.{opt}", label, line, col, 1) for opt, (col, label) in options.items()]


#: CMS-1500 (02/12) header and footer fields.
CMS1500: tuple[Field, ...] = tuple(
    [
        _f("carrier.name", "CARRIER", 2, 41, 31),
        _f("carrier.line1", "", 3, 41, 31),
        _f("carrier.city", "", 4, 41, 31),
        *_boxes(
            "1",
            8,
            {
                "MB": (1, "MEDICARE"),
                "MC": (8, "MEDICAID"),
                "CH": (15, "TRICARE"),
                "VA": (24, "CHAMPVA"),
                "CI": (31, "GROUP HEALTH PLAN"),
                "FECA": (39, "FECA"),
                "OT": (45, "OTHER"),
            },
        ),
        _f("1a", "1a. INSURED'S I.D. NUMBER", 8, 50, 29),
        _f("2", "2. PATIENT'S NAME (Last, First, MI)", 10, 1, 28),
        _f("3.dob", "3. PATIENT'S BIRTH DATE", 10, 31, 10),
        *_boxes("3", 10, {"M": (42, "M"), "F": (47, "F")}),
        _f("4", "4. INSURED'S NAME (Last, First, MI)", 10, 50, 29),
        _f("5.street", "5. PATIENT'S ADDRESS (No., Street)", 12, 1, 28),
        *_boxes(
            "6",
            12,
            {
                "self": (33, "Self"),
                "spouse": (38, "Spouse"),
                "child": (42, "Child"),
                "other": (47, "Other"),
            },
        ),
        _f("7.street", "7. INSURED'S ADDRESS (No., Street)", 12, 50, 29),
        _f("5.city", "CITY", 14, 1, 24),
        _f("5.state", "STATE", 14, 26, 3),
        _f("7.city", "CITY", 14, 50, 23),
        _f("7.state", "STATE", 14, 74, 3),
        _f("5.zip", "ZIP CODE", 16, 1, 12),
        _f("7.zip", "ZIP CODE", 16, 50, 12),
        _f("9", "9. OTHER INSURED'S NAME", 18, 1, 28),
        _f("11", "11. INSURED'S POLICY GROUP OR FECA NUMBER", 18, 50, 29),
        _f("9a", "a. OTHER INSURED'S POLICY OR GROUP NUMBER", 20, 1, 28),
        *_boxes("10a", 20, {"Y": (35, "YES"), "N": (41, "NO")}),
        _f("11a.dob", "a. INSURED'S DATE OF BIRTH", 20, 52, 10),
        *_boxes("11a", 20, {"M": (68, "M"), "F": (75, "F")}),
        *_boxes("10b", 22, {"Y": (35, "YES"), "N": (41, "NO")}),
        _f("10b.state", "PLACE (State)", 22, 45, 2),
        _f("11b", "b. OTHER CLAIM ID", 22, 50, 29),
        *_boxes("10c", 24, {"Y": (35, "YES"), "N": (41, "NO")}),
        _f("11c", "c. INSURANCE PLAN NAME OR PROGRAM NAME", 24, 50, 29),
        _f("9d", "d. INSURANCE PLAN NAME OR PROGRAM NAME", 26, 1, 28),
        *_boxes("11d", 26, {"Y": (52, "YES"), "N": (57, "NO")}),
        _f("12", "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE", 29, 7, 20),
        _f("13", "13. INSURED'S SIGNATURE", 29, 55, 20),
        _f("14", "14. DATE OF CURRENT ILLNESS", 32, 2, 10),
        _f("14.qual", "QUAL", 32, 14, 3),
        _f("17", "17. NAME OF REFERRING PROVIDER", 34, 1, 27),
        _f("17b", "17b. NPI", 34, 33, 10),
        _f("19", "19. ADDITIONAL CLAIM INFORMATION", 36, 1, 48),
        _f("21.ind", "ICD Ind.", 37, 45, 1),
        *[
            _f(f"21.{letter}", f"{letter}.", 38 + i // 4, 3 + (i % 4) * 12, 8)
            for i, letter in enumerate("ABCDEFGHIJKL")
        ],
        _f("22.code", "22. RESUBMISSION CODE", 38, 50, 11),
        _f("22.ref", "ORIGINAL REF. NO.", 38, 62, 17),
        _f("23", "23. PRIOR AUTHORIZATION NUMBER", 40, 50, 29),
        _f("25", "25. FEDERAL TAX I.D. NUMBER", 56, 1, 15),
        *_boxes("25", 56, {"SSN": (17, "SSN"), "EIN": (19, "EIN")}),
        _f("26", "26. PATIENT'S ACCOUNT NO.", 56, 23, 14),
        *_boxes("27", 56, {"Y": (38, "YES"), "N": (43, "NO")}),
        _f("28", "28. TOTAL CHARGE", 56, 50, 10),
        _f("29", "29. AMOUNT PAID", 56, 61, 9),
        _f("31", "31. SIGNATURE OF PHYSICIAN OR SUPPLIER", 59, 1, 20),
        _f("31.date", "DATE", 61, 1, 10),
        _f("32.name", "32. SERVICE FACILITY LOCATION INFORMATION", 58, 23, 26),
        _f("32.street", "", 59, 23, 26),
        _f("32.city", "", 60, 23, 26),
        _f("32a", "a. NPI", 61, 23, 10),
        _f("33.name", "33. BILLING PROVIDER INFO & PH #", 58, 50, 29),
        _f("33.street", "", 59, 50, 29),
        _f("33.city", "", 60, 50, 29),
        _f("33a", "a. NPI", 61, 50, 10),
        _f("33b", "b.", 61, 62, 17),
    ]
)

#: CMS-1500 service line fields (24A-24J): column and width; the main row of line k (1-6)
#: is ``CMS1500_FIRST_ROW + 2 * (k - 1)``, and ``shaded`` fields go one row above it.
CMS1500_FIRST_ROW = 44
CMS1500_LINES_PER_PAGE = 6
CMS1500_LINE: tuple[Field, ...] = (
    _f("24a.from", "24A. FROM", 0, 1, 8),
    _f("24a.to", "TO", 0, 10, 8),
    _f("24b", "B. POS", 0, 19, 2),
    _f("24c", "C. EMG", 0, 22, 1),
    _f("24d.code", "D. CPT/HCPCS", 0, 25, 6),
    _f("24d.mods", "MODIFIER", 0, 32, 11),
    _f("24e", "E. DX PTR", 0, 44, 4),
    _f("24f", "F. $ CHARGES", 0, 49, 9),
    _f("24g", "G. UNITS", 0, 59, 3),
    _f("24h", "H.", 0, 63, 1),
    _f("24j", "J. RENDERING PROVIDER ID. #", 0, 68, 11),
)
CMS1500_SHADED: tuple[Field, ...] = (
    _f("24.ndc", "", 0, 1, 40),
    _f("24i", "I. QUAL", 0, 65, 2),
)


def _down(fields: list[Field], lines: int) -> tuple[Field, ...]:
    return tuple(Field(f.key, f.label, f.line + lines, f.col, f.width) for f in fields)


def _code_table(
    boxes: tuple[str, ...],
    rows: str,
    line: int,
    col: int,
    step: int,
    parts: tuple[tuple[str, str, int, int], ...],
) -> list[Field]:
    """A UB-04 code table (FL31-36, 39-41): box ``b`` row ``r`` part ``p`` is key ``br.p``;
    boxes sit ``step`` columns apart, rows one line apart, and ``parts`` are (key, label on
    the first row, column offset, width)."""
    return [
        _f(
            f"{box}{sfx}.{key}",
            label.format(box=box) if not row else "",
            line + row,
            col + i * step + offset,
            width,
        )
        for i, box in enumerate(boxes)
        for row, sfx in enumerate(rows)
        for key, label, offset, width in parts
    ]


#: UB-04 (CMS-1450) header and footer form locators (the form's first print line is the
#: second line of the page).
UB04: tuple[Field, ...] = _down(
    [
        _f("1.name", "1 BILLING PROVIDER", 1, 1, 25),
        _f("1.street", "", 2, 1, 25),
        _f("1.city", "", 3, 1, 25),
        _f("3a", "3a PAT. CNTL #", 1, 53, 22),
        _f("3b", "b. MED. REC. #", 2, 53, 22),
        _f("4", "4 TYPE OF BILL", 1, 77, 4),
        _f("5", "5 FED. TAX NO.", 4, 53, 10),
        _f("6.from", "6 FROM", 4, 64, 6),
        _f("6.to", "THROUGH", 4, 71, 6),
        _f("8", "8 PATIENT NAME", 6, 1, 28),
        _f("9.street", "9 PATIENT ADDRESS", 5, 38, 40),
        _f("9.city", "", 6, 38, 30),
        _f("9.state", "", 6, 70, 2),
        _f("9.zip", "", 6, 73, 8),
        _f("10", "10 BIRTHDATE", 8, 1, 8),
        _f("11", "11 SEX", 8, 11, 1),
        _f("12", "12 ADMIT", 8, 13, 6),
        _f("13", "13 HR", 8, 20, 2),
        _f("14", "14 TYPE", 8, 23, 1),
        _f("15", "15 SRC", 8, 25, 1),
        _f("16", "16 DHR", 8, 27, 2),
        _f("17", "17 STAT", 8, 30, 2),
        *[
            _f(str(n), "18-28 CONDITION CODES" if n == 18 else "", 8, 33 + (n - 18) * 3, 2)
            for n in range(18, 29)
        ],
        *_code_table(
            ("31", "32", "33", "34"),
            "ab",
            11,
            1,
            10,
            (("code", "{box} OCCURRENCE CODE", 0, 2), ("date", "DATE", 3, 6)),
        ),
        *_code_table(
            ("35", "36"),
            "ab",
            11,
            41,
            18,
            (
                ("code", "{box} OCCURRENCE SPAN", 0, 2),
                ("from", "FROM", 3, 6),
                ("to", "THROUGH", 10, 6),
            ),
        ),
        *_code_table(
            ("39", "40", "41"),
            "abcd",
            14,
            42,
            13,
            (("code", "{box} VALUE CODES", 0, 2), ("amount", "AMOUNT", 3, 9)),
        ),
        _f("38.name", "38 RESPONSIBLE PARTY", 14, 1, 40),
        _f("38.street", "", 15, 1, 40),
        _f("38.city", "", 16, 1, 40),
        _f("page", "PAGE", 45, 6, 8),
        _f("45.created", "CREATION DATE", 45, 46, 6),
        _f("47.total", "TOTALS", 45, 61, 9),
        *[
            f
            for i, sfx in enumerate("ABC")
            for f in (
                _f(f"50{sfx}", "50 PAYER NAME" if i == 0 else "", 47 + i, 1, 23),
                _f(f"51{sfx}", "51 HEALTH PLAN ID" if i == 0 else "", 47 + i, 25, 15),
                _f(f"52{sfx}", "52" if i == 0 else "", 47 + i, 41, 1),
                _f(f"53{sfx}", "53" if i == 0 else "", 47 + i, 44, 1),
                _f(f"54{sfx}", "54 PRIOR PAYMENTS" if i == 0 else "", 47 + i, 46, 10),
                _f(f"58{sfx}", "58 INSURED'S NAME" if i == 0 else "", 51 + i, 1, 25),
                _f(f"59{sfx}", "59 P.REL" if i == 0 else "", 51 + i, 27, 2),
                _f(f"60{sfx}", "60 INSURED'S UNIQUE ID" if i == 0 else "", 51 + i, 30, 20),
                _f(f"62{sfx}", "62 INSURANCE GROUP NO." if i == 0 else "", 51 + i, 64, 17),
                _f(f"63{sfx}", "63 TREATMENT AUTHORIZATION CODES" if i == 0 else "", 55 + i, 1, 26),
                _f(f"64{sfx}", "64 DOCUMENT CONTROL NUMBER" if i == 0 else "", 55 + i, 28, 26),
            )
        ],
        _f("56", "56 NPI", 46, 71, 10),
        _f("66", "66 DX", 58, 1, 1),
        _f("67", "67 PRINCIPAL DX", 58, 2, 8),
        *[
            _f(f"67{letter}", letter, 58 + (i + 1) // 9, 2 + ((i + 1) % 9) * 9, 8)
            for i, letter in enumerate("ABCDEFGHIJKLMNOPQ")
        ],
        _f("69", "69 ADMIT DX", 61, 5, 7),
        _f("76.npi", "76 ATTENDING NPI", 62, 57, 11),
        _f("76.name", "", 63, 53, 28),
        _f("77.npi", "77 OPERATING NPI", 64, 57, 11),
        _f("77.name", "", 65, 53, 28),
        _f("80", "80 REMARKS", 64, 1, 24),
        _f("81", "81 CC", 64, 27, 14),
    ],
    1,
)

#: UB-04 service lines (FL 42-48): 22 rows per page starting at line 23.
UB04_FIRST_ROW = 24
UB04_LINES_PER_PAGE = 22
UB04_LINE: tuple[Field, ...] = (
    _f("42", "42 REV. CD.", 0, 1, 4),
    _f("43", "43 DESCRIPTION", 0, 6, 24),
    _f("44", "44 HCPCS / RATE / HIPPS CODE", 0, 31, 14),
    _f("45", "45 SERV. DATE", 0, 46, 6),
    _f("46", "46 SERV. UNITS", 0, 53, 7),
    _f("47", "47 TOTAL CHARGES", 0, 61, 9),
    _f("48", "48 NON-COVERED CHARGES", 0, 71, 9),
)
