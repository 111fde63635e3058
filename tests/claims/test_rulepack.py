"""Declarative payer rule packs: loading, checking and running them as edits."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.model import Claim
from openrcm.claims.scrub import RulePackError, load_pack, parse_pack, scrubber
from openrcm.findings import Severity
from tests.claims.factories import AS_OF, COVERAGE, PAYER, claim, line

PACK = load_pack(Path(__file__).parent / "fixtures" / "acme_rules.yaml")
SCRUB = scrubber(packs=[PACK])


def codes(c: Claim) -> set[str]:
    return {f.code for f in SCRUB.scrub(c, AS_OF).findings}


def test_pack_loads_with_its_rules() -> None:
    assert PACK.name == "acme-commercial" and PACK.release == "2026-01"
    assert [r.id for r in PACK.rules] == [
        "ACME-TELEHEALTH-95",
        "ACME-NO-COSMETIC",
        "ACME-PA-IMAGING",
        "ACME-PT-UNITS",
    ]
    assert SCRUB.releases["PAYER-ACME-PT-UNITS"] == "2026-01"


def test_requires_modifier_only_for_listed_pos() -> None:
    assert "PAYER-ACME-TELEHEALTH-95" not in codes(claim())
    tele = claim(place_of_service="02")
    assert "PAYER-ACME-TELEHEALTH-95" in codes(tele)
    fixed = claim(place_of_service="02", lines=(line("99213", modifiers=("95",)),))
    assert "PAYER-ACME-TELEHEALTH-95" not in codes(fixed)
    report = SCRUB.scrub(tele, AS_OF)
    f = next(f for f in report.findings if f.code == "PAYER-ACME-TELEHEALTH-95")
    assert f.message == "Acme pays telehealth visits only with modifier 95 or GT."
    assert f.hint == "Add modifier 95." and f.location == {"claim": "ENC1001", "line": 1}


def test_not_covered_is_a_warning_and_only_for_its_payer() -> None:
    c = claim(lines=(line("15781"),))
    report = SCRUB.scrub(c, AS_OF)
    f = next(f for f in report.findings if f.code == "PAYER-ACME-NO-COSMETIC")
    assert f.severity is Severity.WARNING and report.clean
    other = replace(COVERAGE, payer=replace(PAYER, payer_id="OTHER"))
    assert "PAYER-ACME-NO-COSMETIC" not in codes(claim(coverage=other, lines=(line("15781"),)))
    assert "PAYER-ACME-NO-COSMETIC" not in codes(claim(lines=(line("15788"),)))


def test_prior_auth_and_max_units() -> None:
    mri = claim(lines=(line("72141"),))
    assert "PAYER-ACME-PA-IMAGING" in codes(mri)
    assert "PAYER-ACME-PA-IMAGING" not in codes(replace(mri, prior_authorization="PA123"))
    assert "PAYER-ACME-PT-UNITS" in codes(claim(lines=(line("97110", units=Decimal(5)),)))
    assert "PAYER-ACME-PT-UNITS" not in codes(claim(lines=(line("97110", units=Decimal(4)),)))


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        ([], "must be a mapping"),
        ({"rules": [{}]}, "missing 'pack'"),
        ({"pack": "p", "rules": []}, "non-empty list"),
        ({"pack": "p", "rules": [{"id": "A", "kind": "nope"}]}, "rule 1 .*kind must be"),
        ({"pack": "p", "rules": [{"id": "A", "kind": "not_covered", "payers": ["X"]}]}, "no codes"),
        (
            {
                "pack": "p",
                "rules": [{"id": "A", "kind": "not_covered", "payers": ["X"], "codes": ["9-10"]}],
            },
            "bad code range",
        ),
        (
            {
                "pack": "p",
                "rules": [
                    {"id": "A", "kind": "requires_modifier", "payers": ["X"], "codes": ["99213"]}
                ],
            },
            "needs modifiers",
        ),
        (
            {
                "pack": "p",
                "rules": [
                    {
                        "id": "A",
                        "kind": "max_units",
                        "payers": ["X"],
                        "codes": ["99213"],
                        "units": "four",
                    }
                ],
            },
            "whole number",
        ),
        (
            {
                "pack": "p",
                "rules": [
                    {
                        "id": "A",
                        "kind": "not_covered",
                        "payers": ["X"],
                        "codes": ["1"],
                        "colour": "red",
                    }
                ],
            },
            "unknown field",
        ),
        (
            {
                "pack": "p",
                "rules": [{"id": "A", "kind": "not_covered", "payers": ["X"], "codes": ["1"]}] * 2,
            },
            "rule 2: duplicate rule id",
        ),
        ({"pack": "p", "rules": [{"id": "A B", "kind": "not_covered"}]}, "id must be"),
    ],
)
def test_malformed_packs_name_rule_and_field(doc: object, error: str) -> None:
    with pytest.raises(RulePackError, match=error):
        parse_pack(doc, "pack.yaml")


def test_bad_yaml_and_duplicate_pack_ids(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: [unclosed\n")
    with pytest.raises(RulePackError, match=r"bad\.yaml: not valid YAML"):
        load_pack(bad)
    with pytest.raises(RulePackError, match="defined twice"):
        scrubber(packs=[PACK, PACK])
