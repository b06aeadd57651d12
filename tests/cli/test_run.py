"""`run`: the bot against the fake Discord, from the command line; what an operator sees
when the token is missing or wrong, or Discord cannot be reached."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from threading import Event, Thread

import discord
import pytest

from tests.cli.conftest import Cli
from tests.conftest import closed_port
from tests.fake_discord import FakeDiscord
from tests.feeds.feed_server import FeedServer, fixture


@pytest.fixture
def voice_warnings_armed(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py warns about voice once per process; re-arm it, as in a fresh process."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)


@contextmanager
def _stopped_when_connected(fake: FakeDiscord, *, ask_first: bool = False) -> Iterator[Event]:
    """SIGTERM this process once the bot is connected and its commands are synced, as an
    operator's service manager would (`ask_first`: after a SIGUSR1, as an operator asking
    what it is doing). Yields what is set once they were. A bot still running after 30 s
    is sent the SIGTERM all the same, so its test fails instead of running on."""
    connected, finished = Event(), Event()

    def watch() -> None:
        deadline = time.monotonic() + 30
        while not finished.is_set() and time.monotonic() < deadline:
            if fake.gateway.connected and "status" in fake.registered_commands():
                connected.set()
                if ask_first:
                    os.kill(os.getpid(), signal.SIGUSR1)
                    time.sleep(0.5)
                break
            time.sleep(0.05)
        if not finished.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    watcher = Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield connected
    finally:
        finished.set()
        watcher.join(5)


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 on this platform")
def test_run_logs_what_it_waits_on_when_asked(
    cli: Cli, discord_server: FakeDiscord, served: FeedServer
) -> None:
    served.feed("/local", fixture("wordpress.xml"))
    assert cli("feeds", "add", served.url("/local")).code == 0
    with _stopped_when_connected(discord_server, ask_first=True) as connected:
        ran = cli("run", DISCORD_TOKEN=discord_server.token)
    assert connected.is_set(), f"not connected and synced within 30 s:\n{ran.err}"
    assert ran.code == 0, ran.err  # asking does not stop it; the SIGTERM after does
    assert "asked what it is waiting on" in ran.err
    assert "task cliffhanger-bot:" in ran.err
    assert "task cluster-checks:" in ran.err


@pytest.mark.usefixtures("voice_warnings_armed")
def test_run_connects_quietly_and_stops_on_sigterm(
    cli: Cli, discord_server: FakeDiscord, served: FeedServer
) -> None:
    served.feed("/local", fixture("wordpress.xml"))
    assert cli("feeds", "add", served.url("/local")).code == 0  # no public default feeds
    with _stopped_when_connected(discord_server) as connected:
        ran = cli("run", DISCORD_TOKEN=discord_server.token)
    assert connected.is_set(), f"not connected and synced within 30 s:\n{ran.err}"
    assert ran.code == 0, ran.err
    assert "status" in discord_server.registered_commands()
    assert not discord_server.gateway.connected
    # A text-only bot says nothing about voice, and nothing above INFO at all.
    assert "voice" not in ran.err
    assert [line for line in ran.err.splitlines() if " INFO " not in line] == []


def test_run_without_a_token_says_how_to_set_it(cli: Cli) -> None:
    ran = cli("run", DISCORD_TOKEN="")
    assert ran.code == 1
    assert ran.err.splitlines() == [
        "cliffhanger: no Discord token: set DISCORD_TOKEN in the environment or in .env "
        "(see .env.example), then run again."
    ]


def _last_line(err: str) -> str:
    """The one line that is not INFO logging (what the bot did before it failed)."""
    (line,) = [line for line in err.splitlines() if " INFO " not in line]
    return line


def test_run_with_a_wrong_token_is_one_line(
    cli: Cli, discord_server: FakeDiscord, served: FeedServer
) -> None:
    served.feed("/local", fixture("wordpress.xml"))
    assert cli("feeds", "add", served.url("/local")).code == 0
    ran = cli("run", DISCORD_TOKEN="MTIz.wrong.token")
    assert ran.code == 1
    assert _last_line(ran.err) == (
        "cliffhanger: Discord refused the bot token: copy it again from "
        "https://discord.com/developers/applications (Bot → Reset Token) into DISCORD_TOKEN, "
        "then run again"
    )
    assert "MTIz.wrong.token" not in ran.err
    debug = cli("run", DISCORD_TOKEN="MTIz.wrong.token", LOG_LEVEL="DEBUG")
    assert debug.code == 1 and "LoginFailure" in debug.err  # the detail, at DEBUG only


def test_run_without_a_network_is_one_line(
    cli: Cli, served: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    served.feed("/local", fixture("wordpress.xml"))
    assert cli("feeds", "add", served.url("/local")).code == 0
    port = closed_port()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    ran = cli("run", DISCORD_TOKEN="MTIz.some.token")
    assert ran.code == 1
    line = _last_line(ran.err)
    assert line.startswith("cliffhanger: can't reach Discord (Cannot connect to host 127.0.0.1:")
    assert line.endswith("check the network connection (and any proxy or firewall), then run again")
