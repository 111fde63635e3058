"""The database commands end to end on both engines: db upgrade, demo load (idempotent),
users create, audit verify (intact, then tampered), keys rotate."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.security.phi import generate_key
from openrcm.store.db import Database
from openrcm.store.migrate import heads


def _json(runner: CliRunner, *args: str, input: str | None = None) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"], input=input)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_database_commands(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upgrade, load the demo twice (second is a no-op), add a user, verify, rotate, tamper."""
    runner = CliRunner()
    assert (_json(runner, "db", "upgrade")["to"],) == heads()
    first = _json(runner, "demo", "load", "--patients", "5")
    assert first["created"] is True and first["patients"] == 11  # 5 + hospital patient + 5
    assert _json(runner, "demo", "load", "--patients", "5")["created"] is False
    practice = next(iter(first["practices"].values()))  # type: ignore[attr-defined]
    user = _json(runner, "users", "create", "--email", "cli@x.test", "--practice", practice,
                 "--role", "biller", "--password-stdin", input="a-long-enough-password\n")
    assert user["roles"] == ["biller"]
    verified = _json(runner, "audit", "verify")
    assert verified["intact"] is True
    # a new key in front of the configured one: rotation rewrites every patient
    monkeypatch.setenv("OPENRCM_PHI_KEYS", generate_key() + "," + os.environ["OPENRCM_PHI_KEYS"])
    rotated = _json(runner, "keys", "rotate")["rewritten"]
    assert rotated["patients"] == 11  # type: ignore[index]
    db = Database(env)
    with db.uow(None) as uow:
        if db.dialect == "postgresql":
            uow.session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            uow.session.execute(text("DROP TRIGGER audit_events_no_delete"))
        uow.session.execute(text("DELETE FROM audit_events WHERE seq = 3"))
        uow.commit()
    db.dispose()
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["intact"] is False
    assert report["findings"][0]["location"]["seq"] in (3, 4)
