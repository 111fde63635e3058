"""``openrcm codes ...`` through Typer's CliRunner, text and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openrcm.cli.codes import codes_app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(codeset_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRCM_HOME", str(codeset_home))


def test_search_text_and_json() -> None:
    res = runner.invoke(codes_app, ["search", "type 2 diabetes with ckd", "--date", "2026-03-01"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("E11.22")
    assert "matched index: Diabetes, diabetic" in res.output
    res = runner.invoke(codes_app, ["search", "htn", "--limit", "3", "--json"])
    data = json.loads(res.output)
    assert data["release"] == "FY2026" and len(data["hits"]) == 3
    assert data["hits"][0]["code"] == "I10" and data["hits"][0]["billable"] is True


def test_show_text_and_json() -> None:
    res = runner.invoke(codes_app, ["show", "S52.501", "--date", "2025-06-01"])
    assert res.exit_code == 0, res.output
    assert "NOT billable" in res.output and "release FY2025" in res.output
    assert "7th character (defined at S52)" in res.output and "S52.501A" in res.output
    res = runner.invoke(codes_app, ["show", "E11.22", "--json"])
    data = json.loads(res.output)
    assert data["valid_from"] == "2024-10-01"
    assert {"kind": "excludes1", "text": "type 1 diabetes mellitus (E10.-)",
            "level": "category", "source": "E11"} in data["notes"]


def test_validate_exit_codes() -> None:
    res = runner.invoke(codes_app, ["validate", "E11.22", "E11.2", "--date", "2026-03-01"])
    assert res.exit_code == 0, res.output
    assert "not-billable" in res.output
    res = runner.invoke(codes_app, ["validate", "E11.A", "E11.22", "--date", "2025-06-01",
                                    "--json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert [r["status"] for r in data["results"]] == ["invalid", "billable"]
    assert data["results"][0]["reason_code"] == "ICD10CM-NOT-YET-VALID"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "E11-22"], "malformed code 'E11-22'"),
        (["show", "E11.99", "--date", "2026-03-01"], "E11.99 is not an ICD-10-CM code in FY2026"),
        (["show", "E11.22", "--date", "2023-01-01"], "outside every loaded ICD-10-CM release"),
        (["show", "E11.22", "--date", "01/02/2026"], "--date: '01/02/2026' is not a date"),
        (["search", ""], "empty search query"),
        (["validate", "E11.22", "--date", "2031-01-01"], "outside every loaded"),
        (["import", "icd10cm-nope", "x.xml"], "unknown importer kind 'icd10cm-nope'"),
        (["import", "icd10cm-tabular", "/nonexistent/x.xml"], "/nonexistent/x.xml: no such file"),
    ],
)
def test_bad_input_exits_2_with_message(args: list[str], message: str) -> None:
    res = runner.invoke(codes_app, args)
    assert res.exit_code == 2
    assert message in res.output


def test_import_of_corrupt_file_says_nothing_changed(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<ICD10CM.tabular><chapter>")
    res = runner.invoke(codes_app, ["import", "icd10cm-tabular", str(bad)])
    assert res.exit_code == 2
    assert "import failed, nothing changed" in res.output and "broken.xml" in res.output


def test_importers_list() -> None:
    res = runner.invoke(codes_app, ["importers", "--json"])
    kinds = {row["kind"] for row in json.loads(res.output)}
    assert "icd10cm-tabular" in kinds


def test_index_browse_and_table_cells() -> None:
    res = runner.invoke(codes_app, ["index", "Diabetes", "--depth", "2"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Diabetes, diabetic  (mellitus) (sugar) E11.9")
    assert "    chronic kidney disease  E11.22" in res.output
    res = runner.invoke(codes_app, ["index", "Acetaminophen", "--part", "drug", "--json"])
    cells = json.loads(res.output)[0]["cells"]
    assert cells["Underdosing"] == "T39.1X6"
    res = runner.invoke(codes_app, ["index", "Nosuchterm"])
    assert res.exit_code == 2 and "no main term 'Nosuchterm'" in res.output


def test_build_lists_releases() -> None:
    res = runner.invoke(codes_app, ["build", "--json"])
    assert res.exit_code == 0, res.output
    releases = json.loads(res.output)["releases"]
    assert [(r["name"], r["effective_from"]) for r in releases] == [
        ("FY2025", "2024-10-01"), ("FY2026", "2025-10-01")]


def test_mounted_in_the_openrcm_command_and_the_api(codeset_home: Path) -> None:
    from fastapi.testclient import TestClient

    from openrcm.api.app import create_app
    from openrcm.cli.main import app

    res = runner.invoke(app, ["codes", "validate", "I10", "--date", "2026-01-15"])
    assert res.exit_code == 0 and "billable" in res.output
    paths = TestClient(create_app()).get("/openapi.json").json()["paths"]
    assert "/codes/icd10cm/{code}" in paths
