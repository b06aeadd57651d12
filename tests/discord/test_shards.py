"""Shards against the fake Discord: a client running some shards gets the guilds of those
shards only, and the interactions in them (SHARD_COUNT / SHARD_IDS)."""

from __future__ import annotations

from bot.client import CliffhangerBot
from tests.discord.conftest import FAST_GUILD_READY, PLUMBING
from tests.fake_discord import FakeDiscord


def sharded_bot(shard_id: int) -> CliffhangerBot:
    return CliffhangerBot(
        services=None,
        extensions=(PLUMBING,),
        guild_ready_timeout=FAST_GUILD_READY,
        shard_count=2,
        shard_ids=[shard_id],
    )


async def test_each_shard_gets_its_guilds_and_answers_their_commands(fake: FakeDiscord) -> None:
    first = fake.add_guild("Shard zero server", shard=(0, 2))
    second = fake.add_guild("Shard one server", shard=(1, 2))
    for guild in (first, second):
        fake.add_text_channel(guild, "general")
    async with fake.running(sharded_bot(0)) as zero, fake.running(sharded_bot(1)) as one:
        assert fake.gateway.connected_shards() == {0, 1}
        assert [g.id for g in zero.guilds] == [first.id]
        assert [g.id for g in one.guilds] == [second.id]

        for guild in (first, second):
            answer = await fake.invoke("echo", {"text": f"hi {guild.name}"}, guild=guild)
            assert answer.content == f"hi {guild.name}"
        interactions = {
            shard: session.events.count("INTERACTION_CREATE")
            for shard, session in fake.gateway.shards.items()
        }
        assert interactions == {0: 1, 1: 1}  # each went to its own shard's session only

        later = fake.add_guild("Joined later", shard=(1, 2))  # GUILD_CREATE to shard 1 only
        await fake.sync_gateway()
        assert one.get_guild(later.id) is not None and zero.get_guild(later.id) is None
