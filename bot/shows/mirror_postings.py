"""The postings of TVmaze's show names in memory (`MirrorPostings`): which TVmaze shows use
each word, so that a running bot finds the typo candidates of a lookup (stored.py) as
`CompactIndex._candidates` finds them, without asking the store to meet them.

Why in memory: the store meets a typo's word groups by testing each show of the rarest
group for the others' words, an index probe each (1.5-3 ms for the slowest lookups at
100,000 shows, the tail of `/when`); sets of a few thousand show numbers meet in a tenth
of that. Why this is small: each show is a number (its rank in name-key order), each word
an array of those, ~2.5 MB for 100,000 shows' ~320,000 postings; the names themselves stay
in the store, which returns the few shows chosen.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Collection, Iterable, Sequence
from itertools import pairwise


class MirrorPostings:
    """Which TVmaze shows use each word of their names (aliases included), as ranks: the
    shows read at the start are ranked in name-key order, those taken in later (`add`)
    after them, in no order (the store's rows give their keys)."""

    def __init__(self, shows: Iterable[int], leave_out: Collection[int] = ()) -> None:
        """`shows`: the TVmaze shows' ids in name-key order; `leave_out`: ids of shows kept
        in memory (the name search leaves them out, see `KnownShows`). Their words come
        next (`take`), then `settle`."""
        self._ids: array[int] = array("q", (i for i in shows if i not in leave_out))
        self._ordered = len(self._ids)  # ranks below this are in name-key order
        # Each show's rank found by bisection while the words are taken: a dict of them
        # would cost ~10 MB at 100,000 shows, and the process would keep that memory.
        # (ids sorted, the rank of each), until `settle`.
        by_id = sorted(range(len(self._ids)), key=self._ids.__getitem__)
        self._placing: tuple[array[int], array[int]] | None = (
            array("q", (self._ids[at] for at in by_id)),
            array("i", by_id),
        )
        self._postings: dict[str, array[int]] = {}
        self._gone: set[int] = set()  # ranks of shows left out since (renamed, kept in memory)
        # Each rank's words as one text, " word word ": a prefix is then one substring test
        # in C (a generator over each show's words cost five times more). Laid by `settle`.
        self._texts: list[str] = []

    def take(self, postings: Iterable[tuple[str, int]]) -> None:
        """(word, show id) of the shows' spellings' words, in pages of any size."""
        assert self._placing is not None, "taken after settling"
        ids, ranks = self._placing
        for word, show_id in postings:
            at = bisect.bisect_left(ids, show_id)
            if at < len(ids) and ids[at] == show_id:
                self._posting(word).append(ranks[at])

    def settle(self) -> None:
        """Every word taken: lay out each show's words, and forget what placed them."""
        self._placing = None
        # Each rank's words one after the other (a list of the postings' own strings), by
        # counting: lists per show would cost ~8 MB more at the peak.
        starts = array("i", [0])
        counts = array("i", bytes(4 * len(self._ids)))
        for posting in self._postings.values():
            for at in posting:
                counts[at] += 1
        for count in counts:
            starts.append(starts[-1] + count)
        words = [""] * starts[-1]
        filled = array("i", starts[:-1])
        for word, posting in self._postings.items():
            for at in posting:
                words[filled[at]] = word
                filled[at] += 1
        self._texts = [f" {' '.join(words[a:b])} " for a, b in pairwise(starts)]

    def __len__(self) -> int:
        return len(self._ids) - len(self._gone)

    def count(self, word: str) -> int:
        """How many shows use `word` (the shows left out since included)."""
        return len(self._postings.get(word, ()))

    def candidates(self, groups: Sequence[Iterable[str]], limit: int) -> list[int]:
        """The ids of the shows using a word of each group, as `CompactIndex._candidates`
        keeps them: the groups' shows met smallest first, a group meeting none of the shows
        kept so far skipped. At most `limit` of those ranked in name-key order (the first),
        and every one taken in later: the caller orders those by the keys the store gives
        and keeps `limit`."""
        sets = [self._shows(group) for group in groups]
        if not sets:
            return []
        sets.sort(key=len)
        chosen = sets[0]
        for other in sets[1:]:
            both = chosen & other
            if both:
                chosen = both
        return self._first(sorted(chosen), limit)

    def using(self, whole: Sequence[str], prefix: str, limit: int) -> list[int]:
        """The ids of the shows using every word of `whole` (one or more) and a word
        starting with `prefix`, as the store's "words" part finds them (`NameSearch`): at
        most `limit` in name-key order, and every one taken in later (see `candidates`)."""
        sets = sorted((self._shows((word,)) for word in whole), key=len)
        texts, start = self._texts, f" {prefix}"
        ranks = [at for at in sorted(sets[0].intersection(*sets[1:])) if start in texts[at]]
        return self._first(ranks, limit)

    def add(self, show_id: int, words: Iterable[str]) -> None:
        """Take in a show mirrored (or renamed) since: its words are those of its spellings'
        loose keys."""
        at = len(self._ids)
        self._ids.append(show_id)
        unique = set(words)
        for word in unique:
            self._posting(word).append(at)
        self._texts.append(f" {' '.join(unique)} ")

    def drop(self, show_id: int) -> None:
        """Leave a show out from now on (renamed: `add` takes its new words; or kept in
        memory). A scan of the ranks (in C, well under a millisecond), for a rare event."""
        at = -1
        while True:
            try:
                at = self._ids.index(show_id, at + 1)
            except ValueError:
                return
            self._gone.add(at)

    def _first(self, ranks: list[int], limit: int) -> list[int]:
        """The ids of sorted `ranks`: at most `limit` of those in name-key order, then every
        one taken in later (slicing in C: a generator picking them cost five times more)."""
        cut = bisect.bisect_left(ranks, self._ordered)
        return [self._ids[at] for at in (*ranks[: min(cut, limit)], *ranks[cut:])]

    def _shows(self, group: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for word in group:
            found.update(self._postings.get(word, ()))
        if self._gone:
            found -= self._gone
        return found

    def _posting(self, word: str) -> array[int]:
        posting = self._postings.get(word)
        if posting is None:
            posting = self._postings[word] = array("i")
        return posting
