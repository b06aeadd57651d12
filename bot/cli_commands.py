"""What each CLI command does. Thin: every command calls the same domain functions as the
slash commands and prints their result."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.cards import answer_when, render_text
from bot.heap import return_large_blocks
from bot.logging_setup import setup_logging
from bot.models import Announcement
from bot.services import Services
from bot.settings import Settings
from bot.wording import season_title, status_label

if TYPE_CHECKING:  # the feed machinery (aiohttp, lxml...) is imported by `poll` only
    from bot.feeds.poll_result import PollResult

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A command could not do what was asked; the message says what to do next."""


def _setup(settings: Settings) -> None:
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    setup_logging(settings.log_level, secrets=(token,))


async def _open(settings: Settings, *, settle: bool = False, named_first: bool = False) -> Services:
    """Logging, then the services; a store that cannot be opened raises StoreError, which
    `main` prints as the one line it is. `settle` for the commands that go on working
    (the bot, a poll, a catalogue sync): see `bot.services.keep_loop_smooth`;
    `named_first` for a command that only looks one show up (`KnownShows.load`)."""
    _setup(settings)
    return await Services.open(settings, settle=settle, named_first=named_first)


async def migrate(_args: argparse.Namespace, settings: Settings) -> int:
    """Create or upgrade the schema."""
    services = await _open(settings)
    await services.close()
    print("The database schema is up to date.")
    return 0


async def when(args: argparse.Namespace, settings: Settings) -> int:
    """Print a show's card, as /when shows it."""
    services = await _open(settings, named_first=True)
    try:
        answer = await answer_when(services.store, services.known, " ".join(args.show))
    finally:
        await services.close()
    print(render_text(answer))
    return 0 if answer.card else 1


async def shows(_args: argparse.Namespace, settings: Settings) -> int:
    """List the shows with news, and how many the catalogue knows."""
    services = await _open(settings)
    try:
        async with services.store.read() as tx:
            states = await tx.shows.all_states()
            count = await tx.shows.count()
        lines = [f"{season_title(s.show, s.season)}: {status_label(s)}" for s in states]
    finally:
        await services.close()
    print("\n".join(lines) if lines else "No show news yet: run `python -m bot poll --once`.")
    print(f"({count} shows in the catalogue)")
    return 0


async def run(_args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot (Discord client, feed scheduler, alert delivery, reminders)."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise CommandError(
            "no Discord token: set DISCORD_TOKEN in the environment or in .env "
            "(see .env.example), then run again."
        )
    return_large_blocks()  # first: the process runs for days
    from bot.client import StartFailure
    from bot.runtime import run as run_bot

    services = await _open(settings, settle=True)
    try:
        await run_bot(services, settings.discord_token.get_secret_value())
    except StartFailure as error:
        raise CommandError(str(error)) from None
    finally:
        await services.close()
    return 0


async def poll(args: argparse.Namespace, settings: Settings) -> int:
    """Poll every feed once, printing each as it finishes. Feeds still waiting (backoff,
    Retry-After) are left alone unless --force. Exit status 1 when nothing could be read."""
    from bot.feeds.decide import DISABLED
    from bot.feeds.sources import seed_default_feeds
    from bot.runtime import FeedRuntime

    services = await _open(settings, settle=True)
    runtime = FeedRuntime(services)
    results: list[PollResult] = []
    try:
        await seed_default_feeds(services.store)
        async with services.store.read() as tx:
            enabled = [feed for feed in await tx.feeds.list() if feed.status != DISABLED]
        if enabled:
            print(f"Polling {len(enabled)} feeds…", flush=True)
        async for result in runtime.poller.poll_each(force=args.force):
            results.append(result)
            print(result.describe(), flush=True)
            for item in result.announcements:
                print(f"    {describe_announcement(item)}", flush=True)
    finally:
        await runtime.stop()
        await services.close()
    return _poll_summary(results)


def _poll_summary(results: list[PollResult]) -> int:
    if not results:
        print("No enabled feeds: `feeds list` shows them, `feeds enable URL` retries one.")
        return 1
    read = [r for r in results if r.outcome in ("updated", "unchanged", "not_modified")]
    waiting = [r for r in results if r.outcome == "skipped"]
    found = sum(len(r.announcements) for r in results)
    summary = f"{len(read)} of {len(results)} feeds read, {found} announcements recognised."
    if waiting:
        summary += f" {len(waiting)} still waiting (--force polls them now)."
    print(summary)
    if read or len(waiting) == len(results):
        return 0
    print("cliffhanger: no feed could be read; see the errors above.", file=sys.stderr)
    return 1


async def feeds(args: argparse.Namespace, settings: Settings) -> int:
    """List, add, remove or enable feeds."""
    from bot.feed_admin import add_feed, enable_feed, list_feeds, remove_feed
    from bot.feeds.health import describe_feed
    from bot.feeds.sources import seed_default_feeds
    from bot.feeds.urls import InvalidFeedURLError
    from db.errors import FeedExistsError, FeedNotFoundError

    services = await _open(settings)
    try:
        if args.feeds_command == "list":
            await seed_default_feeds(services.store)
            listed = await list_feeds(services)
            for feed in listed:
                print(describe_feed(feed))
            print(f"{len(listed)} feeds.")
        elif args.feeds_command == "add":
            try:
                change = await add_feed(services, args.url)
            except InvalidFeedURLError as error:
                raise CommandError(f"can't follow that feed: {error}") from None
            except FeedExistsError as exists:  # its message is the URL as stored
                raise CommandError(f"already following {exists}") from None
            print(f"Following {change.feed.url}.")
        elif args.feeds_command == "enable":
            try:
                change = await enable_feed(services, args.url)
            except FeedNotFoundError:
                raise _not_followed(args.url) from None
            print(f"Enabled {change.feed.url}: it is polled again from its next turn.")
        else:
            try:
                change = await remove_feed(services, args.url)
            except FeedNotFoundError:
                raise _not_followed(args.url) from None
            print(f"Stopped following {change.feed.url}.")
    finally:
        await services.close()
    return 0


def _not_followed(url: str) -> CommandError:
    return CommandError(f"not following {url}; `feeds list` shows the addresses")


async def catalogue(_args: argparse.Namespace, settings: Settings) -> int:
    """Sync the TVmaze mirror and the premiere listings now; print what changed."""
    from bot.tvmaze import CREDIT, CREDIT_URL
    from bot.tvmaze.client import TvmazeClient, TvmazeError
    from bot.tvmaze.sync import CatalogueSync

    if not settings.tvmaze_enabled:
        raise CommandError("TVmaze is turned off: set TVMAZE_ENABLED=true to sync the catalogue.")
    services = await _open(settings, settle=True)
    client = TvmazeClient.from_settings(settings)
    try:
        sync = CatalogueSync(services.store, client, services.known, clock=services.clock)
        reports = await sync.sync()
    except TvmazeError as error:
        raise CommandError(f"{error}. What was synced is kept; run it again later.") from None
    finally:
        await client.close()
        await services.close()
    for report in reports:
        print("\n".join(report.lines()))
    print(f"{CREDIT}: {CREDIT_URL}")
    return 0


async def calendar(args: argparse.Namespace, settings: Settings) -> int:
    """Print the upcoming premieres as an .ics calendar (of one show, or of every show)."""
    from bot.premiere_calendar import premiere_calendar

    query = " ".join(args.show) if args.show else None
    services = await _open(settings)
    try:
        answer = await premiere_calendar(services, show=query)
    finally:
        await services.close()
    if answer.ics is None:
        if answer.scope == "show" and answer.show is None:
            names = ", ".join(show.name for show in answer.candidates[:5])
            hint = f" Did you mean: {names}?" if names else " Check the spelling."
            raise CommandError(f'I don\'t know a show called "{answer.query}".{hint}')
        what = answer.show.name if answer.show else "any show"
        raise CommandError(f"no upcoming premiere date is known for {what} yet.")
    sys.stdout.buffer.write(answer.ics)
    sys.stdout.flush()
    return 0


def describe_announcement(item: Announcement) -> str:
    """One line about a recognised announcement."""
    what = item.event.value.replace("_", " ")
    if item.date is not None:
        what += f" {item.date.isoformat()}"
    if item.window is not None:
        what += f" {item.window.text} ({item.window.start}..{item.window.end})"
    return f"{season_title(item.show, item.season)}: {what} [{item.certainty.value}]"


HANDLERS: dict[str, Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]] = {
    "run": run,
    "migrate": migrate,
    "poll": poll,
    "feeds": feeds,
    "when": when,
    "shows": shows,
    "catalogue": catalogue,
    "calendar": calendar,
}
