"""Shows and aliases, the announcements about them, mentions, and per-season state."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    true,
    tuple_,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import (
    Announcement,
    Certainty,
    Event,
    SeasonState,
    Show,
    Source,
    Status,
    Window,
)
from bot.records import AnnouncementChanges, ListingRecord, NameSearch
from bot.shows.names import loose_key, name_key
from bot.state.fold_codec import decode_summary, encode_summary
from bot.state.fold_step import FoldSummary
from db.dialect import dialect_insert, upsert
from db.name_search import MIRRORED as MIRRORED  # the origin of TVmaze-only shows
from db.name_search import search_statement
from db.schema import (
    announcements,
    entries,
    feeds,
    follows,
    listings,
    name_words,
    season_states,
    show_aliases,
    show_mentions,
    show_words,
    shows,
    watches,
)

T = TypeVar("T")
UNSTATED = 0  # how a season that was not stated is stored (see db/schema.py)
SeasonKey = tuple[int, int | None]  # (show id, season)


# The statements a feed's poll runs each time, built once: building one costs more than
# running it on SQLite. A (show id, season) IN (...) test comes with the show ids alone
# too: SQLite scans the whole table for the pairs, and seeks the index for the ids.
_DELETE_ANNOUNCEMENTS = (
    delete(announcements)
    .where(announcements.c.entry_id.in_(bindparam("entry_ids", expanding=True)))
    .returning(announcements.c.show_id, announcements.c.season)
)
_SEASON_KEYS: Any = bindparam("keys", expanding=True)
_SEASON_SHOWS: Any = bindparam("show_ids", expanding=True)  # the show ids of `keys`


@cache
def _insert_announcements(dialect: str) -> Any:
    return dialect_insert(dialect)(announcements).on_conflict_do_nothing(
        index_elements=["entry_id", "show_id", "event", "season"]
    )


@cache
def _insert_mentions(dialect: str) -> Any:
    return dialect_insert(dialect)(show_mentions).on_conflict_do_nothing()


@cache
def _state_upsert(dialect: str) -> Any:
    statement = dialect_insert(dialect)(season_states)
    return statement.on_conflict_do_update(
        index_elements=["show_id", "season"],
        set_={
            column.name: statement.excluded[column.name]
            for column in season_states.c
            if column.name not in ("show_id", "season")
        },
    )


@cache
def _folds_query(*, lock: bool, listed: bool) -> Any:
    """The stored states of the seasons bound as `keys`, with their show's name and, when
    `listed`, their listing's columns (NULL when none)."""
    columns: list[Any] = [season_states, shows.c.name.label("show_name")]
    joined = season_states.join(shows, shows.c.id == season_states.c.show_id)
    if listed:
        columns += [
            listings.c.premiere_date.label("listed_premiere_date"),
            listings.c.link.label("listed_link"),
            listings.c.listed_at.label("listed_at"),
        ]
        joined = joined.outerjoin(
            listings,
            and_(
                listings.c.show_id == season_states.c.show_id,
                listings.c.season == season_states.c.season,
            ),
        )
    query = (
        select(*columns)
        .select_from(joined)
        .where(
            season_states.c.show_id.in_(_SEASON_SHOWS),
            tuple_(season_states.c.show_id, season_states.c.season).in_(_SEASON_KEYS),
        )
        .order_by(season_states.c.show_id, season_states.c.season)
    )
    return query.with_for_update(of=season_states) if lock else query


def season_key(season: int | None) -> int:
    """The stored form of a season number."""
    return UNSTATED if season is None else season


def season_value(stored: int) -> int | None:
    """The domain form of a stored season number."""
    return None if stored == UNSTATED else stored


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "outlet": source.outlet,
        "link": source.link,
        "published": source.published.isoformat() if source.published else None,
        "title": source.title,
    }


def _source_from_json(data: dict[str, Any]) -> Source:
    published = data.get("published")
    return Source(
        outlet=data["outlet"],
        link=data.get("link"),
        published=datetime.fromisoformat(published) if published else None,
        title=data.get("title", ""),
    )


def _window(start: date | None, end: date | None, text: str | None) -> Window | None:
    if start is None or end is None:
        return None
    return Window(start=start, end=end, text=text or "")


def _certainty(value: str | None) -> Certainty | None:
    return None if value is None else Certainty(value)


class ShowRepo:
    """The show catalogue and everything known about each show."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    # -- catalogue -----------------------------------------------------------------------

    async def ensure(self, show: Show, *, origin: str = "catalogue") -> Show:
        """Add `show` unless a show with the same name key exists; return the stored one
        (with its id and aliases). New aliases are attached if no other show owns them."""
        await self.ensure_many([show], origin=origin)
        stored = await self.find(show.name)
        assert stored is not None
        return stored

    async def ensure_many(self, catalogue: Iterable[Show], *, origin: str = "catalogue") -> None:
        """Add many shows at once (seeding the catalogue); existing ones are kept."""
        items = list(catalogue)
        if not items:
            return
        now = datetime.now(UTC)
        keys = [name_key(s.name) for s in items]
        # A name another show answers to as an alias (a show renamed upstream keeps its old
        # name as an alias) is that show: seeding must not bring the old name back.
        owners = await self._alias_owners(keys)
        rows = [
            {
                "name": s.name,
                "key": key,
                "network": s.network,
                "origin": origin,
                "created_at": now,
            }
            for s, key in zip(items, keys, strict=True)
            if key not in owners
        ]
        for chunk in _chunks(rows, 500):
            await self._c.execute(
                upsert(self._c, shows).values(chunk).on_conflict_do_nothing(index_elements=["key"])
            )
        ids: dict[str, int] = dict(owners)
        for chunk_keys in _chunks(keys, 500):
            result = await self._c.execute(
                select(shows.c.key, shows.c.id).where(shows.c.key.in_(chunk_keys))
            )
            ids.update({key: show_id for key, show_id in result})
        await add_spellings(
            self._c,
            [
                (ids[name_key(show.name)], alias)
                for show in items
                for alias in (show.name, *show.aliases)
            ],
        )

    async def _alias_owners(self, keys: list[str]) -> dict[str, int]:
        """The show owning each of these alias keys, where one does."""
        owners: dict[str, int] = {}
        for chunk in _chunks(sorted(set(keys)), 500):
            result = await self._c.execute(
                select(show_aliases.c.key, show_aliases.c.show_id).where(
                    show_aliases.c.key.in_(chunk)
                )
            )
            owners.update({key: show_id for key, show_id in result})
        return owners

    # -- the name search (bot/shows/stored.py): TVmaze-only shows, through indexes -----

    async def vocabulary(self) -> list[tuple[str, int]]:
        """(word, how many TVmaze shows use it) of every word some TVmaze show uses."""
        query = select(name_words.c.word, name_words.c.shows).where(name_words.c.shows > 0)
        return [(word, count) for word, count in await self._c.execute(query)]

    async def search(self, probe: NameSearch) -> list[tuple[str, Show, str]]:
        """The TVmaze shows each part of `probe` finds, as (part, show) pairs, in one
        statement: "exact", "starting", "words", "typos" (see `NameSearch`). A show found
        by several parts comes once for each, with its name key."""
        query, params = search_statement(probe)
        if query is None:
            return []
        spellings: dict[tuple[str, int], tuple[str, str, str | None, list[str]]] = {}
        for part, show_id, name, key, network, alias in await self._c.execute(query, params):
            held = spellings.setdefault((part, show_id), (name, key, network, []))
            if alias is not None and alias not in held[3]:
                held[3].append(alias)
        return [
            (part, Show(name, aliases=tuple(sorted(aliases)), network=network, id=show_id), key)
            for (part, show_id), (name, key, network, aliases) in spellings.items()
        ]

    async def mirrored(self, show_ids: Sequence[int]) -> set[int]:
        """Those of these shows that only TVmaze knows of (origin), watched or not."""
        found: set[int] = set()
        for chunk in _chunks(sorted(set(show_ids)), 500):
            query = select(shows.c.id).where(shows.c.id.in_(chunk), shows.c.origin == MIRRORED)
            found.update((await self._c.execute(query)).scalars())
        return found

    async def mirrored_by_keys(self, keys: Sequence[str]) -> dict[str, Show]:
        """The TVmaze show answering to each of these name keys (as its name or an
        alias), where one does: two statements, however many keys."""
        owners: dict[str, int] = {}
        for chunk in _chunks(list(keys), 500):
            query = (
                select(show_aliases.c.key, show_aliases.c.show_id)
                .join(shows, shows.c.id == show_aliases.c.show_id)
                .where(show_aliases.c.key.in_(chunk), shows.c.origin == MIRRORED)
            )
            owners.update({key: show_id for key, show_id in await self._c.execute(query)})
        found = await self.many(owners.values()) if owners else {}
        return {key: found[show_id] for key, show_id in owners.items() if show_id in found}

    async def owned_keys(self, keys: Sequence[str]) -> list[str]:
        """Those of these name keys some show answers to (as its name or an alias)."""
        found: list[str] = []
        for chunk in _chunks(list(keys), 500):
            query = select(show_aliases.c.key).where(show_aliases.c.key.in_(chunk))
            found.extend((await self._c.execute(query)).scalars())
        return found

    async def get(self, show_id: int) -> Show | None:
        """The show with this id."""
        found = await self._load(shows.c.id == show_id)
        return found[0] if found else None

    async def many(self, show_ids: Iterable[int]) -> dict[int, Show]:
        """The shows with these ids that exist, by id."""
        found: dict[int, Show] = {}
        for chunk in _chunks(sorted(set(show_ids)), 500):
            found.update((s.id, s) for s in await self._load(shows.c.id.in_(chunk)) if s.id)
        return found

    async def find(self, name: str) -> Show | None:
        """The show whose name or alias has the same name key as `name`."""
        key = name_key(name)
        by_alias = select(show_aliases.c.show_id).where(show_aliases.c.key == key)
        found = await self._load(or_(shows.c.key == key, shows.c.id.in_(by_alias)))
        return found[0] if found else None

    async def followed(self) -> list[Show]:
        """The shows whose news is read: every show not only on TVmaze, and TVmaze's shows
        that are watched, followed or have been in the news, by name."""
        return await self._load(
            or_(
                shows.c.origin != MIRRORED,
                shows.c.id.in_(select(watches.c.show_id)),
                shows.c.id.in_(select(follows.c.show_id)),
                shows.c.id.in_(select(announcements.c.show_id)),
            )
        )

    async def all(self) -> list[Show]:
        """The whole catalogue with aliases, by name."""
        return await self._load(None)

    async def count(self) -> int:
        """How many shows the catalogue holds."""
        return int((await self._c.execute(select(func.count()).select_from(shows))).scalar_one())

    async def _load(self, where: Any) -> list[Show]:
        # One statement, each show's other spellings joined on: reading the aliases apart
        # bound every show's id (10,000 followed shows: ~0.1 s of start-up on PostgreSQL).
        other = and_(show_aliases.c.show_id == shows.c.id, show_aliases.c.alias != shows.c.name)
        query = (
            select(shows.c.id, shows.c.name, shows.c.network, show_aliases.c.alias)
            .select_from(shows.outerjoin(show_aliases, other))
            .order_by(shows.c.name, shows.c.id)
        )
        if where is not None:
            query = query.where(where)
        found: dict[int, tuple[str, str | None, list[str]]] = {}
        for show_id, name, network, alias in await self._c.execute(query):
            held = found.setdefault(show_id, (name, network, []))
            if alias is not None:
                held[2].append(alias)
        return [
            Show(id=show_id, name=name, network=network, aliases=tuple(sorted(aliases)))
            for show_id, (name, network, aliases) in found.items()
        ]

    # -- announcements and mentions --------------------------------------------------------

    async def replace_announcements(
        self,
        entry_id: int | None,
        found: Sequence[tuple[int, Announcement]],
        *,
        now: datetime,
    ) -> set[tuple[int, int | None]]:
        """Store what one entry announces, replacing what an earlier version of the entry
        announced (outlets fix headlines). Returns every (show id, season) whose state must
        be folded again: the new ones and the ones the entry no longer announces."""
        return await self.replace_announcements_many([(entry_id, found)], now=now)

    async def replace_announcements_many(
        self,
        items: Sequence[tuple[int | None, Sequence[tuple[int, Announcement]]]],
        *,
        now: datetime,
    ) -> set[tuple[int, int | None]]:
        """`replace_announcements` for many entries at once, in two statements."""
        return (await self.record_announcements(items, now=now)).touched

    async def record_announcements(
        self,
        items: Sequence[tuple[int | None, Sequence[tuple[int, Announcement]]]],
        *,
        now: datetime,
    ) -> AnnouncementChanges:
        """`replace_announcements_many`, also saying what each season only gained, so that
        its fold can go on from its stored summary. Those are the announcements as
        `announcements_of` would read them back (the stored values, in its order), but
        named as the caller named their shows: `refold_seasons` names them as the store
        does. Nothing is read back: two statements (per 500 entries)."""
        touched: set[SeasonKey] = set()
        lost: set[SeasonKey] = set()
        entry_ids = [entry_id for entry_id, _ in items if entry_id is not None]
        for chunk in _chunks(entry_ids, 500):
            old = await self._c.execute(_DELETE_ANNOUNCEMENTS, {"entry_ids": chunk})
            lost.update((show_id, season_value(season)) for show_id, season in old)
        touched.update(lost)
        rows = []
        # The row each (entry, show, event, season) keeps: the first (ON CONFLICT DO NOTHING).
        kept: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        for entry_id, found in items:
            for show_id, item in found:
                touched.add((show_id, item.season))
                if entry_id is None:
                    lost.add((show_id, item.season))  # not read back below: refold in full
                row = _announcement_row(show_id, entry_id, item, now)
                rows.append(row)
                if entry_id is not None:
                    unique = (entry_id, show_id, row["event"], row["season"])
                    kept.setdefault(unique, (item.show, row))
        if rows:
            # executemany: compiled once and batched by the driver, whatever the row count.
            await self._c.execute(_insert_announcements(self._c.dialect.name), rows)
        added: dict[SeasonKey, list[Announcement]] = {}
        if rows and touched - lost:
            for name, row in self._in_read_order(kept.values()):
                key = (row["show_id"], season_value(row["season"]))
                if key not in lost:
                    added.setdefault(key, []).append(_announcement_as_stored(name, row))
        return AnnouncementChanges(touched=touched, added=added)

    def _in_read_order(
        self, rows: Iterable[tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Rows in the order `announcements_of` reads them: by published time, then id
        (the order they were inserted in); NULL times first on SQLite and last on
        PostgreSQL, as each orders them."""
        undated_first = self._c.dialect.name != "postgresql"
        earliest = datetime.min.replace(tzinfo=UTC)

        def order(item: tuple[str, dict[str, Any]]) -> tuple[bool, datetime]:
            published = item[1]["published"]
            if published is None:
                return not undated_first, earliest
            return undated_first, published.astimezone(UTC)

        return sorted(rows, key=order)  # stable: inserted order among equals

    async def announcements_of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], list[Announcement]]:
        """Every announcement about each of these (show id, season) pairs, oldest first."""
        wanted = set(seasons)
        found: dict[tuple[int, int | None], list[Announcement]] = {key: [] for key in wanted}
        pairs = sorted((show_id, season_key(season)) for show_id, season in wanted)
        for chunk in _chunks(pairs, 400):
            query = (
                select(announcements, shows.c.name.label("show_name"))
                .join(shows, shows.c.id == announcements.c.show_id)
                .where(
                    # the ids alone too: an index seek on SQLite, not a scan (see above)
                    announcements.c.show_id.in_(sorted({show_id for show_id, _ in chunk})),
                    tuple_(announcements.c.show_id, announcements.c.season).in_(chunk),
                )
                .order_by(announcements.c.published, announcements.c.id)
            )
            for row in await self._c.execute(query):
                found[(row.show_id, season_value(row.season))].append(_announcement(row))
        return found

    async def announcements(self, show_id: int, season: int | None) -> list[Announcement]:
        """Every announcement about one season of a show, oldest first."""
        return (await self.announcements_of([(show_id, season)]))[(show_id, season)]

    async def add_mentions(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Remember which entries are about which shows, as (entry id, show id) pairs (for
        the latest headlines)."""
        rows = [{"entry_id": entry_id, "show_id": show_id} for entry_id, show_id in set(pairs)]
        if rows:
            await self._c.execute(_insert_mentions(self._c.dialect.name), rows)

    async def news(self, show_id: int, limit: int = 5) -> list[Source]:
        """The latest headlines about a show, newest first, one per link."""
        about = union(
            select(show_mentions.c.entry_id.label("entry_id")).where(
                show_mentions.c.show_id == show_id
            ),
            select(announcements.c.entry_id.label("entry_id")).where(
                announcements.c.show_id == show_id, announcements.c.entry_id.is_not(None)
            ),
        ).subquery()
        when = func.coalesce(entries.c.published, entries.c.first_seen)
        query = (
            select(
                entries.c.title,
                entries.c.link,
                when.label("when"),
                feeds.c.outlet,
                feeds.c.title.label("feed_title"),
                feeds.c.url,
            )
            .join(about, about.c.entry_id == entries.c.id)
            .join(feeds, feeds.c.id == entries.c.feed_id)
            .order_by(when.desc(), entries.c.id.desc())
            .limit(limit * 3)
        )
        seen: set[str] = set()
        result: list[Source] = []
        for row in await self._c.execute(query):
            identity = row.link or row.title
            if identity in seen:
                continue
            seen.add(identity)
            published = row.when
            result.append(
                Source(
                    outlet=row.outlet or row.feed_title or row.url,
                    link=row.link,
                    published=published if isinstance(published, datetime) else None,
                    title=row.title,
                )
            )
            if len(result) == limit:
                break
        return result

    # -- per-season state ------------------------------------------------------------------

    async def save_state(self, show_id: int, state: SeasonState, *, now: datetime) -> None:
        """Store the folded state of one season (replacing the previous one)."""
        await self.save_states([(show_id, state)], now=now)

    async def save_states(
        self, states: Sequence[tuple[int, SeasonState]], *, now: datetime
    ) -> None:
        """Store the folded states of many seasons in one statement (without a summary:
        the next announcement about one of them refolds it in full)."""
        await self._upsert_states([_state_row(show_id, state, now) for show_id, state in states])

    async def save_folded(
        self, folded: Sequence[tuple[int, SeasonState, FoldSummary]], *, now: datetime
    ) -> None:
        """Store folded states with the summaries their folds go on from, in one statement."""
        await self._upsert_states(
            [
                _state_row(show_id, state, now, fold=encode_summary(summary))
                for show_id, state, summary in folded
            ]
        )

    async def _upsert_states(self, rows: list[dict[str, Any]]) -> None:
        if rows:  # every column of the table (see `_state_row`)
            await self._c.execute(_state_upsert(self._c.dialect.name), rows)

    async def delete_state(self, show_id: int, season: int | None) -> None:
        """Forget a season that no announcement speaks of any more."""
        await self._c.execute(
            delete(season_states).where(
                season_states.c.show_id == show_id,
                season_states.c.season == season_key(season),
            )
        )

    async def states_of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], SeasonState]:
        """The stored states of these (show id, season) pairs (absent ones are left out)."""
        return {key: state for key, (state, _) in (await self.folds_of(seasons)).items()}

    async def folds_of(
        self, seasons: Iterable[SeasonKey], *, lock: bool = False
    ) -> dict[SeasonKey, tuple[SeasonState, FoldSummary | None]]:
        """The stored states of these seasons with the summaries their folds go on from
        (None: refold in full), reading only these rows. `lock`: on PostgreSQL, lock them
        until the transaction ends, so that two transactions folding news into one season
        take turns rather than each overwrite the other's."""
        return (await self._folds(seasons, lock=lock, listed=False))[0]

    async def folds_and_listings_of(
        self, seasons: Iterable[SeasonKey], *, lock: bool = False
    ) -> tuple[
        dict[SeasonKey, tuple[SeasonState, FoldSummary | None]],
        dict[tuple[int, int], ListingRecord],
    ]:
        """`folds_of`, with the listings (as `ListingRepo.of` reads them) of the seasons
        that have a stored state, read in the same statement."""
        return await self._folds(seasons, lock=lock, listed=True)

    async def _folds(
        self, seasons: Iterable[SeasonKey], *, lock: bool, listed: bool
    ) -> tuple[
        dict[SeasonKey, tuple[SeasonState, FoldSummary | None]],
        dict[tuple[int, int], ListingRecord],
    ]:
        pairs = sorted({(show_id, season_key(season)) for show_id, season in seasons})
        found: dict[SeasonKey, tuple[SeasonState, FoldSummary | None]] = {}
        listed_found: dict[tuple[int, int], ListingRecord] = {}
        query = _folds_query(lock=lock, listed=listed)
        for chunk in _chunks(pairs, 400):
            show_ids = sorted({show_id for show_id, _ in chunk})
            for row in await self._c.execute(query, {"keys": chunk, "show_ids": show_ids}):
                season = season_value(row.season)
                found[(row.show_id, season)] = (state_from_row(row), decode_summary(row.fold))
                if listed and season is not None and row.listed_at is not None:
                    listed_found[(row.show_id, season)] = ListingRecord(
                        show_id=row.show_id,
                        season=season,
                        premiere_date=row.listed_premiere_date,
                        link=row.listed_link,
                        listed_at=row.listed_at,
                        show_name=row.show_name,
                    )
        return found, listed_found

    async def state(self, show_id: int, season: int | None) -> SeasonState | None:
        """The stored state of one season."""
        return (await self.states_of([(show_id, season)])).get((show_id, season))

    async def states(self, show_id: int) -> list[SeasonState]:
        """Every season's state for a show, newest season first (unstated last)."""
        return (await self.states_of_shows([show_id])).get(show_id, [])

    async def states_of_shows(self, show_ids: Iterable[int]) -> dict[int, list[SeasonState]]:
        """`states` of each of these shows (those with none are left out), in one statement
        per 400 shows."""
        found: dict[int, list[SeasonState]] = {}
        for chunk in _chunks(sorted(set(show_ids)), 400):
            for show_id, state in await self._states(season_states.c.show_id.in_(chunk)):
                found.setdefault(show_id, []).append(state)
        return {
            show_id: sorted(rows, key=lambda s: -1 if s.season is None else s.season, reverse=True)
            for show_id, rows in found.items()
        }

    async def all_states(self) -> list[SeasonState]:
        """Every season's state of every show, by show name then season."""
        rows = [state for _, state in await self._states(true())]
        return sorted(rows, key=lambda s: (s.show.casefold(), -1 if s.season is None else s.season))

    async def premieres_between(
        self, start: date, end: date, show_ids: Sequence[int] | None = None
    ) -> list[tuple[int, SeasonState]]:
        """Seasons with a known premiere date in [start, end], in date order."""
        where = and_(
            season_states.c.premiere_date.is_not(None),
            season_states.c.premiere_date >= start,
            season_states.c.premiere_date <= end,
        )
        if show_ids is not None:
            where = and_(where, season_states.c.show_id.in_(list(show_ids)))
        rows = await self._states(where)
        return sorted(rows, key=lambda item: (item[1].premiere_date or start, item[1].show))

    async def cancellations(self, show_ids: Iterable[int]) -> dict[int, list[SeasonState]]:
        """The cancelled seasons of these shows, by show, in one statement."""
        found: dict[int, list[SeasonState]] = {}
        for chunk in _chunks(sorted(set(show_ids)), 400):
            where = and_(
                season_states.c.show_id.in_(chunk),
                season_states.c.status == Status.CANCELLED.value,
            )
            for show_id, state in await self._states(where):
                found.setdefault(show_id, []).append(state)
        return found

    async def _states(self, where: Any) -> list[tuple[int, SeasonState]]:
        # Not the fold summary: cards and lists never need it.
        columns = [column for column in season_states.c if column.name != "fold"]
        query = (
            select(*columns, shows.c.name.label("show_name"))
            .join(shows, shows.c.id == season_states.c.show_id)
            .where(where)
        )
        return [(row.show_id, state_from_row(row)) for row in await self._c.execute(query)]


async def add_spellings(connection: AsyncConnection, pairs: Iterable[tuple[int, str]]) -> None:
    """Give shows these (show id, spelling) aliases, each unless another show answers to
    it already, and index their words for the name search (see `ShowRepo.names_exact`)."""
    rows: dict[str, dict[str, Any]] = {}
    for show_id, alias in pairs:
        key = name_key(alias)
        if key and key not in rows:
            rows[key] = {"key": key, "show_id": show_id, "alias": alias, "loose": loose_key(alias)}
    for chunk in _chunks(list(rows.values()), 500):
        await connection.execute(
            upsert(connection, show_aliases).on_conflict_do_nothing(index_elements=["key"]),
            chunk,
        )
    await index_words(connection, {row["show_id"] for row in rows.values()})


async def index_words(connection: AsyncConnection, show_ids: Iterable[int]) -> None:
    """Index the words of these shows' spellings (as they are owned now), counting the
    TVmaze shows newly using each word (the vocabulary bot/shows/stored.py keeps)."""
    words: set[tuple[str, int]] = set()
    mirrored: set[int] = set()
    owner_keys: dict[int, str] = {}
    for ids in _chunks(sorted(set(show_ids)), 500):
        query = (
            select(show_aliases.c.show_id, show_aliases.c.key, shows.c.origin, shows.c.key)
            .join(shows, shows.c.id == show_aliases.c.show_id)
            .where(show_aliases.c.show_id.in_(ids))
        )
        for show_id, key, origin, owner_key in await connection.execute(query):
            words.update((word, show_id) for word in key.replace(":", " ").split())
            owner_keys[show_id] = owner_key
            if origin == MIRRORED:
                mirrored.add(show_id)
    vocabulary = [{"word": word, "shows": 0} for word in sorted({word for word, _ in words})]
    for chunk in _chunks(vocabulary, 1000):
        await connection.execute(upsert(connection, name_words).on_conflict_do_nothing(), chunk)
    added: Counter[str] = Counter()
    rows: list[dict[str, object]] = [
        {
            "word": word,
            "show_id": show_id,
            "mirror_key": owner_keys[show_id] if show_id in mirrored else None,
        }
        for word, show_id in sorted(words)
    ]
    for chunk in _chunks(rows, 1000):
        statement = (
            upsert(connection, show_words)
            .values(chunk)
            .on_conflict_do_nothing()
            .returning(show_words.c.word, show_words.c.show_id)
        )
        added.update(w for w, show_id in await connection.execute(statement) if show_id in mirrored)
    if added:
        await connection.execute(
            update(name_words)
            .where(name_words.c.word == bindparam("counted"))
            .values(shows=name_words.c.shows + bindparam("more")),
            [{"counted": word, "more": count} for word, count in sorted(added.items())],
        )


async def forget_folds_of_feed(connection: AsyncConnection, feed_id: Any) -> None:
    """Make every season a feed's entries speak of refold in full next time: its entries
    are about to go (a removed feed's announcements go with them, by cascade)."""
    about = (
        select(announcements.c.show_id, announcements.c.season)
        .join(entries, entries.c.id == announcements.c.entry_id)
        .where(entries.c.feed_id == feed_id)
    )
    await connection.execute(
        update(season_states)
        .where(tuple_(season_states.c.show_id, season_states.c.season).in_(about))
        .values(fold=None)
    )


def _chunks(items: list[T], size: int) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _announcement_row(
    show_id: int, entry_id: int | None, item: Announcement, now: datetime
) -> dict[str, Any]:
    return {
        "show_id": show_id,
        "entry_id": entry_id,
        "event": item.event.value,
        "season": season_key(item.season),
        "premiere_date": item.date,
        "window_start": item.window.start if item.window else None,
        "window_end": item.window.end if item.window else None,
        "window_text": item.window.text if item.window else None,
        "network": item.network,
        "certainty": item.certainty.value,
        "evidence": item.evidence,
        "outlet": item.source.outlet,
        "link": item.source.link,
        "title": item.source.title,
        "published": item.source.published,
        "recognised_at": now,
    }


def _announcement(row: Any) -> Announcement:
    return Announcement(
        show=row.show_name,
        event=Event(row.event),
        certainty=Certainty(row.certainty),
        evidence=row.evidence,
        source=Source(outlet=row.outlet, link=row.link, published=row.published, title=row.title),
        season=season_value(row.season),
        date=row.premiere_date,
        window=_window(row.window_start, row.window_end, row.window_text),
        network=row.network,
    )


def _announcement_as_stored(show_name: str, row: dict[str, Any]) -> Announcement:
    """What `_announcement` reads back from the row `_announcement_row` wrote (the
    store keeps times as UTC: see db/schema.py's UTCDateTime)."""
    published = row["published"]
    return Announcement(
        show=show_name,
        event=Event(row["event"]),
        certainty=Certainty(row["certainty"]),
        evidence=row["evidence"],
        source=Source(
            outlet=row["outlet"],
            link=row["link"],
            published=published.astimezone(UTC) if published is not None else None,
            title=row["title"],
        ),
        season=season_value(row["season"]),
        date=row["premiere_date"],
        window=_window(row["window_start"], row["window_end"], row["window_text"]),
        network=row["network"],
    )


def _state_row(
    show_id: int, state: SeasonState, now: datetime, *, fold: str | None = None
) -> dict[str, Any]:
    status_source = state.status_first_source
    premiere_source = state.premiere_first_source
    window = state.premiere_window
    return {
        "show_id": show_id,
        "season": season_key(state.season),
        "status": state.status.value,
        "status_certainty": state.status_certainty.value if state.status_certainty else None,
        "status_first_reported": state.status_first_reported,
        "status_source": json.dumps(_source_json(status_source)) if status_source else None,
        "premiere_date": state.premiere_date,
        "window_start": window.start if window else None,
        "window_end": window.end if window else None,
        "window_text": window.text if window else None,
        "premiere_certainty": state.premiere_certainty.value if state.premiere_certainty else None,
        "premiere_first_reported": state.premiere_first_reported,
        "premiere_source": json.dumps(_source_json(premiere_source)) if premiere_source else None,
        "network": state.network,
        "sources": json.dumps([_source_json(s) for s in state.sources]),
        "updated_at": state.updated or now,
        "listed_date": state.listed_date,
        "news_date": state.news_date,
        "news_certainty": state.news_certainty.value if state.news_certainty else None,
        "fold": fold,
    }


def state_from_row(row: Any) -> SeasonState:
    """A season state from a row of `season_states` with its show's name (`show_name`)."""
    status_source = _source_from_json(json.loads(row.status_source)) if row.status_source else None
    premiere_source = (
        _source_from_json(json.loads(row.premiere_source)) if row.premiere_source else None
    )
    return SeasonState(
        show=row.show_name,
        season=season_value(row.season),
        status=Status(row.status),
        status_certainty=_certainty(row.status_certainty),
        status_first_reported=row.status_first_reported,
        status_first_source=status_source,
        premiere_date=row.premiere_date,
        premiere_window=_window(row.window_start, row.window_end, row.window_text),
        premiere_certainty=_certainty(row.premiere_certainty),
        premiere_first_reported=row.premiere_first_reported,
        premiere_first_source=premiere_source,
        network=row.network,
        sources=tuple(_source_from_json(s) for s in json.loads(row.sources)),
        updated=row.updated_at,
        listed_date=row.listed_date,
        news_date=row.news_date,
        news_certainty=_certainty(row.news_certainty),
    )
