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
deterministic: ties are broken by key, then slot order.
"""

from __future__ import annotations

import bisect
import heapq
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.models import Show
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


def loose(key: str) -> str:
    """The loose key of a name key: the subtitle colon read as a space."""
    return " ".join(key.replace(":", " ").split())


@dataclass(frozen=True, slots=True)
class ExactMatch:
    """Shows whose name or alias has the key of the text: `show` when one is meant (a name
    beats another show's alias), `shows` all of them."""

    show: Show | None
    shows: tuple[Show, ...]


class CompactIndex:
    """Names, aliases and words of many shows; answers exact, prefix and fuzzy queries."""

    def __init__(self) -> None:
        self._ids = array("q")  # slot -> show id
        self._names: list[str] = []  # slot -> name ("" once removed)
        self._name_keys: list[str] = []  # slot -> name key (the order of answers)
        self._networks: list[str | None] = []
        self._aliases: dict[int, tuple[str, ...]] = {}  # slot -> aliases, only when any
        self._slot_of: dict[int, int] = {}  # show id -> slot
        self._keys: list[str] = []  # loose keys of every spelling, sorted
        self._key_slot = array("q")  # parallel to _keys
        self._vocab: list[str] = []  # distinct words, sorted
        self._postings: list[array[int]] = []  # parallel to _vocab: slots using the word
        # Words by (length, first letter) and (length, second letter): a typo rarely changes
        # both of a word's first two letters, so a typed word is compared with these only.
        # Filed at the first typo query (`_near_words`): many indexes never get one.
        self._by_start: dict[tuple[int, int, str], list[str]] | None = None
        self._count = 0
        self._words_ready = True  # an empty index has all its (no) words
        self._words_lock = threading.Lock()

    @classmethod
    def build(
        cls,
        rows: Iterable[tuple[int, str, str, str | None]],
        aliases: Iterable[tuple[int, str]] = (),
    ) -> CompactIndex:
        """An index of (show id, name, name key, network) rows and (show id, alias) pairs,
        built in bulk (one sort per structure)."""
        index = cls()
        index._words_ready = False
        networks: dict[str, str] = {}  # one string object per network name
        ids, names, name_keys, channels = index._ids, index._names, index._name_keys, []
        keys: list[str] = []
        owners: list[int] = []
        for slot, (show_id, name, key, network) in enumerate(rows):
            ids.append(show_id)
            names.append(name)
            name_keys.append(key)
            channels.append(networks.setdefault(network, network) if network else None)
            split = key.replace(":", " ").split()
            keys.append(" ".join(split))
            owners.append(slot)
        index._networks = channels
        index._count = len(names)
        index._slot_of = {show_id: slot for slot, show_id in enumerate(ids)}
        by_id: dict[int, list[str]] = {}
        for show_id, alias in aliases:
            by_id.setdefault(show_id, []).append(alias)
        for show_id, spellings in by_id.items():
            owner = index._slot(show_id)
            if owner is None:
                continue
            index._aliases[owner] = tuple(sorted(set(spellings)))
            for alias in spellings:
                split = name_key(alias).replace(":", " ").split()
                if split:
                    keys.append(" ".join(split))
                    owners.append(owner)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        index._keys = [keys[i] for i in order if keys[i]]
        index._key_slot = array("q", (owners[i] for i in order if keys[i]))
        return index

    def prepare_words(self) -> None:
        """Build the vocabulary and postings (word and typo queries need them). `build`
        leaves them out so start-up only pays for names; call this from a worker thread
        after start-up, or it runs on the first query that needs it. Idempotent."""
        if self._words_ready:
            return
        with self._words_lock:
            if self._words_ready:
                return
            words: dict[str, list[int]] = {}
            for key, slot in zip(self._keys, self._key_slot, strict=True):
                for word in key.split():
                    posting = words.get(word)
                    if posting is None:
                        words[word] = [slot]
                    else:
                        posting.append(slot)
            vocab = sorted(words)
            # Sorted postings: membership is a bisection, and `put` keeps them sorted (a
            # new slot is always the largest).
            self._postings = [array("q", sorted(set(words[word]))) for word in vocab]
            self._vocab = vocab
            self._words_ready = True

    def __len__(self) -> int:
        return self._count

    def merged(self, other: CompactIndex) -> CompactIndex:
        """A new index of this one's shows and `other`'s (the first one's on a shared id),
        built as `build` does, words included."""
        rows: dict[int, tuple[int, str, str, str | None]] = {}
        aliases: list[tuple[int, str]] = []
        for index in (self, other):
            for slot, name in enumerate(index._names):
                show_id = index._ids[slot]
                if name and show_id not in rows:
                    rows[show_id] = (show_id, name, index._name_keys[slot], index._networks[slot])
                    aliases.extend((show_id, alias) for alias in index._aliases.get(slot, ()))
        both = CompactIndex.build(rows.values(), aliases)
        both.prepare_words()
        return both

    def __contains__(self, show_id: object) -> bool:
        return isinstance(show_id, int) and self._slot(show_id) is not None

    def __iter__(self) -> Iterator[Show]:
        for slot, name in enumerate(self._names):
            if name:
                yield self._show(slot)

    # -- changes ---------------------------------------------------------------------------

    def put(self, show: Show) -> None:
        """Add a show (it needs a store id), or replace the show with its id."""
        if show.id is None:
            raise ValueError(f"a show in the compact index needs a store id: {show.name!r}")
        self.prepare_words()
        self.remove(show.id)
        slot = len(self._names)
        self._ids.append(show.id)
        self._names.append(show.name)
        self._name_keys.append(name_key(show.name))
        self._networks.append(show.network)
        if show.aliases:
            self._aliases[slot] = tuple(show.aliases)
        self._set_slot(show.id, slot)
        self._count += 1
        for key in self._spelling_keys(slot):
            at = bisect.bisect_left(self._keys, key)
            self._keys.insert(at, key)
            self._key_slot.insert(at, slot)
            for word in key.split():
                at = bisect.bisect_left(self._vocab, word)
                if at < len(self._vocab) and self._vocab[at] == word:
                    if slot not in self._postings[at]:
                        self._postings[at].append(slot)
                    continue
                self._vocab.insert(at, word)
                self._postings.insert(at, array("q", [slot]))
                self._file_word(word)

    def remove(self, show_id: int) -> Show | None:
        """Take the show with this id out of the index; returns it if it was there."""
        slot = self._slot(show_id)
        if slot is None:
            return None
        self.prepare_words()
        show = self._show(slot)
        for key in self._spelling_keys(slot):
            at = bisect.bisect_left(self._keys, key)
            while at < len(self._keys) and self._keys[at] == key:
                if self._key_slot[at] == slot:
                    del self._keys[at]
                    del self._key_slot[at]
                    break
                at += 1
            for word in key.split():
                at = bisect.bisect_left(self._vocab, word)
                if at < len(self._vocab) and self._vocab[at] == word and slot in self._postings[at]:
                    self._postings[at].remove(slot)
        self._names[slot] = ""
        self._name_keys[slot] = ""
        self._aliases.pop(slot, None)
        del self._slot_of[show_id]
        self._count -= 1
        return show

    def _file_word(self, word: str) -> None:
        if self._by_start is None:
            return  # filed with the rest when first needed
        for position in (0, 1)[: len(word)]:
            self._by_start.setdefault((len(word), position, word[position]), []).append(word)

    def _words_by_start(self) -> dict[tuple[int, int, str], list[str]]:
        if self._by_start is None:
            self._by_start = {}
            for word in self._vocab:
                self._file_word(word)
        return self._by_start

    def _set_slot(self, show_id: int, slot: int) -> None:
        if show_id < 0:
            raise ValueError("store ids are positive")
        self._slot_of[show_id] = slot

    def _slot(self, show_id: int) -> int | None:
        return self._slot_of.get(show_id)

    def _spelling_keys(self, slot: int) -> list[str]:
        keys = [loose(self._name_keys[slot])]
        keys.extend(loose(name_key(alias)) for alias in self._aliases.get(slot, ()))
        return list(dict.fromkeys(key for key in keys if key))

    def _show(self, slot: int) -> Show:
        return Show(
            name=self._names[slot],
            aliases=self._aliases.get(slot, ()),
            network=self._networks[slot],
            id=self._ids[slot],
        )

    def show(self, show_id: int) -> Show | None:
        """The show with this id, if it is here."""
        slot = self._slot(show_id)
        return None if slot is None else self._show(slot)

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
