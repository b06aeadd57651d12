"""The traps the issue lists: each negative must give no announcement, and each family has
a positive twin so a recogniser that says nothing at all cannot pass."""

from __future__ import annotations

import pytest

from bot.models import Certainty, Event
from bot.recognition import mentioned_shows
from bot.shows.catalogue import Catalogue
from tests.recognition.feed_entries import entry, facts, read

NEGATIVES = {
    "recap": ("The Walking Dead Season 2 Episode 3 Recap: Chupacabra", ""),
    "review": (
        "Tell Me Lies season 2 episode 3 is mostly a skip (review)",
        "The Hulu drama's second season keeps spinning its wheels.",
    ),
    "recap with renewal mention": (
        "'The Bear' Season 3 Episode 5 Recap: Children",
        "FX has already renewed the comedy for a fourth season, so there is more to come.",
    ),
    "renewed or cancelled explainer": (
        "The Premise Season 2: Renewed or Cancelled?",
        "Here is everything we know about the future of the FX anthology.",
    ),
    "question without news": (
        "Will Netflix's The Order Return for Season 3?",
        "Fans are waiting on word from the streamer about the supernatural drama.",
    ),
    "casting": (
        "Severance Season 3 Adds Two Series Regulars",
        "Apple TV+ has cast two newcomers for the next chapter of the workplace thriller.",
    ),
    "trailer without date": (
        "Watch the first teaser for Wednesday season 2",
        "Netflix dropped a moody new look at Jenna Ortega's return to Nevermore.",
    ),
    "ratings": (
        "Ratings: Tracker season 2 premiere draws 12 million viewers",
        "The CBS drama was up 4% on its debut.",
    ),
    "roundup naming no show": (
        "31 TV shows that Netflix canceled after just one season",
        "The streamer has never been shy about pulling the plug early.",
    ),
    "hedge fund return": (
        "Citadel to return $7 billion to investors following strong performance",
        "Ken Griffin's Citadel plans to return about $7 billion in profits to clients in "
        "early 2024.",
    ),
    "hedge fund results": (
        "Ken Griffin's Citadel posted a 15.3% return in its main Wellington hedge fund last year",
        "",
    ),
    "market maker": (
        "Citadel Securities hires two executives as it expands in Asia",
        "The market maker is renewing its push into fixed income, the firm said.",
    ),
    "sports season": (
        "BREAKING: Full Week One Schedule Of The 2021 NFL Season Has Been Released",
        "The season kicks off Thursday, Sept. 9 on NBC.",
    ),
    "sports rivalry": (
        "Cowboys and Eagles renew rivalry in season finale",
        "The NFC East title is on the line when the season ends Sunday.",
    ),
    "contract renewal": (
        "Lakers renew coach's contract through 2027",
        "The team renewed the deal after a strong season.",
    ),
    "renewed vows": (
        "Reality star renews vows on the beach",
        "The couple renewed their vows in front of the cast.",
    ),
    "common word From": (
        "Netflix renews the comedy from the creators of Schitt's Creek",
        "The streamer renewed the series from Dan Levy's company, sources said.",
    ),
    "common word Forever": (
        "Some shows stay with you forever",
        "Here are ten finales that will stay with us forever, ranked.",
    ),
    "common word order": (
        "Netflix's new order: fewer shows, longer seasons",
        "The streamer is rethinking its season order strategy.",
    ),
    "already renewed restated": (
        "Tracker star Justin Hartley talks the season 2 finale",
        "CBS renewed the drama back in February, so fans know it will return.",
    ),
    "spin-off casting is not Citadel": (
        "Citadel: Diana adds Matilda De Angelis",
        "The Italian installment of the spy franchise rounds out its cast.",
    ),
}


@pytest.mark.parametrize(("title", "summary"), NEGATIVES.values(), ids=NEGATIVES.keys())
def test_traps_give_no_announcement(catalogue: Catalogue, title: str, summary: str) -> None:
    assert read(catalogue, title, summary) == []


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        ("Netflix Canceled 'The Order' After Two Seasons", "", ("The Order", "cancelled", 2)),
        ("'From' Renewed for Season 4 at MGM+", "", ("From", "renewed", 4)),
        ("Netflix has renewed Forever for a second season", "", ("Forever", "renewed", 2)),
        ("Evil Season 4 Will Be Its Last", "", ("Evil", "ending", 4)),
        (
            "Citadel: Diana renewed for season 2 at Prime Video",
            "",
            ("Citadel: Diana", "renewed", 2),
        ),
        (
            "'Citadel: Honey Bunny' gets a second season",
            "",
            ("Citadel: Honey Bunny", "renewed", 2),
        ),
    ],
)
def test_common_word_titles_and_spin_offs_when_the_text_makes_them_titles(
    catalogue: Catalogue, title: str, summary: str, expected: tuple[str, str, int]
) -> None:
    assert facts(read(catalogue, title, summary)) == {expected}


@pytest.mark.parametrize(
    "title",
    [
        "Netflix cancels The Recruit after two seasons",
        "Netflix cancelled The Recruit after two seasons",
        "The Recruit canceled at Netflix after two seasons",
        "Netflix axes The Recruit after two seasons",
        "Netflix pulls the plug on The Recruit after two seasons",
        "The Recruit won't return for a third season at Netflix",
    ],
)
def test_cancellation_vocabulary(catalogue: Catalogue, title: str) -> None:
    assert facts(read(catalogue, title)) == {("The Recruit", "cancelled", 2)}


@pytest.mark.parametrize(
    "title",
    [
        "Peacock renews Poker Face for season 3",
        "Poker Face renewed for season 3 at Peacock",
        "Poker Face gets season 3 renewal at Peacock",
        "Poker Face picked up for a third season by Peacock",
        "Peacock greenlights Poker Face season 3",
        "Poker Face lands season 3 order at Peacock",
        "Peacock gives Poker Face a two-season order for seasons 3 and 4",
    ],
)
def test_renewal_vocabulary(catalogue: Catalogue, title: str) -> None:
    # A multi-season order names its first new season (tests/data/README.md, rule 2).
    assert facts(read(catalogue, title)) == {("Poker Face", "renewed", 3)}


@pytest.mark.parametrize(
    "title",
    [
        "Lucifer uncancelled: Netflix saves the Fox drama for season 4",
        "Netflix revives Lucifer for season 4 after Fox cancellation",
        "Lucifer saved by Netflix for a fourth season",
    ],
)
def test_reversals_are_renewals_without_a_cancellation(catalogue: Catalogue, title: str) -> None:
    assert facts(read(catalogue, title)) == {("Lucifer", "renewed", 4)}


def test_a_show_named_only_in_the_summary(catalogue: Catalogue) -> None:
    found = read(
        catalogue,
        "Netflix renews popular series for season 2",
        "Netflix has renewed The Recruit, its spy drama starring Noah Centineo, for a second "
        "season.",
    )
    assert facts(found) == {("The Recruit", "renewed", 2)}


def test_a_show_named_only_in_the_categories(catalogue: Catalogue) -> None:
    found = read(
        catalogue,
        "Renewed for season 3!",
        "The streamer confirmed the news on Friday.",
        categories=("TV News", "Severance"),
    )
    assert facts(found) == {("Severance", "renewed", 3)}


def test_a_roundup_gives_one_announcement_per_named_show(catalogue: Catalogue) -> None:
    found = read(
        catalogue,
        "Renewals and cancellations: 'Virgin River' renewed for season 7, 'Kaos' canceled",
        "Netflix also renewed Emily in Paris for a fifth season.",
    )
    assert facts(found) == {
        ("Virgin River", "renewed", 7),
        ("Kaos", "cancelled", None),
        ("Emily in Paris", "renewed", 5),
    }


def test_hedge_fund_citadel_is_not_a_mentioned_show(catalogue: Catalogue) -> None:
    story = entry(
        "Citadel to return $7 billion to investors",
        "Ken Griffin's hedge fund Citadel had a strong year.",
    )
    assert mentioned_shows(story, catalogue) == []
    tv = entry("Citadel season 2 premiere date set at Prime Video", "")
    assert mentioned_shows(tv, catalogue) == ["Citadel"]


@pytest.mark.parametrize(
    ("title", "summary", "certainty"),
    [
        ("Netflix renews The Recruit for season 2", "", Certainty.OFFICIAL),
        (
            "The Recruit renewed for season 2",
            "Netflix announced the renewal on Friday in a statement.",
            Certainty.OFFICIAL,
        ),
        (
            "The Recruit reportedly renewed for season 2",
            "Sources say Netflix has quietly ordered more episodes.",
            Certainty.REPORTED,
        ),
        (
            "The Recruit season 2 is a go, according to sources",
            "",
            Certainty.REPORTED,
        ),
    ],
)
def test_certainty_of_a_renewal(
    catalogue: Catalogue, title: str, summary: str, certainty: Certainty
) -> None:
    found = read(catalogue, title, summary)
    assert [(a.show, a.event, a.certainty) for a in found] == [
        ("The Recruit", Event.RENEWED, certainty)
    ]


@pytest.mark.parametrize(
    ("summary", "certainty"),
    [
        ("Netflix says The Recruit will return in early 2026.", Certainty.OFFICIAL),
        ("We imagine The Recruit could return in early 2026.", Certainty.SPECULATION),
        ("The Recruit will probably return in early 2026.", Certainty.SPECULATION),
        ("Sources say The Recruit will return in early 2026.", Certainty.REPORTED),
    ],
)
def test_certainty_of_a_window(catalogue: Catalogue, summary: str, certainty: Certainty) -> None:
    found = read(catalogue, "The Recruit season 2 update", summary)
    windows = [a for a in found if a.event is Event.PREMIERE_WINDOW]
    assert [(a.show, a.certainty) for a in windows] == [("The Recruit", certainty)]
