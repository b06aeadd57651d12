"""Why recognition misses what it misses: misses and false alarms on one split, sorted
into kinds by mechanism, as counts (no item's text is printed, so the test split may be
summarised without being read). The test split is judged by the shipped model; the train
split out of fold, each item by the model of the folds without it (`training.train`'s
`out_of_fold`, about a minute), since the shipped model learned from every train item and
errs on them far less than on news it never saw (`--in-sample` judges by it anyway).

    python -m training.errors [--split train|test] [--in-sample]

A missed label is put in the first kind that fits: the right show and event with another
season or date; the show found but read as another event; no event phrase of that kind;
the show not among the proposal's candidates; the event phrase judged too weak (below its
threshold); the show judged too unlikely; else lost choosing the value or season, or in
merging. A false alarm: on an item announcing nothing; a labelled show and event with
another season or date; a labelled show with an event it was not labelled with; a show the
item has no label for.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bot.models import Event
from bot.recognition import _reader
from bot.recognition._findings import one_per_show
from bot.recognition._model import RecognitionModel, probability, shipped_model
from bot.recognition._sentences import EntryReading
from bot.shows.catalogue import Catalogue
from bot.shows.names import name_key
from training.corpus import Split, items_of
from training.examples import LETTER, Read, read_items
from training.scoring import Label, match_item
from training.train import _label, out_of_fold


def _event(event: Event) -> str:
    return "window" if event is Event.PREMIERE_WINDOW else event.value


def _missed_kind(
    label: Label, predictions: list[Label], reading: EntryReading, model: RecognitionModel
) -> str:
    key = name_key(label.show)
    if any(p.event is label.event and name_key(p.show) == key for p in predictions):
        return "right show and event, another season or date"
    if any(name_key(p.show) == key for p in predictions):
        return "show found, read as another event"
    letter = LETTER[label.event]
    proposals = [p for p in reading.proposals if p.event == letter]
    if not proposals:
        return "no event phrase of that kind"
    best: tuple[float, float] | None = None
    for proposal in proposals:
        event_chance = probability(model.event.score(proposal.features))
        for option in proposal.shows:
            names = {name_key(option.span.name)}
            if option.span.known:
                names.add(name_key(option.span.known))
            if any(n == key or (len(n) > 3 and (n in key or key in n)) for n in names):
                chances = (event_chance, probability(model.show.score(option.features)))
                best = chances if best is None else max(best, chances)
    thresholds = model.thresholds
    if best is None:
        return "show not among the candidates"
    if best[0] < thresholds.get(letter, 0.5):
        return "event phrase judged too weak"
    if best[1] < thresholds.get("show", 0.5):
        return "show judged too unlikely"
    return "lost choosing value or season, or merging"


def _false_alarm_kind(prediction: Label, labels: list[Label]) -> str:
    key = name_key(prediction.show)
    if not labels:
        return "on an item announcing nothing"
    if any(lab.event is prediction.event and name_key(lab.show) == key for lab in labels):
        return "labelled show and event, another season or date"
    if any(name_key(lab.show) == key for lab in labels):
        return "labelled show, an event it was not labelled with"
    return "a show the item has no label for"


@dataclass(frozen=True, slots=True)
class Judged:
    """One item as a model judged it: what it was read into, by which model, and which
    labels that model missed and which predictions were false alarms."""

    read: Read
    model: RecognitionModel
    predictions: list[Label]
    misses: tuple[Label, ...]
    false_alarms: tuple[Label, ...]


def judged(split: Split, *, in_sample: bool = False) -> Iterator[Judged]:
    """Every item of `split` as judged (see the module's doc)."""
    if split == "train" and not in_sample:
        reads, models = out_of_fold()
    else:
        reads = read_items(items_of(split), Catalogue.default())
        models = [shipped_model()] * len(reads)
    for read, model in zip(reads, models, strict=True):
        found = [f for p in read.reading.proposals for f in _reader._decide(p, model)]
        predictions = [_label(f) for f in one_per_show(found, model.thresholds)]
        result = match_item("", read.labels, predictions)
        yield Judged(read, model, predictions, result.misses, result.false_alarms)


def kinds(
    split: Split, *, in_sample: bool = False
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """(missed, false alarms) counted by (event, kind) on one split."""
    missed: Counter[tuple[str, str]] = Counter()
    false_alarms: Counter[tuple[str, str]] = Counter()
    for one in judged(split, in_sample=in_sample):
        for label in one.misses:
            kind = _missed_kind(label, one.predictions, one.read.reading, one.model)
            missed[(_event(label.event), kind)] += 1
        for prediction in one.false_alarms:
            kind = _false_alarm_kind(prediction, one.read.labels)
            false_alarms[(_event(prediction.event), kind)] += 1
    return missed, false_alarms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--in-sample", action="store_true", help="judge train by the shipped model")
    args = parser.parse_args(argv)
    missed, false_alarms = kinds(args.split, in_sample=args.in_sample)
    pooled: Counter[str] = Counter()
    for (_, kind), count in missed.items():
        pooled[f"missed: {kind}"] += count
    for (_, kind), count in false_alarms.items():
        pooled[f"false alarm: {kind}"] += count
    total_missed, total_false = sum(missed.values()), sum(false_alarms.values())
    how = "shipped model" if args.split == "test" or args.in_sample else "out of fold"
    print(f"{args.split} split ({how}): {total_missed} missed, {total_false} false alarms")
    for kind, count in pooled.most_common():
        print(f"  {count:5d}  {kind}")
    print("by event")
    for (event, kind), count in (missed + false_alarms).most_common():
        side = "missed" if (event, kind) in missed else "false alarm"
        print(f"  {count:5d}  {event:14s} {side}: {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
