"""The shows only TVmaze knows of (up to ~100,000), searched in the store, not in memory.

`KnownShows` (known.py) keeps in memory only the shows whose news is read. The others are
found through the store's name index (db/schema.py: loose keys of every spelling, word
postings, the vocabulary and its trigrams), asking the same questions `CompactIndex`
(compact.py) answers from memory, each an index range or a bounded probe:

* exact: the spellings with the text's name key or loose key;
* names starting with the text, and shows using every typed word (the last as a prefix);
* typos: for each typed word, the vocabulary words it equals, starts (3+ letters) or may be
  a typo of (4+ letters: the words sharing most of its trigrams, judged by edit ratio as
  `CompactIndex` judges them); the shows all informative words agree on, rarest first, at
  most `_MAX_CANDIDATES` by name key.

The shows found are put in a small `CompactIndex` (a few hundred at most), which scores
and orders them exactly as the full one did, so answers do not depend on where the
catalogue lives. Recognition, which runs without I/O, canonicalises names through
`MirrorNames`: the names it asked for and did not have are looked up between readings.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Collection, Iterable

from rapidfuzz import fuzz

from bot.models import Show
from bot.shows.compact import (
    _COMMON_WORD,
    _MAX_CANDIDATES,
    _MAX_PREFIX_WORDS,
    _NEAR_WORD,
    CompactIndex,
)
from bot.shows.names import loose_key, name_key
from db.store import Tx

__all__ = ["MirrorNames", "candidates_for_lookup", "candidates_for_suggest"]

_NEAR_SHORTLIST = 64  # vocabulary words fetched by shared trigrams, per typed word
_CACHED_NAMES = 20_000  # names remembered by `MirrorNames` (found or not)


async def candidates_for_lookup(tx: Tx, text: str, own: Collection[int]) -> CompactIndex:
    """The TVmaze shows `ShowIndex.lookup` may answer `text` with, as a small index:
    those named exactly, else the typo candidates. `own` are the ids of the shows kept in
    memory (left out here, as they were left out of the compact index)."""
    ids = await _exact(tx, text, own)
    if not ids:
        key = loose_key(text)
        ids = await _fuzzy(tx, key, own) if key else []
    return await _index(tx, ids)


async def candidates_for_suggest(
    tx: Tx, text: str, limit: int, own: Collection[int], *, typos: bool
) -> CompactIndex:
    """The TVmaze shows `ShowIndex.suggest` may offer for `text`, as a small index: named
    exactly, names starting with it, shows using its words, and with `typos` the typo
    candidates."""
    key = loose_key(text)
    if not key:
        return CompactIndex()
    ids = await _exact(tx, text, own)
    ids.extend(i for i in await tx.shows.names_starting(key, limit * 4) if i not in own)
    ids.extend(await _with_words(tx, key, limit, own))
    if typos:
        ids.extend(await _fuzzy(tx, key, own))
    return await _index(tx, ids)


async def _exact(tx: Tx, text: str, own: Collection[int]) -> list[int]:
    found = await tx.shows.names_exact(name_key(text), loose_key(text))
    return [show_id for show_id in found if show_id not in own]


async def _index(tx: Tx, ids: Iterable[int]) -> CompactIndex:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return CompactIndex()
    rows, aliases = await tx.shows.index_rows(wanted)
    index = CompactIndex.build(rows, aliases)
    index.prepare_words()
    return index


async def _with_words(tx: Tx, key: str, cap: int, own: Collection[int]) -> list[int]:
    """`CompactIndex.with_words`: shows using every typed word, the last as a prefix."""
    *whole, prefix = key.split()
    if whole:
        found = await tx.shows.shows_using(
            [[word] for word in whole], prefix=prefix, limit=cap + len(own)
        )
    else:
        found = await tx.shows.shows_starting_words(prefix, cap * 8)
    mine = [(show_key, show_id) for show_id, show_key in found if show_id not in own]
    return [show_id for _, show_id in heapq.nsmallest(cap, mine)]


async def _near_words(tx: Tx, token: str) -> set[str]:
    """`CompactIndex._near_words`: vocabulary words about as long as `token`, sharing its
    first or second letter and close by edit ratio; shortlisted by shared trigrams."""
    spread = 1 if len(token) < 10 else 2
    near: set[str] = set()
    for word in await tx.shows.near_words(token, _NEAR_SHORTLIST):
        if abs(len(word) - len(token)) > spread:
            continue
        if not any(p < len(word) and word[p] == token[p] for p in (0, 1)):
            continue
        if fuzz.ratio(token, word) >= _NEAR_WORD:
            near.add(word)
    return near


async def _fuzzy(tx: Tx, key: str, own: Collection[int]) -> list[int]:
    """`CompactIndex._candidates`: the shows worth scoring in full for `key`."""
    groups: list[tuple[int, list[str]]] = []
    for token in dict.fromkeys(key.split()):
        words = set(await tx.shows.words_from(token, _MAX_PREFIX_WORDS if len(token) >= 3 else 0))
        if len(token) >= 4:
            words |= await _near_words(tx, token)
        if not words:
            continue
        size = await tx.shows.postings(sorted(words), _COMMON_WORD + 1)
        if 0 < size <= _COMMON_WORD:  # a word of no TVmaze show is not in its vocabulary
            groups.append((size, sorted(words)))
    if not groups:
        return []
    groups.sort()
    chosen = [groups[0][1]]
    for _, group in groups[1:]:
        if await tx.shows.shows_using([*chosen, group], limit=1):
            chosen.append(group)
    found = await tx.shows.shows_using(chosen, limit=_MAX_CANDIDATES + len(own))
    return [show_id for show_id, _ in found if show_id not in own][:_MAX_CANDIDATES]


class MirrorNames:
    """Canonical names of TVmaze shows for recognition, which must not wait on the store:
    `get` answers from the names looked up so far and notes the others it was asked for;
    `resolve` looks those up (see `KnownShows.read_entry`). Bounded: the least recently
    asked names are forgotten first."""

    def __init__(self) -> None:
        self._known: OrderedDict[str, Show | None] = OrderedDict()
        self._asked: dict[str, str] = {}  # name key -> a name asked for, not looked up yet

    def get(self, name: str) -> Show | None:
        """The TVmaze show `name` names exactly, if it was looked up; else None for now."""
        key = name_key(name)
        if not key:
            return None
        if key in self._known:
            self._known.move_to_end(key)
            return self._known[key]
        self._asked.setdefault(key, name)
        return None

    def pending(self) -> bool:
        """Whether names were asked for that have not been looked up."""
        return bool(self._asked)

    async def resolve(self, tx: Tx, own: Collection[int]) -> bool:
        """Look up the names asked for; True when one of them is a TVmaze show."""
        asked, self._asked = self._asked, {}
        found = False
        for key, name in asked.items():
            show = await tx.shows.find(name)
            if show is not None and (show.id in own or not await self._mirrored(tx, show)):
                show = None
            self._remember(key, show)
            found = found or show is not None
        return found

    async def _mirrored(self, tx: Tx, show: Show) -> bool:
        return bool(show.id is not None and await tx.shows.names_exact(name_key(show.name), ""))

    def _remember(self, key: str, show: Show | None) -> None:
        self._known[key] = show
        self._known.move_to_end(key)
        while len(self._known) > _CACHED_NAMES:
            self._known.popitem(last=False)

    def forget(self) -> None:
        """Drop what was looked up (the catalogue changed: a show added or renamed)."""
        self._known.clear()
