"""The TVmaze mirror and listings against a fake TVmaze on 127.0.0.1 and a real store."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from bot.cards import answer_when, premiere_other, render_text
from bot.ingest import refold_seasons
from bot.models import Announcement, Certainty, Entry, Event, Show, Source
from bot.shows.known import KnownShows
from bot.state.fold import fold_season
from db.store import Store
from tests.conftest import sqlite_write_lock_held
from tests.tvmaze.conftest import NOW, TODAY, Clock, SyncFactory
from tests.tvmaze.fake_tvmaze import FakeTvmaze

CHANNEL = 555_000_000_000_000_001
GUILD = 444_000_000_000_000_001


def later(days: int) -> date:
    return TODAY + timedelta(days=days)


def populate(fake: FakeTvmaze, pages: int = 3) -> None:
    """Shows spread over `pages` index pages, a few with stories of their own."""
    for page in range(pages):
        for n in range(0, 250, 50):
            show_id = page * 250 + n + 1
            fake.add_show(show_id, f"Filler Show {show_id}", network="NBC", premiered="2015-01-05")
    fake.add_show(7, "Glasshouse Keepers", web_channel="Netflix", premiered="2019-04-04")
    fake.add_season(7, 1, "2019-04-04", "2019-05-30")
    fake.add_season(7, 3, later(30).isoformat())
    fake.schedule_episode(7, season=3, number=1, airdate=later(30).isoformat())
    fake.add_show(
        260,
        "Lanternfall",
        network="BBC One",
        status="Ended",
        premiered="2010-09-01",
        ended="2014-11-20",
    )
    fake.add_show(
        300, "Citadel", web_channel="Prime Video", premiered="2023-04-28", akas=["Citadelle"]
    )
    fake.add_show(301, "Citadel", network="Channel 9", premiered="1998-02-02", weight=5)


def ident(show: Show | None) -> tuple[int | None, str] | None:
    return None if show is None else (show.id, show.name)


async def watch(store: Store, show_id: int) -> None:
    async with store.transaction() as tx:
        await tx.watches.add(
            guild_id=GUILD,
            channel_id=CHANNEL,
            show_id=show_id,
            role_id=None,
            created_by=1,
            now=NOW,
        )


async def alerts(store: Store) -> list[tuple[str, str]]:
    async with store.read() as tx:
        return [(d.change.event, d.change.value) for d in await tx.outbox.for_channel(CHANNEL)]


async def test_first_sync_pages_until_404_then_answers_when(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    reports = await sync.sync()

    assert fake.requests_to("/shows") == ["page=0", "page=1", "page=2", "page=3"]  # 3: 404
    index = reports[0]
    assert index.kind == "index" and index.pages == 3
    async with store.read() as tx:
        assert await tx.mirror.count() == 18
    answer = await answer_when(store, known, "glasshouse keepers")
    assert answer.card is not None
    text = render_text(answer)
    assert f"Season 3: No decision yet; premieres {later(30):%A, %B} {later(30).day}" in text
    assert "(listed on TVmaze)" in text
    assert "Schedule data from TVmaze: https://www.tvmaze.com/shows/7/glasshouse-keepers" in text

    ended = render_text(await answer_when(store, known, "Lanternfall"))
    assert "On TVmaze: Ended (ran 2010-09-01 to 2014-11-20)" in ended
    assert "Schedule data from TVmaze" in ended


async def test_a_catalogue_show_is_linked_and_a_namesake_disambiguated(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    shipped = known.catalogue.get("Citadel")
    assert shipped is not None
    await make_sync(store, known).index()

    async with store.read() as tx:
        citadel = await tx.mirror.info(shipped.id or 0)
    assert citadel is not None and citadel.tvmaze_id == 300  # the shipped show, now mirrored
    namesake = (await known.lookup("Citadel (1998)")).show
    assert namesake is not None and namesake.id != shipped.id
    assert (await known.lookup("citadelle")).show == (await known.lookup("citadel")).show
    # "Citadel" is the shipped show's (one show per spelling): the namesake is offered among
    # the names starting with it, after the shows whose news is read.
    offered = [s.name for s in await known.suggest("citadel", 5)]
    assert offered[0] == "Citadel" and "Citadel (1998)" in offered


async def test_a_second_index_sync_asks_conditionally(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake, pages=2)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    await sync.index()
    again = await sync.index()
    assert again.not_modified == 2 and again.fetched == 0
    assert again.calls == 3  # two 304s and the 404 past the last page


async def test_an_interrupted_first_sync_resumes(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake, pages=3)
    known = await KnownShows.load(store)
    async with store.transaction() as tx:
        await tx.sync_state.put("tvmaze:index", {"next_page": 2, "complete": False}, now=NOW)
    await make_sync(store, known).updates()  # not complete: it goes on paging
    assert fake.requests_to("/shows") == ["page=2", "page=3"]


async def test_updates_refetch_only_what_changed_and_follow_a_rename(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory, clock: Clock
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    await sync.index()
    before = (await known.lookup("Glasshouse Keepers")).show
    assert before is not None and before.id is not None
    await watch(store, before.id)

    fake.change(7, name="The Glasshouse Keepers: Reborn", akas=["Keepers Reborn"])
    clock.now = NOW + timedelta(hours=2)
    fake.requests.clear()
    report = await sync.updates()

    assert report.kind == "updates"
    assert report.renamed == [("Glasshouse Keepers", "The Glasshouse Keepers: Reborn")]
    assert [path for path, _ in fake.requests] == ["/updates/shows", "/shows/7"]
    after = (await known.lookup("glasshouse keepers reborn")).show
    assert after is not None and after.id == before.id
    assert ident((await known.lookup("Glasshouse Keepers")).show) == ident(after)  # old name
    assert ident((await known.lookup("keepers reborn")).show) == ident(after)  # an AKA
    async with store.read() as tx:
        reborn = await known.find(tx, "The Glasshouse Keepers: Reborn")
    assert ident(reborn) == ident(after)
    async with store.read() as tx:
        assert [w.show_name for w in await tx.watches.for_guild(GUILD)] == [after.name]

    # A restart reads the same catalogue back, and seeding does not bring the old name back.
    reloaded = await KnownShows.load(store)
    assert ident((await reloaded.lookup("glasshouse keepers")).show) == ident(after)


async def test_a_start_after_a_shipped_show_was_renamed_only_reads(
    tmp_path: Path, fake: FakeTvmaze, make_sync: SyncFactory, clock: Clock
) -> None:
    # Seeding adds nothing for a name another show answers to: the shipped "Citadel", now
    # an alias of the renamed show, is not missing, so loading writes nothing and does not
    # wait for another process's write.
    path = tmp_path / "shared.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}", busy_timeout=2)
    try:
        populate(fake)
        sync = make_sync(store, await KnownShows.load(store))
        await sync.index()
        fake.change(300, name="The Citadel Files")
        clock.now = NOW + timedelta(hours=2)
        assert (await sync.updates()).renamed == [("Citadel", "The Citadel Files")]

        with sqlite_write_lock_held(path):
            known = await asyncio.wait_for(KnownShows.load(store), 30)
        async with store.read() as tx:
            renamed = await known.find(tx, "The Citadel Files")
        assert renamed is not None
        assert ident((await known.lookup("Citadel")).show) == ident(renamed)
    finally:
        await store.close()


async def test_429_is_waited_out_and_nothing_is_lost(store: Store, make_sync: SyncFactory) -> None:
    async with FakeTvmaze(today=TODAY, limit=3, window=1.0) as strict:
        populate(strict, pages=5)
        known = await KnownShows.load(store)
        sync = make_sync(store, known)
        sync.client.base_url = strict.url  # a client faster than the fake allows
        report = await sync.index()
        async with store.read() as tx:
            assert await tx.mirror.count() == len(strict.shows)
    assert strict.rate_limited >= 1 and report.rate_limited == strict.rate_limited
    assert report.fetched == len(strict.shows) and report.pages == 5


async def test_a_limiter_set_to_the_limit_never_meets_a_429(
    store: Store, make_sync: SyncFactory
) -> None:
    async with FakeTvmaze(today=TODAY, limit=4, window=0.5) as strict:
        populate(strict, pages=5)
        known = await KnownShows.load(store)
        sync = make_sync(store, known, calls=4, period=0.5)
        sync.client.base_url = strict.url
        report = await sync.index()
    assert report.calls == 6 and strict.rate_limited == 0 and report.rate_limited == 0
    assert strict.max_in_window <= 4


async def test_a_date_moved_upstream_alerts_once(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    await sync.index()
    show = (await known.lookup("Glasshouse Keepers")).show
    assert show is not None and show.id is not None
    await watch(store, show.id)

    first = await sync.premieres()
    assert [(s, d) for _, s, d in first.listed] == [(3, later(30).isoformat())]
    assert await alerts(store) == [("premiere_date", later(30).isoformat())]
    repeat = await sync.premieres()
    assert repeat.listed == [] and repeat.moved == [] and repeat.alerts == 0

    fake.add_season(7, 3, later(44).isoformat())
    fake.schedule_episode(7, season=3, number=1, airdate=later(44).isoformat())
    moved = await sync.premieres()
    assert moved.moved == [("Glasshouse Keepers", 3, later(30).isoformat(), later(44).isoformat())]
    assert await alerts(store) == [
        ("premiere_date", later(30).isoformat()),
        ("premiere_date", later(44).isoformat()),
    ]
    assert (await sync.premieres()).alerts == 0
    assert len(await alerts(store)) == 2

    # The seasons endpoint is asked conditionally: unchanged, it costs a 304.
    assert fake.requests_to("/shows/7/seasons") == ["", "", "", ""]


async def test_a_listed_date_confirms_the_news_with_one_alert_and_a_disagreement_shows(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    await sync.index()
    show = (await known.lookup("Glasshouse Keepers")).show
    assert show is not None and show.id is not None
    await watch(store, show.id)
    news = Announcement(
        show=show.name,
        event=Event.PREMIERE_DATE,
        certainty=Certainty.OFFICIAL,
        evidence="premieres",
        season=3,
        date=later(30),
        source=Source("Deadline", "https://deadline.example/gk", NOW - timedelta(days=2), "GK"),
    )
    async with store.transaction() as tx:
        await tx.shows.replace_announcements(None, [(show.id, news)], now=NOW)
        await refold_seasons(tx, {(show.id, 3)}, now=NOW, may_alert=lambda key: True)
    assert await alerts(store) == [("premiere_date", later(30).isoformat())]

    await sync.premieres()  # TVmaze lists the same date: the same alert, not a second one
    assert len(await alerts(store)) == 1
    card = (await answer_when(store, known, show.name)).card
    assert card is not None
    assert "(official; listed on TVmaze)" in render_text(await answer_when(store, known, show.name))

    fake.schedule_episode(7, season=3, number=1, airdate=later(37).isoformat())
    fake.add_season(7, 3, later(37).isoformat())
    await sync.premieres()
    card = (await answer_when(store, known, show.name)).card
    assert card is not None
    state = card.seasons[0]
    assert state.premiere_date == later(37)  # newer and official: TVmaze corrects the news
    assert premiere_other(state) == ("the news said (official)", later(30))
    assert "the news said (official)" in render_text(await answer_when(store, known, show.name))


async def test_a_withdrawn_listing_leaves_the_news(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    sync = make_sync(store, known)
    await sync.index()
    await sync.premieres()
    show = (await known.lookup("Glasshouse Keepers")).show
    assert show is not None and show.id is not None
    fake.unschedule(7, 3)
    report = await sync.premieres()
    assert report.unlisted == 1
    async with store.read() as tx:
        assert await tx.shows.states(show.id) == []


def test_fold_listing_alone_is_its_own_source() -> None:
    listing = Announcement(
        show="X",
        event=Event.PREMIERE_DATE,
        certainty=Certainty.OFFICIAL,
        evidence="listed",
        season=2,
        date=later(9),
        source=Source("TVmaze", "https://tvmaze.example", NOW),
    )
    state = fold_season([], listing=listing)
    assert state.premiere_date == later(9) and state.listed_date == later(9)
    assert state.news_date is None and [s.outlet for s in state.sources] == ["TVmaze"]


async def test_recognition_canonicalises_a_name_only_tvmaze_knows(
    store: Store, fake: FakeTvmaze, make_sync: SyncFactory
) -> None:
    populate(fake)
    known = await KnownShows.load(store)
    await make_sync(store, known).index()
    entry = Entry(
        key="1",
        title="Netflix Renews 'Glass-House Keepers' for Season 4",
        published=NOW,
        outlet="Deadline",
    )
    async with store.read() as tx:
        (found,) = (await known.read_entry(tx, entry)).announcements
    assert (found.show, found.event, found.season) == ("Glasshouse Keepers", Event.RENEWED, 4)
    # Found by name, never looked for in running text: no false mentions from 100k titles.
    assert known.catalogue.find_mentions("Filler Show 1 is a phrase") == []
