"""The compact index behind the catalogue: exact, prefix, word and typo matches, changes."""

from __future__ import annotations

import pytest

from bot.models import Show
from bot.shows.compact import CompactIndex
from bot.shows.lookup import ShowIndex
from bot.shows.names import name_key

SHOWS = [
    Show("Under the Dome", network="CBS", id=1),
    Show("Person of Interest", network="CBS", id=2),
    Show("Bitten", network="Syfy", id=3),
    Show("Arrow", aliases=("Green Arrow",), network="The CW", id=4),
    Show("The Burning Sea", id=5),
    Show("The Office (2001)", id=6),
    Show("Bitten: Origins", id=7),
]


@pytest.fixture
def index() -> CompactIndex:
    rows = [(s.id or 0, s.name, name_key(s.name), s.network) for s in SHOWS]
    aliases = [(s.id or 0, alias) for s in SHOWS for alias in s.aliases]
    return CompactIndex.build(rows, aliases)


def names(shows: list[Show]) -> list[str]:
    return [show.name for show in shows]


def test_exact_names_and_aliases(index: CompactIndex) -> None:
    assert len(index) == 7 and 4 in index and 99 not in index
    assert index.get("under the dome") == SHOWS[0]
    assert index.get("Dome, Under the") is None
    assert index.get("green arrow") == SHOWS[3]
    assert index.exact("bitten origins").show == SHOWS[6]  # the loose key: no colon needed
    assert index.exact("nothing like it").shows == ()


def test_prefixes_and_words(index: CompactIndex) -> None:
    assert names(index.starting_with("bitten", 5)) == ["Bitten", "Bitten: Origins"]
    assert names(index.with_words("dome", 5)) == ["Under the Dome"]
    assert names(index.with_words("sea bur", 5)) == ["The Burning Sea"]
    assert names(index.with_words("interest per", 5)) == ["Person of Interest"]
    assert index.with_words("interest zz", 5) == []


def test_typos_are_found(index: CompactIndex) -> None:
    found = index.fuzzy("persn of interest", 60)
    assert found and found[0][0] == SHOWS[1]
    assert index.fuzzy("zzzzzz", 60) == []


def test_put_replaces_by_id_and_remove_forgets(index: CompactIndex) -> None:
    renamed = Show("Beneath the Dome", aliases=("Under the Dome",), network="CBS", id=1)
    index.put(renamed)
    assert index.get("beneath the dome") == renamed
    assert index.get("under the dome") == renamed  # the old name is an alias now
    assert names(index.with_words("beneath", 5)) == ["Beneath the Dome"]
    assert index.remove(1) == renamed and index.get("beneath the dome") is None
    assert index.with_words("beneath", 5) == [] and len(index) == 6
    with pytest.raises(ValueError, match="store id"):
        index.put(Show("No Id"))


def test_the_rich_index_answers_through_the_compact_one(index: CompactIndex) -> None:
    front = ShowIndex([Show("Citadel", id=100), Show("Citadel: Diana", id=101)], more=index)
    assert front.lookup("under the dome").show == SHOWS[0]
    assert front.lookup("citadel").show == Show("Citadel", id=100)
    assert front.lookup("persn of interest").show == SHOWS[1]
    assert names(front.suggest("bit", 5)) == ["Bitten", "Bitten: Origins"]
    assert names(front.suggest("cit", 5)) == ["Citadel", "Citadel: Diana"]


def test_merged_holds_both_indexes_shows_and_answers_like_one_built_whole() -> None:
    def build(shows: list[Show]) -> CompactIndex:
        rows = [(s.id or 0, s.name, name_key(s.name), s.network) for s in shows]
        return CompactIndex.build(rows, [(s.id or 0, a) for s in shows for a in s.aliases])

    whole = build(SHOWS)
    merged = build(SHOWS[:4]).merged(build(SHOWS[2:]))
    assert sorted(merged, key=lambda s: s.id or 0) == SHOWS
    for text in ("bit", "green arrow", "persn of interest", "sea bur", "the office"):
        assert merged.exact(text) == whole.exact(text)
        assert merged.starting_with(text, 5) == whole.starting_with(text, 5)
        assert merged.with_words(text, 5) == whole.with_words(text, 5)
        assert merged.fuzzy(text, 50) == whole.fuzzy(text, 50)
