"""Roles and the permission matrix, kept as data so it can be reviewed, printed and tested whole.

The service layer asks one question, ``allowed(user_roles, permission)``; no router or service
decides access by comparing role names. A user holds roles per practice (membership), so the
caller passes the roles of the membership for the practice being touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    """What a person does for a practice."""

    ADMIN = "admin"
    CODER = "coder"
    BILLER = "biller"
    FRONT_DESK = "front_desk"
    AUDITOR = "auditor"


class Permission(StrEnum):
    """One kind of action on one kind of data; ``*_READ`` permissions never change anything."""

    PATIENT_READ = "patient.read"
    PATIENT_WRITE = "patient.write"
    COVERAGE_WRITE = "coverage.write"
    ENCOUNTER_READ = "encounter.read"
    ENCOUNTER_WRITE = "encounter.write"
    CODING_WRITE = "coding.write"
    CHARGE_WRITE = "charge.write"
    CLAIM_READ = "claim.read"
    CLAIM_WRITE = "claim.write"
    CLAIM_SUBMIT = "claim.submit"
    ELIGIBILITY_CHECK = "eligibility.check"
    PAYMENT_POST = "payment.post"
    ADJUSTMENT_WRITE = "adjustment.write"
    LEDGER_READ = "ledger.read"
    PAYER_READ = "payer.read"
    PAYER_WRITE = "payer.write"
    PROVIDER_READ = "provider.read"
    PROVIDER_WRITE = "provider.write"
    FEE_SCHEDULE_READ = "fee_schedule.read"
    FEE_SCHEDULE_WRITE = "fee_schedule.write"
    WORKITEM_READ = "workitem.read"
    WORKITEM_WRITE = "workitem.write"
    STATEMENT_READ = "statement.read"
    STATEMENT_WRITE = "statement.write"
    USER_READ = "user.read"
    AUDIT_READ = "audit.read"
    USER_ADMIN = "user.admin"
    PRACTICE_ADMIN = "practice.admin"

    @property
    def is_read(self) -> bool:
        """True for permissions that only read."""
        return self.value.endswith(".read")


_P = Permission

_READS_FOR_STAFF = frozenset(
    {
        _P.PATIENT_READ,
        _P.ENCOUNTER_READ,
        _P.CLAIM_READ,
        _P.PAYER_READ,
        _P.PROVIDER_READ,
        _P.FEE_SCHEDULE_READ,
        _P.WORKITEM_READ,
    }
)

PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        # Runs the practice: everything, including users and the audit log.
        Role.ADMIN: frozenset(Permission),
        # Turns documentation into codes; does not touch money or claims beyond reading them.
        Role.CODER: _READS_FOR_STAFF
        | {_P.ENCOUNTER_WRITE, _P.CODING_WRITE, _P.CHARGE_WRITE, _P.WORKITEM_WRITE},
        # Works claims and money; does not change practice set-up or users.
        Role.BILLER: _READS_FOR_STAFF
        | {
            _P.PATIENT_WRITE,
            _P.COVERAGE_WRITE,
            _P.CHARGE_WRITE,
            _P.CLAIM_WRITE,
            _P.CLAIM_SUBMIT,
            _P.ELIGIBILITY_CHECK,
            _P.PAYMENT_POST,
            _P.ADJUSTMENT_WRITE,
            _P.LEDGER_READ,
            _P.STATEMENT_READ,
            _P.STATEMENT_WRITE,
            _P.WORKITEM_WRITE,
        },
        # Registers patients and coverage, opens encounters, takes copays at the desk.
        Role.FRONT_DESK: frozenset(
            {
                _P.PATIENT_READ,
                _P.PATIENT_WRITE,
                _P.COVERAGE_WRITE,
                _P.ENCOUNTER_READ,
                _P.ENCOUNTER_WRITE,
                _P.ELIGIBILITY_CHECK,
                _P.PAYER_READ,
                _P.PROVIDER_READ,
                _P.PAYMENT_POST,
                _P.LEDGER_READ,
                _P.STATEMENT_READ,
            }
        ),
        # Reads everything, including the audit log; changes nothing.
        Role.AUDITOR: frozenset(p for p in Permission if p.is_read) | {_P.AUDIT_READ},
    }
)


def permissions_for(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of what the given roles may do."""
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= PERMISSIONS[Role(role)]
    return granted


def allowed(roles: Iterable[Role], permission: Permission) -> bool:
    """True when any of ``roles`` grants ``permission``; unknown role names raise ValueError."""
    return any(Permission(permission) in PERMISSIONS[Role(role)] for role in roles)
