"""``openrcm submit`` and ``responses fetch`` with ``--adapter sftp``, against a real SFTP
server: options from ``$OPENRCM_HOME/adapters.yaml`` and ``--option``, the 837 uploaded, the
clearinghouse's 999 and 277CA (written by the payer simulator) fetched and applied."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import yaml
from typer.testing import CliRunner

from openrcm.cli.payer_loop import payer_loop_app
from openrcm.payers.simulator.config import default_config
from openrcm.payers.simulator.engine import SimState, handle
from openrcm.services import claims
from openrcm.services.claim_states import ClaimState
from tests.services.test_payer_loop_cli import _world, home
from tests.support.sftp_server import sftp_server

__all__ = ["home"]
runner = CliRunner()


def test_submit_and_fetch_through_sftp(home: Path, tmp_path: Path) -> None:
    w = _world(home, submitted=False)
    with sftp_server(tmp_path / "sftp") as server:
        options: dict[str, object] = dict(server.options(home / "unused"))
        key_file = options.pop("key_file")
        del options["root"]  # received files go to the practice's folder under the home
        options["port"] = server.port  # YAML gives a number: read as the option's text
        (home / "adapters.yaml").write_text(yaml.safe_dump({"sftp": options}))
        sftp = ["--adapter", "sftp", "--option", f"key_file={key_file}"]

        result = runner.invoke(payer_loop_app, ["submit", *sftp, "--json"])
        assert result.exit_code == 0, result.output
        batch = json.loads(result.output)["batch"]
        assert batch["sent"] and batch["claims"] == [w.claims[0].id]
        uploaded = server.root / "inbound" / batch["name"]
        own = home / "clearinghouse" / w.ctx.actor.practice_id
        assert (own / "sent" / batch["name"]).read_bytes() == uploaded.read_bytes()

        # the clearinghouse answers with a 999 and a 277CA in its outbound folder
        _, replies = handle(SimState(), default_config(), uploaded.read_bytes(),
                            date(2026, 3, 10))
        for n, reply in enumerate(replies):
            path = server.root / "outbound" / reply.name
            path.write_text(reply.text)
            os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))

        result = runner.invoke(payer_loop_app, ["responses", "fetch", *sftp, "--json"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        assert [name.split("-")[0] for name in out["files"]] == ["999", "277CA"]
        assert {ack["kind"]: ack["accepted"] for ack in out["acks"]}["277CA"] \
            == [w.claims[0].id]
        assert claims.get_claim(w.ctx, w.claims[0].id).state == ClaimState.ACCEPTED_277CA
        assert sorted(p.name for p in (server.root / "outbound" / "archive").iterdir()) \
            == sorted(r.name for r in replies)

        again = runner.invoke(payer_loop_app, ["responses", "fetch", *sftp, "--json"])
        assert json.loads(again.output)["files"] == []
        nothing = runner.invoke(payer_loop_app, ["submit", *sftp, "--json"])
        assert json.loads(nothing.output)["batch"] is None
        assert [p.name for p in (server.root / "inbound").iterdir()] == [batch["name"]]


def test_sftp_problems_reach_the_user(home: Path, tmp_path: Path) -> None:
    _world(home)
    with sftp_server(tmp_path / "sftp") as server:
        (tmp_path / "empty_known_hosts").write_text("")
        args = ["responses", "fetch", "--adapter", "sftp",
                *[f"--option={k}={v}" for k, v in server.options(home / "ch").items()]]
        result = runner.invoke(payer_loop_app, [*args,
                                                f"--option=known_hosts={tmp_path}/empty_known_hosts"])
        assert result.exit_code == 1
        assert f"127.0.0.1:{server.port}: unknown host key" in result.output
        result = runner.invoke(payer_loop_app, [*args, "--option", "password=hunter2"])
        assert result.exit_code == 2 and "never put a secret" in result.output
        result = runner.invoke(payer_loop_app, [*args, "--option", "verbose"])
        assert result.exit_code == 2 and "--option 'verbose' must be key=value" in result.output
    (home / "adapters.yaml").write_text("sftp: [host")
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--adapter", "sftp"])
    assert result.exit_code == 2 and "adapters.yaml is not readable YAML" in result.output
    (home / "adapters.yaml").write_text("sftp: {host: {name: x}}")
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--adapter", "sftp"])
    assert result.exit_code == 2 and "sftp.host must be a single value" in result.output


def test_directory_adapter_still_reads_its_root_and_adapters_yaml(home: Path) -> None:
    _world(home)
    (home / "adapters.yaml").write_text(yaml.safe_dump({"directory": {"root": str(home / "d")}}))
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--adapter", "directory"])
    assert result.exit_code == 0, result.output
    assert (home / "d" / "inbox").is_dir()
    result = runner.invoke(payer_loop_app, ["responses", "fetch", "--adapter", "directory",
                                            "--root", str(home / "e")])
    assert result.exit_code == 0 and (home / "e" / "inbox").is_dir()


def test_a_batch_the_server_does_not_take_is_said_so_and_resent(home: Path,
                                                                 tmp_path: Path) -> None:
    w = _world(home, submitted=False)
    with sftp_server(tmp_path / "sftp") as server:
        options = server.options(home / "ch")
    # the server is gone: the batch is recorded, the claims wait, the user is told
    down = ["--adapter", "sftp", *[f"--option={k}={v}" for k, v in options.items()],
            "--option", "timeout=2"]
    failed = runner.invoke(payer_loop_app, ["submit", *down])
    assert failed.exit_code == 1
    assert "did not take it (sftp 127.0.0.1:" in failed.output and "refused" in failed.output
    with sftp_server(tmp_path / "sftp2") as server:
        again = [f"--option={k}={v}" for k, v in server.options(home / "ch").items()]
        resent = runner.invoke(payer_loop_app, ["submit", "--adapter", "sftp", *again])
        assert resent.exit_code == 0, resent.output
        assert resent.output.startswith("resent 837P-") and "no ready claims" in resent.output
        (uploaded,) = (server.root / "inbound").iterdir()
        assert uploaded.name.startswith("837P-")
    assert claims.get_claim(w.ctx, w.claims[0].id).state == ClaimState.SUBMITTED
