"""The name search's bounded reads (db/name_search.py) and the card's one read, on a real
store: the first shows by name key among those a search finds are the ones a full read
and sort would give, whatever the limits, and the postings keep their show's key."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime

from sqlalchemy import event, select

from bot.models import SeasonState, Show, Status
from bot.records import NameSearch
from bot.shows.names import loose_key, name_key
from bot.tvmaze.shapes import TvmazeShow
from db.schema.catalogue import show_words, shows
from db.store import Store

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WORDS = ["alpha", "alpine", "beta", "bravo", "gamma", "delta", "echo"]


def catalogue(rng: random.Random) -> list[Show]:
    names: dict[str, Show] = {}
    while len(names) < 150:
        words = rng.sample(WORDS, rng.randint(1, 3))
        name = " ".join(w.title() for w in words) + f" {rng.randrange(1000)}"
        aliases = (f"{words[0].upper()} X{len(names)}",) if rng.random() < 0.1 else ()
        names.setdefault(name_key(name), Show(name, aliases=aliases))
    return list(names.values())


async def fill(store: Store) -> tuple[list[Show], list[Show]]:
    rng = random.Random(9)
    mirror, own = catalogue(rng), [Show("Alpha Beta Own"), Show("Gamma Own Echo")]
    async with store.transaction() as tx:
        await tx.shows.ensure_many(own, origin="catalogue")
        await tx.shows.ensure_many(mirror, origin="tvmaze")
        stored = await tx.shows.all()
    ids = {name_key(s.name) for s in mirror}
    return [s for s in stored if name_key(s.name) in ids], own


# Typo groups found per show, all met, or the first two met and the others tested (where
# there are more than two; else as per show).
MEETINGS = ((False, 0), (True, 0), (False, 2))


# Whole words and a prefix found per show, all met, or the first word's and the prefix's
# met and the other words tested (where there are two or more; else as per show).
PREFIX_MEETINGS = ((False, False), (True, False), (False, True))


def words_of(show: Show) -> set[str]:
    return {w for spelling in (show.name, *show.aliases) for w in loose_key(spelling).split()}


def first_by_key(found: list[Show], limit: int) -> list[str]:
    return sorted(name_key(s.name) for s in found)[:limit]


async def test_typo_groups_read_the_first_shows_by_key_whatever_the_limit(store: Store) -> None:
    mirror, _ = await fill(store)
    for groups in [
        (("alpha", "alpine"),),
        (("beta",), ("gamma", "delta")),
        (("echo",), ("nope",)),
        (("alpha", "beta"), ("gamma",), ("delta", "echo")),
    ]:
        expected = [s for s in mirror if all(words_of(s) & set(group) for group in groups)]
        for limit, (meet, met) in itertools.product((1, 3, 10, 500), MEETINGS):
            probe = NameSearch(groups=groups, typos=limit, meet=meet, met=met)
            async with store.read() as tx:
                found = await tx.shows.search(probe)
            assert sorted(key for _, _, key in found) == first_by_key(expected, limit)


async def test_typo_groups_that_never_meet_read_the_first_group_alone_when_asked(
    store: Store,
) -> None:
    mirror, _ = await fill(store)
    for groups in [
        (("echo",), ("nope",)),
        (("beta",), ("gamma", "delta")),
        (("zz",), ("echo",)),
        (("beta",), ("gamma", "delta"), ("nope",)),
        (("alpha", "beta"), ("gamma",), ("delta", "echo")),
    ]:
        met = [s for s in mirror if all(words_of(s) & set(group) for group in groups)]
        rarest = [s for s in mirror if words_of(s) & set(groups[0])]
        for limit, (meet, first) in itertools.product((1, 10, 500), MEETINGS):
            probe = NameSearch(groups=groups, typos=limit, alone=True, meet=meet, met=first)
            async with store.read() as tx:
                found = await tx.shows.search(probe)
            expected = met or rarest
            assert sorted(key for _, _, key in found) == first_by_key(expected, limit), groups
            assert all(part == "typos" for part, _, _ in found)


async def test_whole_words_and_a_prefix_read_the_first_shows_by_key_either_way(
    store: Store,
) -> None:
    mirror, _ = await fill(store)
    for whole, prefix in [
        (("beta",), "a"),
        (("alpha", "gamma"), "d"),
        (("gamma", "alpha"), "b"),
        (("echo",), "zz"),
    ]:
        expected = [
            s
            for s in mirror
            if set(whole) <= words_of(s) and any(w.startswith(prefix) for w in words_of(s))
        ]
        for limit, (meet, meet_prefix) in itertools.product((2, 500), PREFIX_MEETINGS):
            probe = NameSearch(
                whole=whole, prefix=prefix, words=limit, meet=meet, meet_prefix=meet_prefix
            )
            async with store.read() as tx:
                found = await tx.shows.search(probe)
            assert sorted(key for _, _, key in found) == first_by_key(expected, limit)
            assert all(part == "words" for part, _, _ in found)


async def test_a_typo_search_is_one_text_whatever_its_groups_lengths_and_words_number(
    store: Store,
) -> None:
    """Each engine prepares a statement per text: the lengths of the typo groups tested
    per show and the number of words of the rarest (up to a power of two) must not make
    new ones, and the arms that pad the words find nothing."""
    mirror, _ = await fill(store)
    texts: list[str] = []
    event.listen(
        store.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: texts.append(statement),
    )
    for groups in [
        (("echo",), ("beta",), ("gamma",)),
        (("echo", "delta"), ("beta", "bravo", "alpha"), ("gamma", "alpine")),
        (("alpha", "beta", "gamma", "nope"), ("delta",), ("echo", "bravo")),
        (("alpha", "beta", "gamma"), ("delta", "echo", "nope", "bravo"), ("alpine",)),
    ]:
        expected = [s for s in mirror if all(words_of(s) & set(group) for group in groups)]
        met = [s for s in mirror if words_of(s) & set(groups[0])]
        probe = NameSearch(groups=groups, typos=500, alone=True)
        async with store.read() as tx:
            found = await tx.shows.search(probe)
        assert sorted(key for _, _, key in found) == first_by_key(expected or met, 500), groups
    # A text for one word, two, and three or four (padded to four).
    assert len(set(texts)) == 3


async def test_postings_follow_a_rename_and_keep_other_shows_out(store: Store) -> None:
    mirror, own = await fill(store)
    renamed = next(s for s in mirror if "beta" in words_of(s))
    async with store.transaction() as tx:
        changes = await tx.mirror.apply([TvmazeShow(id=77, name=renamed.name, updated=1)], now=NOW)
        assert changes.linked  # the TVmaze entry is the stored show
        await tx.mirror.apply([TvmazeShow(id=77, name="Beta Zulu 5", updated=2)], now=NOW)
        rows = (
            await tx.connection.execute(
                select(show_words.c.mirror_key, shows.c.key, shows.c.origin).join(
                    shows, shows.c.id == show_words.c.show_id
                )
            )
        ).all()
    assert rows and all(
        mirror_key == (key if origin == "tvmaze" else None) for mirror_key, key, origin in rows
    )
    async with store.read() as tx:
        found = await tx.shows.search(NameSearch(groups=(("zulu",),), typos=5))
    assert [show.name for _, show, _ in found] == ["Beta Zulu 5"]
    assert not {s.name for s in own} & {show.name for _, show, _ in found}


async def test_a_card_reads_the_latest_seasons_and_tvmaze_in_one_statement(store: Store) -> None:
    async with store.transaction() as tx:
        show = await tx.shows.ensure(Show("Citadel"))
        bare = await tx.shows.ensure(Show("Nothing Yet"))
        assert show.id is not None and bare.id is not None
        for season in (None, 1, 2, 3):
            state = SeasonState(show="Citadel", season=season, status=Status.RENEWED, updated=NOW)
            await tx.shows.save_state(show.id, state, now=NOW)
        await tx.mirror.apply(
            [
                TvmazeShow(
                    id=5, name="Citadel", updated=1, status="Running", premiered=date(2023, 4, 28)
                )
            ],
            now=NOW,
        )
    async with store.read() as tx:
        states, info = await tx.mirror.card(show.id, latest=2)
        every = await tx.shows.states(show.id)
        expected_info = await tx.mirror.info(show.id)
        nothing = await tx.mirror.card(bare.id, latest=2)
    assert [s.season for s in states] == [3, 2, None]
    assert states == [s for s in every if s.season in (3, 2, None)]
    assert info is not None and info == expected_info and info.status == "Running"
    assert nothing == ([], None)
