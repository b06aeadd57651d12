"""The shows the bot knows: the catalogue recognition reads with, the index users search,
and the store, kept in step when a new show is learned.

Two tiers. The shows the news is read for — the shipped list, shows learned from the news,
watched or followed shows — are in memory: in the `Catalogue` (found in running text) and
the rich `ShowIndex`. The shows only TVmaze knows of (up to ~100,000) stay in the store:
`lookup` and `suggest` fetch the few that may answer a query through the store's name
index (stored.py) and rank them with the in-memory ones exactly as before; recognition
canonicalises their names through `MirrorNames` (`read_entry`). So start-up and memory
grow with the shows in the news, not with the catalogue. A mirror show moves to the first
tier when it is watched or in the news (`promote`).

Several processes on one store (bot/cluster.py) each keep their own `KnownShows`: what one
process adds (a show learned, watched, in the news, mirrored or renamed by a TVmaze sync)
it records in the store's catalogue change log in the same transaction (`share`), and the
others take it in every few seconds (`catch_up`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.models import Entry, Show
from bot.shows.catalogue import Catalogue, seed_shows
from bot.shows.lookup import LookupResult, ShowIndex
from bot.shows.mirror_postings import MirrorPostings
from bot.shows.mirror_words import MirrorWords
from bot.shows.names import loose_key, name_key
from bot.shows.stored import (
    MirrorNames,
    candidates_for_lookup,
    candidates_for_suggest,
    warming_probes,
)
from db.store import Store, Tx

if TYPE_CHECKING:  # recognition is loaded when news is first read: `when` never is
    from bot.recognition import Reading

log = logging.getLogger(__name__)
_POSTINGS_PAGE = 5_000  # rows of the name index read at once into `MirrorPostings`
READ, MIRROR, RENAMED = "read", "mirror", "renamed"  # the kinds of change the log holds


class KnownShows:
    """Catalogue + lookup index of the shows in the news, over the store's name index for
    the rest. Build with `await load(store)`; without a store only the shows given are
    known (tests, benchmarks of the in-memory part)."""

    # Outlets needed to learn a name the text did not set apart (no quotes).
    CONFIRMING_OUTLETS = 2
    # Readings of one entry at most: a name looked up can make recognition ask another.
    READINGS = 3

    def __init__(
        self, shows: Iterable[Show], store: Store | None = None, *, words: bool = True
    ) -> None:
        shows = list(shows)
        self._store = store
        self.mirror = MirrorNames()
        self._catalogue: Catalogue | None = None
        self._unread = shows  # the catalogue's shows until it is built
        self.index = ShowIndex(shows, words=words)
        self._eager = words  # a running bot's: everything a query may read, read early
        self._own = {show.id for show in shows if show.id is not None}
        self._words: MirrorWords | None = None  # read at the first query that needs them
        self._reading_words = asyncio.Lock()
        # `load(named_first=True)`: the shows whose news is read are not read yet.
        self._deferred = False
        self._sightings: dict[str, set[str]] = {}
        # Who this instance is in the change log, and the last change it has taken in.
        self.origin = uuid.uuid4().hex[:16]
        self.seen_change = 0

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue recognition reads with, built at its first use: a command that
        only looks shows up (`when`) never pays for its token trie."""
        self._check_read()
        if self._catalogue is None:
            more = self.mirror if self._store is not None else None
            self._catalogue = Catalogue(self._unread, more=more)
            self._unread = []
        return self._catalogue

    def confirmed(self, name: str, outlet: str) -> bool:
        """Record that `outlet` named an unknown show `name` without setting it apart; True
        once enough different outlets have, so the name is a show and not a fragment."""
        outlets = self._sightings.setdefault(name_key(name), set())
        outlets.add(outlet.casefold())
        return len(outlets) >= self.CONFIRMING_OUTLETS

    @classmethod
    async def load(
        cls, store: Store, *, seed: bool = True, words: bool = True, named_first: bool = False
    ) -> KnownShows:
        """Load the shows whose news is read, first adding what the store lacks of the
        shipped catalogue when `seed`. Only reads when nothing is missing, so that a
        command that only reads never waits for another process's write. `words=False`
        leaves the index's prefix and fuzzy structures to the first query needing them
        (see `ShowIndex`): for a command that answers and exits. `named_first` (for a
        command that answers one `lookup` and exits: `python -m bot when`) reads none of
        them yet: `lookup` reads only the shows its text may name exactly, and the rest
        (~10,000 at 100,000 shows, a third of start-up) only when none of those is the
        answer; nothing but `lookup` and `suggest` may be asked before that."""
        async with store.read() as tx:
            # Read first: a change made while loading is taken in again (harmlessly).
            seen_change = await tx.catalogue_changes.last_id()
            shows = [] if named_first else await tx.shows.followed()
            missing = seed and await _missing_from(tx, seed_shows())
        if missing:
            async with store.transaction() as tx:
                await tx.shows.ensure_many(seed_shows(), origin="catalogue")
                shows = [] if named_first else await tx.shows.followed()
        known = cls(shows, store, words=words)
        known.seen_change = seen_change
        known._deferred = named_first
        return known

    async def _read_shows(self, tx: Tx) -> None:
        """Read the shows whose news is read, if `load(named_first=True)` has not yet."""
        if self._deferred:
            shows = await tx.shows.followed()
            self._unread = shows
            self.index = ShowIndex(shows, words=self._eager)
            self._own = {show.id for show in shows if show.id is not None}
            self._deferred = False

    def _check_read(self) -> None:
        if self._deferred:
            raise RuntimeError("the shows are not read yet: load(named_first=True) only looks up")

    async def lookup(self, text: str, tx: Tx | None = None) -> LookupResult:
        """The show a user's `text` names, or did-you-mean candidates (see
        `ShowIndex.lookup`), over the shows in memory and the store's (read in `tx` when
        given, e.g. the read that then gathers the show's card)."""
        if self._deferred and self._store is not None:
            if tx is None:
                async with self._store.read(snapshot=False) as own_tx:
                    return await self.lookup(text, own_tx)
            # The shows that may be named exactly, as the first tier of a full index of
            # them all would match them: the answer when one is (the commonest query).
            named = await tx.shows.followed_named(name_key(text), loose_key(text))
            if named and (show := ShowIndex(named, words=False).named(text)) is not None:
                return LookupResult(show=show)
            await self._read_shows(tx)
        if self._store is None or self._all_in_memory() or self.index.named(text) is not None:
            return self.index.lookup(text)
        if tx is None:
            async with self._store.read(snapshot=False) as own_tx:
                return await self._lookup_in(own_tx, text)
        return await self._lookup_in(tx, text)

    async def _lookup_in(self, tx: Tx, text: str) -> LookupResult:
        words = await self._vocabulary(tx)
        # The in-memory fuzzy pass is scored while the store looks for typo candidates.
        prepare = functools.partial(self.index.prepare_lookup, text)
        more = await candidates_for_lookup(tx, text, self._own, words, prepare)
        return self.index.lookup(text, more=more)

    async def suggest(
        self, text: str, limit: int = 25, *, preferred: Iterable[Show] = ()
    ) -> list[Show]:
        """Autocomplete (see `ShowIndex.suggest`) over the shows in memory and the store's;
        a statement to the store, and one more for typo candidates when the closer tiers
        leave room."""
        if self._deferred and self._store is not None:
            async with self._store.read(snapshot=False) as tx:
                await self._read_shows(tx)
        if self._store is None or self._all_in_memory() or not text.strip() or limit <= 0:
            return self.index.suggest(text, limit, preferred=preferred)
        async with self._store.read(snapshot=False) as tx:
            words = await self._vocabulary(tx)
            # When the closer tiers cannot fill the list (the vocabulary's counts bound what
            # the store may add), the in-memory fuzzy pass is scored while the store searches.
            key = loose_key(text)
            behind = words.shows_using(key, limit) if key else limit
            prepare = functools.partial(self.index.prepare_suggest, text, limit, behind)
            more = await candidates_for_suggest(
                tx,
                text,
                limit,
                self._own,
                words,
                typos=False,
                meanwhile=prepare,
                filled=self.index.filled(text, limit),
            )
            found = self.index.suggest(text, limit, preferred=preferred, more=more)
            if len(found) >= limit or len(loose_key(text)) < 3:
                return found
            typos = await candidates_for_suggest(tx, text, limit, self._own, words, typos=True)
        return self.index.suggest(text, limit, preferred=preferred, more=more.merged(typos))

    async def warm(self) -> int:
        """Run the name search's common shapes once (`warming_probes`), for a process
        that goes on answering users: their first queries then find the statements
        compiled. One at a time, each in a read of its own, so that a user's query waits
        for one at most; returns how many ran (none when no TVmaze show is in the store:
        no query asks it then)."""
        if self._store is None:
            return 0
        ran = 0
        async with self._store.read(snapshot=False) as tx:
            words = await self._vocabulary(tx)
            if not words:
                return 0
        partial = self._store.dialect == "postgresql"
        for probe in warming_probes(partial=partial, held=words.held is not None):
            async with self._store.read(snapshot=False) as tx:
                await tx.shows.search(probe)
            ran += 1
        return ran

    def _all_in_memory(self) -> bool:
        """Whether the store holds no show that memory lacks (no TVmaze-only show: their
        words are read, and none), so a query to it could add nothing."""
        return self._words is not None and not self._words

    async def _vocabulary(self, tx: Tx) -> MirrorWords:
        # One reading for the queries that meet it under way (about a second at 100,000
        # shows, while Discord connects: see `warm`).
        async with self._reading_words:
            if self._words is None:
                # A running bot (its index built in full) also reads the spellings' keys,
                # so that a lookup of a name no TVmaze show has asks the store once, not
                # twice, and the postings; a one-shot command (`when`) reads neither.
                spellings = await tx.shows.mirror_spellings() if self._eager else None
                postings = await self._postings(tx) if self._eager else None
                self._words = MirrorWords(await tx.shows.vocabulary(), spellings, postings)
        return self._words

    async def _postings(self, tx: Tx) -> MirrorPostings:
        """Which TVmaze shows use each word, read a page at a time: each page a few
        milliseconds of the event loop's time, and the rows of one page in memory at once
        (all of them at once cost ~70 MB of RSS at 100,000 shows, which stays)."""
        postings = MirrorPostings(await tx.shows.mirror_order(), leave_out=self._own)
        after = None
        while page := await tx.shows.mirror_words(after, _POSTINGS_PAGE):
            postings.take((word, show_id) for word, _, show_id in page)
            after = page[-1]
        postings.settle()
        return postings

    async def read_entry(self, tx: Tx, entry: Entry) -> Reading:
        """`bot.recognition.read_entry` with this catalogue: a name recognition asks for
        that only the store knows (a TVmaze show) is looked up in `tx`, and the entry is
        read again with it, so the reading is the one an all-knowing catalogue gives."""
        from bot.recognition import read_entry

        reading = read_entry(entry, self.catalogue)
        for _ in range(self.READINGS - 1):
            if not await self.resolve_names(tx):
                break
            reading = read_entry(entry, self.catalogue)
        return reading

    async def resolve_names(self, tx: Tx) -> bool:
        """Look up in `tx` the names readings asked for that only the store can know; True
        when one is a TVmaze show, so the readings that asked should be made again."""
        if self._store is None or not self.mirror.pending():
            return False
        return await self.mirror.resolve(tx, self._own)

    async def find(self, tx: Tx, name: str) -> Show | None:
        """The show `name` names exactly: in memory, else a TVmaze show in the store."""
        known = self.catalogue.get_own(name)
        if known is not None or self._store is None:
            return known
        found = self.mirror.get(name)
        if found is None and self.mirror.pending():
            await self.mirror.resolve(tx, self._own)
            found = self.mirror.get(name)
        return found

    async def learn(self, tx: Tx, show: Show, *, origin: str) -> Show:
        """Add a show to the store (if new) and to the in-memory catalogue and index;
        returns the stored show with its id."""
        stored = await tx.shows.ensure(show, origin=origin)
        await self.read_news_of(tx, stored)
        return stored

    async def read_news_of(self, tx: Tx, show: Show) -> None:
        """`promote`, in this process now and in the others once `tx` commits."""
        await self.share(tx, read=[show])
        self.promote(show)

    def promote(self, show: Show) -> None:
        """Make a show one whose news is read (found in running text), e.g. once watched."""
        self._check_read()
        if self.catalogue.get_own(show.name) is None:
            self.catalogue.add(show)
            self.index.add(show)
            if show.id is not None:
                self._own.add(show.id)
                if self._words is not None and self._words.held is not None:
                    self._words.held.drop(show.id)

    def absorb(self, added: Iterable[Show], renamed: Iterable[tuple[Show, Show]]) -> None:
        """Take in what a TVmaze sync changed: new mirror shows (in the store already),
        shows renamed upstream."""
        self._check_read()
        added = list(added)
        if added:
            self.mirror.forget()  # names it looked up in vain may be shows now
        if self._words is not None:
            for show in added:
                self._words.add(show)
        for before, after in renamed:
            self.mirror.forget()
            if self._words is not None:
                self._words.add(after, renamed=True)
            if before.id is not None and before.id in self._own:
                self.index.replace(before, after)
                self.catalogue.add(after)

    async def share(
        self,
        tx: Tx,
        *,
        read: Iterable[Show] = (),
        added: Iterable[Show] = (),
        renamed: Iterable[tuple[Show, Show]] = (),
    ) -> None:
        """Record in the change log what this process adds to its known shows (with
        `promote` or `absorb`), for the other processes sharing the store."""
        changes: list[tuple[str, int, str | None]] = [
            *((READ, show.id, None) for show in read if show.id is not None),
            *((MIRROR, show.id, None) for show in added if show.id is not None),
            *((RENAMED, after.id, before.name) for before, after in renamed if after.id),
        ]
        await tx.catalogue_changes.record(changes, origin=self.origin, now=datetime.now(UTC))

    async def catch_up(self, store: Store, batch: int = 1000) -> int:
        """Take in the changes other processes made since the last call; returns how many."""
        taken = 0
        while True:
            async with store.read() as tx:
                changes = await tx.catalogue_changes.after(self.seen_change, limit=batch)
                theirs = [change for change in changes if change.origin != self.origin]
                shows = await tx.shows.many(change.show_id for change in theirs)
                renamed = [c.show_id for c in theirs if c.kind == RENAMED]
                mirrored = await tx.shows.mirrored(renamed) if renamed else set()
            for change in theirs:
                show = shows.get(change.show_id)
                if show is None:  # removed since
                    continue
                if change.kind == READ:
                    self.promote(show)
                elif change.kind == MIRROR:
                    self.absorb([show], [])
                elif change.kind == RENAMED and change.before_name:
                    before = Show(name=change.before_name, network=show.network, id=show.id)
                    if show.id not in mirrored:  # a show whose news is read
                        self._own.add(change.show_id)
                    self.absorb([], [(before, show)])
                taken += 1
            if changes:
                self.seen_change = changes[-1].id
            if len(changes) < batch:
                if taken:
                    log.debug("took in %d catalogue changes from other processes", taken)
                return taken

    def __len__(self) -> int:
        self._check_read()
        return len(self.index)


async def _missing_from(tx: Tx, catalogue: Iterable[Show]) -> bool:
    """Whether a name of a catalogue show (its own or an alias) is not in the store yet
    (a show renamed upstream keeps its old name as an alias, and seeding adds nothing for a
    name another show answers to). Asked of the store's name index: the few hundred names
    of the catalogue, rather than the keys of every show loaded (~30 ms at 10,000)."""
    needed = {name_key(name) for show in catalogue for name in (show.name, *show.aliases)}
    needed -= set(await tx.shows.owned_keys(sorted(needed)))
    return bool(needed)
