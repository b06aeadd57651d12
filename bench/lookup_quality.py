"""How `/when` and `/watch` read what people type, over the shipped shows.

    python bench/lookup_quality.py [--names 600] [--seed 7]

Two kinds of query, made deterministically from the seed:
* typos: a sample of shipped show names with one and with two slips each (a letter
  dropped, replaced, or two swapped). Each is *found* (taken as that show), *offered* (in
  the did-you-mean list) or *lost*;
* invented titles (two common title words, "The X", "X of Y"; none a shipped name): a
  show nobody knows yet. Each is *taken* as some other show (a wrong answer), *offered*
  near names (did-you-mean), or finds nothing.

Prints the counts: the trade between answering typos at once and never answering a new
title as a known one.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import Show
from bot.shows.catalogue import seed_shows
from bot.shows.lookup import ShowIndex
from bot.shows.names import name_key

_ADJECTIVES = [
    "velvet",
    "crystal",
    "silent",
    "broken",
    "golden",
    "hidden",
    "crimson",
    "quiet",
    "northern",
    "wild",
    "bitter",
    "lucky",
    "hollow",
    "scarlet",
    "iron",
    "paper",
    "glass",
    "distant",
    "lonely",
    "electric",
    "frozen",
    "burning",
    "winter",
    "summer",
    "midnight",
]
_NOUNS = [
    "meridian",
    "harbour",
    "orchard",
    "river",
    "kingdom",
    "garden",
    "signal",
    "empire",
    "theory",
    "station",
    "witness",
    "lantern",
    "compass",
    "valley",
    "frontier",
    "archive",
    "tide",
    "circuit",
    "mirror",
    "pilgrim",
    "canyon",
    "harvest",
]
_PLACES = (
    "Quillon Bay",
    "Marrow Creek",
    "Ashby Falls",
    "Dunmore Point",
    "Halloway Street",
    "Penrith Lane",
    "Corvin Heights",
    "Elmsworth",
)


def _slipped(name: str, slips: int, rng: random.Random) -> str:
    letters = list(name)
    for _ in range(slips):
        at = rng.randrange(len(letters))
        kind = rng.choice("drs")
        if kind == "d" and len(letters) > 3:
            del letters[at]
        elif kind == "r":
            letters[at] = rng.choice(string.ascii_lowercase)
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def _invented(count: int, known: set[str], rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        roll = rng.random()
        if roll < 0.5:
            name = f"{rng.choice(_ADJECTIVES).title()} {rng.choice(_NOUNS).title()}"
        elif roll < 0.75:
            name = f"The {rng.choice(_NOUNS).title()}"
        elif rng.random() < 0.3:
            name = rng.choice(_PLACES)
        else:
            name = f"{rng.choice(_NOUNS).title()} of {rng.choice(_PLACES)}"
        if name_key(name) not in known:
            names.add(name)
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=600, help="names of each kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    shows: list[Show] = list(seed_shows())
    known = {name_key(show.name) for show in shows}
    index = ShowIndex(shows)
    typos = [
        (show, text)
        for show in rng.sample(shows, min(args.names, len(shows)))
        for slips in (1, 2)
        if name_key(text := _slipped(show.name.lower(), slips, rng)) not in known
    ]
    found = offered = lost = 0
    for show, text in typos:
        result = index.lookup(text)
        key = name_key(show.name)
        if result.show is not None and name_key(result.show.name) == key:
            found += 1
        elif any(name_key(c.name) == key for c in result.candidates):
            offered += 1
        else:
            lost += 1
    taken = near = nothing = 0
    examples: list[str] = []
    for name in _invented(args.names, known, rng):
        result = index.lookup(name)
        if result.show is not None:
            taken += 1
            if len(examples) < 5:
                examples.append(f"{name} -> {result.show.name}")
        elif result.candidates:
            near += 1
        else:
            nothing += 1
    print(f"{len(shows)} shows")
    print(
        f"typos, {len(typos)}: found {found} ({found / len(typos):.1%}), offered {offered}, "
        f"lost {lost} ({lost / len(typos):.1%})"
    )
    total = taken + near + nothing
    print(
        f"invented titles, {total}: taken as another show {taken} ({taken / total:.1%}), "
        f"offered near names {near}, nothing {nothing}"
    )
    if examples:
        print("  taken, e.g.: " + "; ".join(examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
