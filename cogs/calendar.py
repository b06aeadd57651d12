"""/calendar: upcoming premieres as an `.ics` file to import into any calendar app."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.premiere_calendar import premiere_calendar
from bot.watching import ShowChoice
from cogs.render import untrusted
from cogs.shared import not_found_text, services_of, show_autocomplete

if TYPE_CHECKING:
    from discord.ext.commands import Bot

_SCOPES = {
    "watched": "the shows watched in this server",
    "followed": "the shows you follow",
    "all": "every show I know of",
}
_NOTHING = {
    "watched": "No premiere date is known for the shows watched here yet.",
    "followed": "No premiere date is known for the shows you follow yet (`/following`).",
    "all": "No premiere date is known yet.",
}


class CalendarCommands(commands.Cog):
    """Premieres for people's own calendars."""

    @app_commands.command(name="calendar", description="Upcoming premieres as a calendar file")
    @app_commands.describe(show="Only this show (default: the shows watched here, or followed)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def calendar(self, interaction: discord.Interaction, show: str | None = None) -> None:
        """Reply with an .ics of upcoming premieres."""
        services = services_of(interaction.client)
        answer = await premiere_calendar(
            services, show=show, guild_id=interaction.guild_id, user_id=interaction.user.id
        )
        if answer.ics is None:
            if answer.scope == "show" and answer.show is None:
                choice = ShowChoice(query=answer.query, candidates=answer.candidates)
                text = not_found_text(choice)
            elif answer.show is not None:
                text = f"No premiere date is known for **{untrusted(answer.show.name)}** yet."
            else:
                text = _NOTHING[answer.scope]
            await interaction.response.send_message(text, ephemeral=True)
            return
        count = len(answer.premieres)
        what = untrusted(answer.show.name) if answer.show else _SCOPES[answer.scope]
        text = (
            f"{count} upcoming {'premiere' if count == 1 else 'premieres'} of {what}, each with "
            "how sure the date is. Import the file into your calendar; importing a newer one "
            "later moves changed dates instead of adding them twice."
        )
        attachment = discord.File(io.BytesIO(answer.ics), filename=answer.filename)
        await interaction.response.send_message(text, file=attachment, ephemeral=True)


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(CalendarCommands())
