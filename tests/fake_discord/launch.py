"""Run Cliffhanger's command line in a process of its own against a fake Discord.

    FAKE_DISCORD_URL=http://127.0.0.1:PORT python -m tests.fake_discord.launch run

discord.py is pointed at the fake the way `FakeDiscord.start` does it in its own process
(REST base and gateway URL); everything else is the real `python -m bot`. Used by the
tests and the benchmark that run several `run` processes on one store.
"""

from __future__ import annotations

import os
import sys

import discord
import yarl

from bot.__main__ import main
from tests.fake_discord.rest import API_PREFIX


def point_at_fake(base_url: str) -> None:
    """Send discord.py's REST calls and gateway connections to the fake at `base_url`."""
    discord.http.Route.BASE = base_url + API_PREFIX
    gateway = base_url.replace("http://", "ws://", 1) + "/gateway"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


if __name__ == "__main__":
    point_at_fake(os.environ["FAKE_DISCORD_URL"])
    sys.exit(main(sys.argv[1:]))
