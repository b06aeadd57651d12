"""Shows the catalogue does not know: recognised from how the sentence names them, never
added by recognition itself, and offered to the caller (`new_shows`) only when the text
sets the name apart, so a capitalised fragment never becomes a show."""

from __future__ import annotations

from bot.models import Show
from bot.recognition import new_shows, recognise
from bot.shows.catalogue import Catalogue
from tests.recognition.feed_entries import entry, facts


def test_a_quoted_unknown_title_is_recognised_and_may_be_learned() -> None:
    catalogue = Catalogue([Show("Citadel")])
    found = recognise(entry("Netflix Renews 'The Quiet Orchard' for Season 2"), catalogue)
    assert facts(found) == {("The Quiet Orchard", "renewed", 2)}
    assert found[0].name_delimited
    assert [show.name for show in new_shows(found, catalogue)] == ["The Quiet Orchard"]


def test_a_fragment_next_to_the_verb_is_never_learned() -> None:
    # The headline the recognition issue quotes: the show is the quoted one.
    catalogue = Catalogue([Show("Citadel")])
    found = recognise(entry("'Ghosts' Lands Two-Season Renewal at CBS"), catalogue)
    assert {a.show for a in found} <= {"Ghosts"}
    assert all("Lands" not in show.name for show in new_shows(found, catalogue))


def test_an_unquoted_unknown_name_is_recognised_but_not_learned_on_one_word() -> None:
    catalogue = Catalogue([Show("Citadel")])
    story = entry("Peacock renews Crystal Harbour for a second season")
    found = recognise(story, catalogue)
    assert ("Crystal Harbour", "renewed", 2) in facts(found)
    assert not found[0].name_delimited
    assert new_shows(found, catalogue) == []


def test_recognition_does_not_change_the_catalogue() -> None:
    catalogue = Catalogue([Show("Citadel")])
    recognise(entry("Netflix Renews 'The Quiet Orchard' for Season 2"), catalogue)
    assert len(catalogue) == 1 and catalogue.get("The Quiet Orchard") is None


def test_known_shows_are_not_new() -> None:
    catalogue = Catalogue.default()
    found = recognise(entry("Peacock renews 'Poker Face' for season 3"), catalogue)
    assert facts(found) == {("Poker Face", "renewed", 3)}
    assert new_shows(found, catalogue) == []


def test_a_network_is_not_the_show_when_a_show_shares_its_name() -> None:
    # The catalogue (TVmaze) knows a show called Peacock as well as the streamer.
    catalogue = Catalogue([Show("Peacock"), Show("Quillon Bay")])
    found = recognise(
        entry(
            "Peacock cancels Quillon Bay after one season",
            "Peacock has canceled Quillon Bay after one season.",
        ),
        catalogue,
    )
    assert facts(found) == {("Quillon Bay", "cancelled", 1)}
