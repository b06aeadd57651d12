"""The product test kit: the real bot, on real services, fed by a real local feed server.

* `FakeClock`: the one clock the services, the poller, the delivery worker and the
  reminders read; it moves only when a test moves it.
* `open_services`: `Services` on a fresh SQLite file (migrated, catalogue seeded), with the
  fake clock and a URL policy that allows exactly the local feed server.
* `open_runtime`: the `FeedRuntime` (fetcher, poller, AnnouncementSink, FeedSchedule,
  ReminderSchedule) with its APScheduler started *paused*: jobs are placed, moved and
  listed for real, but only fire when a test fires them (their run dates are fake-clock
  times, so a running scheduler would treat them as long missed).
* `NewsDesk`: feeds on the local feed server (tests/feeds/feed_server.py), followed by the
  store and polled through the runtime's poller, as the scheduled jobs would.
* `product_bot`: a `CliffhangerBot` loaded with `bot.runtime.EXTENSIONS`.
* The seed article (tests/data/seed_citadel.txt) as a feed item, and the seed-case
  scenario shared by the test and `python -m tests.discord.transcript`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from bot.client import CliffhangerBot
from bot.feeds.poll_result import PollResult
from bot.feeds.urls import URLPolicy
from bot.records import Delivery, FeedRecord, WatchRecord
from bot.runtime import EXTENSIONS, FeedRuntime
from bot.services import Services
from bot.settings import Settings
from tests.fake_discord import FakeDiscord, FakeMember, InteractionResult, RecordedMessage
from tests.fake_discord.models import JSON
from tests.feeds.feed_server import FeedServer

START = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
FAST_GUILD_READY = 0.02
DATA = Path(__file__).resolve().parent.parent / "data"
SEED_ARTICLE = DATA / "seed_citadel.txt"
SEED_TITLE = "Citadel season 2: Is it happening at Prime Video, and when could it premiere?"
SEED_LINK = "https://cartermatt.com/citadel-season-2-premiere-date-prime-video/"
SEED_PUBLISHED = datetime(2023, 5, 26, 22, 0, tzinfo=UTC)  # the night of the S1 finale


@dataclass
class FakeClock:
    """Now, as the bot sees it; moves only with `advance` or `set`."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move forward, e.g. `advance(seconds=10)`; returns the new time."""
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime) -> datetime:
        """Jump to `when`."""
        self.now = when
        return self.now


# -- services and runtime ------------------------------------------------------------------


@contextlib.asynccontextmanager
async def open_services(
    directory: Path, clock: FakeClock, feed_server: FeedServer | None = None
) -> AsyncIterator[Services]:
    """Real services on `directory/cliffhanger.db`; only the local feed server is fetchable."""
    # Everything the tests rely on is explicit, so the environment cannot change it.
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{directory / 'cliffhanger.db'}",
        poll_interval_minutes=10,
        feed_max_failures=10,
        http_timeout_seconds=5.0,
        alert_recent_days=3,
        reminder_hour_utc=14,
        delivery_concurrency=25,
        feed_allow_private_hosts=False,
        tvmaze_enabled=False,  # no test reaches the real TVmaze (tests/tvmaze use a fake)
    )
    services = await Services.open(settings, clock=clock)
    allowed = frozenset({feed_server.authority}) if feed_server is not None else frozenset()
    services.url_policy = URLPolicy(allowed=allowed)
    try:
        yield services
    finally:
        await services.close()


@contextlib.asynccontextmanager
async def open_runtime(services: Services) -> AsyncIterator[FeedRuntime]:
    """The feed runtime with a paused scheduler; `/feeds add` schedules through it."""
    runtime = FeedRuntime(services)
    runtime.scheduler.start(paused=True)
    services.feed_schedule = runtime.schedule
    try:
        yield runtime
    finally:
        await runtime.stop()


def product_bot(services: Services, guild_id: int | None) -> CliffhangerBot:
    """The bot as `bot.runtime.run` builds it, syncing commands to the test guild."""
    return CliffhangerBot(
        services=services,
        extensions=EXTENSIONS,
        dev_guild_id=guild_id,
        guild_ready_timeout=FAST_GUILD_READY,
    )


# -- feeds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One feed item. `published` None means "an hour before the fake clock's now"."""

    title: str
    summary: str = ""
    published: datetime | None = None
    link: str | None = None
    key: str | None = None


_numbers = itertools.count(1)


def item_xml(story: Story, now: datetime) -> str:
    """A feed `<item>` for `story` (published an hour before `now` unless it says)."""
    number = next(_numbers)
    key = story.key or f"story-{number}"
    link = story.link or f"https://news.example.com/{key}/"
    published = story.published or now - timedelta(hours=1)
    return (
        f"<item><title>{escape(story.title)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{escape(key)}</guid>'
        f"<pubDate>{format_datetime(published)}</pubDate>"
        f"<description>{escape(story.summary)}</description></item>"
    )


def rss(outlet: str, items: Iterable[str]) -> bytes:
    """An RSS 2.0 document with the given `<item>`s."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(outlet)}</title><link>https://news.example.com/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


@dataclass
class NewsDesk:
    """Publishes stories on the local feed server and polls them into the bot."""

    server: FeedServer
    services: Services
    runtime: FeedRuntime
    clock: FakeClock
    _items: dict[str, list[str]] = field(default_factory=dict)
    _feeds: dict[str, FeedRecord] = field(default_factory=dict)

    async def follow(self, path: str, outlet: str, *backlog: Story) -> FeedRecord:
        """Serve a feed at `path`, follow it and poll it once. That first poll records the
        backlog as history (a new feed's entries never alert), as in production."""
        self._items[path] = [item_xml(story, self.clock()) for story in backlog]
        self._serve(path, outlet)
        async with self.services.store.transaction() as tx:
            feed = await tx.feeds.add(self.server.url(path), outlet=outlet)
        self._feeds[path] = feed
        result = await self.runtime.poller.poll_feed(feed.id, force=True)
        assert result.outcome == "updated", result.describe()
        return feed

    async def publish(self, path: str, *stories: Story) -> PollResult:
        """Put new stories at the top of the feed and poll it now."""
        self._items[path][:0] = [item_xml(story, self.clock()) for story in stories]
        self._serve(path, self._feeds[path].outlet or path)
        return await self.poll(path)

    async def poll(self, path: str) -> PollResult:
        """Poll one feed now, through the runtime's poller."""
        return await self.runtime.poller.poll_feed(self._feeds[path].id, force=True)

    def _serve(self, path: str, outlet: str) -> None:
        self.server.feed(path, rss(outlet, self._items[path]))


# -- reading the store ---------------------------------------------------------------------


async def deliveries_to(services: Services, channel_id: int) -> list[Delivery]:
    """Every outbox row for a channel, oldest first."""
    async with services.store.read() as tx:
        return await tx.outbox.for_channel(channel_id)


async def watches_of(services: Services, guild_id: int) -> list[WatchRecord]:
    """A guild's watches."""
    async with services.store.read() as tx:
        return await tx.watches.for_guild(guild_id)


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 5.0, what: str = "condition"
) -> None:
    """Wait until `check()` is true (the bot works in its own tasks); fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


# -- the seed case -------------------------------------------------------------------------


def seed_article() -> str:
    """The seed article's text (tests/data/seed_citadel.txt without its provenance note)."""
    lines = SEED_ARTICLE.read_text("utf-8").splitlines()
    body = list(itertools.dropwhile(lambda line: line.startswith("#") or not line, lines))
    return "\n".join(body).strip()


def seed_excerpt() -> str:
    """The article as a feed's summary carries it: the Russo Brothers' quote left out and
    Jennifer Salke's statement shortened (as tests/recognition/test_seed_case.py does), so
    it fits the 2,000 characters the feed normaliser keeps."""
    paragraphs = [p for p in seed_article().split("\n\n") if p.strip()]
    kept: list[str] = []
    skip_quote = False
    for paragraph in paragraphs:
        if skip_quote:
            skip_quote = False
            continue
        if paragraph.startswith("Meanwhile, the Russo Brothers"):
            skip_quote = True  # and the quote that follows
            continue
        if paragraph.startswith("“Citadel is a truly global phenomenon"):
            first, _, _ = paragraph.partition("…")
            last = paragraph[paragraph.index("Given the overwhelming") :]
            paragraph = f"{first}… {last}"
        kept.append(paragraph)
    return "\n\n".join(kept)


def seed_story(summary: str) -> Story:
    """The seed article as one feed item from CarterMatt."""
    html = "".join(f"<p>{escape(p)}</p>" for p in summary.split("\n\n"))
    return Story(
        title=SEED_TITLE,
        summary=html,
        published=SEED_PUBLISHED,
        link=SEED_LINK,
        key="cartermatt-citadel-s2",
    )


SEED_NOW = datetime(2023, 5, 27, 9, 0, tzinfo=UTC)  # the morning after the article


@dataclass(frozen=True)
class SeedCase:
    """What the seed case did: the poll that read the article, and the /when answer."""

    poll: PollResult
    answer: InteractionResult


async def run_seed_case(
    fake: FakeDiscord,
    desk: NewsDesk,
    *,
    summary: str | None = None,
    user: FakeMember | None = None,
) -> SeedCase:
    """Poll the seed article from CarterMatt's feed, then ask `/when citadel` (as `user`,
    default the guild owner). The bot must already be running in `fake`."""
    desk.clock.set(SEED_NOW)
    await desk.follow("/cartermatt", "CarterMatt")
    poll = await desk.publish("/cartermatt", seed_story(summary or seed_excerpt()))
    assert poll.outcome == "updated", poll.describe()
    answer = await fake.invoke("when", {"show": "citadel"}, user=user)
    return SeedCase(poll=poll, answer=answer)


def interaction_request(fake: FakeDiscord, result: InteractionResult) -> JSON:
    """The INTERACTION_CREATE payload the fake sent the bot for `result`."""
    session = fake.gateway.current
    assert session is not None
    for _, frame in session.history:
        message = json.loads(frame)
        data = message.get("d")
        if (
            message.get("t") == "INTERACTION_CREATE"
            and isinstance(data, dict)
            and data.get("id") == str(result.id)
        ):
            return data
    raise AssertionError(f"no INTERACTION_CREATE {result.id} in the gateway history")


def let_everyone_see(fake: FakeDiscord, guild_id: int, command: str) -> None:
    """Model a server admin overriding a command's default permissions (Server Settings →
    Integrations), which the fake does not model: Discord then shows the command to every
    member, so only the bot's own permission check stands between them and the command."""
    registered = fake.commands.lookup(command, guild_id)
    assert registered is not None, f"/{command} is not registered"
    registered["default_member_permissions"] = None


def pinged_roles(message: RecordedMessage) -> list[int]:
    """The roles Discord would ping for `message` (`RecordedMessage.pinged_role_ids`), with
    `allowed_mentions.roles` read as Discord reads it: ids as integers or strings. The fake
    compares them as strings only, and discord.py sends integers, so the fake alone reports
    no role pinged however the bot asked."""
    mentions = dict(message.allowed_mentions or {})
    if "roles" in mentions:
        mentions["roles"] = [str(role_id) for role_id in mentions["roles"] or []]
    return dataclasses.replace(message, allowed_mentions=mentions).pinged_role_ids()
