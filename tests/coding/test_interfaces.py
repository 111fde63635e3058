"""The CLI commands and HTTP endpoints over the real ICD-10-CM code set (compiled once per
session into a temporary home; slow because the store and the lexicon are built)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from openrcm.api import coding as coding_api
from openrcm.api.app import create_app
from openrcm.cli.coding import _source_text
from openrcm.cli.main import app as cli
from openrcm.config import Settings
from openrcm.services import coding as service

# one worker builds the code-set store and the lexicon once for the whole module
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("coding-interfaces")]

NOTE = """Chief complaint: follow-up of diabetes.
HPI: 61 year old woman with type 2 diabetes mellitus and chronic kidney disease stage 3.
She denies chest pain. Mother had breast cancer.
Assessment: Type 2 diabetes with CKD stage 3, poorly controlled. Essential hypertension.
Plan: increase the dose of metformin. Reviewed the A1c and ordered a lipid panel.
Total time spent: 25 minutes.
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("coding-home")
    yield home


@pytest.fixture(scope="module")
def settings(home: Path) -> Settings:
    return Settings(home=home, database_url=f"sqlite:///{home / 'db.sqlite'}", phi_keys=())


@pytest.fixture()
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("OPENRCM_HOME", str(settings.home))
    return settings


def test_code_note_service(settings: Settings) -> None:
    data = service.code_note(settings, NOTE)
    codes = [s["code"] for s in data["suggestions"]]
    assert codes[0] == "E11.22"
    assert "I12.9" in codes
    assert "N18.30" in codes
    assert "Z80.3" in codes
    for s in data["suggestions"] + data["set_aside"]:
        for e in s["evidence"]:
            assert NOTE[e["start"] : e["end"]] == e["text"]
    assert data["em"]["code"] == "99214"
    assert any("chest pain" in e["text"] for s in data["set_aside"] for e in s["evidence"])


def test_lexicon_cache_is_written_and_reused(settings: Settings) -> None:
    service.engine(settings)
    assert list((settings.home / "coding").glob("lexicon-FY2026-*.marshal"))


def test_cli_code_json_and_human(env: Settings, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, "utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["code", str(note), "--json", "--date", "2026-03-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["suggestions"][0]["code"] == "E11.22"
    human = runner.invoke(cli, ["code", str(note), "--setting", "inpatient"])
    assert human.exit_code == 0, human.output
    assert "E11.22" in human.output
    bad = runner.invoke(cli, ["code", str(note), "--setting", "clinic"])
    assert bad.exit_code != 0
    assert "setting" in bad.output


def test_cli_code_batch(env: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text(NOTE, "utf-8")
    (folder / "b.txt").write_text("Assessment: community acquired pneumonia.", "utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["code-batch", str(folder), "--json-out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert set(data) == {"a.txt", "b.txt"}
    assert data["b.txt"]["suggestions"][0]["code"].startswith("J18")


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app()
    app.dependency_overrides[coding_api.get_settings] = lambda: settings
    with TestClient(app) as c:
        yield c


def test_api_suggest_and_errors(client: TestClient) -> None:
    ok = client.post("/coding/suggest", json={"text": NOTE, "date": "2026-03-01"})
    assert ok.status_code == 200
    assert ok.json()["suggestions"][0]["code"] == "E11.22"
    bad = client.post("/coding/suggest", json={"text": NOTE, "setting": "clinic"})
    assert bad.status_code == 422
    empty = client.post("/coding/suggest", json={"text": "   "})
    assert empty.status_code == 422
    assert "empty" in empty.json()["detail"]


def test_api_feedback_teaches_the_next_suggestion(client: TestClient, settings: Settings) -> None:
    note = "Assessment: sugar trouble, stable."
    before = client.post("/coding/suggest", json={"text": note, "practice": "clinic-9"}).json()
    assert "E11.9" not in [s["code"] for s in before["suggestions"]]
    fb = client.post(
        "/coding/feedback",
        json={
            "practice": "clinic-9",
            "items": [
                {"note_id": "n1", "code": "E11.9", "action": "add", "phrase": "sugar trouble"}
            ],
        },
    )
    assert fb.status_code == 200
    assert fb.json() == {"recorded": 1}
    assert (settings.home / "coding" / "feedback" / "clinic-9.jsonl").exists()
    after = client.post("/coding/suggest", json={"text": note, "practice": "clinic-9"}).json()
    assert "E11.9" in [s["code"] for s in after["suggestions"]]
    bad = client.post(
        "/coding/feedback",
        json={"practice": "../x", "items": [{"note_id": "n", "code": "E11.9", "action": "add"}]},
    )
    assert bad.status_code == 422


_SPAN = {"start": 40, "end": 45, "text": "cough"}

CASE = """A 45-year-old man presented with fever, cough and right pleuritic chest pain.
History of arterial hypertension. Chest X-ray showed a right lower lobe consolidation.
He was diagnosed with community-acquired pneumonia and treated with antibiotics.
"""


def test_cli_codiesp_ranker_orders_by_score_and_lists_learned_only_codes(
    env: Settings, tmp_path: Path
) -> None:
    note = tmp_path / "case.txt"
    note.write_text(CASE, "utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["code", str(note), "--ranker", "codiesp", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ranker"] == "codiesp"
    scores = [s["score"] for s in data["suggestions"]]
    assert scores == sorted(scores, reverse=True)
    finals = {s["code"] for s in data["suggestions"]}
    assert "J18.9" in finals
    assert data["also_consider"]
    for c in data["also_consider"]:
        assert c["code"] not in finals
        assert c["sources"]
        for source in c["sources"]:
            for e in source.get("evidence", ()):
                assert CASE[e["start"] : e["end"]] == e["text"]
    human = runner.invoke(cli, ["code", str(note), "--ranker", "codiesp"])
    assert human.exit_code == 0, human.output
    assert "Also consider" in human.output
    default = json.loads(runner.invoke(cli, ["code", str(note), "--json"]).output)
    assert default["ranker"] == "rules" and "also_consider" not in default
    bad = runner.invoke(cli, ["code", str(note), "--ranker", "bert"])
    assert bad.exit_code != 0
    assert "ranker" in bad.output
    mixed = runner.invoke(cli, ["code", str(note), "--ranker", "codiesp", "--practice", "c1"])
    assert mixed.exit_code != 0
    assert "practice" in mixed.output


def test_cli_code_batch_with_the_codiesp_ranker(env: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.txt").write_text(CASE, "utf-8")
    out = tmp_path / "out.json"
    args = ["code-batch", str(folder), "--ranker", "codiesp", "--json-out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["a.txt"]["ranker"] == "codiesp"
    bad = CliRunner().invoke(cli, ["code-batch", str(folder), "--ranker", "x"])
    assert bad.exit_code != 0


def test_api_suggest_with_the_codiesp_ranker(client: TestClient) -> None:
    ok = client.post("/coding/suggest", json={"text": CASE, "ranker": "codiesp"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["ranker"] == "codiesp"
    assert {"code", "title", "billable", "score", "sources"} <= set(data["also_consider"][0])
    assert client.post("/coding/suggest", json={"text": CASE}).json()["ranker"] == "rules"
    bad = client.post("/coding/suggest", json={"text": CASE, "ranker": "bert"})
    assert bad.status_code == 422
    mixed = client.post(
        "/coding/suggest", json={"text": CASE, "ranker": "codiesp", "practice": "clinic-1"}
    )
    assert mixed.status_code == 422
    assert "practice" in mixed.json()["detail"]


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (
            {"kind": "phrase_vote", "precision": 0.76, "evidence": [_SPAN]},
            "phrase cough [40-45] (precision 0.76)",
        ),
        (
            {"kind": "annotated_phrase", "precision": 0.5, "evidence": [_SPAN]},
            "phrase cough [40-45] (annotators' evidence for the code in 50% of coded notes "
            "holding it)",
        ),
        (
            {"kind": "word_cue", "precision": 0.25, "evidence": [_SPAN]},
            "word cough [40-45] (reported in 25% of coded notes holding it)",
        ),
        (
            {"kind": "neighbours", "notes": 3, "similarity": 0.2},
            "3 similar coded notes (nearest 0.20)",
        ),
        ({"kind": "category_sibling", "sibling_of": "R05.9"}, "same category as R05.9"),
    ],
)
def test_cli_says_where_each_kind_of_learned_only_code_comes_from(
    source: dict[str, object], text: str
) -> None:
    assert _source_text(source) == text
