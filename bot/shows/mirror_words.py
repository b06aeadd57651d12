"""The vocabulary of TVmaze's show names (`MirrorWords`): which words a typed word may
mean, and how many shows use each, for the store's name search (stored.py); in a running
bot, also which shows use each (`MirrorPostings`).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from bot.models import Show
from bot.shows.compact import _COMMON_WORD, _MAX_PREFIX_WORDS, _NEAR_WORD
from bot.shows.mirror_postings import MirrorPostings
from bot.shows.names import PREFIX_END, loose_key

# The words part of a search meets the postings of its words when they are this few in
# all, and not many more than the rarest whole word's (whose postings the other way reads,
# testing each show's words: ~8x the cost of a posting read in a range on both engines).
_MEET_POSTINGS = 8_000
_MEET_SPREAD = 6
_MEET_WORDS = 512  # words a prefix may stand for (each a range of postings to count)


class MirrorWords:
    """The vocabulary of TVmaze's show names with how many shows use each word: what
    `CompactIndex` keeps to pick the words a typed word may mean; its postings only in a
    running bot (`held`)."""

    def __init__(
        self,
        counts: Iterable[tuple[str, int]] = (),
        spellings: Iterable[str] | None = None,
        postings: MirrorPostings | None = None,
    ) -> None:
        """`counts`: (word, shows using it); `spellings`: the loose keys of the shows'
        spellings, when read (`may_name` is then sure of more texts); `postings`, when
        read, find the typo candidates in memory (`held`, see stored.py)."""
        self.held = postings
        self._counts: dict[str, int] = {}
        self._sorted: list[str] = []
        # Words by (length, first letter) and (length, second letter), as CompactIndex.
        self._by_start: dict[tuple[int, int, str], list[str]] = {}
        for word, count in sorted(counts):
            self._counts[word] = count
            self._sorted.append(word)
            self._file(word)
        # Hashes of the spellings' loose keys, sorted: under 1 MB for TVmaze's index, where
        # a set of the keys would take tens. Only ever says a key may be there.
        self._spellings: array[int] | None = None
        if spellings is not None:
            self._spellings = array("q", sorted({hash(key) for key in spellings if key}))

    def __len__(self) -> int:
        return len(self._counts)

    def count(self, word: str) -> int:
        """How many TVmaze shows use `word`."""
        return self._counts.get(word, 0)

    def knows(self, key: str) -> bool:
        """Whether some TVmaze show uses each word of the loose key `key`, as a spelling
        named exactly by it must."""
        return all(word in self._counts for word in key.split())

    def may_name(self, key: str) -> bool:
        """Whether a TVmaze spelling may have the loose key `key`: each of its words is
        used (see `knows`) and, when the spellings were read, a spelling's key hashes as
        it does. False only when none has it (as of what this vocabulary took in)."""
        if not self.knows(key):
            return False
        if self._spellings is None:
            return True
        wanted = hash(key)
        at = bisect.bisect_left(self._spellings, wanted)
        return at < len(self._spellings) and self._spellings[at] == wanted

    def add(self, show: Show, *, renamed: bool = False) -> None:
        """Count the words of a show newly mirrored or `renamed` (and take in its
        spellings; the words of its former name keep their counts, an upper bound)."""
        keys = {loose_key(spelling) for spelling in (show.name, *show.aliases)} - {""}
        if self._spellings is not None:
            for key in keys:
                wanted = hash(key)
                at = bisect.bisect_left(self._spellings, wanted)
                if at == len(self._spellings) or self._spellings[at] != wanted:
                    self._spellings.insert(at, wanted)
        words = {w for key in keys for w in key.split()}
        if self.held is not None and show.id is not None:
            if renamed:
                self.held.drop(show.id)
            self.held.add(show.id, words)
        for word in words:
            if word not in self._counts:
                bisect.insort(self._sorted, word)
                self._file(word)
            self._counts[word] = self._counts.get(word, 0) + 1

    def shows_using(self, key: str, enough: int) -> int:
        """At most how many TVmaze shows use every word of the loose key `key`, the last
        as a prefix (all that `candidates_for_suggest` can find without typos), or `enough`
        if that many may: an upper bound, from the counts alone."""
        *whole, prefix = key.split()
        bound = min([enough, *(self._counts.get(word, 0) for word in whole)])
        total = 0
        at = bisect.bisect_left(self._sorted, prefix)
        while total < bound and at < len(self._sorted) and self._sorted[at].startswith(prefix):
            total += self._counts[self._sorted[at]]
            at += 1
        return min(total, bound)

    def postings(self, prefix: str, enough: int) -> int:
        """How many postings the words starting with `prefix` have, or `enough` if they
        have at least that many (or are too many words to count)."""
        at = bisect.bisect_left(self._sorted, prefix)
        last = min(len(self._sorted), at + _MEET_WORDS + 1)
        end = bisect.bisect_left(self._sorted, prefix + PREFIX_END, at, last)
        if end > at + _MEET_WORDS:
            return enough
        return min(enough, sum(self._counts[word] for word in self._sorted[at:end]))

    def meet(self, whole: Iterable[str], prefix: str) -> bool:
        """Whether shows using every word of `whole` and one starting with `prefix` are
        found cheaper by meeting all their postings than by testing the rarest word's shows
        (see `_MEET_POSTINGS`); from the counts alone, so never changing what is found."""
        counts = [self.count(word) for word in whole]
        if not counts:
            return False
        bound = min(_MEET_POSTINGS, _MEET_SPREAD * min(counts)) + 1
        return sum(counts) + self.postings(prefix, bound) < bound

    def meet_prefix(self, whole: Sequence[str], prefix: str) -> bool:
        """Whether, when the shows using every word of `whole` (two or more, rarest first)
        and one starting with `prefix` are not found by meeting all their postings
        (`meet`), meeting the rarest word's with the prefix's is cheaper than testing the
        rarest word's shows, by `meet`'s measure (a common second word, "legacy & hu": 2,175
        shows of "legacy" tested for "and" and a word starting "hu")."""
        if len(whole) < 2 or self.meet(whole, prefix):
            return False
        bound = min(_MEET_POSTINGS, _MEET_SPREAD * self.count(whole[0])) + 1
        return self.count(whole[0]) + self.postings(prefix, bound) < bound

    def meet_groups(self, groups: Sequence[tuple[str, ...]]) -> bool:
        """Whether the shows using a word of each of `groups` (rarest first, as `groups`
        orders them) are found cheaper by meeting all their postings (see `meet`)."""
        return len(groups) >= 2 and self.groups_to_meet(groups) == len(groups)

    def groups_to_meet(self, groups: Sequence[tuple[str, ...]]) -> int:
        """How many of `groups` (rarest first), from the first, have postings few enough to
        be met (by `meet`'s measure), the shows met on being tested for the others' words:
        testing each of the rarest group's shows for the second's words costs more than
        reading both (at 100,000 shows, "secrte sisters ... seona" tested 1,203 shows of
        "sister(s)" for "secret": 3.2 ms on PostgreSQL, 1.9 with the 2,429 postings of the
        two met); 0 when fewer than two."""
        sizes = [sum(self.count(word) for word in group) for group in groups]
        bound = min(_MEET_POSTINGS, _MEET_SPREAD * sizes[0]) if sizes else 0
        total, count = 0, 0
        for size in sizes:
            total += size
            if total > bound:
                break
            count += 1
        return count if count >= 2 else 0

    def _file(self, word: str) -> None:
        for position in (0, 1)[: len(word)]:
            self._by_start.setdefault((len(word), position, word[position]), []).append(word)

    def groups(self, key: str) -> list[tuple[str, ...]]:
        """`CompactIndex._candidates`' word groups for the loose key `key`: per typed word,
        the words it stands for, when they say enough (used by at most `_COMMON_WORD`
        shows), rarest first."""
        groups: list[tuple[int, tuple[str, ...]]] = []
        for token in dict.fromkeys(key.split()):
            words: set[str] = {token} if token in self._counts else set()
            if len(token) >= 4:
                words |= self._near(token)
            if len(token) >= 3:
                start = bisect.bisect_left(self._sorted, token)
                for word in self._sorted[start : start + _MAX_PREFIX_WORDS]:
                    if not word.startswith(token):
                        break
                    words.add(word)
            size = sum(self._counts[word] for word in words)
            if words and size <= _COMMON_WORD:
                groups.append((size, tuple(sorted(words))))
        return [words for _, words in sorted(groups)]

    def _near(self, token: str) -> set[str]:
        near: set[str] = set()
        spread = 1 if len(token) < 10 else 2
        for length in range(len(token) - spread, len(token) + spread + 1):
            for position in (0, 1):
                words = self._by_start.get((length, position, token[position]))
                if words:
                    near.update(
                        word
                        for word, _, _ in process.extract(
                            token, words, scorer=fuzz.ratio, score_cutoff=_NEAR_WORD, limit=None
                        )
                    )
        return near
