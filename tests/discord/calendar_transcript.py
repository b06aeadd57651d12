"""Print the calendar features' evidence for Citadel:
`.venv/bin/python -m tests.discord.calendar_transcript`.

Runs the real bot (every cog of `bot.runtime.EXTENSIONS`) on a fresh SQLite store against
the fake Discord; a server with Manage Events watches Citadel and turns premiere events
on; a member follows Citadel; Deadline's feed (on the local feed server, polled through
FeedRuntime's poller) says season 2 premieres April 10, 2025, and later that it moved to
May 1. It prints the scheduled event request the bot sent and the event Discord kept, the
edit after the move, the `.ics` that `/calendar citadel` attached, and the follower's DM.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

from bot.premiere_events import EventSync
from tests.discord.product import (
    FakeClock,
    NewsDesk,
    Story,
    eventually,
    open_runtime,
    open_services,
    product_bot,
)
from tests.discord.transcript import message_text
from tests.fake_discord import DEFAULT_BOT, FakeDiscord, Perm
from tests.fake_discord.standard_world import build_standard_world
from tests.feeds.feed_server import FeedServer

DATED = Story(
    "Citadel season 2 premieres April 10, 2025 on Prime Video",
    link="https://deadline.example/citadel-season-2-date",
)
MOVED = Story(
    "Citadel Season 2 Premiere Date Moved to May 1, 2025",
    link="https://deadline.example/citadel-season-2-moved",
)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


async def run() -> str:
    """The whole case on fresh everything; returns the transcript."""
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as directory:
        async with FakeDiscord() as fake, FeedServer() as feeds:
            world = build_standard_world(fake)
            clock = FakeClock()
            fake.clock = clock
            fake.set_bot_guild_permissions(world.guild, DEFAULT_BOT | Perm.MANAGE_EVENTS)
            async with (
                open_services(Path(directory), clock, feeds) as services,
                open_runtime(services) as runtime,
            ):
                desk = NewsDesk(feeds, services, runtime, clock)
                bot = product_bot(services, world.guild.id)
                async with fake.running(bot):
                    sync = getattr(bot.get_cog("PremiereEvents"), "sync", None)
                    assert isinstance(sync, EventSync)
                    for command, options, user in (
                        ("watch", {"show": "Citadel", "channel": world.alerts}, None),
                        ("settings premiere-events", {"state": "on"}, None),
                        ("follow", {"show": "Citadel"}, world.member),
                    ):
                        answer = await fake.invoke(command, options, user=user)
                        lines += [f"/{command} {options.get('show') or options.get('state')}"]
                        lines += [f"  → {answer.content}"]
                    await desk.follow("/deadline", "Deadline")
                    lines += ["", f"{clock():%Y-%m-%d %H:%M} UTC  Deadline: {DATED.title}"]
                    await desk.publish("/deadline", DATED)
                    await sync.run_once()
                    (create,) = fake.requests("POST /guilds/*/scheduled-events")
                    lines += ["", "== The scheduled event request the bot sent (JSON) =="]
                    lines.append(_json(create.body))
                    (event,) = fake.scheduled_events(world.guild)
                    lines += ["", "== The event as Discord keeps it (JSON) =="]
                    lines.append(_json(event.payload()))

                    clock.advance(days=1)
                    lines += ["", f"{clock():%Y-%m-%d %H:%M} UTC  Deadline: {MOVED.title}"]
                    await desk.publish("/deadline", MOVED)
                    await sync.run_once()
                    (edit,) = fake.requests("PATCH /guilds/*/scheduled-events/*")
                    lines += [
                        "",
                        f"== The edit of event {event.id} after the move (JSON; "
                        f"{len(fake.requests('POST /guilds/*/scheduled-events'))} event created "
                        "in all) ==",
                        _json(edit.body),
                    ]

                    answer = await fake.invoke("calendar", {"show": "citadel"}, user=world.member)
                    assert answer.original is not None
                    (name,) = answer.original.attachments
                    lines += ["", f"/calendar citadel  → {answer.content}", f"== {name} =="]
                    text = answer.original.files[name].decode().replace("\r\n", "\n")
                    lines.append(text.rstrip())

                    async def dms_arrived() -> bool:
                        return len(fake.dms(world.member)) >= 2

                    await eventually(dms_arrived, what="the follower's DMs")
                    lines += ["", f"== DMs to {world.member.user.name} (follows Citadel) =="]
                    for message in fake.dms(world.member):
                        lines.extend(message_text(message))
    return "\n".join(lines)


def main() -> int:
    """Print the transcript."""
    sys.stdout.write(asyncio.run(run()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
