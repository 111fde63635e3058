"""The payer loop commands, run as a user would (JSON and human output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openrcm.cli.payer_loop import payer_loop_app
from openrcm.config import Settings
from openrcm.security.phi import generate_key
from openrcm.services.bootstrap import build as build_runtime
from openrcm.store.db import create_schema
from tests.services.payer_loop_world import World, build, era, payment

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPENRCM_HOME", str(tmp_path))
    monkeypatch.setenv("OPENRCM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("OPENRCM_PHI_KEYS", generate_key())
    return tmp_path


def _world(home: Path, *, submitted: bool = True) -> World:
    assert Settings.from_env().home == home
    rt = build_runtime(Settings.from_env())
    create_schema(rt.db.engine)
    return build(rt.db, cipher=rt.cipher, submitted=submitted)


def test_era_post_twice_and_a_refused_file(home: Path) -> None:
    w = _world(home)
    good = home / "good.835"
    good.write_bytes(era(payment(w.claims[0].id, "99213", "150.00", "80.00",
                                 ("CO", "45", "40.00"), ("PR", "2", "30.00"))))
    bad = home / "bad.835"
    bad.write_bytes(era(payment(w.claims[0].id, "99213", "150.00", "80.00",
                                ("CO", "45", "70.00")), amount="1.00", trace="X"))
    result = runner.invoke(payer_loop_app, ["era", "post", str(good), "--json"])
    assert result.exit_code == 0, result.output
    (out,) = json.loads(result.output)
    assert out["remittances"][0]["posted"] == 1 and not out["duplicate"]
    result = runner.invoke(payer_loop_app, ["era", "post", str(good), str(bad)])
    assert result.exit_code == 1
    assert "already posted" in result.output and "REFUSED" in result.output
    assert "BPR02" in result.output


def test_submit_fetch_simulate_eligibility_and_status(home: Path) -> None:
    w = _world(home, submitted=False)
    root = home / "ch"
    sim = ["payer-sim", "run", str(root), "--today", "2026-03-10"]
    result = runner.invoke(payer_loop_app, ["submit", "--root", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["batch"]["claims"] == [w.claims[0].id]
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--root", str(root)])
    assert "277CA: 1 accepted, 0 rejected" in result.output, result.output
    result = runner.invoke(payer_loop_app, [*sim, "--pay", "--json"])
    assert json.loads(result.output) == {"answered": 0, "remittances": 1}
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--root", str(root), "--json"])
    assert json.loads(result.output)["remittances"][0]["remittances"][0]["posted"] == 1
    result = runner.invoke(payer_loop_app, ["eligibility", "check", "--root", str(root),
                                            "--payer", "SIMPPO", "--member", "M100",
                                            "--last", "Zorovich", "--first", "Quenby"])
    assert "coverage: active" in result.output and "deductible: 200" in result.output
    result = runner.invoke(payer_loop_app, ["status", "check", w.claims[0].id, "--root",
                                            str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"].startswith("F1")
