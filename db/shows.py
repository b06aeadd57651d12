"""Shows and aliases: the catalogue and the name search over it. `ShowRepo` (tx.shows)
also holds the announcements about shows and mentions of them (db/announcements.py) and
their per-season state (db/season_states.py); their rows are read and written by
db/show_rows.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, or_, select, tuple_, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Show
from bot.records import NameSearch
from bot.shows.names import loose_key, name_key
from db.announcements import AnnouncementMixin
from db.dialect import upsert
from db.name_search import MIRRORED as MIRRORED  # the origin of TVmaze-only shows
from db.name_search import search_statement
from db.schema.catalogue import name_words, show_aliases, show_words, shows
from db.schema.news import announcements
from db.schema.servers import watches
from db.schema.users import follows
from db.season_states import SeasonStateMixin
from db.show_rows import _chunks


class ShowRepo(AnnouncementMixin, SeasonStateMixin):
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

    async def mirror_spellings(self) -> list[str]:
        """The loose key of every spelling (name and aliases) of the TVmaze shows: what
        the name search's exact part matches."""
        query = (
            select(show_aliases.c.loose)
            .join(shows, shows.c.id == show_aliases.c.show_id)
            .where(shows.c.origin == MIRRORED)
        )
        return list((await self._c.execute(query)).scalars())

    async def mirror_order(self) -> list[int]:
        """The TVmaze shows' ids in name-key order (byte order on both engines, as Python
        orders the keys, and so `CompactIndex`)."""
        key = shows.c.key if self._c.dialect.name == "sqlite" else shows.c.key.collate("C")
        query = select(shows.c.id).where(shows.c.origin == MIRRORED).order_by(key, shows.c.id)
        return list((await self._c.execute(query)).scalars())

    async def mirror_words(
        self, after: tuple[str, str, int] | None, limit: int
    ) -> list[tuple[str, str, int]]:
        """A page of (word, name key, show id) of the TVmaze shows' words, in that order
        (the name index's), the first `limit` after `after`: read in pages, so that reading
        them all (~320,000 at 100,000 shows) never holds more than a page of rows."""
        row = tuple_(show_words.c.word, show_words.c.mirror_key, show_words.c.show_id)
        query = select(show_words.c.word, show_words.c.mirror_key, show_words.c.show_id).where(
            show_words.c.mirror_key.is_not(None)
        )
        if after is not None:
            query = query.where(row > tuple_(*(literal(value) for value in after)))
        query = query.order_by(*row.clauses).limit(limit)
        return [(word, key, show_id) for word, key, show_id in await self._c.execute(query)]

    async def search(self, probe: NameSearch) -> list[tuple[str, Show, str]]:
        """The TVmaze shows each part of `probe` finds, as (part, show) pairs, in one
        statement: "exact", "starting", "words", "typos" (see `NameSearch`). A show found
        by several parts comes once for each, with its name key."""
        query, params = search_statement(probe, self._c.dialect.name)
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
        return await self._load(_followed())

    async def followed_named(self, key: str, loose: str) -> list[Show]:
        """Those of `followed()`, in its order, that a text with the name key `key` and the
        loose key `loose` may name exactly: a spelling with either key, or a name whose key
        an alias with either key has (an alias of another show's, which its own spelling
        row then lacks). An index of these matches the text as one of them all would."""
        spelled = or_(show_aliases.c.key == key, show_aliases.c.loose == loose)
        # One index probe each, met in a union: under an OR, PostgreSQL tested every show.
        named = union(
            select(show_aliases.c.show_id).where(spelled),
            select(shows.c.id).where(shows.c.key == key),
            select(shows.c.id).where(shows.c.key.in_(select(show_aliases.c.key).where(spelled))),
        )
        return await self._load(and_(shows.c.id.in_(named), _followed()))

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


def _followed() -> Any:
    """The condition `followed` reads shows by."""
    # EXISTS, one index probe per TVmaze show, not IN (SELECT ...): under the OR,
    # PostgreSQL hashes an IN list only while it fits work_mem, and past that (about a
    # million announcements) it rescans the list for every show, for minutes.
    return or_(
        shows.c.origin != MIRRORED,
        *(
            select(table.c.show_id).where(table.c.show_id == shows.c.id).exists()
            for table in (watches, follows, announcements)
        ),
    )


async def add_spellings(connection: AsyncConnection, pairs: Iterable[tuple[int, str]]) -> None:
    """Give shows these (show id, spelling) aliases, each unless another show answers to
    it already, and index their words for the name search (`db/name_search.py`)."""
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
