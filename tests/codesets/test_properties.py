"""Properties over the whole FY2026 release: children, 7th characters, billable flags agree."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrcm.codesets.icd10cm import ICD10CM, open_icd10cm
from openrcm.codesets.icd10cm.release import Resolved

FY26 = date(2026, 3, 1)
_FIXTURE_OK = [HealthCheck.function_scoped_fixture]
_LEAVES: list[str] = []


def _codes(cm: ICD10CM) -> list[str]:
    return sorted(cm.tabular(FY26).node_codes())


@settings(max_examples=60, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(data=st.data())
def test_every_child_is_valid_and_billable_iff_leaf(cm: ICD10CM, data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(_codes(cm)))
    info = cm.lookup(code, on=FY26)
    tab = cm.tabular(FY26)
    assert info.billable == tab.is_billable(Resolved(code, code, ""))
    for child in info.children:
        v = cm.validate(child.code, on=FY26)
        assert v.status == ("billable" if child.billable else "not-billable"), child
        assert cm.lookup(child.code, on=FY26).parents[-1].code == code
    if info.billable:
        assert info.children == ()
    else:
        assert info.children, code
        assert all(d.billable for d in cm.billable_descendants(code, on=FY26, limit=50))


@settings(max_examples=60, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(data=st.data())
def test_generated_seventh_codes_round_trip(cm: ICD10CM, data: st.DataObject) -> None:
    tab = cm.tabular(FY26)
    if not _LEAVES:
        _LEAVES.extend(c for c in _codes(cm) if tab.needs_seventh(c))
    base = data.draw(st.sampled_from(_LEAVES))
    for full in tab.generated(base):
        assert len(full.replace(".", "")) == 7
        res = tab.resolve(full)
        assert res is not None and res.base == base
        assert cm.validate(full.lower().replace(".", ""), on=FY26).ok
    options = {c for c, _ in tab.seventh_chars(base)}
    bad_char = next(c for c in "0123456789ABCDEFGHJKLMNPQRSTUVWZ" if c not in options)
    wrong = base.replace(".", "").ljust(6, "X") + bad_char
    assert cm.validate(wrong, on=FY26).reason_code == "ICD10CM-SEVENTH-INVALID"


def test_open_twice_shares_nothing_mutable(codeset_home: object) -> None:
    from pathlib import Path

    assert isinstance(codeset_home, Path)
    a, b = open_icd10cm(codeset_home), open_icd10cm(codeset_home)
    assert a.lookup("I10").title == b.lookup("I10").title == "Essential (primary) hypertension"
