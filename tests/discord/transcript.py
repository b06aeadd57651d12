"""Print a transcript of the seed case: `.venv/bin/python -m tests.discord.transcript`.

Runs the real bot (every cog of `bot.runtime.EXTENSIONS`) on a fresh SQLite store against
the fake Discord, serves the seed article (tests/data/seed_citadel.txt) from CarterMatt's
feed on the local feed server, polls it through FeedRuntime's poller, then has a plain
member ask `/when citadel`. Prints what the poller recognised, the interaction the fake
sent the bot, and the answer the bot sent back (as JSON and as it reads).

`--json` prints only the JSON of the request and the answer.

`--forum-digest` prints another case instead: a server in Europe/Berlin watches Citadel
in a forum channel and two shows in digest mode; stories arrive through the same feed and
poller; it prints the forum post with two alerts about Citadel, and the day's digest
posted at the server's digest hour.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.runtime import FeedRuntime
from bot.services import Services
from tests.discord.product import (
    SEED_LINK,
    SEED_TITLE,
    FakeClock,
    NewsDesk,
    SeedCase,
    Story,
    deliveries_to,
    eventually,
    interaction_request,
    open_runtime,
    open_services,
    product_bot,
    run_seed_case,
)
from tests.fake_discord import FakeDiscord, RecordedMessage
from tests.fake_discord.models import JSON
from tests.fake_discord.standard_world import StandardWorld, build_standard_world
from tests.feeds.feed_server import FeedServer

_TIMESTAMP = re.compile(r"<t:(\d+):([tTdDfFR])>")


def readable(text: str) -> str:
    """Discord markup with each timestamp followed by the UTC time it stands for."""

    def explain(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC)
        shown = f"{moment:%Y-%m-%d}" if match.group(2) in "dD" else f"{moment:%Y-%m-%d %H:%M} UTC"
        return f"{match.group(0)} [{shown}]"

    return _TIMESTAMP.sub(explain, text)


def embed_text(embed: JSON) -> list[str]:
    """An embed as a reader sees it, one line per line of text."""
    lines = [f"┌ {readable(str(embed.get('title', '')))}"]
    if embed.get("description"):
        lines.extend(f"│ {line}" for line in readable(str(embed["description"])).split("\n"))
    for field in embed.get("fields", []):
        lines.append(f"│ {field['name']}")
        lines.extend(f"│   {line}" for line in readable(str(field["value"])).split("\n"))
    lines.append("└")
    return lines


def request_summary(request: JSON) -> JSON:
    """The parts of an INTERACTION_CREATE payload a reader cares about."""
    member = request.get("member") or {}
    user = member.get("user") or {}
    return {
        "type": request.get("type"),
        "data": request.get("data"),
        "guild_id": request.get("guild_id"),
        "channel_id": request.get("channel_id"),
        "member": {
            "user": {"id": user.get("id"), "username": user.get("username")},
            "permissions": member.get("permissions"),
        },
        "app_permissions": request.get("app_permissions"),
        "locale": request.get("locale"),
    }


def transcript(fake: FakeDiscord, case: SeedCase, *, as_json: bool = False) -> str:
    """The seed case as text for a note."""
    answer = case.answer
    request = request_summary(interaction_request(fake, answer))
    callback = answer.callbacks[0]
    response: JSON = {"type": int(callback.type), "data": callback.data}
    if as_json:
        return json.dumps({"request": request, "response": response}, indent=2)
    lines = [
        "== Feed item (local feed server, CarterMatt) ==",
        f"title:     {SEED_TITLE}",
        f"link:      {SEED_LINK}",
        "published: 2023-05-26 22:00 UTC; polled 2023-05-27 09:00 UTC (fake clock)",
        "",
        "== Recognised by the poll ==",
    ]
    for found in case.poll.announcements:
        detail = (
            f"window {found.window.text!r} = {found.window.start}..{found.window.end}"
            if found.window is not None
            else f"date {found.date}"
            if found.date is not None
            else ""
        )
        lines.append(
            f"- {found.show} season {found.season}: {found.event.value} "
            f"({found.certainty.value}) {detail}".rstrip()
            + f"  ← “{found.evidence}”"
        )
    user = request["member"]["user"]["username"]
    options = " ".join(
        f"{option['name']}:{option['value']}" for option in request["data"].get("options", [])
    )
    lines += [
        "",
        f"== {user} typed: /when {options} ==",
        "INTERACTION_CREATE sent by the fake (abridged):",
        json.dumps(request, indent=2),
        "",
        "== Cliffhanger answered ==",
        f"callback type {int(callback.type)} ({callback.type.name}), "
        f"{'ephemeral' if answer.ephemeral else 'visible to the channel'}:",
        json.dumps(callback.data, indent=2, ensure_ascii=False),
        "",
        "As it reads:",
    ]
    for embed in answer.embeds:
        lines.extend(embed_text(embed))
    return "\n".join(lines)


def message_text(message: RecordedMessage) -> list[str]:
    """A posted message as a reader sees it: the mention line, then each embed."""
    lines = [f"[message {message.id}] {message.content}".rstrip()]
    for embed in message.embeds:
        lines.extend(embed_text(embed))
    return lines


async def _sent(services: Services, channel_id: int, count: int) -> None:
    async def done() -> bool:
        rows = await deliveries_to(services, channel_id)
        return len(rows) >= count and all(row.status == "sent" for row in rows)

    await eventually(done, what=f"{count} deliveries sent")


async def forum_and_digest(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    runtime: FeedRuntime,
    desk: NewsDesk,
) -> str:
    """The forum and digest case (the bot must be running in `fake`); returns its
    transcript."""
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    await fake.sync_gateway()
    lines = ["== Setup (Manage Server member; every reply is ephemeral) =="]
    commands: list[tuple[str, dict[str, object]]] = [
        ("settings timezone", {"timezone": "Europe/Berlin"}),
        ("settings digest-hour", {"hour": 19}),
        ("watch", {"show": "citadel", "channel": forum, "role": world.fans}),
        ("watch", {"show": "Andor", "channel": world.alerts, "mode": "digest"}),
        ("watch", {"show": "Severance", "channel": world.alerts, "mode": "digest"}),
    ]
    for command, options in commands:
        shown = " ".join(
            f"{name}:{getattr(value, 'name', value)}" for name, value in options.items()
        )
        answer = await fake.invoke(command, options, user=world.moderator)
        lines += [f"/{command} {shown}", f"  → {answer.content}"]

    await desk.follow("/deadline", "Deadline")
    stories = [
        ("2024-06-02 12:00", Story("Citadel Renewed for Season 2 at Prime Video")),
        ("2024-06-02 13:00", Story("Andor Renewed for Season 3 at Disney+")),
        ("2024-06-02 14:00", Story("Citadel Season 2 Premiere Date Set for July 18")),
        ("2024-06-02 15:00", Story("Severance Season 3 Premiere Date Set for August 1")),
    ]
    lines += ["", "== Stories polled from Deadline's feed (fake clock, UTC) =="]
    for index, (when, story) in enumerate(stories):
        if index:
            desk.clock.advance(hours=1)
        polled = await desk.publish("/deadline", story)
        found = ", ".join(
            f"{a.show} {a.event.value} ({a.certainty.value})" for a in polled.announcements
        )
        lines.append(f"{when}  {story.title}  → {found}")
    await _sent(services, forum.id, 2)

    (post,) = fake.threads_of(forum)
    lines += ["", f"== Forum #{forum.name}: the post “{post.name}” (thread {post.id}) =="]
    for message in fake.messages(post):
        lines.extend(message_text(message))
    lines.append(f"(messages in #{forum.name} itself: {len(fake.messages(forum))})")

    held = [d.status for d in await deliveries_to(services, world.alerts.id)]
    lines += [
        "",
        f"== #{world.alerts.name} before the digest hour: {len(fake.messages(world.alerts))} "
        f"messages; outbox rows {held} ==",
    ]
    desk.clock.set(datetime(2024, 6, 2, 17, 0, tzinfo=UTC))  # 19:00 in Berlin
    digests = await runtime.digests.run()
    await _sent(services, world.alerts.id, 2)
    lines.append(f"2024-06-02 17:00 UTC = 19:00 Europe/Berlin: the digest sweep queued {digests}")
    (digest,) = fake.messages(world.alerts)
    lines += ["", f"== #{world.alerts.name}: the digest =="]
    lines.extend(message_text(digest))
    lines += [
        "",
        "The digest as the fake received it (JSON):",
        json.dumps(
            {"content": digest.content, "nonce": digest.nonce, "embeds": digest.embeds},
            indent=2,
            ensure_ascii=False,
        ),
    ]
    return "\n".join(lines)


async def run(as_json: bool, *, forum_digest: bool = False) -> str:
    """Run a case on fresh everything and return its transcript."""
    with tempfile.TemporaryDirectory() as directory:
        async with FakeDiscord() as fake, FeedServer() as feeds:
            world = build_standard_world(fake)
            clock = FakeClock()
            async with (
                open_services(Path(directory), clock, feeds) as services,
                open_runtime(services) as runtime,
            ):
                desk = NewsDesk(feeds, services, runtime, clock)
                async with fake.running(product_bot(services, world.guild.id)):
                    if forum_digest:
                        return await forum_and_digest(fake, world, services, runtime, desk)
                    case = await run_seed_case(fake, desk, user=world.member)
                    return transcript(fake, case, as_json=as_json)


def main(argv: list[str] | None = None) -> int:
    """Print the transcript."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="only the request and answer JSON")
    parser.add_argument(
        "--forum-digest", action="store_true", help="the forum post and digest case instead"
    )
    args = parser.parse_args(argv)
    sys.stdout.write(asyncio.run(run(args.json, forum_digest=args.forum_digest)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
