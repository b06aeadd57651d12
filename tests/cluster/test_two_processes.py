"""Two `python -m bot run` processes on one PostgreSQL store, against the fake Discord:
SHARD_COUNT=2, one process with SHARD_IDS=0 and one with SHARD_IDS=1.

Shown, in order: each shard's guild is answered by its own process; one process is the
worker, the other stands by; a show one process learns is known to the other's /when and
autocomplete within seconds (both ways); every feed is fetched once per interval, not
twice; one alert reaches its channel once; `kill -9` of the worker while Discord holds its
message hands the work to the other process within 30 s, and that message is neither lost
nor posted twice; polling goes on; the killed process comes back as a standby; both stop
cleanly on SIGTERM.

The intervals are short (polls every 3 s, cluster checks every 0.5 s, claims of 3 s) so
the whole story takes seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.records import ProcessRecord
from db.store import Store
from tests.cluster.processes import BotProcess, bot_environment, fresh_database, worker_of
from tests.conftest import POSTGRES_URL
from tests.discord.product import Story, item_xml, rss
from tests.fake_discord import FakeChannel, FakeDiscord, FakeGuild, InteractionResult
from tests.feeds.feed_server import FeedServer

pytestmark = pytest.mark.postgres

POLL_SECONDS = 3.0
CHECK_SECONDS = 0.5
CLAIM_SECONDS = 3.0
TAKEOVER_LIMIT = 30.0
START_TIMEOUT = 40.0  # two Python processes starting on a loaded 2-core machine


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> float:
    """Wait until `check()` holds; returns the seconds it took."""
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


class Newsroom:
    """Two feeds on the local feed server, stories published with real timestamps."""

    def __init__(self, server: FeedServer) -> None:
        self.server = server
        self.items: dict[str, list[str]] = {"/alpha": [], "/beta": []}
        for path in self.items:
            self._serve(path)

    def publish(self, path: str, *titles: str) -> None:
        now = datetime.now(UTC)
        self.items[path][:0] = [item_xml(Story(title), now) for title in titles]
        self._serve(path)

    def fetch_times(self, path: str) -> list[float]:
        return [r.at for r in self.server.requests if r.path == path]

    def _serve(self, path: str) -> None:
        self.server.feed(path, rss(path.strip("/").title(), self.items[path]))


class TwoProcesses:
    """The two processes, the fake's two guilds and a store for looking in."""

    def __init__(self, fake: FakeDiscord, store: Store, processes: list[BotProcess]) -> None:
        self.fake = fake
        self.store = store
        self.processes = processes
        self.guilds: list[FakeGuild] = []
        self.alerts: list[FakeChannel] = []
        for shard in (0, 1):
            guild = fake.add_guild(f"Shard {shard} server", shard=(shard, 2))
            fake.add_text_channel(guild, "general")
            self.guilds.append(guild)
            self.alerts.append(fake.add_text_channel(guild, "tv-alerts"))

    async def worker(self) -> str | None:
        return await worker_of(self.store, within=3 * CHECK_SECONDS)

    async def ask(self, shard: int, command: str, **options: object) -> InteractionResult:
        return await self.fake.invoke(command, options, guild=self.guilds[shard], timeout=10)

    async def knows(self, shard: int, show: str) -> bool:
        answer = await self.ask(shard, "when", show=show)
        return "don't know" not in answer.text() and show in answer.text()

    def messages_about(self, channel: FakeChannel, show: str) -> int:
        return sum(show in message.text() for message in self.fake.messages(channel))

    def logs(self) -> str:
        return "\n".join(process.log_tail() for process in self.processes)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with fresh_database(POSTGRES_URL) as url:
        yield url


@pytest.mark.long
async def test_two_processes_shard_the_bot_share_one_worker_and_fail_over(
    tmp_path: Path, feed_server: FeedServer, database: str
) -> None:
    news = Newsroom(feed_server)
    store = await Store.open(database)
    async with store.transaction() as tx:
        for path in news.items:
            await tx.feeds.add(feed_server.url(path), outlet=path.strip("/").title())
    async with FakeDiscord(heartbeat_interval_ms=500) as fake:

        def process(label: str, shard: int) -> BotProcess:
            env = bot_environment(
                fake_url=fake.base_url,
                token=fake.token,
                database_url=database,
                shard_count=2,
                shard_ids=shard,
                poll_interval_minutes=POLL_SECONDS / 60,
                cluster_check_seconds=CHECK_SECONDS,
                delivery_claim_seconds=CLAIM_SECONDS,
            )
            return BotProcess(label, env, tmp_path)

        first, second = process("shard0", 0), process("shard1", 1)
        cluster = TwoProcesses(fake, store, [first, second])
        try:
            await story(cluster, news, first, second, process)
        except BaseException:
            print(cluster.logs())  # shown by pytest with the failure
            raise
        finally:
            for each in cluster.processes:
                if each.running:
                    await each.stop()
            await store.close()


async def story(
    cluster: TwoProcesses,
    news: Newsroom,
    first: BotProcess,
    second: BotProcess,
    process: Callable[[str, int], BotProcess],
) -> None:
    fake, store = cluster.fake, cluster.store

    # -- the first process starts alone and becomes the worker; then the second joins.
    await first.start()
    await eventually(
        lambda: _equals(cluster.worker(), first.name), START_TIMEOUT, "the first worker"
    )
    await second.start()

    async def both_ready() -> bool:
        return fake.gateway.connected_shards() == {0, 1} and "status" in (
            fake.registered_commands()
        )

    await eventually(both_ready, START_TIMEOUT, "both shards connected")
    both_running = time.monotonic()

    # -- each shard's guild is answered by its own process.
    zero = (await cluster.ask(0, "status")).text()
    one = (await cluster.ask(1, "status")).text()
    assert f"**worker** `{first.name}` · shards 0 of 2 · polled" in zero
    assert zero.count("answering you") == 1
    assert f"`{first.name}` · shards 0 of 2 · polled" in _line_with(zero, "answering you")
    assert f"standby `{second.name}` · shards 1 of 2 · answering you" in one
    assert f"**worker** `{first.name}`" in one

    # -- a show learned by the standby (watched in its guild) reaches the worker...
    watched = await cluster.ask(1, "watch", show="Quillon Harbour", channel=cluster.alerts[1])
    assert "Quillon Harbour" in watched.text()
    await eventually(
        lambda: cluster.knows(0, "Quillon Harbour"), 10, "the worker to know Quillon Harbour"
    )

    # ...so the worker reads its news (one outlet, no quotes: only a known show is read).
    # A show the worker learns from the news reaches the standby's /when and autocomplete.
    await eventually(lambda: _feeds_initialised(store), 3 * POLL_SECONDS, "the first polls")
    news.publish(
        "/alpha",
        "'Velvet Meridian' Renewed for Season 3 at HBO",
        "NBC renews Quillon Harbour for season 2",
    )
    await fake.wait_for_messages(cluster.alerts[1], 1, timeout=3 * POLL_SECONDS)
    await eventually(
        lambda: cluster.knows(1, "Velvet Meridian"), 10, "the standby to know Velvet Meridian"
    )

    async def suggested() -> bool:
        choices = await fake.autocomplete("when", "show", "Velvet Mer", guild=cluster.guilds[1])
        return "Velvet Meridian" in [choice["name"] for choice in choices]

    await eventually(suggested, 10, "the standby to suggest Velvet Meridian")

    # -- every feed fetched once per interval, not once per process.
    await asyncio.sleep(POLL_SECONDS)
    for path in news.items:
        times = [at for at in news.fetch_times(path) if at >= both_running]
        window = time.monotonic() - both_running
        assert 1 <= len(times) <= window / POLL_SECONDS + 1, (path, len(times), window)
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(gap > POLL_SECONDS / 2 for gap in gaps), (path, gaps)

    # -- kill -9 of the worker while Discord holds its message (the alert is posted, the
    # worker never hears back, so it never marks it sent).
    await cluster.ask(1, "watch", show="citadel", channel=cluster.alerts[1])
    route = f"POST /channels/{cluster.alerts[1].id}/messages"
    posts_before = len(fake.requests(route))
    held = fake.stall_next(route)
    news.publish("/beta", "Citadel Renewed for Season 2 at Prime Video")
    await asyncio.wait_for(held.arrived.wait(), 3 * POLL_SECONDS)
    killed_at = time.monotonic()
    await first.kill()
    held.release()  # Discord creates the message the dead worker asked for
    await eventually(lambda: _equals(cluster.worker(), second.name), TAKEOVER_LIMIT, "takeover")
    takeover = time.monotonic() - killed_at
    print(f"takeover after kill -9: {takeover:.2f} s")
    assert takeover < TAKEOVER_LIMIT

    async def citadel_sent() -> bool:
        async with store.read() as tx:
            rows = await tx.outbox.for_channel(cluster.alerts[1].id)
        return [row.status for row in rows] == ["sent", "sent"]

    await eventually(citadel_sent, TAKEOVER_LIMIT, "the held alert to be marked sent")
    assert cluster.messages_about(cluster.alerts[1], "Citadel") == 1  # neither lost nor doubled
    # Posted twice (by the dead worker, then by its successor once the claim ran out), one
    # message: Discord answered the resend with the message its nonce had made.
    assert [r.status for r in fake.requests(route)[posts_before:]] == [200, 200]

    # -- the new worker polls: news after the takeover still becomes an alert.
    await cluster.ask(1, "watch", show="andor", channel=cluster.alerts[1])
    news.publish("/beta", "Andor Renewed for Season 3 at Disney+")
    await fake.wait_for_messages(cluster.alerts[1], 3, timeout=4 * POLL_SECONDS)

    # -- the killed process, restarted, stands by and answers its shard again.
    again = process("shard0-again", 0)
    cluster.processes.append(again)
    await again.start()

    async def zero_back() -> bool:
        return 0 in fake.gateway.connected_shards() and again.name in [
            p.name for p in await _live(store)
        ]

    await eventually(zero_back, START_TIMEOUT, "the restarted process")
    zero = (await cluster.ask(0, "status")).text()
    assert f"standby `{again.name}` · shards 0 of 2 · answering you" in zero
    assert f"**worker** `{second.name}` · shards 1 of 2" in zero

    # -- nothing lost, nothing twice, and a clean stop.
    for channel in cluster.alerts:
        nonces = [message.nonce for message in fake.messages(channel)]
        assert len(nonces) == len(set(nonces))
    assert [cluster.messages_about(cluster.alerts[1], show) for show in ("Quillon", "Andor")] == [
        1,
        1,
    ]
    async with store.read() as tx:
        assert await tx.outbox.counts() == {"sent": 3}
    assert [await p.stop() for p in (second, again)] == [0, 0]
    # Those two said goodbye; the killed one could not (its row ages out).
    assert [p.name for p in await _live(store)] == [first.name]


async def _equals(value: Awaitable[str | None], expected: str) -> bool:
    return await value == expected


async def _feeds_initialised(store: Store) -> bool:
    async with store.read() as tx:
        return all(feed.initialised for feed in await tx.feeds.list())


async def _live(store: Store) -> list[ProcessRecord]:
    async with store.read() as tx:
        return await tx.processes.seen_since(datetime.now(UTC) - timedelta(minutes=5))


def _line_with(text: str, marker: str) -> str:
    return next(line for line in text.splitlines() if marker in line)
