"""More payer loop commands as a user runs them: ``eligibility check --allowed`` (the patient's
estimated share), inquiries that apply the acknowledgments they find, ``era kpis``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openrcm.cli.payer_loop import payer_loop_app
from tests.services.payer_loop_world import era, payment
from tests.services.test_payer_loop_cli import _world, home

__all__ = ["home"]
runner = CliRunner()


def test_eligibility_check_prints_the_patient_estimate(home: Path) -> None:
    _world(home)
    args = ["eligibility", "check", "--root", str(home / "ch"), "--payer", "SIMPPO",
            "--member", "M100", "--last", "Zorovich", "--first", "Quenby", "--allowed", "300.00"]
    result = runner.invoke(payer_loop_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["active"] and out["estimate"] == {
        "allowed": "300.00", "deductible": "200.00", "copay": "25.00", "coinsurance": "15.00",
        "patient": "240.00"}  # deductible first, then the copay, then 20% of the rest
    human = runner.invoke(payer_loop_app, args)
    assert "coverage: active" in human.output
    assert "the patient pays 240.00, the plan 60.00" in human.output
    bad = runner.invoke(payer_loop_app, [*args[:-1], "lots"])
    assert bad.exit_code == 2 and "not an amount" in bad.output


def test_an_inquiry_applies_the_acknowledgments_it_finds_in_the_inbox(home: Path) -> None:
    w = _world(home, submitted=False)
    root = ["--root", str(home / "ch")]
    assert runner.invoke(payer_loop_app, ["submit", *root]).exit_code == 0
    # the 999 and 277CA wait in the inbox; a status check fetches them with its 277
    result = runner.invoke(payer_loop_app, ["status", "check", w.claims[0].id, *root, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["status"] == "A2:20" and out["payer_control"]  # accepted, awaiting payment
    assert sorted(name.split("-")[0] for name in out["applied"]) == ["277CA", "999"]
    again = runner.invoke(payer_loop_app, ["responses", "fetch", *root, "--json"])
    assert json.loads(again.output)["files"] == []  # nothing was left behind unread
    with_state = runner.invoke(payer_loop_app, ["eligibility", "check", *root, "--payer",
                                                "SIMPPO", "--member", "M100", "--last", "Z",
                                                "--first", "Q"])
    assert with_state.exit_code == 0 and "also applied" not in with_state.output


def test_era_kpis(home: Path) -> None:
    w = _world(home)
    paid = home / "paid.835"
    paid.write_bytes(era(payment(w.claims[0].id, "99213", "150.00", "80.00",
                                 ("CO", "45", "40.00"), ("PR", "2", "30.00"))))
    assert runner.invoke(payer_loop_app, ["era", "post", str(paid)]).exit_code == 0
    result = runner.invoke(payer_loop_app, ["era", "kpis", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["claims"], out["auto_posted"], out["auto_post_rate"]) == (1, 1, "1.0000")
    assert out["lines_denied"]["medical necessity"] == 0
    assert out["days_to_payment_median"] is not None
    human = runner.invoke(payer_loop_app, ["era", "kpis"]).output
    assert "posted without a person: 1 (100.0%)" in human and "denied lines by category: none" \
        in human


def test_the_practice_folder_is_the_default_for_every_command(home: Path) -> None:
    """No --root anywhere: submit, the simulator and fetch meet in the practice's folder."""
    w = _world(home, submitted=False)
    assert runner.invoke(payer_loop_app, ["submit"]).exit_code == 0
    assert (home / "clearinghouse" / w.ctx.actor.practice_id / "outbox").is_dir()
    assert runner.invoke(payer_loop_app, ["responses", "fetch"]).exit_code == 0
    paid = runner.invoke(payer_loop_app, ["payer-sim", "pay", "--json"])
    assert paid.exit_code == 0 and json.loads(paid.output)["remittances"] == 1
    fetched = runner.invoke(payer_loop_app, ["responses", "fetch", "--json"])
    assert json.loads(fetched.output)["remittances"][0]["remittances"][0]["posted"] == 1


def test_eligibility_of_a_registered_patient(home: Path) -> None:
    w = _world(home)
    result = runner.invoke(payer_loop_app, ["eligibility", "check", "--patient",
                                            w.ids["patient"], "--allowed", "50.00", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["answered"] and out["active"] and out["estimate"]["patient"] == "50.00"
    neither = runner.invoke(payer_loop_app, ["eligibility", "check", "--member", "M1"])
    assert neither.exit_code == 2
    assert "give patient_id, or payer_code, member_id, last_name and first_name" in \
        neither.output
