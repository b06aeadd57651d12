"""Scoring recognised announcements against labelled ones (used by bench/accuracy.py, the
training script and the accuracy tests).

Matching, per entry: a predicted announcement matches a label when the events are equal,
the shows are equal by `name_key` (a label naming a catalogue alias names the catalogue's
show: `labels_of`), and — when the label has a season — the seasons are
equal (a label without a season accepts any predicted season). Each label and each
prediction is used at most once; exact-season pairs are made first. Unmatched labels are
misses, unmatched predictions are false alarms. Precision, recall and F1 are computed per
event from those counts.

Further figures, over matched pairs: the share of premiere dates that are the same day,
and the share of certainties that agree. Show attribution looks at every prediction whose
event and season fit some label of its entry, and counts how many of them also name that
label's show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from bot.models import Announcement, Entry, Event
from bot.recognition import recognise
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key

EVENTS = tuple(Event)
CERTAINTIES = ("official", "reported", "speculation")
_CITADEL = re.compile(r"\bcitadel\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Label:
    """One expected (or predicted) announcement, in the corpus's JSON shape."""

    show: str
    event: Event
    season: int | None = None
    date: date | None = None
    window: str | None = None
    certainty: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Label:
        """A label from one JSON object of a corpus line's `labels`."""
        day = raw.get("date")
        season = raw.get("season")
        return cls(
            show=str(raw["show"]),
            event=Event(raw["event"]),
            season=None if season is None else int(season),
            date=None if not day else date.fromisoformat(str(day)),
            window=raw.get("window"),
            certainty=raw.get("certainty"),
        )

    @classmethod
    def from_announcement(cls, announcement: Announcement) -> Label:
        """The label shape of a recognised announcement."""
        return cls(
            show=announcement.show,
            event=announcement.event,
            season=announcement.season,
            date=announcement.date,
            window=announcement.window.text if announcement.window else None,
            certainty=announcement.certainty.value,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object for this label."""
        return {
            "show": self.show,
            "event": self.event.value,
            "season": self.season,
            "date": self.date.isoformat() if self.date else None,
            "window": self.window,
            "certainty": self.certainty,
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    """How one entry's predictions compare with its labels."""

    item_id: str
    pairs: tuple[tuple[Label, Label], ...]  # (label, prediction)
    misses: tuple[Label, ...]
    false_alarms: tuple[Label, ...]
    attributed: int  # predictions whose event and season fit a label of the entry
    attributed_right: int  # ... and that also name that label's show


def match_item(item_id: str, labels: Sequence[Label], predictions: Sequence[Label]) -> ItemResult:
    """Pair one entry's predictions with its labels (see the module docstring)."""
    free = list(predictions)
    pairs: list[tuple[Label, Label]] = []
    unmatched: list[Label] = []
    ordered = sorted(labels, key=lambda label: label.season is None)
    for label in ordered:
        found = _take(free, label)
        if found is None:
            unmatched.append(label)
        else:
            pairs.append((label, found))
    attributed = attributed_right = 0
    for prediction in predictions:
        fitting = [
            label
            for label in labels
            if label.event is prediction.event
            and (label.season is None or label.season == prediction.season)
        ]
        if fitting:
            attributed += 1
            key = name_key(prediction.show)
            attributed_right += any(name_key(label.show) == key for label in fitting)
    return ItemResult(
        item_id, tuple(pairs), tuple(unmatched), tuple(free), attributed, attributed_right
    )


def _take(free: list[Label], label: Label) -> Label | None:
    key = name_key(label.show)
    candidates = [
        p
        for p in free
        if p.event is label.event
        and name_key(p.show) == key
        and (label.season is None or p.season == label.season)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda p: p.season != label.season)
    free.remove(best)
    return best


@dataclass(frozen=True, slots=True)
class EventScore:
    """Counts and rates for one event."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of predictions that match a label (1.0 when nothing was predicted)."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of labels matched by a prediction (1.0 when there were no labels)."""
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Scores over a whole corpus."""

    items: tuple[ItemResult, ...]
    events: dict[Event, EventScore] = field(default_factory=dict)

    @classmethod
    def build(cls, items: Iterable[ItemResult]) -> Report:
        """Aggregate per-entry results into per-event scores."""
        results = tuple(items)
        counts = {event: [0, 0, 0] for event in EVENTS}
        for result in results:
            for label, _ in result.pairs:
                counts[label.event][0] += 1
            for prediction in result.false_alarms:
                counts[prediction.event][1] += 1
            for label in result.misses:
                counts[label.event][2] += 1
        events = {event: EventScore(*values) for event, values in counts.items()}
        return cls(results, events)

    @property
    def overall(self) -> EventScore:
        """Every event's counts added up: announcement-level precision and recall."""
        return EventScore(
            sum(s.true_positives for s in self.events.values()),
            sum(s.false_positives for s in self.events.values()),
            sum(s.false_negatives for s in self.events.values()),
        )

    @property
    def certainty_matrix(self) -> dict[tuple[str, str], int]:
        """(labelled, predicted) certainty -> count, over matched pairs."""
        matrix: dict[tuple[str, str], int] = {}
        for result in self.items:
            for label, prediction in result.pairs:
                if label.certainty and prediction.certainty:
                    key = (label.certainty, prediction.certainty)
                    matrix[key] = matrix.get(key, 0) + 1
        return matrix

    @property
    def overstated(self) -> int:
        """Matched pairs shown as official whose label is reported or speculation."""
        return sum(
            count
            for (labelled, predicted), count in self.certainty_matrix.items()
            if predicted == "official" and labelled != "official"
        )

    @property
    def seasons_added(self) -> tuple[int, int]:
        """(matched pairs whose prediction gives a season, all matched pairs) among labels
        without one. A label without a season says the text states none, and matching
        accepts any season there: so this counts what the scores cannot see, a season the
        prediction may have made up (a new series' first season is right; most are not)."""
        pairs = [p for r in self.items for label, p in r.pairs if label.season is None]
        return sum(p.season is not None for p in pairs), len(pairs)

    @property
    def show_attribution(self) -> float:
        """Share of event-and-season-fitting predictions that name the right show."""
        total = sum(r.attributed for r in self.items)
        return sum(r.attributed_right for r in self.items) / total if total else 1.0

    @property
    def date_accuracy(self) -> float:
        """Share of matched premiere dates that are the labelled day."""
        pairs = [
            (label, p)
            for r in self.items
            for label, p in r.pairs
            if label.event is Event.PREMIERE_DATE and label.date is not None
        ]
        return sum(label.date == p.date for label, p in pairs) / len(pairs) if pairs else 1.0

    @property
    def certainty_agreement(self) -> float:
        """Share of matched pairs whose certainty agrees (where the label has one)."""
        pairs = [(label, p) for r in self.items for label, p in r.pairs if label.certainty]
        return (
            sum(label.certainty == p.certainty for label, p in pairs) / len(pairs) if pairs else 1.0
        )

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "events": {
                event.value: {
                    "precision": round(score.precision, 4),
                    "recall": round(score.recall, 4),
                    "f1": round(score.f1, 4),
                    "true_positives": score.true_positives,
                    "false_positives": score.false_positives,
                    "false_negatives": score.false_negatives,
                }
                for event, score in self.events.items()
            },
            "overall": {
                "precision": round(self.overall.precision, 4),
                "recall": round(self.overall.recall, 4),
                "f1": round(self.overall.f1, 4),
            },
            "certainty_matrix": {f"{a}->{b}": n for (a, b), n in self.certainty_matrix.items()},
            "overstated": self.overstated,
            "show_attribution": round(self.show_attribution, 4),
            "date_accuracy": round(self.date_accuracy, 4),
            "certainty_agreement": round(self.certainty_agreement, 4),
            "misses": [
                {"id": r.item_id, **label.to_json()} for r in self.items for label in r.misses
            ],
            "false_alarms": [
                {"id": r.item_id, **p.to_json()} for r in self.items for p in r.false_alarms
            ],
        }


def read_corpus(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parse JSONL lines (blank lines skipped) into corpus items."""
    return [json.loads(line) for line in lines if line.strip()]


def entry_from_item(item: Mapping[str, Any]) -> Entry:
    """The feed entry a corpus item stands for (published at midnight UTC)."""
    published = item.get("published")
    return Entry(
        key=str(item.get("id") or item.get("url") or item.get("title", "")),
        title=str(item.get("title") or ""),
        summary=str(item.get("summary") or ""),
        link=item.get("url"),
        published=(
            datetime.combine(date.fromisoformat(published), datetime.min.time(), UTC)
            if published
            else None
        ),
        categories=tuple(item.get("categories") or ()),
        outlet=str(item.get("outlet") or ""),
    )


def labels_of(item: Mapping[str, Any], catalogue: Catalogue) -> list[Label]:
    """An item's labels, each naming its show as `catalogue` does: recognition answers with
    the catalogue's name, and a label written with one of its aliases ("DC's Legends of
    Tomorrow" for "Legends of Tomorrow") names the same show."""
    labels = [Label.from_json(raw) for raw in item.get("labels", ())]
    return [_canonical(label, catalogue) for label in labels]


def _canonical(label: Label, catalogue: Catalogue) -> Label:
    show = catalogue.get(label.show)
    if show is None or name_key(show.name) == name_key(label.show):
        return label
    return replace(label, show=show.name)


def evaluate(
    items: Sequence[Mapping[str, Any]], catalogue: Catalogue
) -> tuple[Report, list[list[Announcement]]]:
    """Recognise every corpus item and score the result; also returns the predictions."""
    predictions = [recognise(entry_from_item(item), catalogue) for item in items]
    results = [
        match_item(
            str(item.get("id", index)),
            labels_of(item, catalogue),
            [Label.from_announcement(a) for a in predicted],
        )
        for index, (item, predicted) in enumerate(zip(items, predictions, strict=True))
    ]
    return Report.build(results), predictions


def citadel_negative_alarms(
    items: Sequence[Mapping[str, Any]], predictions: Sequence[Sequence[Announcement]]
) -> list[tuple[str, list[str]]]:
    """Items that mention Citadel but are labelled as announcing nothing (the hedge fund,
    Ken Griffin, Citadel Securities, Citadel stories without news) and still got
    predictions: (item id, predicted shows). The issue wants this list empty."""
    alarms: list[tuple[str, list[str]]] = []
    for index, (item, predicted) in enumerate(zip(items, predictions, strict=True)):
        text = f"{item.get('title') or ''} {item.get('summary') or ''}"
        if not item.get("labels") and predicted and _CITADEL.search(text):
            alarms.append((str(item.get("id", index)), [a.show for a in predicted]))
    return alarms


def negatives_with_alarms(
    items: Sequence[Mapping[str, Any]], predictions: Sequence[Sequence[Announcement]]
) -> tuple[int, int]:
    """(negatives that got any prediction, all negatives), negatives being items with no
    labels."""
    negatives = [
        bool(predicted)
        for item, predicted in zip(items, predictions, strict=True)
        if not item.get("labels")
    ]
    return sum(negatives), len(negatives)
