"""What each CLI command does. Thin: every command calls the same domain functions as the
slash commands and prints their result."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.cards import answer_when, render_text, season_title, status_label
from bot.logging_setup import setup_logging
from bot.models import Announcement
from bot.services import Services
from bot.settings import Settings
from db.errors import StoreError, StoreInUseError

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A command could not do what was asked; the message says what to do next."""


def _setup(settings: Settings) -> None:
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    setup_logging(settings.log_level, secrets=(token,))


async def _open(settings: Settings) -> Services:
    _setup(settings)
    try:
        return await Services.open(settings)
    except StoreError as error:
        raise CommandError(str(error)) from None


async def migrate(_args: argparse.Namespace, settings: Settings) -> int:
    """Create or upgrade the schema."""
    services = await _open(settings)
    await services.close()
    print("The database schema is up to date.")
    return 0


async def when(args: argparse.Namespace, settings: Settings) -> int:
    """Print a show's card, as /when shows it."""
    services = await _open(settings)
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
    from bot.runtime import run as run_bot

    services = await _open(settings)
    try:
        await run_bot(services, settings.discord_token.get_secret_value())
    except StoreInUseError as error:
        raise CommandError(str(error)) from None
    finally:
        await services.close()
    return 0


async def poll(_args: argparse.Namespace, settings: Settings) -> int:
    """Poll every feed once and print what each one gave."""
    from bot.feeds.sources import seed_default_feeds
    from bot.runtime import FeedRuntime

    services = await _open(settings)
    runtime = FeedRuntime(services)
    try:
        await seed_default_feeds(services.store)
        results = await runtime.poller.poll_all()
    finally:
        await runtime.stop()
        await services.close()
    for result in results:
        print(result.describe())
        for item in result.announcements:
            print(f"    {describe_announcement(item)}")
    found = sum(len(r.announcements) for r in results)
    print(f"{len(results)} feeds polled, {found} announcements recognised.")
    return 0


async def feeds(args: argparse.Namespace, settings: Settings) -> int:
    """List, add or remove feeds."""
    from bot.feed_admin import add_feed, list_feeds, remove_feed
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
            except FeedExistsError:
                raise CommandError(f"already following {args.url}") from None
            print(f"Following {change.feed.url}.")
        else:
            try:
                change = await remove_feed(services, args.url)
            except FeedNotFoundError:
                raise CommandError(
                    f"not following {args.url}; `feeds list` shows the addresses"
                ) from None
            print(f"Stopped following {change.feed.url}.")
    finally:
        await services.close()
    return 0


async def catalogue(_args: argparse.Namespace, settings: Settings) -> int:
    """Sync the TVmaze mirror and the premiere listings now; print what changed."""
    from bot.tvmaze import CREDIT, CREDIT_URL
    from bot.tvmaze.client import TvmazeClient, TvmazeError
    from bot.tvmaze.sync import CatalogueSync

    if not settings.tvmaze_enabled:
        raise CommandError("TVmaze is turned off: set TVMAZE_ENABLED=true to sync the catalogue.")
    services = await _open(settings)
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
}
