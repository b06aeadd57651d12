"""What each CLI command does. Thin: every command calls the same domain functions as the
slash commands and prints their result."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.cards import answer_when, render_text, season_title, status_label
from bot.logging_setup import setup_logging
from bot.services import Services
from bot.settings import Settings
from db.errors import StoreError

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


HANDLERS: dict[str, Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]] = {
    "migrate": migrate,
    "when": when,
    "shows": shows,
}
