"""What every cog needs: the services, show autocomplete, and "did you mean" replies."""

from __future__ import annotations

from typing import cast

import discord
from discord import app_commands

from bot.services import Services
from bot.watching import ShowChoice
from cogs.render import untrusted

AUTOCOMPLETE_LIMIT = 25


def services_of(client: discord.Client) -> Services:
    """The shared services the bot was built with (see bot/client.py)."""
    return cast(Services, getattr(client, "services"))  # noqa: B009 - typed by the cast


async def show_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Show names matching what the user has typed so far."""
    services = services_of(interaction.client)
    shows = await services.known.suggest(current, limit=AUTOCOMPLETE_LIMIT)
    return [app_commands.Choice(name=show.name[:100], value=show.name[:100]) for show in shows]


def not_found_text(choice: ShowChoice, command: str | None = None) -> str:
    """A friendly reply for a show we could not pin down. `command`: one that can take a
    show nobody knows yet (`new_show`), so the reply tells how."""
    if not choice.query:
        return "Which show? Start typing its name and pick it from the list."
    if choice.candidates:
        names = ", ".join(f"**{untrusted(show.name)}**" for show in choice.candidates[:5])
        query = untrusted(choice.query)
        text = f"I'm not sure which show you mean by “{query}”. Did you mean {names}?"
        if command:
            text += f" If it's a new show, run `/{command}` again with `new_show: True`."
        return text
    return (
        f"I don't know a show called “{untrusted(choice.query)}” yet. Check the spelling, or "
        "`/watch` it so I start following its news."
    )
