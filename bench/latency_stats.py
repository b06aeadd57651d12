"""Latency figures of timed calls (percentiles, the slowest calls, medians over passes).

Kept apart from any one bench so that every bench reports its percentiles the same way.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(seconds: Sequence[float], target_ms: float | None = None) -> dict[str, Any]:
    """p50/p90/p99/max/mean in ms, and p99 ÷ target when there is a target."""
    ordered = sorted(s * 1000 for s in seconds)
    result: dict[str, Any] = {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 50),
        "p90_ms": percentile(ordered, 90),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else float("nan"),
        "mean_ms": sum(ordered) / len(ordered) if ordered else float("nan"),
    }
    if target_ms is not None:
        result["target_p99_ms"] = target_ms
        result["p99_over_target"] = result["p99_ms"] / target_ms
    return result


def slowest(seconds: Sequence[float], texts: Sequence[str]) -> list[tuple[float, str]]:
    """The slowest 1% (at least one) as (ms, text), slowest first: what the p99 is made of."""
    count = max(1, math.ceil(len(seconds) / 100))
    ranked = sorted(zip(seconds, texts, strict=True), key=lambda item: -item[0])
    return [(round(value * 1000, 3), text) for value, text in ranked[:count]]


def medians(passes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric figure of `measure`'s results as its median over the passes, also
    per kind of text (shares and counts from the first pass); the slowest queries of each
    pass."""
    merged: dict[str, Any] = {}
    for name, first in passes[0].items():
        figures = dict(first)
        for figure, value in first.items():
            if isinstance(value, float):
                figures[figure] = statistics.median(p[name][figure] for p in passes)
        if "kind_ms" in first:
            figures["kind_ms"] = {
                kind: {
                    figure: statistics.median(p[name]["kind_ms"][kind][figure] for p in passes)
                    for figure in values
                }
                for kind, values in first["kind_ms"].items()
            }
        if "slowest" in first:
            figures["slowest"] = [p[name]["slowest"] for p in passes]
        if "target_p99_ms" in figures:
            figures["p99_over_target"] = figures["p99_ms"] / figures["target_p99_ms"]
        figures["passes"] = len(passes)
        merged[name] = figures
    return merged
