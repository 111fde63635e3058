"""Every code the coding guideline rules propose from their tables (personal and family
history, the hypertension combinations) is a billable ICD-10-CM code in the shipped release:
a typo or a retired code in ``coding/data/guidelines.yaml`` would otherwise only surface as a
set-aside suggestion."""

from __future__ import annotations

from datetime import date

from openrcm.codesets.icd10cm import ICD10CM
from openrcm.coding.guidelines import guideline_data


def test_guideline_tables_propose_billable_codes(cm: ICD10CM) -> None:
    data = guideline_data()
    targets = {row["code"] for table in ("personal_history", "family_history")
               for row in data[table]}
    htn = data["hypertension"]
    targets |= {htn["essential"], *htn["heart"].values(), *htn["kidney"].values(),
                *htn["heart_and_kidney"].values()}
    assert "Z86.0100" in targets  # colon polyps (D12 and K63.5)
    wrong = {code: cm.validate(code, on=date(2026, 3, 1)).status for code in sorted(targets)}
    assert {c: s for c, s in wrong.items() if s != "billable"} == {}
