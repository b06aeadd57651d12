"""Recognition speed per entry, with a 10,000-show catalogue.

    python bench/recognition_speed.py [--repeats 5]

For the real news corpus (all of it, its announcements only, its negatives only, and a few
entries without any announcement keyword) prints the median and mean µs per entry of
`read_entry` (announcements and mentioned shows in one pass, what the ingestion sink
calls), and of `recognise` and `mentioned_shows` on their own. The first row, the whole
corpus, is the figure the README quotes. Each entry is timed on its own; its best of
`--repeats` runs counts, so the figures are the cost of the code rather than of whatever
else the machine was doing.

The catalogue is the shipped seed plus synthetic two- and three-word titles built from
ordinary words, up to 10,000 shows: the trie then branches on the words real text uses.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.models import Entry, Show  # noqa: E402
from bot.recognition import mentioned_shows, read_entry, recognise  # noqa: E402
from bot.shows.catalogue import Catalogue  # noqa: E402
from training.corpus import read_items  # noqa: E402
from training.scoring import entry_from_item  # noqa: E402

SHOWS = 10_000
_ADJECTIVES = [
    "silent",
    "broken",
    "hidden",
    "golden",
    "crimson",
    "hollow",
    "northern",
    "distant",
    "lonely",
    "savage",
    "quiet",
    "bright",
    "frozen",
    "burning",
    "secret",
    "wicked",
    "gentle",
    "restless",
    "endless",
    "fallen",
    "iron",
    "velvet",
    "scarlet",
    "midnight",
    "bitter",
    "amber",
    "copper",
    "ivory",
    "silver",
    "emerald",
]
_NOUNS = [
    "harbor",
    "crown",
    "river",
    "garden",
    "empire",
    "kingdom",
    "frontier",
    "orchard",
    "lantern",
    "valley",
    "canyon",
    "meadow",
    "tower",
    "circuit",
    "signal",
    "mirror",
    "compass",
    "anchor",
    "harvest",
    "thunder",
    "ember",
    "harbour",
    "summit",
    "voyage",
    "island",
    "fortress",
    "cathedral",
    "archive",
    "station",
    "tide",
]
_PLACES = [
    "Avalon",
    "Brighton",
    "Carver",
    "Dunmore",
    "Elkhart",
    "Fairhaven",
    "Glenrock",
    "Hollis",
    "Ivers",
    "Juniper",
]
_NO_KEYWORD = (
    "The cast gathered for a photo shoot in Los Angeles on Tuesday.",
    "Our critic names the best podcasts of the week, from true crime to comedy.",
    "Box office: a superhero sequel tops the weekend with $90 million.",
    "The most memorable red carpet looks of the decade, in photos.",
)


def big_catalogue(size: int = SHOWS) -> Catalogue:
    """The seed catalogue plus synthetic titles up to `size` shows (same every run)."""
    catalogue = Catalogue.default()
    rng = random.Random(20250301)
    while len(catalogue) < size:
        shape = rng.randrange(3)
        adjective, noun = rng.choice(_ADJECTIVES).title(), rng.choice(_NOUNS).title()
        if shape == 0:
            name = f"The {adjective} {noun}"
        elif shape == 1:
            name = f"{rng.choice(_PLACES)} {noun} {rng.randrange(1, 999)}"
        else:
            name = f"{adjective} {noun} of {rng.choice(_PLACES)}"
        catalogue.add(Show(name))
    return catalogue


def no_keyword_entries() -> list[Entry]:
    published = datetime(2025, 3, 1, tzinfo=UTC)
    return [
        Entry(key=str(i), title=text, summary=_NO_KEYWORD[(i + 1) % 4], published=published)
        for i, text in enumerate(_NO_KEYWORD)
    ]


def corpus_sets(limit: int | None = None) -> dict[str, list[Entry]]:
    """The news corpus as entries: all, announcing, not announcing (`limit` each)."""
    items = read_items()[:limit]
    return {
        "news corpus": [entry_from_item(item) for item in items],
        "  announcing": [entry_from_item(item) for item in items if item["labels"]],
        "  not announcing": [entry_from_item(item) for item in items if not item["labels"]],
    }


def per_entry_us(
    function: Callable[[Entry, Catalogue], object],
    entries: Sequence[Entry],
    catalogue: Catalogue,
    repeats: int,
) -> list[float]:
    """Best-of-`repeats` µs for each entry."""
    best = [float("inf")] * len(entries)
    for _ in range(repeats):
        for index, entry in enumerate(entries):
            started = time.perf_counter_ns()
            function(entry, catalogue)
            best[index] = min(best[index], (time.perf_counter_ns() - started) / 1000)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per entry (best counts)")
    parser.add_argument("--limit", type=int, help="only the first N corpus items (smoke runs)")
    args = parser.parse_args(argv)

    catalogue = big_catalogue()
    sets = corpus_sets(args.limit)
    sets["no keyword"] = no_keyword_entries()
    functions: dict[str, Callable[[Entry, Catalogue], object]] = {
        "read_entry": read_entry,
        "recognise": recognise,
        "mentioned_shows": mentioned_shows,
    }
    print(f"{len(catalogue)} shows; µs per entry, best of {args.repeats} runs each\n")
    print(f"{'corpus':<22}{'entries':>8}" + "".join(f"{f + ' med/mean':>26}" for f in functions))
    for name, entries in sets.items():
        row = f"{name:<22}{len(entries):>8}"
        for function in functions.values():
            function(entries[0], catalogue)  # warm caches and lazy compiles
            times = per_entry_us(function, entries, catalogue, args.repeats)
            row += f"{statistics.median(times):>17.0f} / {statistics.fmean(times):>5.0f}"
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
