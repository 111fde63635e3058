"""Evidence on both engines: PHI is never plaintext at rest, the audit chain detects tampering,
sign-in locks out and needs TOTP when enrolled, and errors and logs carry no PHI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from openrcm.security import totp
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services import audit, auth, keys, practice, records
from openrcm.services.bootstrap import Runtime
from openrcm.services.errors import AccountLocked, Unauthenticated
from tests.api.world import DEMO_NAMES, PASSWORD, TEST_KEY, Tenant, admin_ctx


def _dump(rt: Runtime) -> bytes:
    """Every byte the database holds for our tables (file bytes on SQLite, rows on PostgreSQL)."""
    if rt.db.dialect == "sqlite":
        rt.db.engine.dispose()  # checkpoint nothing away: read main file and WAL both
        path = rt.db.url.split(":///", 1)[1]
        files = [Path(path), Path(path + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    out = []
    with rt.db.uow(None) as uow:
        tables = uow.session.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            for row in uow.session.execute(text(f"SELECT * FROM {table}")):
                out.append(repr(tuple(row)).encode())
    return b"\n".join(out)


def test_phi_is_never_plaintext_in_the_database(rt: Runtime, world: tuple[Tenant, Tenant]
                                                ) -> None:
    """Names, birth dates, member ids, phone numbers and notes are ciphertext at rest."""
    data = _dump(rt)
    for secret in (*DEMO_NAMES, "1950-03-04", "1EG4TE5MK7A", "555-0100", "hypertension"):
        assert secret.encode() not in data, secret
        assert secret.lower().encode() not in data.lower(), secret


def test_tampering_with_the_audit_log_is_detected(rt: Runtime, world: tuple[Tenant, Tenant]
                                                  ) -> None:
    """The chain verifies; a plain UPDATE is refused; a forced edit is found at its seq."""
    count, findings = audit.verify(rt.db)
    assert count > 10 and findings == []
    with rt.db.uow(None) as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"))
        uow.session.flush()
    with rt.db.uow(None) as uow:  # an attacker with DDL rights drops the trigger first
        if rt.db.dialect == "postgresql":
            uow.session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            uow.session.execute(text("DROP TRIGGER audit_events_no_update"))
        uow.session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"))
        uow.commit()
    _, findings = audit.verify(rt.db)
    assert findings and findings[0].location["seq"] == 5
    assert findings[0].code == "AUDIT-EDITED"


def test_key_rotation_re_encrypts_everything(rt: Runtime, world: tuple[Tenant, Tenant],
                                             client: TestClient) -> None:
    """After rotation every value is under the new key and still reads back."""
    a, _ = world
    new = PhiCipher([generate_key(), TEST_KEY])
    counts = keys.rotate(rt.db, new)
    assert counts["patients"] == 2 and counts["coverages"] == 2
    again = keys.rotate(rt.db, new)
    assert sum(again.values()) == 0
    ctx = admin_ctx(Runtime(db=rt.db, cipher=new, settings=rt.settings), a)
    patient = records.get(ctx, practice.PATIENTS, a.ids["patient"])
    assert patient.last_name == DEMO_NAMES[1]  # type: ignore[attr-defined]


def test_login_lockout_and_totp(rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    """Five failures lock the account; with TOTP enrolled a code is required."""
    email = "biller@a.test"
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    for i in range(5):
        with pytest.raises(Unauthenticated):
            auth.login(rt.db, rt.cipher, email, "wrong password!!", clock=lambda i=i: start
                       + timedelta(seconds=i))
    with pytest.raises(AccountLocked):
        auth.login(rt.db, rt.cipher, email, PASSWORD, clock=lambda: start + timedelta(minutes=1))
    later = start + timedelta(hours=1)
    session = auth.login(rt.db, rt.cipher, email, PASSWORD, clock=lambda: later)
    who = auth.authenticate(rt.db, session.token, clock=lambda: later)
    secret, uri = auth.enroll_totp(rt.db, rt.cipher, who)
    assert uri.startswith("otpauth://")
    auth.confirm_totp(rt.db, rt.cipher, who, totp.code_at(secret, later), clock=lambda: later)
    with pytest.raises(Unauthenticated) as missing:
        auth.login(rt.db, rt.cipher, email, PASSWORD, clock=lambda: later)
    assert missing.value.code == "totp_required"
    with pytest.raises(Unauthenticated):  # the enrolment code cannot be replayed
        auth.login(rt.db, rt.cipher, email, PASSWORD, totp_code=totp.code_at(secret, later),
                   clock=lambda: later)
    next_step = later + timedelta(seconds=30)
    ok = auth.login(rt.db, rt.cipher, email, PASSWORD,
                    totp_code=totp.code_at(secret, next_step), clock=lambda: next_step)
    assert ok.token
    auth.logout(rt.db, who)
    with pytest.raises(Unauthenticated):
        auth.authenticate(rt.db, session.token, clock=lambda: next_step)


def test_errors_and_logs_carry_no_phi(client: TestClient, world: tuple[Tenant, Tenant],
                                      caplog: pytest.LogCaptureFixture) -> None:
    """Provoked errors (validation, conflicts, not found, bad login) never echo patient data."""
    a, _ = world
    caplog.set_level(logging.DEBUG)
    headers = {"Authorization": f"Bearer {a.tokens[Role.ADMIN]}"}
    base = f"/api/practices/{a.practice_id}"
    responses = [
        client.post(f"{base}/patients", headers=headers,
                    json={"first_name": DEMO_NAMES[0], "last_name": DEMO_NAMES[1],
                          "birth_date": "not-a-date " + DEMO_NAMES[1]}),
        client.post(f"{base}/patients", headers=headers,
                    json={"first_name": DEMO_NAMES[0] * 30, "last_name": DEMO_NAMES[1],
                          "birth_date": "1950-03-04"}),
        client.post(f"{base}/patients/{a.ids['patient']}/coverages", headers=headers,
                    json={"payer_id": "nope", "priority": 1, "member_id": "1EG4TE5MK7A",
                          "effective_from": "2025-01-01"}),
        client.post(f"{base}/patients/search", headers=headers,
                    json={"birth_date": "1950-03-04"}),
        client.post("/api/auth/login", json={"email": DEMO_NAMES[0] + "@x.test",
                                             "password": DEMO_NAMES[1]}),
    ]
    assert [r.status_code for r in responses] == [422, 422, 422, 422, 401]
    for r in responses:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"]
    text_out = " ".join(r.text for r in responses) + caplog.text
    for secret in (*DEMO_NAMES, "1EG4TE5MK7A", "1950-03-04"):
        assert secret not in text_out
