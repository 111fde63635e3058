"""The permission matrix: every role × permission decided, written out here independently."""

from __future__ import annotations

import pytest

from openrcm.security.roles import PERMISSIONS, Permission, Role, allowed, permissions_for

# Columns: admin, coder, biller, front_desk, auditor. "x" = allowed, "." = refused.
EXPECTED = """
patient.read        x x x x x
patient.write       x . x x .
coverage.write      x . x x .
encounter.read      x x x x x
encounter.write     x x . x .
coding.write        x x . . .
charge.write        x x x . .
claim.read          x x x . x
claim.write         x . x . .
claim.submit        x . x . .
eligibility.check   x . x x .
payment.post        x . x x .
adjustment.write    x . x . .
ledger.read         x . x x x
payer.read          x x x x x
payer.write         x . . . .
provider.read       x x x x x
provider.write      x . . . .
fee_schedule.read   x x x . x
fee_schedule.write  x . . . .
workitem.read       x x x . x
workitem.write      x x x . .
statement.read      x . x x x
statement.write     x . x . .
user.read           x . . . x
audit.read          x . . . x
user.admin          x . . . .
practice.admin      x . . . .
"""
COLUMNS = (Role.ADMIN, Role.CODER, Role.BILLER, Role.FRONT_DESK, Role.AUDITOR)


def expected_matrix() -> dict[tuple[Role, Permission], bool]:
    matrix: dict[tuple[Role, Permission], bool] = {}
    for line in EXPECTED.strip().splitlines():
        name, *marks = line.split()
        for role, mark in zip(COLUMNS, marks, strict=True):
            matrix[(role, Permission(name))] = mark == "x"
    return matrix


def test_table_covers_every_role_and_permission() -> None:
    """The expected table decides every pair, so a new permission must be placed deliberately."""
    matrix = expected_matrix()
    assert {p for _, p in matrix} == set(Permission)
    assert {r for r, _ in matrix} == set(Role)
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "permission"), sorted(expected_matrix(), key=str))
def test_every_pair(role: Role, permission: Permission) -> None:
    """The code's matrix agrees with the table for this role and permission."""
    assert expected_matrix()[(role, permission)] == allowed([role], permission)


def test_auditor_is_read_only_with_audit_access() -> None:
    """The auditor holds every read permission, the audit log, and nothing that writes."""
    granted = PERMISSIONS[Role.AUDITOR]
    assert Permission.AUDIT_READ in granted
    assert all(p.is_read for p in granted)
    assert {p for p in Permission if p.is_read} <= granted


def test_roles_combine_by_union() -> None:
    """Holding coder and front_desk gives what either gives, and no more."""
    both = permissions_for([Role.CODER, Role.FRONT_DESK])
    assert both == PERMISSIONS[Role.CODER] | PERMISSIONS[Role.FRONT_DESK]
    assert allowed([Role.CODER, Role.FRONT_DESK], Permission.PAYMENT_POST)
    assert not allowed([Role.CODER, Role.FRONT_DESK], Permission.CLAIM_SUBMIT)
    assert not allowed([], Permission.PATIENT_READ)


def test_role_names_as_strings_and_unknown_roles() -> None:
    """Stored role names work; an unknown name is an error, not a silent refusal."""
    assert allowed(["biller"], Permission.CLAIM_SUBMIT)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        allowed(["janitor"], Permission.PATIENT_READ)  # type: ignore[list-item]
