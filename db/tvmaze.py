"""The TVmaze mirror in the store: every mirrored show has a row in `shows` (its identity
in the catalogue, watches and state) and one in `tvmaze_shows` (what TVmaze says).

Linking: a TVmaze show whose name is a catalogue show's name (the shipped list, or a show
learned from the news) takes over that show when it is not linked yet and their networks
do not contradict each other; otherwise it gets a show of its own. Names are unique in
the catalogue, TVmaze's are not: a second "The Office" is named "The Office (2001)" (then
with its channel, then its TVmaze id). A show renamed upstream is renamed here and keeps
its old name as an alias, so old news and old habits still find it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import SeasonState, Show
from bot.records import ListingRecord, MirrorChanges, MirrorInfo
from bot.shows.names import fold_text, name_key
from bot.tvmaze.shapes import TvmazeShow
from db.dialect import upsert
from db.schema.bookkeeping import sync_state
from db.schema.catalogue import show_aliases, show_words, shows, tvmaze_shows
from db.schema.seasons import listings, season_states
from db.schema.servers import watches
from db.schema.users import follows
from db.show_rows import UNSTATED, _chunks, season_binds, seasons_in, state_from_row
from db.shows import MIRRORED, add_spellings

T = TypeVar("T")
ORIGIN = MIRRORED
_CHUNK = 500
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# The listings of some seasons (a feed's poll reads them for seasons it folds anew), built
# once: building it cost more than running it on SQLite.
_LISTINGS_OF = (
    select(listings, shows.c.name.label("show_name"))
    .join(shows, shows.c.id == listings.c.show_id)
    .where(seasons_in(listings.c.show_id, listings.c.season))
)

# TVmaze's columns a card reads, labelled apart from the season states' beside them.
_INFO = (
    tvmaze_shows.c.id.label("tvmaze_id"),
    tvmaze_shows.c.name.label("tvmaze_name"),
    tvmaze_shows.c.status.label("tvmaze_status"),
    tvmaze_shows.c.premiered.label("tvmaze_premiered"),
    tvmaze_shows.c.ended.label("tvmaze_ended"),
    tvmaze_shows.c.network.label("tvmaze_network"),
    tvmaze_shows.c.web_channel.label("tvmaze_web_channel"),
    tvmaze_shows.c.url.label("tvmaze_url"),
)


def _info(row: Any) -> MirrorInfo:
    return MirrorInfo(
        tvmaze_id=row.tvmaze_id,
        name=row.tvmaze_name,
        status=row.tvmaze_status,
        premiered=row.tvmaze_premiered,
        ended=row.tvmaze_ended,
        channel=row.tvmaze_network or row.tvmaze_web_channel,
        url=row.tvmaze_url,
    )


def _channel_key(name: str | None) -> str:
    text = _NOT_ALNUM.sub("", fold_text(name or ""))
    return text.removeprefix("the")


def same_channel(first: str | None, second: str | None) -> bool:
    """Whether two network names may be the same channel ("Apple TV+" and "Apple TV",
    "Max" and "HBO Max"); an unknown one contradicts nothing."""
    a, b = _channel_key(first), _channel_key(second)
    return not a or not b or a in b or b in a


def _spellings(item: TvmazeShow, display: str) -> list[str]:
    return list(dict.fromkeys([display, item.name, *item.aliases]))


def _display_names(item: TvmazeShow) -> list[str]:
    """The names a show may go by in the catalogue, first choice first."""
    names = [item.name]
    year = item.premiered.year if item.premiered else None
    if year:
        names.append(f"{item.name} ({year})")
    if item.channel:
        names.append(
            f"{item.name} ({year}, {item.channel})" if year else f"{item.name} ({item.channel})"
        )
    names.append(f"{item.name} (TVmaze {item.id})")
    return names


def _mirror_row(
    item: TvmazeShow, show_id: int, aliases: Sequence[str], now: datetime
) -> dict[str, Any]:
    return {
        "id": item.id,
        "show_id": show_id,
        "name": item.name,
        "aliases": json.dumps(list(aliases)),
        "network": item.network,
        "web_channel": item.web_channel,
        "status": item.status,
        "premiered": item.premiered,
        "ended": item.ended,
        "imdb": item.imdb,
        "thetvdb": item.thetvdb,
        "url": item.url,
        "weight": item.weight,
        "updated": item.updated,
        "synced_at": now,
    }


class MirrorRepo:
    """TVmaze's show index as mirrored in the store."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def count(self) -> int:
        """How many TVmaze shows are mirrored."""
        query = select(func.count()).select_from(tvmaze_shows)
        return int((await self._c.execute(query)).scalar_one())

    async def updated_stamps(self, tvmaze_ids: Iterable[int]) -> dict[int, int]:
        """TVmaze's `updated` stamp of each of these shows that is mirrored."""
        wanted = sorted(set(tvmaze_ids))
        found: dict[int, int] = {}
        for chunk in _chunks(wanted, _CHUNK):
            query = select(tvmaze_shows.c.id, tvmaze_shows.c.updated).where(
                tvmaze_shows.c.id.in_(chunk)
            )
            found.update({tvmaze_id: stamp for tvmaze_id, stamp in await self._c.execute(query)})
        return found

    async def show_ids(self, tvmaze_ids: Iterable[int]) -> dict[int, tuple[int, str, str | None]]:
        """TVmaze id -> (catalogue show id, catalogue name, TVmaze page) for mirrored ones."""
        wanted = sorted(set(tvmaze_ids))
        found: dict[int, tuple[int, str, str | None]] = {}
        for chunk in _chunks(wanted, _CHUNK):
            query = (
                select(tvmaze_shows.c.id, tvmaze_shows.c.show_id, shows.c.name, tvmaze_shows.c.url)
                .join(shows, shows.c.id == tvmaze_shows.c.show_id)
                .where(tvmaze_shows.c.id.in_(chunk))
            )
            for row in await self._c.execute(query):
                found[row.id] = (row.show_id, row.name, row.url)
        return found

    async def watched(self) -> list[int]:
        """TVmaze ids of the mirrored shows some channel watches or someone follows."""
        active = select(watches.c.show_id).where(watches.c.disabled_reason.is_(None))
        query = (
            select(tvmaze_shows.c.id)
            .where(
                or_(
                    tvmaze_shows.c.show_id.in_(active),
                    tvmaze_shows.c.show_id.in_(select(follows.c.show_id)),
                )
            )
            .order_by(tvmaze_shows.c.id)
        )
        return list((await self._c.execute(query)).scalars())

    async def info(self, show_id: int) -> MirrorInfo | None:
        """What TVmaze says about a catalogue show, if it is mirrored."""
        query = select(*_INFO).where(tvmaze_shows.c.show_id == show_id)
        row = (await self._c.execute(query)).first()
        return None if row is None else _info(row)

    async def card(self, show_id: int, latest: int) -> tuple[list[SeasonState], MirrorInfo | None]:
        """What a show's card shows, in one statement: the states of its `latest`
        highest seasons and of its unstated one (newest season first, unstated last), and
        what TVmaze says about it. Only those seasons' sources are decoded."""
        state_columns = [c for c in season_states.c if c.name != "fold"]  # never shown
        query = (
            select(*state_columns, shows.c.name.label("show_name"), *_INFO)
            .select_from(
                shows.outerjoin(season_states, season_states.c.show_id == shows.c.id).outerjoin(
                    tvmaze_shows, tvmaze_shows.c.show_id == shows.c.id
                )
            )
            .where(shows.c.id == show_id)
        )
        rows = (await self._c.execute(query)).all()
        info = _info(rows[0]) if rows and rows[0].tvmaze_id is not None else None
        stated = sorted(
            (row for row in rows if row.season is not None and row.season != UNSTATED),
            key=lambda row: int(row.season),
            reverse=True,
        )
        unstated = [row for row in rows if row.season == UNSTATED]
        return [state_from_row(row) for row in (*stated[:latest], *unstated)], info

    async def apply(self, items: Iterable[TvmazeShow], *, now: datetime) -> MirrorChanges:
        """Mirror these TVmaze shows: add the new ones (linked to a catalogue show or as
        shows of their own), update the changed ones, rename the renamed ones."""
        batch = {item.id: item for item in items}  # the last word on an id wins
        changes = MirrorChanges()
        if not batch:
            return changes
        existing: dict[int, Any] = {}
        for chunk in _chunks(sorted(batch), _CHUNK):
            query = (
                select(
                    tvmaze_shows,
                    shows.c.name.label("show_name"),
                    shows.c.network.label("show_network"),
                )
                .join(shows, shows.c.id == tvmaze_shows.c.show_id)
                .where(tvmaze_shows.c.id.in_(chunk))
            )
            existing.update({row.id: row for row in await self._c.execute(query)})
        fresh = [item for tvmaze_id, item in batch.items() if tvmaze_id not in existing]
        for tvmaze_id, row in existing.items():
            item = batch[tvmaze_id]
            if item.updated == row.updated and item.name == row.name:
                changes.unchanged += 1
                continue
            await self._update(item, row, now, changes)
        if fresh:
            await self._add(fresh, now, changes)
        return changes

    async def _update(
        self, item: TvmazeShow, row: Any, now: datetime, changes: MirrorChanges
    ) -> None:
        aliases = item.aliases or tuple(json.loads(row.aliases))
        values = _mirror_row(item, row.show_id, aliases, now)
        await self._c.execute(
            update(tvmaze_shows).where(tvmaze_shows.c.id == item.id).values(values)
        )
        changes.updated += 1
        display = row.show_name
        if item.name != row.name:
            display = await self._free_name(item, own=row.show_id)
            before = Show(name=row.show_name, network=row.show_network, id=row.show_id)
            await self._c.execute(
                update(shows)
                .where(shows.c.id == row.show_id)
                .values(name=display, key=name_key(display))
            )
            # TVmaze shows' word postings are ordered by their name key (db/schema/catalogue.py).
            await self._c.execute(
                update(show_words)
                .where(show_words.c.show_id == row.show_id, show_words.c.mirror_key.is_not(None))
                .values(mirror_key=name_key(display))
            )
            after = Show(
                name=display,
                aliases=(*(s for s in _spellings(item, display) if s != display), row.show_name),
                network=row.show_network or item.channel,
                id=row.show_id,
            )
            changes.renamed.append((before, after))
        await self._add_aliases([(row.show_id, s) for s in _spellings(item, display)])

    async def _free_name(self, item: TvmazeShow, *, own: int | None = None) -> str:
        """The first of the show's possible names no other show goes by."""
        names = _display_names(item)
        keys = [name_key(name) for name in names]
        taken = await self._owners(keys)
        for name, key in zip(names, keys, strict=True):
            if taken.get(key, own) == own:
                return name
        return names[-1]

    async def _owners(self, keys: Iterable[str]) -> dict[str, int]:
        """The show owning each key, as its name or an alias."""
        wanted = sorted(set(keys))
        owners: dict[str, int] = {}
        for chunk in _chunks(wanted, _CHUNK):
            for key, show_id in await self._c.execute(
                select(show_aliases.c.key, show_aliases.c.show_id).where(
                    show_aliases.c.key.in_(chunk)
                )
            ):
                owners[key] = show_id
            for key, show_id in await self._c.execute(
                select(shows.c.key, shows.c.id).where(shows.c.key.in_(chunk))
            ):
                owners[key] = show_id
        return owners

    async def _add(self, fresh: list[TvmazeShow], now: datetime, changes: MirrorChanges) -> None:
        # The most followed show of a batch gets the plain name when several share it.
        fresh.sort(key=lambda item: (-(item.weight or 0), item.id))
        candidates = {item.id: _display_names(item) for item in fresh}
        owners = await self._owners(name_key(n) for names in candidates.values() for n in names)
        plain = sorted({key for key in (name_key(i.name) for i in fresh) if key in owners})
        open_shows: dict[int, Any] = {}  # catalogue shows a TVmaze show may take over
        for chunk in _chunks(plain, _CHUNK):
            query = (
                select(shows.c.id, shows.c.name, shows.c.key, shows.c.network)
                .outerjoin(tvmaze_shows, tvmaze_shows.c.show_id == shows.c.id)
                .where(shows.c.key.in_(chunk), tvmaze_shows.c.id.is_(None))
            )
            open_shows.update({row.id: row for row in await self._c.execute(query)})
        placed: list[tuple[TvmazeShow, str, int | None]] = []  # item, name, linked show id
        for item in fresh:
            key = name_key(item.name)
            owner = owners.get(key)
            target = open_shows.pop(owner, None) if owner is not None else None
            if target is not None and same_channel(target.network, item.channel):
                placed.append((item, target.name, target.id))
                continue
            if target is not None:
                open_shows[target.id] = target  # not this one: another may still take it
            name = next(
                (n for n in candidates[item.id] if name_key(n) not in owners),
                candidates[item.id][-1],
            )
            owners[name_key(name)] = -item.id  # taken within this batch
            placed.append((item, name, None))
        new_rows = [
            {
                "name": name,
                "key": name_key(name),
                "network": item.channel,
                "origin": ORIGIN,
                "created_at": now,
            }
            for item, name, linked in placed
            if linked is None
        ]
        for rows_chunk in _chunks(new_rows, _CHUNK):
            await self._c.execute(
                upsert(self._c, shows)
                .values(list(rows_chunk))
                .on_conflict_do_nothing(index_elements=["key"])
            )
        ids: dict[str, int] = {}
        for keys in _chunks([str(row["key"]) for row in new_rows], _CHUNK):
            result = await self._c.execute(
                select(shows.c.key, shows.c.id).where(shows.c.key.in_(keys))
            )
            ids.update({key: show_id for key, show_id in result})
        mirror_rows: list[dict[str, Any]] = []
        alias_pairs: list[tuple[int, str]] = []
        for item, name, linked in placed:
            show_id = linked if linked is not None else ids[name_key(name)]
            spellings = _spellings(item, name)
            mirror_rows.append(_mirror_row(item, show_id, item.aliases, now))
            alias_pairs.extend((show_id, spelling) for spelling in spellings)
            show = Show(
                name=name,
                aliases=tuple(s for s in spellings if s != name),
                network=item.channel,
                id=show_id,
            )
            (changes.linked if linked is not None else changes.added).append(show)
            if linked is not None:
                await self._c.execute(
                    update(shows)
                    .where(shows.c.id == show_id, shows.c.network.is_(None))
                    .values(network=item.channel)
                )
        for mirror_chunk in _chunks(mirror_rows, _CHUNK):
            await self._c.execute(
                upsert(self._c, tvmaze_shows).on_conflict_do_nothing(), list(mirror_chunk)
            )
        await self._add_aliases(alias_pairs)

    async def _add_aliases(self, pairs: Iterable[tuple[int, str]]) -> None:
        await add_spellings(self._c, pairs)


class ListingRepo:
    """Premiere dates a listings source gives, per season."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def from_date(self, first: date) -> dict[tuple[int, int], ListingRecord]:
        """Every listing premiering on `first` or later."""
        query = (
            select(listings, shows.c.name.label("show_name"))
            .join(shows, shows.c.id == listings.c.show_id)
            .where(listings.c.premiere_date >= first)
        )
        return {(row.show_id, row.season): _listing(row) for row in await self._c.execute(query)}

    async def of(
        self, seasons: Iterable[tuple[int, int | None]]
    ) -> dict[tuple[int, int], ListingRecord]:
        """The listings of these (show id, season) pairs (unnumbered seasons have none)."""
        pairs = sorted({(show_id, season) for show_id, season in seasons if season is not None})
        found: dict[tuple[int, int], ListingRecord] = {}
        for chunk in _chunks(pairs, 400):
            rows = await self._c.execute(_LISTINGS_OF, season_binds(chunk))
            found.update({(row.show_id, row.season): _listing(row) for row in rows})
        return found

    async def put(self, records: Sequence[ListingRecord], *, now: datetime) -> None:
        """Store these listings (replacing the seasons' previous ones)."""
        rows = [
            {
                "show_id": r.show_id,
                "season": r.season,
                "premiere_date": r.premiere_date,
                "link": r.link,
                "listed_at": r.listed_at,
                "checked_at": now,
            }
            for r in records
        ]
        if not rows:
            return
        statement = upsert(self._c, listings)
        statement = statement.on_conflict_do_update(
            index_elements=["show_id", "season"],
            set_={
                k: statement.excluded[k]
                for k in ("premiere_date", "link", "listed_at", "checked_at")
            },
        )
        await self._c.execute(statement, rows)

    async def remove(self, seasons: Iterable[tuple[int, int]]) -> None:
        """Forget these seasons' listings."""
        for chunk in _chunks(sorted(set(seasons)), 400):
            await self._c.execute(
                delete(listings).where(tuple_(listings.c.show_id, listings.c.season).in_(chunk))
            )


def _listing(row: Any) -> ListingRecord:
    return ListingRecord(
        show_id=row.show_id,
        season=row.season,
        premiere_date=row.premiere_date,
        link=row.link,
        listed_at=row.listed_at,
        show_name=row.show_name,
    )


class SyncStateRepo:
    """Small JSON values kept between runs (validators, progress)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        query = select(sync_state.c.value).where(sync_state.c.key == key)
        value = (await self._c.execute(query)).scalar_one_or_none()
        return None if value is None else json.loads(value)

    async def get_many(self, prefix: str) -> dict[str, Any]:
        """Every value whose key starts with `prefix`."""
        query = select(sync_state.c.key, sync_state.c.value).where(
            sync_state.c.key.startswith(prefix)
        )
        return {key: json.loads(value) for key, value in await self._c.execute(query)}

    async def put(self, key: str, value: Any, *, now: datetime) -> None:
        """Store `value` (JSON) under `key`."""
        await self.put_many({key: value}, now=now)

    async def put_many(self, values: dict[str, Any], *, now: datetime) -> None:
        """Store several values at once."""
        rows = [{"key": k, "value": json.dumps(v), "updated_at": now} for k, v in values.items()]
        if not rows:
            return
        statement = upsert(self._c, sync_state)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
        await self._c.execute(statement, rows)
