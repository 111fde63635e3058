"""Adapters: directory drop, simulator behind folders, registry; config errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openrcm.payers.adapter import AdapterError, EnrollmentStatus, OutboundFile, available, create
from openrcm.payers.directory.adapter import DirectoryAdapter
from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.payers.simulator.config import ConfigError, parse_config
from tests.payers.support import TODAY, claim, x837


def test_directory_drop_sends_once_and_fetches_once(tmp_path: Path) -> None:
    adapter = DirectoryAdapter(tmp_path)
    adapter.submit(OutboundFile("b1.837", "837", b"ISA..."))
    assert (tmp_path / "outbox" / "b1.837").read_bytes() == b"ISA..."
    with pytest.raises(AdapterError, match="already sent"):
        adapter.submit(OutboundFile("b1.837", "837", b"other"))
    with pytest.raises(AdapterError, match="unsafe"):
        adapter.submit(OutboundFile("../x", "837", b""))
    (tmp_path / "inbox" / "r1.999").write_bytes(b"ack")
    assert [f.name for f in adapter.fetch()] == ["r1.999"]
    assert adapter.fetch() == []
    assert adapter.enrollment("P1", "837") is EnrollmentStatus.UNKNOWN
    (tmp_path / "enrollment.yaml").write_text("P1:\n  '837': enrolled\n")
    assert adapter.enrollment("P1", "837") is EnrollmentStatus.ENROLLED


def test_a_root_that_cannot_hold_the_folders_is_named(tmp_path: Path) -> None:
    (tmp_path / "outbox").write_text("a file where the outbox folder should be")
    with pytest.raises(AdapterError, match=r"cannot use .*outbox as a folder"):
        DirectoryAdapter(tmp_path)


def test_simulator_adapter_answers_through_folders_and_remembers(tmp_path: Path) -> None:
    sim = SimulatorAdapter(tmp_path, today=lambda: TODAY)
    sim.submit(OutboundFile("b1.837", "837", x837(claim("C1")).encode()))
    assert sorted(f.name.split("-")[0] for f in sim.fetch()) == ["277CA", "999"]
    again = SimulatorAdapter(tmp_path, today=lambda: TODAY)
    assert again.process() == 0  # already answered, state survived
    assert again.pay() == 1
    (era,) = again.fetch()
    assert era.name.startswith("835-") and b"CLP*C1*" in era.content
    assert again.enrollment("SIMPPO", "837") is EnrollmentStatus.ENROLLED
    assert again.enrollment("NOPE", "837") is EnrollmentStatus.NOT_ENROLLED


def test_simulator_state_from_another_version_is_refused_with_the_path(tmp_path: Path) -> None:
    sim = SimulatorAdapter(tmp_path, today=lambda: TODAY)
    sim.submit(OutboundFile("b1.837", "837", x837(claim("C1")).encode()))
    saved = json.loads(sim.state_path.read_text())
    saved["state"]["pending"][0]["claim"]["claim_id"] = "C1"  # the old simulator's shape
    sim.state_path.write_text(json.dumps(saved))
    with pytest.raises(AdapterError, match=r"state\.json is not a simulator state .*"
                                           r"state\.pending\[0\]\.claim: unknown field"):
        sim.pay()


def test_registry_creates_builtin_adapters_by_name(tmp_path: Path) -> None:
    assert {"directory", "simulator"} <= set(available())
    assert create("directory", {"root": str(tmp_path)}).name == "directory"
    with pytest.raises(AdapterError, match="no payer adapter named"):
        create("carrier-pigeon", {})
    with pytest.raises(AdapterError, match="root"):
        create("simulator", {})


@pytest.mark.parametrize(("text", "message"), [
    ("payers: {}", "at least one payer"),
    ("payers: {P: {coinsurance: 1.5}}", "payers.P.coinsurance"),
    ("payers: {P: {deductible: -1}}", "payers.P.deductible"),
    ("payers: {P: {method: WIRE}}", "payers.P.method"),
    ("payers: {P: {colour: red}}", "unknown key"),
    ("payers: {P: {bundles: [[a]]}}", "payers.P.bundles"),
    ("payers: {P: {}}\nmembers: {M: {payer: Q}}", "members.M.payer"),
    ("payers: [", "not valid YAML"),
])
def test_bad_configuration_names_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text)


def test_amounts_in_yaml_are_exact() -> None:
    config = parse_config("payers: {P: {fee_schedule: {'99213': 92.10}, coinsurance: 0.1}}")
    assert str(config.payers["P"].fee_schedule["99213"]) == "92.10"
