"""Every extension loads, the command names are the fixed ones and do not collide, and
every option tells the user what to type."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from discord import app_commands

from bot.client import CliffhangerBot
from bot.runtime import EXTENSIONS
from bot.services import Services
from bot.settings import load_settings

EXPECTED = {
    "when",
    "watch",
    "unwatch",
    "watchlist",
    "upcoming",
    "news",
    "feeds",
    "status",
    "settings",
}


async def test_extensions_register_the_fixed_commands(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    services = await Services.open(settings)
    bot = CliffhangerBot(services=services, extensions=EXTENSIONS)
    try:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        commands = bot.tree.get_commands()
        names = Counter(command.name for command in commands)
        assert set(names) == EXPECTED and max(names.values()) == 1
        feeds = next(c for c in commands if c.name == "feeds")
        assert isinstance(feeds, app_commands.Group)
        assert {c.name for c in feeds.commands} == {"list", "add", "remove", "enable"}
        settings_group = next(c for c in commands if c.name == "settings")
        assert isinstance(settings_group, app_commands.Group)
        assert {c.name for c in settings_group.commands} == {
            "show",
            "timezone",
            "reminder-hour",
            "digest-hour",
            "log-channel",
        }
        for command in bot.tree.walk_commands():
            assert command.description, command.qualified_name
            if isinstance(command, app_commands.Command):
                for parameter in command.parameters:
                    assert parameter.description not in ("", "…"), (
                        command.qualified_name,
                        parameter.name,
                    )
    finally:
        for extension in EXTENSIONS:
            await bot.unload_extension(extension)
        await services.close()
