"""Lists of shows and the second shows of one sentence (bot/recognition/_lists.py,
_reader.py): written unit examples of the expressions it knows, not accuracy evidence
(that is the real corpus's test split)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.models import Entry, Show
from bot.recognition import recognise
from bot.recognition._candidates import read_candidates
from bot.recognition._model import shipped_model
from bot.recognition._reader import _decide, _shows, decide_at, recognise_entry
from bot.shows.catalogue import Catalogue, seed_shows
from tests.recognition.feed_entries import proposals_of, read_sorted, story
from training.train import ALSO_SHOW_THRESHOLDS


def test_each_show_of_a_list_gets_the_season_beside_it() -> None:
    found = read_sorted(
        "The CW renews its lineup",
        "Shows confirmed to return include The Flash (Season 7), Riverdale (Season 5) and "
        "Supergirl (Season 6).",
    )
    assert found == [
        ("Riverdale", "renewed", 5),
        ("Supergirl", "renewed", 6),
        ("The Flash", "renewed", 7),
    ]


@pytest.mark.parametrize(
    "summary",
    [
        "ABC has cancelled 'Harbour Lights', 'Copper Bay' and 'The Long Field' after one season.",
        # A list with its commas inside the quotes is one list too (American style: “A,”).
        "ABC has cancelled \u201cHarbour Lights,\u201d \u201cCopper Bay\u201d and"
        " \u201cThe Long Field\u201d after one season.",
    ],
)
def test_titles_listed_with_a_cancelled_show_are_cancelled_too(summary: str) -> None:
    found = read_sorted("ABC cancels three dramas", summary)
    assert [show for show, event, _ in found if event == "cancelled"] == [
        "Copper Bay",
        "Harbour Lights",
        "The Long Field",
    ]


def test_each_show_of_a_roundup_gets_its_own_date() -> None:
    entry = Entry(
        key="roundup",
        title="NBC sets winter premiere dates",
        summary="NBC has announced premiere dates for 'Harbor Lights' (Jan. 6), "
        "'The Night Desk' (Jan. 14) and 'Copper Valley' (Feb. 2).",
        link="https://news.example/roundup",
        published=datetime(2025, 11, 10, tzinfo=UTC),
        outlet="Example News",
    )
    dates = {a.show: a.date for a in recognise(entry, Catalogue.default()) if a.date}
    expected = {
        "Harbor Lights": datetime(2026, 1, 6).date(),
        "The Night Desk": datetime(2026, 1, 14).date(),
        "Copper Valley": datetime(2026, 2, 2).date(),
    }
    assert dates == expected


def test_a_second_show_of_one_sentence_must_be_as_likely_as_the_trained_threshold() -> None:
    entry = story(
        "NBC renews two dramas",
        "NBC has renewed Harbor Lights and Copper Valley for second seasons.",
    )
    model = shipped_model()

    def shows(also: float) -> list[str]:
        # The show threshold at its lowest, so only the second-show bar decides.
        trial = replace(model, thresholds={**model.thresholds, "also_show": also, "show": 0.0})
        return sorted(a.show for a in recognise_entry(entry, Catalogue.default(), trial))

    assert model.thresholds["also_show"] in ALSO_SHOW_THRESHOLDS  # chosen by training
    # Names in a plain list (unquoted, unknown) are as often people or places: each needs
    # its own chance.
    assert shows(0.0) == ["Copper Valley", "Harbor Lights"]
    assert shows(1.0) == ["Copper Valley"]


def test_deciding_at_several_second_show_bars_at_once_is_deciding_at_each() -> None:
    """Training's threshold search decides each proposal at every "also_show" value in one
    go (`decide_at`); it must find what `_decide` finds at each."""
    model = shipped_model()
    alsos = (0.0, *ALSO_SHOW_THRESHOLDS, 1.0)
    entries = [
        story(
            "NBC renews two dramas",
            "NBC has renewed Harbor Lights and Copper Valley for second seasons.",
        ),
        story(
            "ABC cancels three dramas",
            "ABC has cancelled 'Harbour Lights', 'Copper Bay' and 'The Long Field'.",
        ),
        story(
            "NBC sets winter premiere dates",
            "NBC has announced premiere dates for 'Harbor Lights' (Jan. 6), "
            "'The Night Desk' (Jan. 14) and Copper Valley (Feb. 2).",
        ),
    ]
    decided = 0
    for entry in entries:
        for proposal in read_candidates(entry, Catalogue.default()).proposals:
            at_once = decide_at(proposal, model, alsos)
            for also, found in zip(alsos, at_once, strict=True):
                one = replace(model, thresholds={"also_show": also})
                assert found == _decide(proposal, one)
                decided += len(found)
    assert decided > 10  # the lists' shows were found, at the looser bars at least


def test_a_quoted_title_takes_the_season_beside_its_closing_quote() -> None:
    found = read_sorted(
        "The CW renews its lineup",
        "The renewed series are: “Harbor Lights” (Season 7), “Copper Valley” (Season 4) and "
        "“Quillon Bay” (Season 2).",
    )
    assert found == [
        ("Copper Valley", "renewed", 4),
        ("Harbor Lights", "renewed", 7),
        ("Quillon Bay", "renewed", 2),
    ]


@pytest.mark.parametrize(
    ("summary", "shows"),
    [
        # Three or more names the phrase governs are shows, however plain they look.
        (
            "ABC has canceled Harbor Lights, Copper Valley and Quillon Bay.",
            ["Copper Valley", "Harbor Lights", "Quillon Bay"],
        ),
        # Two plain names are as often a show and its star.
        ("ABC has canceled Harbor Lights and Copper Valley.", ["Harbor Lights"]),
        # A list away from the phrase is not what it governs.
        (
            "ABC has canceled Harbor Lights, the drama from Copper Valley, Quillon Bay and "
            "Brisk Vale.",
            ["Harbor Lights"],
        ),
    ],
)
def test_a_plain_list_the_event_phrase_governs_shares_its_news(
    summary: str, shows: list[str]
) -> None:
    catalogue = Catalogue((*seed_shows(), Show("Harbor Lights", network="ABC")))
    found = recognise(story("ABC drops dramas", summary), catalogue)
    assert sorted(a.show for a in found if a.event.value == "cancelled") == shows


@pytest.mark.parametrize(
    "summary",
    [
        "ABC has canceled three of its freshman dramas: Harbor Lights, Copper Valley and "
        "Quillon Bay.",
        "ABC has canceled three freshman dramas, Harbor Lights, Copper Valley and Quillon Bay.",
        "ABC has canceled three series \u2013 Harbor Lights, Copper Valley and Quillon Bay.",
        # Or any few words and a colon, whatever they call the list.
        "ABC has canceled them all in one go: Harbor Lights, Copper Valley and Quillon Bay.",
    ],
)
def test_a_list_the_phrase_introduces_by_what_it_lists_shares_its_news(summary: str) -> None:
    catalogue = Catalogue((*seed_shows(), Show("Harbor Lights", network="ABC")))
    found = recognise(story("ABC drops dramas", summary), catalogue)
    assert sorted(a.show for a in found if a.event.value == "cancelled") == [
        "Copper Valley",
        "Harbor Lights",
        "Quillon Bay",
    ]


def test_a_roundup_phrase_may_name_its_shows_in_the_next_sentence() -> None:
    # Which shows the phrase's proposal names; how sure that is is the model's to say.
    _, [proposal] = proposals_of(
        "Upfronts news",
        "ABC has renewed two of its dramas. \u201cHarbor Lights\u201d and \u201cCopper Valley\u201d"
        " both drew more than eight million viewers.",
        "R",
        1,
    )
    named = sorted(option.span.name for option, _ in _shows(proposal, shipped_model()))
    assert named == ["Copper Valley", "Harbor Lights"]


def test_two_plain_names_join_when_the_text_says_what_they_are() -> None:
    found = read_sorted("ABC renews comedies Copper Valley, Quillon Bay for second seasons")
    assert found == [("Copper Valley", "renewed", 2), ("Quillon Bay", "renewed", 2)]


def test_a_name_ending_in_s_before_a_comma_owns_nothing() -> None:
    found = read_sorted(
        "ABC cancels dramas",
        "ABC canceled Marlow's, The Copper Valley and The Quillon Bay, all after one season.",
    )
    assert sorted(show for show, _, _ in found) == [
        "Marlow's",
        "The Copper Valley",
        "The Quillon Bay",
    ]


def test_a_revived_show_is_renewed_not_also_cancelled() -> None:
    found = read_sorted(
        "Amazon revives Quillon Bay after its cancellation at Syfy",
        "Quillon Bay is not over yet: Amazon has renewed the drama for a fourth season, two "
        "weeks after Syfy cancelled it.",
    )
    assert found == [("Quillon Bay", "renewed", 4)]


def test_a_second_show_stands_in_the_phrase_s_sentence_or_the_first_show_s() -> None:
    entry = story(
        "NBC renews 'Harbor Lights' for a second season",
        "The drama joins returning comedies Copper Valley and Quillon Bay on the fall schedule.",
    )
    # Every option likely enough to be a second show: only where it stands decides.
    model = replace(shipped_model(), thresholds={"also_show": 0.0})
    reading = read_candidates(entry, Catalogue.default())
    title = next(p for p in reading.proposals if p.event == "R" and p.sentence.index == 0)
    assert any(option.sentence == 1 for option in title.shows)  # the lede's names are options
    chosen = _shows(title, model)
    assert chosen[0][0].span.name == "Harbor Lights"
    assert {option.sentence for option, _ in chosen} == {0}
