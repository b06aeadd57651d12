"""The shows the train split's labels name, shipped beside the curated catalogue.

    python -m training.gazetteer [--check]

A running bot knows the shows it has read about (learned from the news) besides the
curated list, so the corpus's train split, real news the bot could have read, gives the
shipped catalogue every show its labels name (`bot/data/news_shows.json`, with each show's
most often labelled network). Only train labels: no name comes from a test item alone.

Training must meet "known" as the bot does, for shows other news named and not for the
show of the very item being read: each train item is read with a catalogue holding the
curated shows and the names the labels of the OTHER gazetteer folds give (`FOLDS` folds by
a hash of the URL), so about 1 - 1/FOLDS of what the full list knows. `--check` compares
with the committed file instead of writing it, exiting 1 on a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from bot.models import Show
from bot.shows.catalogue import NEWS_SHOWS_PATH, Catalogue, curated_shows
from bot.shows.names import name_key
from training.corpus import items_of
from training.examples import Read, read_items
from training.generated import write_or_check

FOLDS = 10


def fold_of(item: dict[str, Any]) -> int:
    """The item's gazetteer fold, by hash digits the train/test split does not use."""
    digest = hashlib.sha256(str(item["url"]).strip().encode("utf-8")).hexdigest()
    return int(digest[8:16], 16) % FOLDS


def _curated_keys() -> set[str]:
    return {name_key(n) for show in curated_shows() for n in (show.name, *show.aliases)}


def gazetteer(items: Iterable[dict[str, Any]]) -> list[Show]:
    """The shows `items`' labels name that the curated catalogue lacks, sorted by key; each
    with its most often labelled network (ties by name), spelled as labelled most often."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    networks: dict[str, Counter[str]] = defaultdict(Counter)
    curated = _curated_keys()
    for item in items:
        for label in item["labels"]:
            key = name_key(label["show"])
            if key and key not in curated:
                spellings[key][label["show"]] += 1
                if label.get("network"):
                    networks[key][label["network"]] += 1
    return [
        Show(name=_most_common(spellings[key]) or key, network=_most_common(networks[key]))
        for key in sorted(spellings)
    ]


def _most_common(counts: Counter[str]) -> str | None:
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


def read_train_items(items: Sequence[dict[str, Any]]) -> list[Read]:
    """Read each item with the curated shows and the names of the other folds' labels (see
    the module's doc); in the order given."""
    folds = [fold_of(item) for item in items]
    by_fold: dict[int, list[int]] = defaultdict(list)
    for at, fold in enumerate(folds):
        by_fold[fold].append(at)
    reads: list[Read | None] = [None] * len(items)
    for fold, positions in sorted(by_fold.items()):
        others = (item for item, its in zip(items, folds, strict=True) if its != fold)
        catalogue = Catalogue((*curated_shows(), *gazetteer(others)))
        fold_reads = read_items([items[at] for at in positions], catalogue)
        for at, read in zip(positions, fold_reads, strict=True):
            reads[at] = read
    return [read for read in reads if read is not None]


def serialise(shows: Sequence[Show]) -> str:
    """The file's text: one show a line, as bot/data/shows.json is written."""
    rows = [
        json.dumps(
            {"name": show.name, **({"network": show.network} if show.network else {})},
            ensure_ascii=False,
        )
        for show in shows
    ]
    return "[\n" + ",\n".join(f"  {row}" for row in rows) + "\n]\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    shows = gazetteer(items_of("train"))
    text = serialise(shows)
    written = f"wrote {NEWS_SHOWS_PATH} ({len(shows)} shows)"
    return write_or_check(NEWS_SHOWS_PATH, text, check=args.check, written=written)


if __name__ == "__main__":
    sys.exit(main())
