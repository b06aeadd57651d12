"""The command line: `python -m bot COMMAND` (also installed as `cliffhanger`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="cliffhanger",
        description="Cliffhanger: is my show coming back, and when? (settings: see .env.example)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the Discord bot with its feed scheduler")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    feeds = commands.add_parser("feeds", help="list, add or remove followed feeds")
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    feed_commands.add_parser("list", help="every feed with its health")
    feed_commands.add_parser("add", help="follow a feed").add_argument("url")
    feed_commands.add_parser("remove", help="stop following a feed").add_argument("url")
    feed_commands.add_parser("enable", help="poll a disabled feed again").add_argument("url")
    poll = commands.add_parser("poll", help="poll every feed now and print what was found")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    poll.add_argument(
        "--force", action="store_true", help="also poll feeds still waiting (backoff, Retry-After)"
    )
    when = commands.add_parser("when", help="print a show's status card, like /when")
    when.add_argument("show", nargs="+")
    commands.add_parser("shows", help="list the shows with news")
    catalogue = commands.add_parser("catalogue", help="the show catalogue mirrored from TVmaze")
    catalogue_commands = catalogue.add_subparsers(
        dest="catalogue_command", required=True, metavar="ACTION"
    )
    catalogue_commands.add_parser(
        "sync", help="sync the TVmaze mirror and premiere dates now and print what changed"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings, run the command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"cliffhanger: bad setting: {error}", file=sys.stderr)
        return 2
    from bot import cli_commands  # after settings: keeps `--help` fast and import-light
    from db.errors import StoreError

    handler: Handler = cli_commands.HANDLERS[args.command]
    try:
        return asyncio.run(handler(args, settings))
    except KeyboardInterrupt:
        return 130
    except (cli_commands.CommandError, StoreError) as error:
        # Both say in one line what to do next (the store: busy, unreachable, too new).
        print(f"cliffhanger: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
