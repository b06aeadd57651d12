"""The data of a `CompactIndex` (compact.py, where its layout is described): the shows by
slot, the sorted loose keys of their spellings, the vocabulary and its postings; building
it in bulk, changing it show by show and reading a slot back as a `Show`. compact.py
answers the queries from it.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Iterable, Iterator
from typing import Self

from bot.models import Show
from bot.shows.names import name_key

__all__ = ["CompactData", "loose"]


def loose(key: str) -> str:
    """The loose key of a name key: the subtitle colon read as a space."""
    return " ".join(key.replace(":", " ").split())


class CompactData:
    """The shows, keys and words a `CompactIndex` answers from."""

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
    ) -> Self:
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

    def merged(self, other: Self) -> Self:
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
        both = type(self).build(rows.values(), aliases)
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
