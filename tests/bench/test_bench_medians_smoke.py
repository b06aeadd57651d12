"""The medians benchmark still runs, at a tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_medians_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "medians.json"
    arguments = ["--runs", "2", "--out", str(out), "--", "--feeds", "3", "--sample", "2"]
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "bench/medians.py", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["ingest_arguments"] == ["--feeds", "3", "--sample", "2"]
    assert len(result["runs"]) == 2
    medians = result["medians"]
    for figure in ("store_changed_over_lxml", "recognise_changed_over_lxml"):
        values = [run[figure] for run in result["runs"]]
        assert medians[figure] == {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
        }
    assert set(result["targets"]) == {
        "recognise_changed_le_10x_lxml",
        "store_changed_lt_5x_lxml",
        "unchanged_wall_lt_2s_per_500",
    }
    assert "store_changed_over_lxml" in completed.stdout
