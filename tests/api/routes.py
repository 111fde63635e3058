"""The expected permission of every practice endpoint, and how to call each one validly.

The tests compare this table with the application's OpenAPI route table, so an endpoint added
without an entry here fails the suite instead of escaping the permission, tenancy and audit
checks.
"""

from __future__ import annotations

import re
from typing import Any

from openrcm.security.roles import Permission as P
from tests.api.world import DEMO_NAMES

BASE = "/api/practices/{practice_id}"
R = "/{record_id}"

# (method, path) -> (permission or None for "any member", reads PHI (audited read))
EXPECTED: dict[tuple[str, str], tuple[P | None, bool]] = {
    ("get", BASE): (None, False),
    ("get", f"{BASE}/audit/events"): (P.AUDIT_READ, False),
}


def _crud(path: str, read: P, write: P, *, phi: bool, put: bool = True, delete: bool = False
          ) -> None:
    full = BASE + path
    EXPECTED[("post", full)] = (write, False)
    EXPECTED[("get", full)] = (read, phi)
    EXPECTED[("get", full + R)] = (read, phi)
    if put:
        EXPECTED[("put", full + R)] = (write, False)
    if delete:
        EXPECTED[("delete", full + R)] = (write, False)


_crud("/locations", P.PROVIDER_READ, P.PRACTICE_ADMIN, phi=False, delete=True)
_crud("/providers", P.PROVIDER_READ, P.PROVIDER_WRITE, phi=False)
_crud("/payers", P.PAYER_READ, P.PAYER_WRITE, phi=False)
_crud("/payers/{parent_id}/plans", P.PAYER_READ, P.PAYER_WRITE, phi=False, delete=True)
_crud("/patients", P.PATIENT_READ, P.PATIENT_WRITE, phi=True)
_crud("/patients/{parent_id}/coverages", P.PATIENT_READ, P.COVERAGE_WRITE, phi=True)
_crud("/encounters", P.ENCOUNTER_READ, P.ENCOUNTER_WRITE, phi=True)
_crud("/encounters/{parent_id}/documents", P.ENCOUNTER_READ, P.ENCOUNTER_WRITE, phi=True,
      put=False)
_crud("/encounters/{parent_id}/diagnoses", P.ENCOUNTER_READ, P.CODING_WRITE, phi=True,
      delete=True)
_crud("/encounters/{parent_id}/charges", P.ENCOUNTER_READ, P.CHARGE_WRITE, phi=True)
_crud("/fee-schedules", P.FEE_SCHEDULE_READ, P.FEE_SCHEDULE_WRITE, phi=False)
_crud("/fee-schedules/{parent_id}/items", P.FEE_SCHEDULE_READ, P.FEE_SCHEDULE_WRITE, phi=False,
      delete=True)
_crud("/work-items", P.WORKITEM_READ, P.WORKITEM_WRITE, phi=True)
_crud("/remittances", P.LEDGER_READ, P.PAYMENT_POST, phi=False, put=False)
EXPECTED.update({
    ("post", f"{BASE}/encounters/{{parent_id}}/charges/{{record_id}}/finalize"):
        (P.CHARGE_WRITE, False),
    ("post", f"{BASE}/claims"): (P.CLAIM_WRITE, False),
    ("get", f"{BASE}/claims"): (P.CLAIM_READ, True),
    ("get", f"{BASE}/claims/{{claim_id}}"): (P.CLAIM_READ, True),
    ("post", f"{BASE}/claims/{{claim_id}}/transitions"): (P.CLAIM_WRITE, False),
    ("get", f"{BASE}/patients/{{patient_id}}/account"): (P.LEDGER_READ, True),
    ("post", f"{BASE}/patients/search"): (P.PATIENT_READ, True),
    ("post", f"{BASE}/patients/{{patient_id}}/statements"): (P.STATEMENT_WRITE, False),
    ("get", f"{BASE}/patients/{{patient_id}}/statements"): (P.STATEMENT_READ, True),
    ("get", f"{BASE}/members"): (P.USER_READ, False),
    ("post", f"{BASE}/patients/{{patient_id}}/reversals"): (P.ADJUSTMENT_WRITE, False),
    ("get", f"{BASE}/ledger/aging"): (P.LEDGER_READ, True),
    ("post", f"{BASE}/members"): (P.USER_ADMIN, False),
    ("delete", f"{BASE}/members/{{user_id}}"): (P.USER_ADMIN, False),
    ("post", f"{BASE}/patients/{{patient_id}}/payments"): (P.PAYMENT_POST, False),
    ("post", f"{BASE}/patients/{{patient_id}}/adjustments"): (P.ADJUSTMENT_WRITE, False),
    ("post", f"{BASE}/payer-loop/remittances"): (P.PAYMENT_POST, False),
    ("get", f"{BASE}/payer-loop/remittances{R}"): (P.LEDGER_READ, False),
    ("post", f"{BASE}/payer-loop/acknowledgments"): (P.CLAIM_WRITE, False),
    ("get", f"{BASE}/payer-loop/kpis"): (P.LEDGER_READ, False),
    ("post", f"{BASE}/payer-loop/submissions"): (P.CLAIM_SUBMIT, False),
    ("post", f"{BASE}/payer-loop/responses"): (P.CLAIM_WRITE, False),
    # these two send the member to the payer: audited as disclosures (tests/services/
    # test_inquiries_api.py), not as reads the auditor role could make
    ("post", f"{BASE}/payer-loop/eligibility"): (P.ELIGIBILITY_CHECK, False),
    ("post", f"{BASE}/payer-loop/claims/{{claim_id}}/status"): (P.CLAIM_SUBMIT, False),
    ("get", f"{BASE}/payer-loop/appeal-letters/{{work_item_id}}"): (P.WORKITEM_READ, True),
    ("post", f"{BASE}/claims/build"): (P.CLAIM_READ, True),
    ("post", f"{BASE}/claims/scrub"): (P.CLAIM_READ, True),
    ("post", f"{BASE}/claims/export"): (P.CLAIM_READ, True),
    ("post", f"{BASE}/x12/validate"): (P.CLAIM_READ, False),
    ("post", f"{BASE}/x12/parse"): (P.CLAIM_READ, True),
    ("post", f"{BASE}/x12/ack"): (P.CLAIM_READ, False),
})

# which seeded record a path's {record_id} / {parent_id} names
_RECORD = {"locations": "location", "providers": "provider", "payers": "payer",
           "plans": "plan", "patients": "patient", "coverages": "coverage",
           "encounters": "encounter", "documents": "document", "diagnoses": "diagnosis",
           "charges": "charge_open", "fee-schedules": "fee_schedule", "items": "fee_item",
           "work-items": "work_item", "remittances": "remittance", "members": "member"}


def url(path: str, practice_id: str, ids: dict[str, str]) -> str:
    """Fill a route template with the practice and the seeded ids."""
    parts = path.split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        if part == "{practice_id}":
            out.append(practice_id)
        elif part == "{record_id}" or part == "{parent_id}":
            out.append(ids[_RECORD[parts[i - 1]]])
        elif part == "{claim_id}":
            out.append(ids["claim"])
        elif part == "{user_id}":
            out.append(ids["member"])
        elif part == "{patient_id}":
            out.append(ids["patient"])
        elif part == "{work_item_id}":
            out.append(ids["denial_item"])
        else:
            out.append(part)
    return "/".join(out)


def body(method: str, path: str, ids: dict[str, str]) -> dict[str, Any] | None:
    """A schema-valid request body for the route (None for bodiless requests)."""
    if method not in ("post", "put"):
        return None
    tail = re.sub(r"/\{record_id\}$", "", path)
    last = tail.rsplit("/", 1)[-1]
    bodies: dict[str, dict[str, Any]] = {
        "locations": {"name": "North clinic"},
        "providers": {"kind": "individual", "npi": "1234567893", "last_name": "Curie"},
        "payers": {"payer_code": "60054", "name": "Aetna", "claim_filing_indicator": "CI"},
        "plans": {"name": "HMO"},
        "patients": {"first_name": "Test", "last_name": "Person", "birth_date": "1980-01-01"},
        "coverages": {"payer_id": ids["payer"], "priority": 2, "member_id": "M123",
                      "effective_from": "2025-01-01"},
        "encounters": {"patient_id": ids["patient"], "date_of_service": "2026-01-06",
                       "rendering_provider_id": ids["provider"],
                       "billing_provider_id": ids["provider"]},
        "documents": {"content": "follow-up note"},
        "diagnoses": {"code": "I10", "sequence": 1} if method == "put" else
                     {"code": "E11.9", "sequence": 2},
        "charges": {"code": "99213"},
        "search": {"last_name": DEMO_NAMES[1]},
        "finalize": {},
        "fee-schedules": {"name": "FS", "effective_from": "2025-01-01"},
        "items": {"code": "99214", "amount": "150.00"},
        "work-items": {"kind": "follow_up"},
        "remittances": {"payer_id": ids["payer"], "trace_number": "EFT1",
                        "paid_on": "2026-01-20", "total_amount": "70.00"},
        "statements": {"statement_date": "2026-02-01"},
        "reversals": {"entry_id": ids["payment_entry"], "effective_on": "2026-02-01"},
        "members": {"email": "new.member@a.test", "roles": ["coder"],
                    "password": "a-long-enough-password"},
        "claims": {"encounter_id": ids["encounter"], "coverage_id": ids["coverage"]},
        "transitions": {"to_state": "ready"},
        "build": {"encounter_id": ids["encounter"]},
        "scrub": {"encounter_id": ids["encounter"], "as_of": "2026-01-20"},
        "export": {"encounter_id": ids["encounter"], "format": "837p"},
        "acknowledgments": {"not": "an X12 file"},
        "submissions": {"claim_ids": [ids["claim"]]},
        "responses": {},
        "eligibility": {"patient_id": ids["patient"], "allowed": "100.00"},
        "status": {},
        "validate": {"not": "an X12 file"},
        "parse": {"not": "an X12 file"},
        "ack": {"not": "an X12 file"},
        "payments": {"source": "patient", "amount": "5.00", "received_on": "2026-01-06"},
        "adjustments": {"kind": "contractual", "claim_line_id": ids["claim_line"],
                        "amount": "1.00", "effective_on": "2026-01-06"},
    }
    return bodies[last] if last != "finalize" else None


def practice_operations(schema: dict[str, Any]) -> set[tuple[str, str]]:
    """(method, path) of every practice-scoped operation in an OpenAPI document."""
    return {(method, path) for path, ops in schema["paths"].items()
            if path.startswith(BASE) for method in ops}
