"""Onboarding a practice from the command line, on both engines: create, list, add a user,
and the refusals (bad NPI or tax id, an NPI already taken) that name the option at fault."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.store.db import Database
from openrcm.store.models import AuditEventRow

runner = CliRunner()
NPI = "1234567893"  # a valid check digit


def _json(*args: str, input: str | None = None) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"], input=input)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_create_list_and_add_a_user(env: str) -> None:
    _json("db", "upgrade")
    assert _json("practices", "list") == {"practices": []}
    made = _json("practices", "create", "--name", "Riverside Pediatrics", "--npi", NPI,
                 "--tax-id", "123456789", "--organization", "Acme Billing")
    assert (made["name"], made["organization"], made["members"]) == (
        "Riverside Pediatrics", "Acme Billing", 0)
    second = _json("practices", "create", "--name", "Hilltop Family Care", "--npi",
                   "1245319599", "--tax-id", "987654321", "--organization", "Acme Billing")
    _json("users", "create", "--email", "lead@acme.test", "--practice", str(made["id"]),
          "--role", "biller", "--password-stdin", input="a-long-enough-password\n")
    listed = _json("practices", "list")["practices"]
    assert isinstance(listed, list)
    assert [(p["name"], p["organization"], p["members"]) for p in listed] == [
        ("Hilltop Family Care", "Acme Billing", 0), ("Riverside Pediatrics", "Acme Billing", 1)]
    human = runner.invoke(app, ["practices", "list"]).output
    assert str(second["id"]) in human and "Acme Billing" in human
    db = Database(env)
    with db.uow(None) as uow:
        created = list(uow.session.scalars(select(AuditEventRow.resource).where(
            AuditEventRow.action == "practice.create")))
    db.dispose()
    assert created == [f"practice:{made['id']}", f"practice:{second['id']}"]


def test_refusals_name_the_option(env: str) -> None:
    _json("db", "upgrade")
    base = ["practices", "create", "--name", "Riverside Pediatrics", "--tax-id", "123456789"]
    bad_npi = runner.invoke(app, [*base, "--npi", "1234567890", "--json"])
    assert bad_npi.exit_code == 1
    assert json.loads(bad_npi.stdout)["error"] == "invalid"
    assert "--npi" in bad_npi.stdout and "1234567890" not in bad_npi.stdout
    bad_tax = runner.invoke(app, ["practices", "create", "--name", "X", "--npi", NPI,
                                  "--tax-id", "12-345"])
    assert bad_tax.exit_code == 1 and "--tax-id" in bad_tax.output
    _json(*base, "--npi", NPI)
    again = runner.invoke(app, [*base, "--npi", NPI, "--json"])
    assert again.exit_code == 1 and json.loads(again.stdout)["error"] == "conflict"
    assert len(_json("practices", "list")["practices"]) == 1  # type: ignore[arg-type]
