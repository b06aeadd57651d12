"""Feature names built once and shared: most features are a fixed prefix and a word, and
the same words come back entry after entry. Building "R|w=season" anew for every proposal
costs more than looking it up; a shared string also keeps its hash, so the model's weight
look-up and the de-duplication of a feature list do not hash it again.

The tables only ever hold what the f-string would have built (same text), so features are
the same whether a name is found here or made. A long-running bot must not keep every word
it has ever read: all tables together keep at most LIMIT names (a few megabytes), the first
ones met, which are mostly the common ones; any other name is made each time, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

LIMIT = 32_768
_held = [0]  # names kept in all tables


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
            self[key] = name
        return name
