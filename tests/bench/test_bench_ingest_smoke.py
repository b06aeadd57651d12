"""The ingest benchmark still runs, at a tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ingest_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "ingest.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "bench/ingest.py", "--feeds", "3", "--sample", "2", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["feeds"] == 3
    assert set(result["parse"]) >= {"lxml_fromstring_ms", "feedparser_default_ms", "parse_feed_ms"}
    cycles = {(c.get("sink"), c["cycle"]): c for c in result["cycles"]}
    first = cycles[("store", "first")]
    assert first["outcomes"] == {"updated": 3}
    assert first["entries_new"] == 3 * result["items_per_feed"]
    assert cycles[("store", "changed")]["entries_new"] == 3 * 5
    assert cycles[("store", "unchanged")]["outcomes"] == {"not_modified": 2, "unchanged": 1}
