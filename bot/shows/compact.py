"""A compact name index for a catalogue of 100,000 shows (the TVmaze mirror).

`ShowIndex` (lookup.py) keeps rich structures per show — every word-suffix of every name,
a full edit-distance pass over every key — which cost ~1.4 KB and ~0.2 ms of build per
show and ~20 ms per fuzzy query at 100,000 shows. This index keeps only what answers
exact, prefix and typo-tolerant queries in well under a millisecond:

* `_keys`, sorted, with `_key_slot`: the loose key (see `lookup.loose_key`) of every
  spelling (name and aliases). An exact name is one bisection; names starting with what
  the user typed are one bisection and a scan.
* `_vocab`, sorted, with `_postings`: every distinct word and the shows using it. A word
  the user has started typing is a bisection into the vocabulary; a typo is found by
  comparing the typed word with the vocabulary's words of about the same length only
  (`_by_length`), which is where rapidfuzz spends its time, not on every name.
* Shows live in parallel lists by slot (name, network, aliases only where there are any);
  `Show` objects are made when asked for. The slot of an id is a dict lookup: the index
  now holds the few hundred candidates of one query (bot/shows/stored.py), whose ids are
  sparse, and a table as long as the largest id cost more than the rest of its build.

Strings are the only per-show objects, so 100,000 shows take ~25 MB and build from the
store's (id, name, name key, network) rows in a few hundred milliseconds. Every answer is
deterministic: ties are broken by key, then slot order. The data, its bulk build and its
changes are `CompactData`'s (compact_data.py); this module answers the queries.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.models import Show
from bot.shows.compact_data import CompactData, loose
from bot.shows.fuzzy import score_all
from bot.shows.names import name_key

__all__ = ["CompactIndex", "ExactMatch"]

_NEAR_WORD = 80.0  # a typed word this close to a vocabulary word counts as that word
_COMMON_WORD = 5000  # a typed word standing for more shows says too little to shortlist by
_MAX_PREFIX_WORDS = 48  # vocabulary words taken for one typed prefix
_MAX_CANDIDATES = 150  # shows scored in full for one fuzzy query


def _has(posting: array[int], slot: int) -> bool:
    at = bisect.bisect_left(posting, slot)
    return at < len(posting) and posting[at] == slot


@dataclass(frozen=True, slots=True)
class ExactMatch:
    """Shows whose name or alias has the key of the text: `show` when one is meant (a name
    beats another show's alias), `shows` all of them."""

    show: Show | None
    shows: tuple[Show, ...]


class CompactIndex(CompactData):
    """Names, aliases and words of many shows; answers exact, prefix and fuzzy queries."""

    # -- exact -----------------------------------------------------------------------------

    def _slots_with_key(self, key: str) -> list[int]:
        at = bisect.bisect_left(self._keys, key)
        slots: list[int] = []
        while at < len(self._keys) and self._keys[at] == key:
            if self._key_slot[at] not in slots:
                slots.append(self._key_slot[at])
            at += 1
        return slots

    def get(self, name: str) -> Show | None:
        """The show whose name, or single owner's alias, has the name key of `name`."""
        key = name_key(name)
        if not key:
            return None
        slots = [
            slot
            for slot in self._slots_with_key(loose(key))
            if self._name_keys[slot] == key
            or any(name_key(alias) == key for alias in self._aliases.get(slot, ()))
        ]
        named = [slot for slot in slots if self._name_keys[slot] == key]
        if named:
            return self._show(min(named, key=self._order))
        return self._show(slots[0]) if len(slots) == 1 else None

    def exact(self, text: str) -> ExactMatch:
        """Shows named exactly by `text` (name key, then loose key; see `ExactMatch`)."""
        found = self.get(text)
        key = loose(name_key(text))
        slots = self._slots_with_key(key) if key else []
        if found is not None:
            return ExactMatch(found, (found,))
        named = [slot for slot in slots if loose(self._name_keys[slot]) == key]
        winner = min(named, key=self._order) if named else (slots[0] if len(slots) == 1 else None)
        return ExactMatch(
            None if winner is None else self._show(winner),
            tuple(self._show(slot) for slot in sorted(slots, key=self._order)),
        )

    def _order(self, slot: int) -> tuple[str, str]:
        return (self._name_keys[slot], self._names[slot])

    # -- prefixes --------------------------------------------------------------------------

    def starting_with(self, key: str, cap: int) -> list[Show]:
        """Shows with a spelling whose loose key starts with `key`, alphabetically."""
        at = bisect.bisect_left(self._keys, key)
        slots: dict[int, None] = {}
        while at < len(self._keys) and len(slots) < cap and self._keys[at].startswith(key):
            slots.setdefault(self._key_slot[at])
            at += 1
        return [self._show(slot) for slot in slots]

    def _word_at(self, word: str) -> int | None:
        at = bisect.bisect_left(self._vocab, word)
        return at if at < len(self._vocab) and self._vocab[at] == word else None

    def _prefix_words(self, prefix: str) -> range:
        """Positions in the vocabulary of the words starting with `prefix` (capped)."""
        start = bisect.bisect_left(self._vocab, prefix)
        end = start
        while (
            end < len(self._vocab)
            and end - start < _MAX_PREFIX_WORDS
            and self._vocab[end].startswith(prefix)
        ):
            end += 1
        return range(start, end)

    def with_words(self, key: str, cap: int) -> list[Show]:
        """Shows using every typed word, the last one as a prefix ("dome" finds "Under the
        Dome", "sea bur" finds "Burning Sea"), alphabetically; at most `cap`."""
        words = key.split()
        if not words:
            return []
        self.prepare_words()
        *whole, prefix = words
        if whole:
            postings = []
            for word in whole:
                position = self._word_at(word)
                if position is None:
                    return []
                postings.append(self._postings[position])
            postings.sort(key=len)
            common = set(postings[0]).intersection(*postings[1:])
            if len(common) > 200:  # cheaper in C: the shows with a word of that prefix
                starting: set[int] = set()
                for position in self._prefix_words(prefix):
                    starting.update(self._postings[position])
                found = list(common & starting)
            else:
                found = [
                    slot
                    for slot in common
                    if any(w.startswith(prefix) for w in loose(self._name_keys[slot]).split())
                ]
        else:
            last: set[int] = set()
            for position in self._prefix_words(prefix):
                last.update(self._postings[position])
                if len(last) > cap * 8:
                    break  # a short, common prefix: enough to pick from
            found = list(last)
        ordered = heapq.nsmallest(cap, found, key=self._name_keys.__getitem__)
        return [self._show(slot) for slot in ordered]

    # -- fuzzy -----------------------------------------------------------------------------

    def _near_words(self, token: str) -> set[str]:
        """Vocabulary words a typed word may be a typo of: about as long, sharing its first
        or its second letter, and close by edit ratio."""
        near: set[str] = set()
        by_start = self._words_by_start()
        spread = 1 if len(token) < 10 else 2
        for length in range(len(token) - spread, len(token) + spread + 1):
            for position in (0, 1):
                words = by_start.get((length, position, token[position]))
                if not words:
                    continue
                near.update(
                    word
                    for word, _, _ in process.extract(
                        token, words, scorer=fuzz.ratio, score_cutoff=_NEAR_WORD, limit=None
                    )
                )
        return near

    def _candidates(self, key: str) -> list[int]:
        """The shows worth scoring in full. Each typed word stands for the shows using it,
        a word it may be a typo of, or (3+ letters) a word it starts; the shows all the
        informative words agree on are kept, rarest word first (at most `_MAX_CANDIDATES`,
        alphabetically)."""
        groups: list[list[int]] = []
        for token in dict.fromkeys(key.split()):
            positions: set[int] = set()
            exact = self._word_at(token)
            if exact is not None:
                positions.add(exact)
            if len(token) >= 4:
                positions.update(
                    p for w in self._near_words(token) if (p := self._word_at(w)) is not None
                )
            if len(token) >= 3:
                positions.update(self._prefix_words(token))
            if positions and sum(len(self._postings[p]) for p in positions) <= _COMMON_WORD:
                groups.append(sorted(positions))
        if not groups:
            return []
        sets = sorted(
            (set().union(*(self._postings[p] for p in group)) for group in groups), key=len
        )
        chosen: set[int] = sets[0]
        for other in sets[1:]:
            both = chosen & other
            if both:
                chosen = both
        return heapq.nsmallest(_MAX_CANDIDATES, chosen, key=self._name_keys.__getitem__)

    def fuzzy(self, key: str, cutoff: float) -> list[tuple[Show, float]]:
        """(show, score) for shows scoring at least `cutoff` against the loose key `key`
        (the measure of `fuzzy.score`), best first, ties by name key then name."""
        return [(show, -negated) for negated, _, show in self.ranked_fuzzy(key, cutoff)]

    def ranked_fuzzy(self, key: str, cutoff: float) -> list[tuple[float, tuple[str, str], Show]]:
        """`fuzzy` as (-score, (name key, name), show): the order of the answers, for
        merging with another index's (`ShowIndex._ranked`). Scored as `ShowIndex` scores
        (fuzzy.py's `score_all`)."""
        if not key:
            return []
        self.prepare_words()
        slots = self._candidates(key)
        if not slots:
            return []
        keys: list[str] = []
        owners: list[int] = []
        for slot in slots:
            for spelling_key in self._spelling_keys(slot):
                keys.append(spelling_key)
                owners.append(slot)
        best: dict[int, float] = {}
        for slot, value in zip(owners, score_all(key, keys), strict=True):
            if value >= cutoff and value > best.get(slot, -1.0):
                best[slot] = value
        ranked = sorted((-value, self._order(slot), slot) for slot, value in best.items())
        return [(negated, order, self._show(slot)) for negated, order, slot in ranked]
