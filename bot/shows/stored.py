"""The shows only TVmaze knows of (up to ~100,000), searched in the store, not in memory.

`KnownShows` (known.py) keeps in memory only the shows whose news is read. The others are
found through the store's name index (db/schema/: loose keys of every spelling, word
postings), asking the questions `CompactIndex` (compact.py) answers from memory, each an
index range or a bounded probe, all in one statement (`ShowRepo.search`):

* exact: the spellings with the text's name key or loose key;
* names starting with the text, and shows using every typed word (the last as a prefix);
* typos: for each typed word, the vocabulary words it equals, starts (3+ letters) or may be
  a typo of (4+ letters: about as long, sharing its first or second letter, close by edit
  ratio); the shows all informative words agree on, at most `_MAX_CANDIDATES` by name key,
  of which only the nearest few by a cheap edit ratio are scored in full (`_CLOSEST`).

Which words a typed word may mean is decided from the vocabulary (`MirrorWords` in
mirror_words.py: the distinct words of TVmaze's names and how many shows use each, a few
MB for TVmaze's whole index, read at the first query that needs it): a probe per word
would cost a round trip to the store each. The shows found (a few hundred at most) go
into a small `CompactIndex`, which scores and orders them as the full one did, so answers
do not depend on where the catalogue lives. Recognition, which runs without I/O,
canonicalises TVmaze names through `MirrorNames`: the names it asked for and did not have
are looked up between readings.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Collection, Coroutine, Iterable
from dataclasses import replace
from typing import Any

from bot.models import Show
from bot.records import NameSearch
from bot.shows.compact import (
    _MAX_CANDIDATES,
    CompactIndex,
)
from bot.shows.compact_data import loose
from bot.shows.fuzzy import nearest
from bot.shows.mirror_words import MirrorWords
from bot.shows.names import loose_key, name_key
from db.store import Tx

__all__ = [
    "MirrorNames",
    "candidates_for_lookup",
    "candidates_for_suggest",
    "warming_probes",
]

_CACHED_NAMES = 20_000  # names remembered by `MirrorNames` (found or not)
# TVmaze shows kept in memory (watched, in the news) are found by the store too and left
# out after: each part reads this many more, so that they rarely crowd out the others.
_SLACK = 32
_TYPOS = _MAX_CANDIDATES + _SLACK  # typo candidates read
# Of those, how many are indexed and scored in full (`fuzzy.nearest` picks them): /when
# offers five, autocomplete up to its limit. Indexing and scoring all 182 was a fifth of
# the CPU of a slow typo query at 100,000 shows; bench/lookup_agreement.py counts the
# answers this changes (6 of 2,000 /when, 2 of 2,000 autocomplete, on both engines).
_CLOSEST = 32


async def candidates_for_lookup(
    tx: Tx,
    text: str,
    own: Collection[int],
    words: MirrorWords,
    meanwhile: Callable[[], object] | None = None,
) -> CompactIndex:
    """The TVmaze shows `ShowIndex.lookup` may answer `text` with, as a small index:
    those named exactly, else the typo candidates (a second statement, or the same one
    when a word of `text` is not in the vocabulary). `own` are the ids
    of the shows kept in memory (left out, as they were left out of the compact index).
    `meanwhile` runs while the store looks for typo candidates, if it does."""
    key = loose_key(text)
    exact_probe = NameSearch(key=name_key(text), loose=key)
    if key and not words.may_name(key):
        # No TVmaze spelling has this key (a word no TVmaze show uses, or no spelling of
        # them hashes as it): the exact part will most likely find nothing, so it is asked
        # in the same statement as the typo candidates (one trip, not two); it still wins
        # if it finds a show mirrored since the vocabulary was read.
        groups = tuple(words.groups(key))
        probe = replace(_typos(words, groups), key=exact_probe.key, loose=key)
        both = await _while(_search(tx, probe, own), meanwhile if groups else None)
        exact = [item for item in both if item[0] == "exact"]
        if exact or not groups:
            return _index(exact)
        found = [item for item in both if item[0] == "typos"]
    else:
        exact = await _search(tx, exact_probe, own)
        groups = tuple(words.groups(key)) if key and not exact else ()
        if not groups:
            return _index(exact)
        found = await _while(_search(tx, _typos(words, groups), own), meanwhile)
    return _index(_nearest(found, key, _CLOSEST))


async def candidates_for_suggest(
    tx: Tx,
    text: str,
    limit: int,
    own: Collection[int],
    words: MirrorWords,
    *,
    typos: bool,
    meanwhile: Callable[[], object] | None = None,
    filled: int = 0,
) -> CompactIndex:
    """The TVmaze shows `ShowIndex.suggest` may offer for `text`, as a small index: named
    exactly, names starting with it, shows using its words; with `typos` (3+ letters)
    only the typo candidates. `meanwhile` runs while the store looks for the shows using
    its words. `filled` of those last two parts are not asked (`ShowIndex.filled`: the
    shows in memory fill the list before them)."""
    key = loose_key(text)
    if not key:
        return CompactIndex()
    if typos:
        groups = tuple(words.groups(key)) if len(key) >= 3 else ()
        found = await _search(tx, _typos(words, groups), own)
        return _index(_nearest(found, key, limit + _SLACK))
    *whole, prefix = key.split()
    rarest_first = tuple(sorted(whole, key=words.count))  # the rarest drives the search
    probe = NameSearch(
        key=name_key(text),
        loose=key,
        starting=limit * 4 + _SLACK if filled < 2 else 0,
        whole=rarest_first,
        prefix=prefix,
        words=limit + _SLACK if filled < 1 else 0,
        meet=words.meet(whole, prefix),
        meet_prefix=words.meet_prefix(rarest_first, prefix),
    )
    if words.held is not None and whole and probe.words:
        # Met in memory (the store tested each show of the rarest word for the others and
        # the prefix, an index probe each: 2-4 ms for "mountain & s" on PostgreSQL).
        using = words.held.using(rarest_first, prefix, probe.words)
        probe = replace(probe, whole=(), prefix="", words=0, chosen=tuple(using))
    return _index(await _while(_search(tx, probe, own), meanwhile))


def _typos(words: MirrorWords, groups: tuple[tuple[str, ...], ...]) -> NameSearch:
    """The search for the typo candidates of `groups`: met in memory when the postings
    were read (the shows kept in memory already left out, so no slack is read), else by
    the store, as far as the vocabulary's counts say it is cheaper
    (`MirrorWords.groups_to_meet`)."""
    if words.held is not None:
        return NameSearch(chosen=tuple(words.held.candidates(groups, _MAX_CANDIDATES)))
    met = words.groups_to_meet(groups)
    meet = len(groups) >= 2 and met == len(groups)
    return NameSearch(groups=groups, typos=_TYPOS, alone=True, meet=meet, met=0 if meet else met)


def warming_probes(
    limit: int = 25, *, partial: bool = True, held: bool = False
) -> list[NameSearch]:
    """Searches of the shapes users' lookups and keystrokes ask most (about 99% of them at
    100,000 shows), roughly the commonest first, for words no name has: each finds nothing at once,
    and leaves its statement compiled (and prepared on the connection it ran on), so that
    a user's first query of that shape does not pay for it (up to ~50 ms each, hundreds
    for the rare big ones). `partial`: also the shapes meeting only the rarest postings
    (`NameSearch.met`, `meet_prefix`: PostgreSQL's, see db/name_search.py). `held`: the
    typo candidates are met in memory, so the store is asked only for those shows."""
    nothing = "\x01"  # no name key or word starts with a control character
    exact = NameSearch(key=nothing, loose=nothing)
    probes = [exact]
    if held:  # typos and words met in memory (`MirrorWords.held`): the store reads them
        chosen = NameSearch(chosen=(0,))  # no show has id 0
        named = replace(chosen, key=exact.key, loose=exact.loose)
        probes += [chosen, named, replace(named, starting=limit * 4 + _SLACK)]
    for starting, words in ((True, True), (True, False), (False, True)):
        worded = ((0, False, False), (1, False, False), (1, True, False), (2, False, False))
        for whole, meet, meet_prefix in (*worded, (2, True, False), (2, False, True)):
            if (words or not (whole or meet or meet_prefix)) and (partial or not meet_prefix):
                probes.append(
                    NameSearch(
                        key=nothing,
                        loose=nothing,
                        starting=limit * 4 + _SLACK if starting else 0,
                        whole=(nothing,) * whole,
                        prefix=nothing,
                        words=limit + _SLACK if words else 0,
                        meet=meet,
                        meet_prefix=meet_prefix,
                    )
                )
    for size in () if held else (1, 2, 3, 4, 5):
        shapes = ((False, 0, 1), (True, 0, 1), (False, 2, 1), (False, 0, 2), (False, 0, 4))
        for meet, met, driver in shapes:
            if (meet and size < 2) or (met and (size < 3 or not partial)):
                continue
            rarest = tuple(f"{nothing}{i}" for i in range(driver))  # words are distinct
            groups = (rarest,) + ((nothing,),) * (size - 1)
            typos = NameSearch(groups=groups, typos=_TYPOS, alone=True, meet=meet, met=met)
            probes += [typos, replace(typos, key=exact.key, loose=exact.loose)]
    return probes


async def _while(
    search: Coroutine[Any, Any, list[tuple[str, Show, str]]], work: Callable[[], object] | None
) -> list[tuple[str, Show, str]]:
    """`search`'s rows, with `work` done while the database runs it: the statement is sent
    first (one turn of the loop takes the search to its first wait), so the CPU work of a
    lookup overlaps the store's (PostgreSQL runs in its own process)."""
    if work is None:
        return await search
    pending = asyncio.ensure_future(search)
    await asyncio.sleep(0)
    try:
        work()
    except BaseException:
        pending.cancel()
        raise
    return await pending


async def _search(tx: Tx, probe: NameSearch, own: Collection[int]) -> list[tuple[str, Show, str]]:
    found = [item for item in await tx.shows.search(probe) if item[1].id not in own]
    if len(probe.chosen) > _MAX_CANDIDATES:  # shows mirrored since the postings were read
        typos = sorted((item for item in found if item[0] == "typos"), key=lambda item: item[2])
        found = [item for item in found if item[0] != "typos"] + typos[:_MAX_CANDIDATES]
    return found


def _nearest(
    found: list[tuple[str, Show, str]], key: str, count: int
) -> list[tuple[str, Show, str]]:
    """The `count` typo candidates of `found` nearest to the loose key `key` (see
    `fuzzy.nearest`), ties by name key as answers are ordered."""
    if len(found) <= count:
        return found
    ordered = sorted(found, key=lambda item: item[2])
    spellings = [
        [loose(name), *(loose_key(alias) for alias in show.aliases)] for _, show, name in ordered
    ]
    return [ordered[at] for at in nearest(key, spellings, count)]


def _index(found: Iterable[tuple[str, Show, str]]) -> CompactIndex:
    unique = {show.id: (show, key) for _, show, key in found if show.id is not None}
    index = CompactIndex.build(
        ((show_id, s.name, key, s.network) for show_id, (s, key) in unique.items()),
        ((show_id, alias) for show_id, (s, _) in unique.items() for alias in s.aliases),
    )
    index.prepare_words()
    return index


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
        owners = await tx.shows.mirrored_by_keys(sorted(asked))
        found = False
        for key in asked:
            show = owners.get(key)
            if show is not None and show.id in own:
                show = None
            self._remember(key, show)
            found = found or show is not None
        return found

    def _remember(self, key: str, show: Show | None) -> None:
        self._known[key] = show
        self._known.move_to_end(key)
        while len(self._known) > _CACHED_NAMES:
            self._known.popitem(last=False)

    def forget(self) -> None:
        """Drop what was looked up (the catalogue changed: a show added or renamed)."""
        self._known.clear()
