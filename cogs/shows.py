"""/when, /news and /upcoming: what anyone can ask about shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cards import answer_when
from bot.reports import latest_news, upcoming
from bot.watching import ShowChoice, resolve_show
from bot.wording import season_title
from cogs.render import BRAND, credit_text, date_stamp, masked_link, untrusted, when_embed
from cogs.shared import not_found_text, services_of, show_autocomplete

if TYPE_CHECKING:
    from discord.ext.commands import Bot


class ShowCommands(commands.Cog):
    """Questions about shows."""

    @app_commands.command(name="when", description="Is a show coming back, and when?")
    @app_commands.describe(show="The show's name (pick from the list or type it)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def when(self, interaction: discord.Interaction, show: str) -> None:
        """The show's card."""
        services = services_of(interaction.client)
        answer = await answer_when(services.store, services.known, show)
        if answer.card is None:
            choice = ShowChoice(query=answer.query, candidates=answer.candidates)
            await interaction.response.send_message(not_found_text(choice), ephemeral=True)
            return
        await interaction.response.send_message(embed=when_embed(answer.card))

    @app_commands.command(name="news", description="The latest headlines about a show")
    @app_commands.describe(show="The show's name (pick from the list or type it)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def news(self, interaction: discord.Interaction, show: str) -> None:
        """Latest headlines with links."""
        services = services_of(interaction.client)
        choice = await resolve_show(services, show)
        if choice.show is None or choice.show.id is None:
            await interaction.response.send_message(not_found_text(choice), ephemeral=True)
            return
        headlines = await latest_news(services, choice.show.id)
        embed = discord.Embed(title=f"Latest on {untrusted(choice.show.name)}", colour=BRAND)
        if not headlines:
            embed.description = "No headlines about it yet. I'll keep reading the news."
        else:
            lines = []
            for source in headlines:
                link = masked_link(source.title or source.outlet, source.link)
                lines.append(f"• {link} — {untrusted(source.outlet)}")
            embed.description = "\n".join(lines)[:4000]
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="upcoming", description="Premieres coming up soon")
    @app_commands.describe(days="How many days ahead to look (1-366, default 30)")
    async def upcoming(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, 366] = 30,
    ) -> None:
        """Known premieres in the next N days."""
        services = services_of(interaction.client)
        found = await upcoming(services, guild_id=interaction.guild_id, days=days)
        scope = "watched here" if found.scope == "watched" else "I know of"
        embed = discord.Embed(
            title=f"Premieres in the next {found.days} days ({scope})", colour=BRAND
        )
        if not found.premieres:
            embed.description = "No premiere dates known in that range."
        else:
            lines = [
                f"{date_stamp(s.premiere_date)} — **{untrusted(season_title(s.show, s.season))}**"
                for s in found.premieres
                if s.premiere_date is not None
            ]
            embed.description = "\n".join(lines)[:4000]
            if any(s.listed_date is not None for s in found.premieres):
                embed.add_field(name="Credit", value=credit_text(), inline=False)
        await interaction.response.send_message(embed=embed)


async def setup(bot: Bot) -> None:
    """Load the cog (discord.py extension entry point)."""
    await bot.add_cog(ShowCommands())
