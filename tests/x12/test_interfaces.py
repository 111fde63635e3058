"""CLI ``openrcm x12 ...``: the shell around the engine, and JSON I/O (API: tests/api)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openrcm.cli.x12 import x12_app
from openrcm.x12.jsonio import TreeJSONError, document_from_json, document_to_json
from openrcm.x12.parser import parse
from openrcm.x12.writer import write_bytes

from .conftest import FIXTURES, samples

runner = CliRunner()
GOOD = FIXTURES / "835" / "multiple-claims-single-check.edi"
BAD = FIXTURES / "bad" / "cob-contractural-adjustment.835"


@pytest.mark.parametrize("path", samples("835") + samples("837p") + samples("bad"),
                         ids=lambda p: p.name)
def test_tree_json_round_trips_to_the_same_bytes(path: Path) -> None:
    raw = path.read_bytes()
    data = json.loads(json.dumps(document_to_json(parse(raw))))
    assert write_bytes(document_from_json(data)) == raw


def test_tree_json_errors_name_the_path() -> None:
    data = document_to_json(parse(GOOD.read_bytes()))
    data["items"][0]["isa"] = {"elements": []}
    with pytest.raises(TreeJSONError, match=r"items\[0\]\.isa"):
        document_from_json(data)


def test_cli_validate_exit_codes_and_lines() -> None:
    ok = runner.invoke(x12_app, ["validate", str(GOOD)])
    assert ok.exit_code == 0 and "valid" in ok.output
    bad = runner.invoke(x12_app, ["validate", str(BAD)])
    assert bad.exit_code == 1
    assert f"{BAD}:segment 2 (loop ST) BPR16: error:" in bad.output
    as_json = runner.invoke(x12_app, ["validate", str(BAD), "--json"])
    assert json.loads(as_json.output)["valid"] is False


def test_cli_parse_and_ack(tmp_path: Path) -> None:
    parsed = runner.invoke(x12_app, ["parse", str(GOOD), "--json"])
    info = json.loads(parsed.output)
    assert info["transactions"][0]["view"]["kind"] == "835"
    out = tmp_path / "ack.999"
    acked = runner.invoke(x12_app, ["ack", str(BAD), "-o", str(out), "--control", "9"])
    assert acked.exit_code == 0
    assert "IK5*R*5" in out.read_text()


def test_cli_json_round_trips(tmp_path: Path) -> None:
    for typed in (False, True):
        args = ["to-json", str(GOOD)] + (["--typed"] if typed else [])
        dumped = runner.invoke(x12_app, args)
        assert dumped.exit_code == 0
        src = tmp_path / "x.json"
        src.write_text(dumped.output)
        out = tmp_path / "x.edi"
        back = runner.invoke(x12_app, ["from-json", str(src), "-o", str(out)])
        assert back.exit_code == 0, back.output
        if not typed:
            assert out.read_bytes() == GOOD.read_bytes()
        else:
            assert not [f for f in parse(out.read_bytes()).all_findings()
                        if f.severity == "error"]


def test_cli_reports_unreadable_json(tmp_path: Path) -> None:
    src = tmp_path / "bad.json"
    src.write_text('{"format": "nope"}')
    result = runner.invoke(x12_app, ["from-json", str(src)])
    assert result.exit_code == 1
