"""bench/accuracy.py end to end on a tiny corpus: output, predictions file, JSON results."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "accuracy.py"
CORPUS = [
    {
        "id": "t1",
        "title": "Netflix renews Bloodline for season three",
        "summary": "",
        "published": "2016-06-01",
        "labels": [{"show": "Bloodline", "event": "renewed", "season": 3}],
    },
    {
        "id": "t2",
        "title": "Citadel to return $7 billion to investors",
        "summary": "Ken Griffin's hedge fund had a strong year.",
        "published": "2023-12-12",
        "labels": [],
    },
    {
        "id": "t3",
        "title": "Reacher Season 3 premieres February 20",
        "summary": "",
        "published": "2024-12-10",
        "labels": [
            {"show": "Reacher", "event": "premiere_date", "season": 3, "date": "2025-02-20"},
            {"show": "Reacher", "event": "renewed", "season": 4},
        ],
    },
]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accuracy_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_scores_writes_predictions_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(item) for item in CORPUS) + "\n", encoding="utf-8")
    predictions, results = tmp_path / "predictions.jsonl", tmp_path / "results.json"
    exit_code = load_script().main(
        [str(corpus), "--predictions", str(predictions), "--json", str(results)]
    )
    assert exit_code == 0
    printed = capsys.readouterr().out
    assert "renewed" in printed and "misses (1):" in printed
    assert "t3: Reacher s4 renewed" in printed

    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["t1", "t2", "t3"]
    assert rows[0]["predictions"][0] | {"evidence": ""} == {
        "show": "Bloodline",
        "event": "renewed",
        "season": 3,
        "date": None,
        "window": None,
        "certainty": "official",
        "network": "Netflix",
        "evidence": "",
    }
    assert rows[1]["predictions"] == []

    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["events"]["premiere_date"]["true_positives"] == 1
    assert data["events"]["renewed"]["recall"] == 0.5
    assert data["citadel_negative_alarms"] == []
    assert data["entries"] == 3
