"""Every command through its real entry point (`main`), exit statuses included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.cli.conftest import Cli
from tests.feeds.feed_server import FeedServer, fixture

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FEEDS = 9


def test_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as helped:
        main(["--help"])
    assert helped.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "migrate", "feeds", "poll", "when", "shows"):
        assert command in out
    with pytest.raises(SystemExit) as wrong:
        main(["feeds", "rename"])
    assert wrong.value.code == 2
    assert "invalid choice: 'rename'" in capsys.readouterr().err


def test_migrate_creates_the_database(cli: Cli, database: Path) -> None:
    ran = cli("migrate")
    assert (ran.code, ran.lines) == (0, ["The database schema is up to date."])
    assert database.is_file()
    assert cli("migrate").code == 0


def test_when_prints_the_card_and_fails_for_an_unknown_show(cli: Cli) -> None:
    known = cli("when", "citadel")
    assert (known.code, known.lines) == (
        0,
        [
            "Citadel (Prime Video)",
            "Nothing is known yet: no renewal, cancellation or premiere news so far.",
        ],
    )
    unknown = cli("when", "no", "such", "show")
    assert unknown.code == 1
    assert unknown.lines[0].startswith('I don\'t know a show called "no such show"')


def test_shows_lists_the_shows_with_news(cli: Cli) -> None:
    ran = cli("shows")
    assert ran.code == 0
    assert ran.lines[0] == "No show news yet: run `python -m bot poll --once`."
    assert ran.lines[1].startswith("(") and ran.lines[1].endswith(" shows in the catalogue)")


def test_the_env_example_copied_as_the_readme_says_works(cli: Cli, tmp_path: Path) -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    (tmp_path / ".env").write_text(
        example.replace("\nDISCORD_TOKEN=\n", "\nDISCORD_TOKEN=abc.def.ghi\n"), encoding="utf-8"
    )
    ran = cli("shows", DATABASE_URL="")  # empty: the default, data/cliffhanger.db here
    assert ran.code == 0, ran.err
    assert (tmp_path / "data" / "cliffhanger.db").is_file()


def test_a_wrong_setting_is_one_line_and_exit_status_2(cli: Cli) -> None:
    ran = cli("shows", POLL_INTERVAL_MINUTES="soon")
    assert ran.code == 2
    assert ran.err.splitlines() == [
        "cliffhanger: bad setting: POLL_INTERVAL_MINUTES: Input should be a valid number, "
        "unable to parse string as a number (got 'soon')"
    ]


@pytest.mark.parametrize("url", ["postgresql+asyncpg://", "sqlite+aiosqlite://"])
def test_an_incomplete_database_url_is_refused(cli: Cli, url: str) -> None:
    ran = cli("migrate", DATABASE_URL=url)
    assert ran.code == 2 and ran.out == ""
    (line,) = ran.err.splitlines()
    assert line.startswith("cliffhanger: bad setting: DATABASE_URL: must name ")


def test_feeds_add_list_remove(cli: Cli, served: FeedServer) -> None:
    served.feed("/tv.xml", fixture("wordpress.xml"))
    url = served.url("/tv.xml")
    added = cli("feeds", "add", url)
    assert (added.code, added.lines) == (0, [f"Following {url}."])
    again = cli("feeds", "add", url.replace("http://", "HTTP://") + "#latest")
    assert again.code == 1
    assert again.err == f"cliffhanger: already following {url}\n"
    listed = cli("feeds", "list")
    assert (listed.code, listed.lines) == (0, [f"{url}: ok, not polled yet", "1 feeds."])
    refused = cli("feeds", "add", "ftp://example.com/feed")
    assert refused.code == 1
    assert refused.err.startswith("cliffhanger: can't follow that feed: ")
    removed = cli("feeds", "remove", url)
    assert (removed.code, removed.lines) == (0, [f"Stopped following {url}."])
    missing = cli("feeds", "remove", url)
    assert missing.code == 1
    assert missing.err == f"cliffhanger: not following {url}; `feeds list` shows the addresses\n"


def test_the_default_feeds_come_once_and_never_back(cli: Cli) -> None:
    first = cli("feeds", "list")
    assert first.code == 0 and first.lines[-1] == f"{DEFAULT_FEEDS} feeds."
    urls = [line.split("<", 1)[1].split(">", 1)[0] for line in first.lines[:-1]]
    for url in urls:
        assert cli("feeds", "remove", url).code == 0
    assert cli("feeds", "list").lines == ["0 feeds."]


def test_feeds_enable_polls_a_disabled_feed_again(cli: Cli, served: FeedServer) -> None:
    served.status("/gone", 410)
    url = served.url("/gone")
    assert cli("feeds", "add", url).code == 0
    assert cli("poll", "--once").code == 1
    assert cli("feeds", "list").lines[0] == (
        f"{url}: disabled — the publisher removed the feed (HTTP 410 Gone)"
    )
    served.feed("/gone", fixture("wordpress.xml"))  # it is back
    enabled = cli("feeds", "enable", url)
    assert (enabled.code, enabled.lines) == (
        0,
        [f"Enabled {url}: it is polled again from its next turn."],
    )
    polled = cli("poll", "--once")
    assert polled.code == 0
    assert polled.lines[1].startswith(f"{url}: updated — 3 entries, 3 new, 0 retitled")
    unknown = cli("feeds", "enable", "https://nowhere.example/feed")
    assert unknown.code == 1 and "not following" in unknown.err


def test_the_database_folder_is_created(cli: Cli, database: Path) -> None:
    shutil.rmtree(database.parent, ignore_errors=True)
    assert cli("shows").code == 0
    assert database.is_file()
