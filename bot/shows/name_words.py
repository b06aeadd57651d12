"""What prefix and fuzzy matching read of a `ShowIndex`'s names (lookup.py): each loose
spelling of a show (a "choice") with the index slot that owns it, word postings, the
vocabulary by length and sorted, and each key from each of its words on, sorted."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from bot.shows.fuzzy import score_all, shortlist


class NameWords:
    """The word structures of an index's names, built in a batch (`add`, then `finish`)
    or one show at a time (`add(..., insort=True)`)."""

    def __init__(self) -> None:
        self.choices: list[str] = []  # loose keys for fuzzy matching
        self._owner: list[int] = []  # slot of each choice
        self._postings: dict[str, list[int]] = {}  # word -> choices containing it
        # Distinct words by length, in the order met: a word can only be `_NEAR_WORD` close
        # by edit ratio to words of about its length (see fuzzy.py's `_near_lengths`).
        self.vocab: dict[int, list[str]] = {}
        self._vocab_sorted: list[str] = []
        self.starts: list[tuple[str, int, int]] = []  # (key from a word on, word no, choice)

    def add(self, slot: int, looses: Iterable[str], *, insort: bool) -> None:
        """The loose spellings of the show at `slot`; `insort` keeps the sorted lists
        sorted (else `finish` sorts them once the batch is in)."""
        for loose in looses:
            choice = len(self.choices)
            self.choices.append(loose)
            self._owner.append(slot)
            words = loose.split()
            for number, word in enumerate(words):
                if word not in self._postings:
                    self._postings[word] = []
                    self.vocab.setdefault(len(word), []).append(word)
                    if insort:
                        bisect.insort(self._vocab_sorted, word)
                    else:
                        self._vocab_sorted.append(word)
                self._postings[word].append(choice)
                start = (" ".join(words[number:]), number, choice)
                if insort:
                    bisect.insort(self.starts, start)
                else:
                    self.starts.append(start)

    def finish(self) -> None:
        """Sort what a batch of `add`s appended, and lay the choices out afresh, one after
        the other in memory: every fuzzy query reads all of them (~11,000 at 100,000
        shows), and read where they were made, among each show's other objects, they
        cost a quarter more (~0.2 ms a query)."""
        self.starts.sort()
        self._vocab_sorted.sort()
        self.choices = [_copy(choice) for choice in self.choices]

    def prefixed(self, key: str, *, whole: bool, cap: int) -> list[int]:
        """Slots whose key starts with `key` (whole) or has a later word starting with it,
        in alphabetical order of the matching part; at most `cap` entries are read."""
        slots: list[int] = []
        index = bisect.bisect_left(self.starts, (key,))
        for start, number, choice in self.starts[index : index + cap * 4]:
            if not start.startswith(key):
                break
            if (number == 0) == whole:
                slots.append(self._owner[choice])
                if len(slots) >= cap:
                    break
        return slots

    def scored(self, key: str, cutoff: float) -> dict[int, float]:
        """Each slot's best fuzzy score over its spellings (fuzzy.py's `score`), for the
        slots scoring at least `cutoff`; only the shortlist is scored."""
        if not self.choices:
            return {}
        indices = sorted(
            shortlist(key, self.choices, self._postings, self.vocab, self._vocab_sorted)
        )
        scores = score_all(key, [self.choices[index] for index in indices])
        best: dict[int, float] = {}
        for index, value in zip(indices, scores, strict=True):
            slot = self._owner[index]
            if value >= cutoff and value > best.get(slot, -1.0):
                best[slot] = value
        return best


def _copy(text: str) -> str:
    """A new string equal to `text` (slicing and `str()` return `text` itself)."""
    return (" " + text)[1:]
