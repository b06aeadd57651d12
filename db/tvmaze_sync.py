"""Mirroring TVmaze shows into the store: the writes of `MirrorRepo` (db/tvmaze.py).

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
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Show
from bot.records import MirrorChanges
from bot.shows.names import fold_text, name_key
from bot.tvmaze.shapes import TvmazeShow
from db.dialect import upsert
from db.schema.catalogue import show_aliases, show_words, shows, tvmaze_shows
from db.show_rows import _chunks
from db.shows import MIRRORED, add_spellings

ORIGIN = MIRRORED
_CHUNK = 500
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


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


class MirrorSyncMixin:
    """The part of `MirrorRepo` that mirrors TVmaze shows (adds, links, updates, renames)."""

    _c: AsyncConnection

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
