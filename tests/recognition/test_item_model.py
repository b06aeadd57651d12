"""The item model: what the entry as a whole says of an event moves its findings, and the
reading that skips hopeless events still finds what deciding every proposal finds."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from bot.models import Entry
from bot.recognition._candidates import read_candidates
from bot.recognition._findings import one_per_show
from bot.recognition._item import ITEM_WEIGHT, item_features, with_item
from bot.recognition._model import shipped_model
from bot.recognition._reader import _decide, _item_score, recognise_entry
from bot.shows.catalogue import Catalogue

_PUBLISHED = datetime(2025, 3, 1, tzinfo=UTC)


def _entry(title: str, summary: str) -> Entry:
    return Entry(key=title, title=title, summary=summary, published=_PUBLISHED)


def test_a_score_of_nothing_leaves_a_chance_as_it_is() -> None:
    for chance in (0.0, 0.15, 0.3, 0.61, 1.0):
        assert with_item(chance, 0.0) == chance


@pytest.mark.parametrize("chance", [0.15, 0.3, 0.5, 0.8])
def test_the_entrys_view_moves_a_chance_by_its_weighed_log_odds(chance: float) -> None:
    up, down = with_item(chance, 2.0), with_item(chance, -2.0)
    assert down < chance < up
    odds = chance / (1 - chance)
    assert up / (1 - up) == pytest.approx(odds * math.exp(ITEM_WEIGHT * 2.0))
    assert down / (1 - down) == pytest.approx(odds * math.exp(-ITEM_WEIGHT * 2.0))


def test_the_item_features_are_the_title_and_ledes_words_and_pairs(
    catalogue: Catalogue,
) -> None:
    entry = _entry(
        "Harbor Lights renewed for season 2",
        "NBC has renewed the drama. It will not return until 2026. A later line is left out.",
    )
    reading = read_candidates(entry, catalogue)
    features = item_features(reading.sentences, ["entry_roundup"])
    assert {"t=renewed", "tb=renewed_for", "tb=season_2"} <= set(features)
    assert {"l=drama", "lb=has_renewed", "lb=not_return"} <= set(features)
    assert "entry_roundup" in features
    assert not any("later" in f for f in features)  # the third sentence is past the lede
    assert features == sorted(set(features))


def test_a_renewal_story_reads_likelier_as_one_than_a_recap_mentioning_one(
    catalogue: Catalogue,
) -> None:
    model = shipped_model()
    news = _entry(
        "NBC renews Harbor Lights for a second season",
        "NBC has renewed its freshman drama Harbor Lights for a second season.",
    )
    recap = _entry(
        "Harbor Lights recap: the lighthouse keeper's secret",
        "Last night's episode, the last before the show was renewed, ended on a cliffhanger.",
    )
    scores = []
    for entry in (news, recap):
        reading = read_candidates(entry, catalogue)
        renewals = [p for p in reading.proposals if p.event == "R"]
        assert renewals
        scores.append(_item_score(renewals[0], model))
    assert scores[0] > 0 > scores[1]


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("NBC renews Harbor Lights", "The drama will return for a second season in the fall."),
        ("Is Harbor Lights coming back?", "Fans are asking whether NBC will renew the drama."),
        ("Harbor Lights review", "The drama, renewed last year, returns March 9 on NBC."),
        ("Copper Valley is cancelled", "ABC has axed the drama after one season."),
        ("'Copper Valley' to end with season 4", "The final season premieres June 2 on ABC."),
        ("Three shows renewed", "NBC renewed Harbor Lights, Copper Valley and The Long Field."),
    ],
)
def test_skipping_hopeless_events_keeps_what_deciding_every_proposal_keeps(
    catalogue: Catalogue, title: str, summary: str
) -> None:
    model = shipped_model()
    entry = _entry(title, summary)
    reading = read_candidates(entry, catalogue)
    found = [f for proposal in reading.proposals for f in _decide(proposal, model)]
    every = [(f.event, f.show, f.season) for f in one_per_show(found, model.thresholds)]
    read = [(a.event, a.show, a.season) for a in recognise_entry(entry, catalogue, model)]
    assert read == every
