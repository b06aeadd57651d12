"""The seed case of the recognition issue, which must work exactly.

Excerpts from the fan-site article the project grew from (shared seed
`citadel-season-2-article.txt`, a CarterMatt-style post after the Citadel season 1
finale). The title is not part of the seed; two headline styles such a site uses are tried.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.models import Certainty, Event
from bot.recognition import new_shows
from bot.shows.catalogue import Catalogue
from tests.recognition.feed_entries import facts, read

OPENING = (
    "Following the big finale tonight on Prime Video, are we going to be seeing a Citadel "
    "season 2 at some point in the near future? If so, when will the show be back? If you are "
    "wondering about either of these things, let's just say that we are happy to help!"
)
CONFIRMATION = (
    "First and foremost, let us begin by noting this — you will 100% be seeing more of the spy "
    "drama down the road. This probably does not come as much of a shock, given that a ton of "
    "money was invested in this project and from the get-go, the idea here was to build a "
    "series that would resonate with people all over the globe. It does now seem like the "
    "streamer has figured that out, no? We know that there are international versions of the "
    "show already in the works, and we’ve got official confirmation on a season 2 here, as well."
)
DIRECTOR = (
    "If this wasn’t enough, TVLine has confirmed that Joe Russo, one half of the famed Russo "
    "Brothers and an executive producer on the show, will direct all of the second season."
)
STATEMENT = (
    "Here is what Amazon / MGM Studios head Jennifer Salke had to say on all of this in a "
    "statement: “Citadel is a truly global phenomenon … Given the overwhelming number of our "
    "customers who have embraced this show, we are not only thrilled to share the premiere "
    "episode of Citadel globally without membership, but also confirm that the series will "
    "return for a second season.”"
)
WINDOW = (
    "So when are you going to see season 2 premiere?\n\nIt is far too early to determine this, "
    "especially with the writers’ strike taking place. Given the amount of time needed to tell "
    "a story like this, we tend to imagine we’ll be waiting until at least late 2024 or even "
    "early 2025 … but we’ll see what happens in the end.\n\n(Photo: Prime Video.)"
)
WHOLE = "\n\n".join([OPENING, CONFIRMATION, DIRECTOR, STATEMENT, WINDOW])
TITLES = [
    "Citadel season 2: Is it happening at Prime Video, and when could it premiere?",
    "Citadel season 2 renewed at Prime Video: When will the spy drama be back?",
]


@pytest.mark.parametrize("title", TITLES)
def test_the_whole_article_gives_an_official_renewal_and_a_speculative_window(
    catalogue: Catalogue, title: str
) -> None:
    found = read(catalogue, title, WHOLE, published="2023-05-26", outlet="CarterMatt")
    assert facts(found) == {("Citadel", "renewed", 2), ("Citadel", "premiere_window", 2)}
    renewal = next(a for a in found if a.event is Event.RENEWED)
    assert renewal.certainty is Certainty.OFFICIAL
    window = next(a for a in found if a.event is Event.PREMIERE_WINDOW)
    assert window.certainty is Certainty.SPECULATION
    assert window.window is not None
    assert (window.window.start, window.window.end) == (date(2024, 9, 1), date(2025, 4, 30))
    assert "late 2024" in window.window.text and "early 2025" in window.window.text
    assert all(a.date is None for a in found)
    assert all(a.source.outlet == "CarterMatt" for a in found)


@pytest.mark.parametrize("title", TITLES)
def test_a_feed_summary_with_only_the_first_paragraphs_still_gives_the_renewal(
    catalogue: Catalogue, title: str
) -> None:
    summary = "\n\n".join([OPENING, CONFIRMATION, DIRECTOR])
    found = read(catalogue, title, summary, published="2023-05-26")
    assert facts(found) == {("Citadel", "renewed", 2)}
    assert found[0].certainty is Certainty.OFFICIAL


def test_the_seed_names_no_new_show(catalogue: Catalogue) -> None:
    found = read(catalogue, TITLES[0], WHOLE, published="2023-05-26")
    assert new_shows(found, catalogue) == []
