"""The show catalogue: names and aliases, idempotent adds, mentions in text."""

from __future__ import annotations

from bot.models import Show
from bot.shows.catalogue import Catalogue


def small() -> Catalogue:
    return Catalogue(
        [
            Show("Citadel", network="Prime Video"),
            Show("Citadel: Diana", aliases=("Citadel Diana",)),
            Show("Citadel: Honey Bunny"),
            Show("The Order", network="Netflix"),
            Show("From", network="MGM+"),
            Show("Shōgun", aliases=("Shogun",)),
            Show("Agents of S.H.I.E.L.D.", aliases=("Agents of SHIELD",)),
            Show("Grey's Anatomy"),
        ]
    )


def test_get_ignores_case_articles_punctuation_and_accents() -> None:
    catalogue = small()
    for spelling in ("citadel", "CITADEL", "The Citadel", "Citadel!"):
        assert catalogue.get(spelling) == catalogue.get("Citadel")
    order, shogun = catalogue.get("order"), catalogue.get("shogun")
    assert order is not None and order.name == "The Order"
    assert shogun is not None and shogun.name == "Shōgun"
    assert catalogue.get("Greys Anatomy") is not None
    assert catalogue.get("agents of shield") is not None
    assert catalogue.get("Reacher") is None


def test_spin_offs_are_their_own_shows() -> None:
    catalogue = small()
    diana = catalogue.get("citadel diana")
    assert diana is not None and diana.name == "Citadel: Diana"
    assert catalogue.get("Citadel: Honey Bunny") != catalogue.get("Citadel")


def test_add_is_idempotent_by_name_key_and_returns_the_stored_show() -> None:
    catalogue = small()
    before = len(catalogue)
    stored = catalogue.add(Show("the order", network="Someone else"))
    assert stored.name == "The Order" and stored.network == "Netflix"
    assert len(catalogue) == before
    new = catalogue.add(Show("The Birch", network="Facebook Watch"))
    assert catalogue.get("birch") == new
    assert len(catalogue) == before + 1
    assert "The Birch" in [show.name for show in catalogue]


def test_mentions_prefer_the_longest_name() -> None:
    text = (
        "Prime Video renewed Citadel: Diana, while Citadel: Honey Bunny and the flagship "
        "Citadel wait for news."
    )
    assert [m.show for m in small().find_mentions(text)] == [
        "Citadel: Diana",
        "Citadel: Honey Bunny",
        "Citadel",
    ]


def test_mentions_report_where_the_name_was_written() -> None:
    text = "Fans of Grey's Anatomy and Agents of S.H.I.E.L.D. rejoice."
    mentions = small().find_mentions(text)
    assert [(m.show, text[m.start : m.end]) for m in mentions] == [
        ("Grey's Anatomy", "Grey's Anatomy"),
        ("Agents of S.H.I.E.L.D.", mentions[1].text),
    ]
    assert mentions[1].text.startswith("Agents of S.H.I.E.L.D")


def test_ordinary_word_titles_need_a_title_context() -> None:
    catalogue = small()
    assert catalogue.find_mentions("Netflix gave the comedy a two-season order from day one.") == []
    assert [m.show for m in catalogue.find_mentions("From season 3 premieres in September")] == [
        "From"
    ]
    assert [m.show for m in catalogue.find_mentions("Netflix canceled 'The Order' today")] == [
        "The Order"
    ]
    assert [m.show for m in catalogue.find_mentions("Netflix's The Order returns")] == ["The Order"]


def test_doubtful_mentions_are_available_on_request() -> None:
    mentions = small().find_mentions("From the start, fans loved it.", include_doubtful=True)
    assert all(not m.confident for m in mentions)
    assert small().find_mentions("From the start, fans loved it.") == []


def test_the_seed_catalogue_holds_the_shows_the_issue_names() -> None:
    catalogue = Catalogue.default()
    assert len(catalogue) >= 300
    for name in (
        "Citadel",
        "Citadel: Diana",
        "Citadel: Honey Bunny",
        "The Order",
        "From",
        "Forever",
        "Reacher",
        "The Boys",
        "Severance",
        "Lucifer",
    ):
        show = catalogue.get(name)
        assert show is not None and show.name == name, name
    assert Catalogue.default() is not catalogue  # each caller gets its own, mutable copy


def test_mentions_scale_to_ten_thousand_shows() -> None:
    # Every synthetic title shares words with others, so a matcher that only looked at the
    # first word, or stopped at the first partial match, would answer wrongly.
    shows = [Show(f"Harbor Lights {n}") for n in range(5000)]
    shows += [Show(f"Harbor {n} Nights") for n in range(5000)]
    catalogue = Catalogue([*shows, Show("Reacher")])
    assert len(catalogue) == 10_001
    text = "Harbor Lights 4711 and Harbor 12 Nights were renewed; Reacher too."
    assert [m.show for m in catalogue.find_mentions(text)] == [
        "Harbor Lights 4711",
        "Harbor 12 Nights",
        "Reacher",
    ]
