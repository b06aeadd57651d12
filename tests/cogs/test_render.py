"""Links from feeds in embeds: http(s) only, bounded, and unable to start a second link."""

from __future__ import annotations

import re

import pytest

from bot.alerts.message import AlertMessage
from bot.models import Source
from cogs.render import alert_embed, safe_link, source_links

MEGABYTE_LINK = "https://big.example/" + "a" * 1_000_000


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://deadline.com/2024/06/citadel/", "https://deadline.com/2024/06/citadel/"),
        ("http://x.example/a(b)", "http://x.example/a%28b%29"),
        (
            "http://x.example/?y=)[a](http://evil)",
            "http://x.example/?y=%29%5Ba%5D%28http://evil%29",
        ),
        ("https://x.example/a b<c>", "https://x.example/a%20b%3Cc%3E"),
        ("https://x.example/d%C3%A9j%C3%A0", "https://x.example/d%C3%A9j%C3%A0"),
        ("javascript:alert(1)", None),
        ("ftp://x.example/file", None),
        ("https://", None),
        (MEGABYTE_LINK, None),
        (None, None),
    ],
)
def test_safe_link(link: str | None, shown: str | None) -> None:
    assert safe_link(link) == shown


def _message(link: str | None) -> AlertMessage:
    return AlertMessage(
        title="Citadel season 2 is happening",
        what="Citadel has been renewed.",
        certainty="Official",
        colour=0x2ECC71,
        headline="Citadel renewed",
        outlet="Deadline",
        link=link,
        role_id=None,
    )


def test_an_unfit_link_leaves_the_alert_without_a_link() -> None:
    for link in (MEGABYTE_LINK, "javascript:alert(1)"):
        embed = alert_embed(_message(link))
        assert embed.url is None
        assert embed.fields[1].value == "Deadline: Citadel renewed"


def test_sources_show_whole_links_only() -> None:
    longest = "https://x.example/" + "a" * 2000
    sources = [Source(outlet=f"Outlet {n}", link=longest) for n in range(3)]
    text = source_links(sources)
    assert len(text) <= 1024 and text.count("](") == text.count(")") == 0
    assert text == "Outlet 0 · Outlet 1 · Outlet 2"  # each link alone is too long for the field
    short = [Source(outlet="A", link="https://a.example/"), Source("B", None)]
    assert re.fullmatch(r"\[A\]\(https://a\.example/\) · B", source_links(short))
