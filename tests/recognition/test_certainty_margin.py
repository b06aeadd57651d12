"""How sure an announcement is: "official" must lead a report or a guess by the trained
margin (`official_margin` in model.json, chosen out of fold within train)."""

from __future__ import annotations

import pytest

from bot.models import Announcement
from bot.recognition._certainty import certainty_of
from bot.recognition._model import shipped_model
from training.train import _official_margin


def test_official_needs_its_margin() -> None:
    scores = {"official": 1.2, "reported": 0.5, "speculation": -3.0}
    assert certainty_of(scores, 0.0) == "official"
    assert certainty_of(scores, 1.0) == "reported"
    assert certainty_of({"official": -1.0, "reported": -2.0, "speculation": 0.5}, 0.0) == (
        "speculation"
    )


def test_news_the_text_hedges_is_at_most_a_report() -> None:
    scores = {"official": 4.0, "reported": 0.5, "speculation": -3.0}
    assert certainty_of(scores, 1.0, hedged=True) == "reported"
    guess = {"official": -1.0, "reported": -2.0, "speculation": 0.5}
    assert certainty_of(guess, 1.0, hedged=True) == "speculation"


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Netflix has reportedly renewed 'Harbor Lights' for a second season.", True),
        ("Amazon is in talks to renew 'Harbor Lights' for a third season.", True),
        ("'Harbor Lights' is said to be ending after its fourth season.", True),
        ("Netflix has apparently renewed 'Harbor Lights' for a second season.", True),
        ("'Harbor Lights' will end with its fourth season, it has been reported.", True),
        ("According to a new report, Netflix has cancelled 'Harbor Lights'.", True),
        ("'Harbor Lights' looks set to be axed after two seasons.", True),
        ("Sources confirmed that Netflix has cancelled 'Harbor Lights'.", True),
        ("Recent reports suggest Netflix has renewed 'Harbor Lights' for a season 2.", True),
        ("Netflix has renewed 'Harbor Lights' for a second season, Deadline reports.", False),
        # A hedge in the words leading up to the event phrase (`_certainty_scope`).
        ("'Harbor Lights' is tipped to return for a third season.", True),
        ("It's rumoured that 'Harbor Lights' will end with its fourth season.", True),
        ("'Harbor Lights' will probably end with its fourth season.", True),
        ("After rumours, Netflix confirmed 'Harbor Lights' will end after season 4.", False),
        ("'Harbor Lights' - possibly the best drama - has been renewed for a season 2.", False),
        # A hedge bears on its own clause, not on one joined on after a comma.
        (
            "Spin-offs are in the works, and Netflix has renewed 'Harbor Lights' for season 2.",
            False,
        ),
        ("This probably comes as no shock, given 'Harbor Lights' was renewed for season 2.", False),
        # News passed on as hearsay, wherever it stands in the sentence.
        ("Insiders say Netflix has renewed 'Harbor Lights' for a second season.", True),
        ("The Courier understands that the BBC has renewed 'Harbor Lights' for series 2.", True),
        ("It is understood the BBC has cancelled 'Harbor Lights' after two series.", True),
        ("Netflix has renewed 'Harbor Lights', according to several online news sources.", True),
        ("As per a Courier report, Netflix has renewed 'Harbor Lights' for a second season.", True),
        ("Now, it would appear 'Harbor Lights' is coming to an end.", True),
        # An outlet named as the source of a flat statement: official (the labels' rule).
        ("Netflix has renewed 'Harbor Lights' for a second season, Variety has learned.", False),
        ("Deadline reports that Netflix has renewed 'Harbor Lights' for a second season.", False),
    ],
)
def test_a_hedge_on_the_news_itself_makes_it_a_report(text: str, hedged: bool) -> None:
    [found] = [a for a in _read(text) if a.show == "Harbor Lights"]
    assert (found.certainty.value == "reported") is hedged


@pytest.mark.parametrize(
    ("title", "text", "hedged"),
    [
        ("'Harbor Lights' returning for season 3: Report", "", True),
        ("Report: 'Harbor Lights' renewed for season 3", "", True),
        ("'Harbor Lights' renewed for season 3", "", False),
        ("", "An alleged leak says 'Harbor Lights' has been renewed for a third season.", True),
        ("", "According to The Courier, 'Harbor Lights' is set to return for a season 3.", True),
        ("", "'Harbor Lights' is set to return for a third season.", False),
        ("", "We tend to think 'Harbor Lights' will end with its fourth season.", True),
    ],
)
def test_hearsay_or_a_guess_is_not_official(title: str, text: str, hedged: bool) -> None:
    found = [a for a in _read(text, title) if a.show == "Harbor Lights"]
    assert found and all((a.certainty.value != "official") is hedged for a in found)


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("'Harbor Lights' will return for a new season, but likely not until 2026.", True),
        ("'Harbor Lights' will return for a new season, probably in spring 2026.", True),
        ("'Harbor Lights' will return for a new season in 2026.", False),
    ],
)
def test_a_hedge_on_a_premiere_s_window_makes_it_a_report(text: str, hedged: bool) -> None:
    from bot.models import Event

    windows = [
        a for a in _read(text) if a.show == "Harbor Lights" and a.event is Event.PREMIERE_WINDOW
    ]
    # At most a report: a guess ("likely not until") may be read as one.
    assert windows and all((a.certainty.value != "official") is hedged for a in windows)


def _read(text: str, title: str = "") -> list[Announcement]:
    from dataclasses import replace
    from datetime import UTC, datetime

    from bot.models import Entry
    from bot.recognition._reader import recognise_entry
    from bot.shows.catalogue import Catalogue

    entry = Entry(
        key=title + text,
        title=title,
        summary=text,
        link="https://news.example/story",
        published=datetime(2025, 5, 10, tzinfo=UTC),
        outlet="Example News",
    )
    # How sure the news is, whatever the event and show thresholds, and with no margin for
    # "official" (this tests the hedge alone: the trained margin may make a plain scoop a
    # report too).
    model = shipped_model()
    thresholds = {
        **model.thresholds,
        "R": 0.3,
        "E": 0.3,
        "C": 0.3,
        "P": 0.1,
        "show": 0.1,
        "official_margin": 0.0,
    }
    trial = replace(model, thresholds=thresholds)
    return recognise_entry(entry, Catalogue.default(), trial)


def test_the_margin_cuts_overstatement_while_agreement_holds() -> None:
    plain = [("official", {"official": 3.0, "reported": 0.0, "speculation": 0.0}, False)] * 97
    scoops = [("reported", {"official": 0.7, "reported": 0.0, "speculation": -1.0}, False)] * 3
    assert _official_margin(plain + scoops) == 0.75  # the smallest that calls the scoops reports
    close = [("official", {"official": 0.6, "reported": 0.0, "speculation": 0.0}, False)] * 10
    # Calling those ten official items reports would cost more agreement than allowed.
    assert _official_margin(plain[:87] + close + scoops) == 0.0


def test_the_shipped_model_has_a_margin() -> None:
    assert shipped_model().thresholds["official_margin"] >= 0.0


def test_a_finding_reads_the_certainty_of_every_sentence_that_says_it() -> None:
    from datetime import UTC, datetime

    from bot.models import Entry
    from bot.recognition._candidates import read_candidates
    from bot.recognition._certainty import certainty_features
    from bot.recognition._findings import one_per_show
    from bot.recognition._reader import _decide
    from bot.shows.catalogue import Catalogue

    entry = Entry(
        key="k",
        title="'Harbor Lights' renewed for season 2",
        summary="Netflix has reportedly renewed 'Harbor Lights' for a second season.",
        link="https://news.example/harbor-lights",
        published=datetime(2025, 11, 10, tzinfo=UTC),
    )
    model = shipped_model()
    reading = read_candidates(entry, Catalogue.default())
    found = [f for p in reading.proposals for f in _decide(p, model)]
    (finding,) = [f for f in one_per_show(found, model.thresholds) if f.show == "Harbor Lights"]
    assert len(finding.witnesses) == 1  # the headline and the lede say it
    features = certainty_features(finding)
    assert {"title", "body"} <= set(features)
    assert set(finding.proposal.certainty_features) < set(features)


@pytest.mark.parametrize(
    ("text", "modal"),
    [
        ("premiere date moved to may 1, 2025", False),
        ("returns in may", False),
        ("premieres mid-may", False),
        ("a may 2025 premiere", False),
        ("the show may return", True),
        ("in may, netflix said it may be renewed", True),
    ],
)
def test_the_month_may_is_no_hedge(text: str, modal: bool) -> None:
    from bot.recognition._sentences import _cue_names
    from bot.recognition._traps import HEDGE

    assert ("modal" in _cue_names(text)) is modal
    assert (HEDGE.search(text) is not None) is modal
