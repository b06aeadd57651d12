"""Accuracy on the labelled corpora in tests/data/ (see tests/data/README.md), scored with
the same code as bench/accuracy.py. The floors sit a little under what the recogniser
reaches, so a change that makes recognition worse fails here. On announcements.jsonl they
are at least the issue's targets: precision >= 0.97 and recall >= 0.92 per event."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.models import Announcement, Event
from bot.recognition.scoring import Report, citadel_negative_alarms, evaluate, read_corpus
from bot.shows.catalogue import Catalogue

DATA = Path(__file__).resolve().parents[1] / "data"

# (precision, recall) floors per event, about 0.03 under what the recogniser reached when
# they were set (announcements: 1.00 precision everywhere; recall renewed .99, cancelled
# .95, others 1.00). reference_headlines.jsonl is lower: its excerpts are elided with
# "..." and several have no publication date to resolve a yearless day.
FLOORS: dict[str, dict[Event, tuple[float, float]]] = {
    "announcements.jsonl": {
        Event.RENEWED: (0.97, 0.95),
        Event.CANCELLED: (0.97, 0.92),
        Event.ENDING: (0.97, 0.97),
        Event.PREMIERE_DATE: (0.97, 0.97),
        Event.PREMIERE_WINDOW: (0.97, 0.97),
    },
    "reference_headlines.jsonl": {
        Event.RENEWED: (0.92, 0.84),
        Event.CANCELLED: (0.91, 0.62),
        Event.ENDING: (0.97, 0.75),
        Event.PREMIERE_DATE: (0.97, 0.63),
        Event.PREMIERE_WINDOW: (0.97, 0.97),
    },
    "recognition_dev.jsonl": {
        Event.RENEWED: (0.97, 0.93),
        Event.CANCELLED: (0.97, 0.97),
        Event.ENDING: (0.97, 0.97),
        Event.PREMIERE_DATE: (0.97, 0.97),
        Event.PREMIERE_WINDOW: (0.97, 0.97),
    },
}


def load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.exists():
        pytest.fail(f"{path} is missing: the corpus tests need it")
    return read_corpus(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def scored() -> dict[str, tuple[list[dict[str, Any]], Report, list[list[Announcement]]]]:
    catalogue = Catalogue.default()
    results = {}
    for name in FLOORS:
        items = load(name)
        report, predictions = evaluate(items, catalogue)
        results[name] = (items, report, predictions)
    return results


@pytest.mark.parametrize(
    ("corpus", "event"),
    [(corpus, event) for corpus, floors in FLOORS.items() for event in floors],
)
def test_precision_and_recall_stay_above_their_floors(
    scored: dict[str, tuple[list[dict[str, Any]], Report, list[list[Announcement]]]],
    corpus: str,
    event: Event,
) -> None:
    _, report, _ = scored[corpus]
    score = report.events[event]
    precision_floor, recall_floor = FLOORS[corpus][event]
    alarms = [(r.item_id, p.show) for r in report.items for p in r.false_alarms if p.event is event]
    misses = [(r.item_id, m.show) for r in report.items for m in r.misses if m.event is event]
    assert score.precision >= precision_floor, f"false alarms: {alarms}"
    assert score.recall >= recall_floor, f"misses: {misses}"


@pytest.mark.parametrize("corpus", list(FLOORS))
def test_no_alarm_on_citadel_negatives(
    scored: dict[str, tuple[list[dict[str, Any]], Report, list[list[Announcement]]]],
    corpus: str,
) -> None:
    """Entries that mention Citadel and announce nothing: the hedge fund, Ken Griffin,
    Citadel Securities, and Citadel TV stories that are not news."""
    items, _, predictions = scored[corpus]
    alarms = citadel_negative_alarms(items, predictions)
    assert alarms == []


def test_the_corpus_has_the_hedge_fund_items_the_issue_asks_for() -> None:
    items = load("announcements.jsonl")
    hedge_fund = [
        item
        for item in items
        if not item["labels"]
        and re.search(
            r"hedge fund|Ken Griffin|Citadel Securities|investors",
            item["title"] + " " + item["summary"],
            re.I,
        )
    ]
    assert len(hedge_fund) >= 15


@pytest.mark.parametrize("corpus", list(FLOORS))
def test_matched_premiere_dates_are_the_right_day(
    scored: dict[str, tuple[list[dict[str, Any]], Report, list[list[Announcement]]]],
    corpus: str,
) -> None:
    _, report, _ = scored[corpus]
    assert report.date_accuracy >= 0.95
