"""Shows the catalogue does not know: recognised under the name as written, never added by
recognition itself, offered to the caller through `new_shows`."""

from __future__ import annotations

from bot.models import Certainty, Show
from bot.recognition import new_shows, recognise
from bot.shows.catalogue import Catalogue
from tests.recognition.feed_entries import entry, facts


def test_a_quoted_unknown_title_is_named_as_written() -> None:
    catalogue = Catalogue([Show("Citadel")])
    found = recognise(entry("'The Birch' Renewed For Season 2"), catalogue)
    assert facts(found) == {("The Birch", "renewed", 2)}
    assert [show.name for show in new_shows(found, catalogue)] == ["The Birch"]


def test_an_unknown_object_of_an_active_verb_is_named() -> None:
    catalogue = Catalogue([Show("Citadel")])
    found = recognise(entry("Netflix renews Bloodline for season three"), catalogue)
    assert facts(found) == {("Bloodline", "renewed", 3)}
    assert new_shows(found, catalogue) == [Show("Bloodline", network="Netflix")]


def test_recognition_does_not_change_the_catalogue_and_the_caller_can_add() -> None:
    catalogue = Catalogue([Show("Citadel")])
    story = entry("Netflix renews Bloodline for season three")
    found = recognise(story, catalogue)
    assert len(catalogue) == 1 and catalogue.get("Bloodline") is None
    for show in new_shows(found, catalogue):
        catalogue.add(show)
    again = recognise(story, catalogue)
    assert facts(again) == facts(found)
    assert new_shows(again, catalogue) == []


def test_guesses_do_not_introduce_shows() -> None:
    catalogue = Catalogue()
    found = recognise(
        entry("The Birch season 2 update", "We imagine 'The Birch' could return in late 2026."),
        catalogue,
    )
    assert all(a.certainty is Certainty.SPECULATION for a in found)
    assert new_shows(found, catalogue) == []


def test_known_shows_are_not_new() -> None:
    catalogue = Catalogue.default()
    found = recognise(entry("Peacock renews Poker Face for season 3"), catalogue)
    assert facts(found) == {("Poker Face", "renewed", 3)}
    assert new_shows(found, catalogue) == []
