"""Feature names built once and shared: most features are a fixed prefix and a word, and
the same words come back entry after entry. Building "R|w=season" anew for every proposal
costs more than looking it up; a shared string also keeps its hash, so the model's weight
look-up and the de-duplication of a feature list do not hash it again.

The tables only ever hold what the f-string would have built (same text), so features are
the same whether a name is found here or made. The model's own names are not interned
(`_model`): the interpreter's table of interned strings would grow by 5 MiB for them, and
interned or not, finding a weight took the same time (measured per entry, paired).
A long-running bot must not keep every word it has ever read: all tables together keep at
most LIMIT names (a few megabytes), the first ones met, which are mostly the common ones,
and beyond those only names the shipped model weighs (`weighed_by`: at most its size,
whatever the bot reads); any other name is made each time, as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Mapping
from typing import Any

LIMIT = 32_768
_held = [0]  # names kept in all tables
_unweighed = [0]  # keys of features no model weighs, kept in all `Weights` tables
# The shipped model's parts: a name one of them weighs is kept beyond LIMIT. Asked of the
# parts themselves (only past LIMIT): a set of all their names would cost 4 MiB more.
_weighed: list[Mapping[str, float]] = []


def weighed_by(*weights: Mapping[str, float]) -> None:
    """Keep, beyond LIMIT, every name these weights know (the shipped model's, once)."""
    _weighed.extend(weights)


class Names(dict[Hashable, str]):
    """A feature name per key (a word, or a tuple of words), made by `make` on first use;
    a string `make` is a prefix for word keys (then made in C, with no Python call)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[Any], str] | str) -> None:
        super().__init__()
        self._make: Callable[[Any], str] = make.__add__ if isinstance(make, str) else make

    def __missing__(self, key: Hashable) -> str:
        name: str = self._make(key)
        if _held[0] < LIMIT:
            _held[0] += 1
            self[key] = name = sys.intern(name)
        elif any(name in part for part in _weighed):
            self[key] = name  # not interned: that table would keep it for good
        return name


class Weights(dict[Hashable, float]):
    """The weight under one model of the feature a `Names` table names for each key: what
    scoring needs, found in one look-up, without the name. The same float the model gives
    that name (0.0 for a name it does not weigh). Keeps every key whose feature the model
    weighs (so at most the model's size) and, within LIMIT for all tables, the others."""

    __slots__ = ("_names", "_weights")

    def __init__(self, names: Names, weights: Mapping[str, float]) -> None:
        super().__init__()
        self._names = names
        self._weights = weights

    def __missing__(self, key: Hashable) -> float:
        weight = self._weights.get(self._names[key], 0.0)
        if weight:
            self[key] = weight
        elif _unweighed[0] < LIMIT:
            _unweighed[0] += 1
            self[key] = weight
        return weight
