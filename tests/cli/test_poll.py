"""`poll --once`: honours a feed's wait unless --force, prints each feed as it finishes,
and fails when no feed could be read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli
from tests.feeds.feed_server import FeedServer, fixture


def _failures(database: Path, url: str) -> tuple[str, int]:
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT status, failures FROM feeds WHERE url = ?", (url,))
        status, failures = row.fetchone()
    return str(status), int(failures)


def test_a_feed_that_asked_to_wait_is_left_alone_unless_forced(
    cli: Cli, served: FeedServer, database: Path
) -> None:
    served.status("/busy", 429, headers={"Retry-After": "3600"})
    url = served.url("/busy")
    assert cli("feeds", "add", url).code == 0

    first = cli("poll", "--once", FEED_MAX_FAILURES="3")
    assert first.code == 1  # the only feed failed: nothing could be read
    assert first.lines[1].startswith(f"{url}: failed — HTTP 429 Too Many Requests — next try ")
    assert first.err == "cliffhanger: no feed could be read; see the errors above.\n"

    # Runs by hand within the hour neither fetch it nor count failures against it.
    for _ in range(3):
        waiting = cli("poll", "--once", FEED_MAX_FAILURES="3")
        assert waiting.code == 0
        assert waiting.lines[1].startswith(f"{url}: skipped — next try after ")
        assert waiting.lines[-1] == (
            "0 of 1 feeds read, 0 announcements recognised. 1 still waiting "
            "(--force polls them now)."
        )
    assert len(served.requests_to("/busy")) == 1
    assert _failures(database, url) == ("failing", 1)

    forced = cli("poll", "--once", "--force", FEED_MAX_FAILURES="3")
    assert forced.code == 1
    assert len(served.requests_to("/busy")) == 2
    assert _failures(database, url) == ("failing", 2)


def test_each_feed_is_printed_as_soon_as_it_is_done(cli: Cli, served: FeedServer) -> None:
    served.slow("/a-slow", fixture("rdf.xml"), delay=1.5)
    served.feed("/b-fast", fixture("atom.xml"))
    for path in ("/a-slow", "/b-fast"):
        assert cli("feeds", "add", served.url(path)).code == 0
    ran = cli("poll", "--once")
    assert ran.code == 0
    # The feeds are listed slow first; the fast one is printed without waiting for it.
    assert ran.lines[0] == "Polling 2 feeds…"
    assert ran.lines[1].startswith(f"{served.url('/b-fast')}: updated")
    finished = [line for line in ran.lines if line.startswith(served.url("/a-slow"))]
    assert len(finished) == 1 and ran.lines.index(finished[0]) > 1
    assert ran.lines[-1].startswith("2 of 2 feeds read, ")


def test_nothing_read_means_a_non_zero_exit(cli: Cli, served: FeedServer) -> None:
    served.status("/down", 500)
    served.status("/gone", 410)
    for path in ("/down", "/gone"):
        assert cli("feeds", "add", served.url(path)).code == 0
    ran = cli("poll", "--once")
    assert ran.code == 1
    assert ran.lines[-1] == "0 of 2 feeds read, 0 announcements recognised."
    again = cli("poll", "--once", "--force")  # the gone feed is disabled, the other fails
    assert again.code == 1
    for path in ("/down", "/gone"):
        assert cli("feeds", "remove", served.url(path)).code == 0
    empty = cli("poll", "--once")
    assert (empty.code, empty.lines) == (
        1,
        ["No enabled feeds: `feeds list` shows them, `feeds enable URL` retries one."],
    )
