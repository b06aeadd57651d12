"""Smoke test for `bench/fanout.py --processes 2` (two `run` processes on PostgreSQL, the
worker killed mid-fan-out): a small fan-out and the JSON it promises. No timing asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fanout.py"


@pytest.mark.long
@pytest.mark.postgres
def test_bench_fanout_takeover_runs_at_a_small_size(tmp_path: Path) -> None:
    out = tmp_path / "takeover.json"
    completed = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [
            *(sys.executable, str(SCRIPT), "--processes", "2", "--watches", "60"),
            *("--check-seconds", "0.5", "--claim-seconds", "3", "--json", str(out)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env=os.environ.copy(),
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "after takeover" in completed.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["bench"] == "fanout-takeover"
    assert (report["deliveries"], report["lost"], report["duplicated"]) == (60, 0, 0)
    assert report["outbox"] == {"sent": 60}
    assert 0 < report["sent_before_kill"] < 60
    for key in ("takeover_s", "no_message_s", "ratio_before", "ratio_after"):
        assert isinstance(report[key], float), key
