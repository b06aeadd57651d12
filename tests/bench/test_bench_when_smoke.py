"""Smoke test for bench/when.py: it runs at a tiny size and writes the JSON it promises.

Benchmarks measure speed; this only checks the script works (no timing is asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "when.py"
MEASURES = ("when", "when_lookup", "autocomplete")
FIGURES = ("n", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms")


def test_bench_when_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "when.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            sys.executable,
            str(SCRIPT),
            "--shows",
            "50",
            "--announcements",
            "300",
            "--watches",
            "10",
            "--queries",
            "20",
            "--warmup",
            "5",
            "--engine",
            "sqlite",
            "--json",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "/when" in completed.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["bench"] == "when"
    assert report["params"]["shows"] == 50
    assert set(report["engines"]) == {"sqlite"}
    assert set(report["targets_ms"]) == {"when_p99", "autocomplete_p99"}
    result = report["engines"]["sqlite"]
    for measure in MEASURES:
        for figure in FIGURES:
            assert isinstance(result[measure][figure], (int, float)), (measure, figure)
        assert result[measure]["n"] == 20
    assert "p99_over_target" in result["when"]
    assert "p99_over_target" in result["autocomplete"]
    share = result["when"]["share"]
    assert set(share) == {"card", "candidates", "nothing"}
    assert abs(sum(share.values()) - 1.0) < 1e-9
    counts = result["build"]["counts"]
    assert (counts["shows"], counts["announcements"], counts["watches"]) == (50, 300, 10)
    assert counts["season_states"] > 0
    assert result["build"]["total_s"] >= 0
    assert "sqlite /when p99 / target" in report["ratios"]
