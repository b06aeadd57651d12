"""A small, realistic server most Discord tests can start from."""

from __future__ import annotations

from dataclasses import dataclass

from tests.fake_discord.models import FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser
from tests.fake_discord.permissions import Perm
from tests.fake_discord.server import FakeDiscord


@dataclass(frozen=True, slots=True)
class StandardWorld:
    """One guild with two text channels, a moderator role, a mentionable fan role, and
    members: the guild owner, the application owner (an ordinary member), a moderator and
    a plain member."""

    guild: FakeGuild
    general: FakeChannel
    alerts: FakeChannel
    moderators: FakeRole
    fans: FakeRole
    guild_owner: FakeUser
    app_owner: FakeMember
    moderator: FakeMember
    member: FakeMember


def build_standard_world(fake: FakeDiscord) -> StandardWorld:
    """Create the standard world in `fake` (call before the bot connects, or after: the
    gateway events are dispatched either way)."""
    guild = fake.add_guild("Cliffhanger Test Server")
    general = fake.add_text_channel(guild, "general")
    alerts = fake.add_text_channel(guild, "tv-alerts")
    moderators = fake.add_role(guild, "Moderators", permissions=Perm.MANAGE_GUILD)
    fans = fake.add_role(guild, "Citadel fans", mentionable=True)
    return StandardWorld(
        guild=guild,
        general=general,
        alerts=alerts,
        moderators=moderators,
        fans=fans,
        guild_owner=fake.world.user(guild.owner_id),
        app_owner=fake.add_member(guild, fake.owner),
        moderator=fake.add_member(guild, "mod", roles=[moderators]),
        member=fake.add_member(guild, "alice"),
    )
