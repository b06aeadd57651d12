"""Finding the show a user means: exact names, typos, spin-offs, ambiguity, autocomplete."""

from __future__ import annotations

import random
import string

import pytest

from bot.models import Show
from bot.shows.fuzzy import score
from bot.shows.lookup import LookupResult, ShowIndex, _loose_spellings, loose_key

CATALOGUE = [
    Show("Citadel", network="Prime Video"),
    Show("Citadel: Diana"),
    Show("Citadel: Honey Bunny"),
    Show("The Boys"),
    Show("The Boys Presents: Diabolical"),
    Show("Law & Order: Special Victims Unit", aliases=("SVU",)),
    Show("Law & Order: Organized Crime"),
    Show("Law & Order: Criminal Intent"),
    Show("Pokémon Horizons"),
    Show("Shōgun"),
    Show("Stranger Things"),
    Show("Star Trek: Strange New Worlds", aliases=("Strange New Worlds",)),
    Show("Severance"),
    Show("Reacher"),
    Show("The Order"),
]


@pytest.fixture(scope="module")
def index() -> ShowIndex:
    return ShowIndex(CATALOGUE)


def names(shows: tuple[Show, ...] | list[Show]) -> list[str]:
    return [show.name for show in shows]


def found(index: ShowIndex, text: str) -> str | None:
    result = index.lookup(text)
    return result.show.name if result.show else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("citadel", "Citadel"),
        ("Citadel", "Citadel"),
        ("  CITADEL ", "Citadel"),
        ("citadle", "Citadel"),  # typo
        ("citadel 2", "Citadel"),  # a season number
        ("citadel diana", "Citadel: Diana"),
        ("Citadel: Diana", "Citadel: Diana"),
        ("citadel honey", "Citadel: Honey Bunny"),
        ("the boys", "The Boys"),  # exact beats the spin-off that contains it
        ("boys", "The Boys"),  # leading article does not matter
        ("the boys presents", "The Boys Presents: Diabolical"),
        ("pokemon horizons", "Pokémon Horizons"),  # accents do not matter
        ("shogun", "Shōgun"),
        ("svu", "Law & Order: Special Victims Unit"),  # alias
        ("strange new worlds", "Star Trek: Strange New Worlds"),
        ("stranger", "Stranger Things"),
        ("strnger things", "Stranger Things"),
        ("sevrance", "Severance"),
    ],
)
def test_confident_matches(index: ShowIndex, text: str, expected: str) -> None:
    result = index.lookup(text)
    assert result.show is not None and result.show.name == expected
    assert result.candidates == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("silent witnes", "Silent Witness"),
        ("silnet witness", "Silent Witness"),
        ("blak mirror", "Black Mirror"),
    ],
)
def test_a_misspelt_title_is_still_taken(text: str, expected: str) -> None:
    index = ShowIndex([Show("Silent Witness"), Show("Black Mirror"), Show("Berlin Station")])
    assert found(index, text) == expected


@pytest.mark.parametrize(
    ("text", "near"), [("Iron Witness", "Silent Witness"), ("Glass Mirror", "Black Mirror")]
)
def test_another_title_sharing_a_word_is_offered_not_taken(text: str, near: str) -> None:
    """Scored alone, these pass the confident bar and margin; but "iron" is no misspelling
    of "silent": a new show, or another one, must not be answered as the known one."""
    index = ShowIndex([Show("Silent Witness"), Show("Black Mirror"), Show("Berlin Station")])
    result = index.lookup(text)
    assert result.show is None
    assert near in names(result.candidates)


def test_a_name_without_a_close_match_finds_nothing(index: ShowIndex) -> None:
    assert index.lookup("zzzz qqq") == LookupResult()
    assert index.lookup("") == LookupResult()
    assert index.lookup("   ") == LookupResult()


def test_ambiguity_gives_candidates_not_a_guess(index: ShowIndex) -> None:
    result = index.lookup("law and order")
    assert result.show is None
    assert set(names(result.candidates)) >= {
        "Law & Order: Special Victims Unit",
        "Law & Order: Organized Crime",
        "Law & Order: Criminal Intent",
    }


def test_an_alias_shared_by_two_shows_is_ambiguous() -> None:
    index = ShowIndex(
        [Show("Ghosts (US)", aliases=("Ghosts",)), Show("Ghosts (UK)", aliases=("Ghosts",))]
    )
    result = index.lookup("ghosts")
    assert result.show is None
    assert names(result.candidates) == ["Ghosts (UK)", "Ghosts (US)"]


def test_a_name_beats_another_shows_alias() -> None:
    index = ShowIndex([Show("The Office (US)", aliases=("The Office",)), Show("The Office")])
    assert found(index, "the office") == "The Office"
    assert index.get("THE OFFICE") == Show("The Office")
    assert index.get("the office us") == Show("The Office (US)", aliases=("The Office",))


def test_the_answer_does_not_depend_on_catalogue_order() -> None:
    forward, backward = ShowIndex(CATALOGUE), ShowIndex(reversed(CATALOGUE))
    for text in ("law and order", "citadl", "the boy", "strange", "order", "citadel diana"):
        assert forward.lookup(text) == backward.lookup(text)
        assert forward.suggest(text) == backward.suggest(text)


# -- autocomplete ------------------------------------------------------------------------


def test_suggest_starts_with_names_that_start_with_the_text(index: ShowIndex) -> None:
    assert names(index.suggest("cit")) == ["Citadel", "Citadel: Diana", "Citadel: Honey Bunny"]
    assert names(index.suggest("citadel")) == [
        "Citadel",
        "Citadel: Diana",
        "Citadel: Honey Bunny",
    ]
    # its alias starts with "str"; Severance only has a word starting with "s"
    assert names(index.suggest("str")) == ["Star Trek: Strange New Worlds", "Stranger Things"]
    # a later word starting with the text
    assert names(index.suggest("new")) == ["Star Trek: Strange New Worlds"]
    assert names(index.suggest("law"))[0].startswith("Law & Order")


def test_suggest_forgives_typos_once_a_few_letters_are_typed(index: ShowIndex) -> None:
    assert names(index.suggest("sevrance"))[:1] == ["Severance"]
    assert index.suggest("q") == []


def test_suggest_without_text_lists_preferred_then_alphabetical(index: ShowIndex) -> None:
    assert names(index.suggest("", limit=3)) == [
        "The Boys",
        "The Boys Presents: Diabolical",
        "Citadel",
    ]
    preferred = [Show("Severance"), Show("Unknown To The Index")]
    assert names(index.suggest(" ", limit=3, preferred=preferred)) == [
        "Severance",
        "The Boys",
        "The Boys Presents: Diabolical",
    ]


def test_suggest_respects_the_limit() -> None:
    many = ShowIndex(Show(f"Star Show {n:03}") for n in range(100))
    assert len(many.suggest("star")) == 25
    assert len(many.suggest("star", limit=7)) == 7
    assert len(many.suggest("")) == 25
    assert many.suggest("star", limit=0) == []
    assert names(many.suggest("star", limit=2)) == ["Star Show 000", "Star Show 001"]


# -- growing the index -------------------------------------------------------------------


def test_add_makes_a_show_findable() -> None:
    index = ShowIndex(CATALOGUE)
    assert found(index, "the bear") is None
    index.add(Show("The Bear", network="FX"))
    assert found(index, "the bear") == "The Bear"
    assert found(index, "the baer") == "The Bear"
    assert "The Bear" in names(index.suggest("bea"))
    assert len(index) == len(CATALOGUE) + 1


def test_adding_a_known_show_replaces_it() -> None:
    index = ShowIndex(CATALOGUE)
    index.add(Show("Citadel", network="Prime Video", id=7))  # the stored version, with an id
    index.add(Show("Severance", aliases=("Lumon",)))
    assert len(index) == len(CATALOGUE)
    assert index.lookup("citadel").show == Show("Citadel", network="Prime Video", id=7)
    assert found(index, "lumon") == "Severance"
    index.add(Show("Severance"))  # the alias is gone again
    assert found(index, "lumon") is None
    assert found(index, "citadel diana") == "Citadel: Diana"  # the rest is intact


def test_loose_key_and_score() -> None:
    assert loose_key("Citadel: Diana") == loose_key("citadel   diana") == "citadel diana"
    assert score("citadle", "citadel") > score("citadle", "citadel diana")
    assert score("diana citadel", "citadel diana") == 100


# -- scale -------------------------------------------------------------------------------

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "dor", "vel", "sa", "quin", "bri", "tor", "nel"]
COMMON = ["the", "of", "and", "love", "house", "night", "city", "last", "family"]


def _catalogue(rng: random.Random, size: int) -> list[Show]:
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(3000)]
    found: dict[str, Show] = {}
    while len(found) < size:
        parts = [
            rng.choice(COMMON) if rng.random() < 0.25 else rng.choice(words)
            for _ in range(rng.randint(1, 4))
        ]
        name = " ".join(parts).title()
        if rng.random() < 0.1:
            name += ": " + rng.choice(words).title()
        found.setdefault(loose_key(name), Show(name))
    return list(found.values())


def _typo(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text))
    return text[:at] + rng.choice(string.ascii_lowercase) + text[at + 1 :]


def test_ten_thousand_shows() -> None:
    rng = random.Random(20250601)
    shows = _catalogue(rng, 10_000)
    index = ShowIndex(shows)
    assert len(index) == 10_000
    for show in rng.sample(shows, 500):
        assert index.lookup(show.name.upper()).show == show
    confident = 0
    for show in rng.sample(shows, 300):
        typed = _typo(rng, show.name.lower())
        if index.get(typed) not in (None, show):
            continue  # the typo spells another show's name
        result = index.lookup(typed)
        if result.show is not None:
            confident += 1
            if result.show != show:  # only when the other show really is closer
                mine, theirs = (
                    score(loose_key(typed), loose_key(s.name)) for s in (show, result.show)
                )
                assert theirs > mine
        else:
            assert show in result.candidates or not result.candidates
    assert confident >= 270
    for show in rng.sample(shows, 100):
        prefix = loose_key(show.name)[:4]
        assert 1 <= len(index.suggest(prefix)) <= 25
        assert index.suggest(loose_key(show.name))[0] == show


def _answers(index: ShowIndex, queries: list[str]) -> list[tuple[object, ...]]:
    return [
        (index.lookup(text), tuple(index.suggest(text)), tuple(index.suggest(text, 5)))
        for text in queries
    ]


def test_an_index_built_without_words_answers_the_same() -> None:
    rng = random.Random(20250602)
    shows = _catalogue(rng, 2000)
    queries = [_typo(rng, show.name.lower()) for show in rng.sample(shows, 150)]
    queries += [loose_key(show.name)[:5] for show in rng.sample(shows, 50)]
    queries += [show.name for show in rng.sample(shows, 50)]
    eager = ShowIndex(shows)
    lazy = ShowIndex(shows, words=False)
    assert lazy.lookup(shows[0].name).show == shows[0]  # an exact name needs no words
    assert lazy._words_ready is False
    assert _answers(lazy, queries) == _answers(eager, queries)
    assert lazy._words_ready is True
    # Shows added or replaced before the words are built are in them once they are.
    later = [Show("Kalomira Tendor"), Show(shows[5].name, aliases=("Quinbri",))]
    for index in (eager, lazy := ShowIndex(shows, words=False)):
        for show in later:
            index.add(show)
        index.replace(shows[7], Show("Velsa Nightfall"))
    assert lazy._words_ready is False
    more = ["kalomira tendro", "quinbri", "velsa nigtfall", "kalo", *queries[:40]]
    assert _answers(lazy, more) == _answers(eager, more)
    lazy.prepare()
    built, eager_built = lazy._words, eager._words
    assert (built.choices, built.starts, built.vocab) == (
        eager_built.choices,
        eager_built.starts,
        eager_built.vocab,
    )


def test_remembered_fuzzy_results_follow_changes() -> None:
    index = ShowIndex(CATALOGUE)
    # Autocomplete's more forgiving cutoff first, then /when's from what it remembered.
    suggested = index.suggest("the baer")
    assert found(index, "the baer") is None
    fresh = ShowIndex(CATALOGUE)
    assert index.lookup("citadle") == fresh.lookup("citadle")
    assert index.suggest("the baer") == suggested == fresh.suggest("the baer")
    index.add(Show("The Bear", network="FX"))
    assert found(index, "the baer") == "The Bear"
    assert index.suggest("the baer")[0].name == "The Bear"
    index.replace(Show("The Bear"), Show("The Bare"))
    assert found(index, "the baer") == "The Bare"


def test_remembered_prefix_scans_follow_changes() -> None:
    index = ShowIndex(CATALOGUE)
    assert index.suggest("be") == []  # two letters: names starting with them, no typos
    index.add(Show("Beartown"))
    assert names(index.suggest("be")) == ["Beartown"]
    index.replace(Show("Beartown"), Show("Bearfield"))
    assert names(index.suggest("be")) == ["Bearfield"]


def test_the_fuzzy_choices_are_the_keys_of_the_spellings() -> None:
    index = ShowIndex(CATALOGUE)
    index.add(Show("The Bear", aliases=("Bear",)))
    words = index._words
    assert words.choices == [key for show in index.shows for key in _loose_spellings(show)]


def test_filler_words_alone_are_never_a_confident_match() -> None:
    index = ShowIndex([Show("Luther"), Show("The OA"), Show("The Office")])
    for query in ("the", "a", "of", "the show", "tv"):
        assert index.lookup(query).show is None, query
    assert index.lookup("luthr").show == Show("Luther")
