"""Seasons read from text (bot/recognition/_season_refs.py, _options.py,
_season_for_show.py): written unit examples of the expressions it knows, not accuracy
evidence (that is the real corpus's test split)."""

from __future__ import annotations

import pytest

from bot.recognition._season_for_show import season_extras
from bot.recognition._season_refs import find_seasons
from bot.recognition._value_options import titles_of, value_for_show
from tests.recognition.feed_entries import proposals_of, read_sorted


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Apple renews it for a sixth installment", [(6,)]),
        ("the fourth outing of the show", [(4,)]),
        ("returning shows include The Flash (Season 7) and Riverdale (Season 5)", [(7,), (5,)]),
        ("Freeform has picked up second seasons of both dramas", [(2,)]),
        ("the drama will get a second 10-episode season", [(2,)]),
        ("a third, eight-episode series", [(3,)]),
        ("AMC has announced season #2 of the drama", [(2,)]),
        ("the release of Lucifer Season 5A", [(5,)]),
        ("it will be returning for a second six-part series", [(2,)]),
        ("this will be the fourth and fifth outing of the show", [(4, 5)]),
    ],
)
def test_season_words(text: str, values: list[tuple[int, ...]]) -> None:
    assert [ref.values for ref in find_seasons(text)] == values


@pytest.mark.parametrize(
    "text",
    [
        "renewed for a fourth - and final - series",
        "the fourth (and final) season",
        "its fourth, and last, season",
        "a fourth — and possibly final — season",
        "the fourth (and now final) season",
        "the fourth and definitely final season",
    ],
)
def test_an_aside_between_the_ordinal_and_the_season_says_it_is_the_last(text: str) -> None:
    [ref] = find_seasons(text)
    assert (ref.values, ref.final) == ((4,), True)


@pytest.mark.parametrize(
    ("text", "value", "form", "loose"),
    [
        ("won't be returning for a fifth year", 5, "number", "year"),
        ("third-year comedy Undateable was axed", 3, "number", "year"),
        ("the show will return for a second run", 2, "number", "run"),
        ("the 41st edition of the competition", 41, "number", "edition"),
        ("the second anime season of the novels", 2, "number", "word"),
        ("after three exciting seasons, the drama", 3, "count", "word"),
    ],
)
def test_looser_wordings_are_seasons_tagged_as_such(
    text: str, value: int, form: str, loose: str
) -> None:
    [ref] = find_seasons(text)
    assert (ref.value, ref.form.value, ref.loose) == (value, form, loose)


def test_a_new_series_premieres_in_its_first_season() -> None:
    assert read_sorted("New drama 'Harbour Lights' premieres June 12 on ABC") == [
        ("Harbour Lights", "premiere_date", 1)
    ]


def test_an_installment_is_a_season() -> None:
    assert read_sorted("Apple renews 'Slow Horses' for a sixth installment") == [
        ("Slow Horses", "renewed", 6)
    ]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Apple has handed a season-two renewal to the thriller", (2,)),
        ("it will return for third and fourth series", (3, 4)),
        ("renewed for a fifth and sixth season", (5, 6)),
    ],
)
def test_more_ways_to_write_a_season(text: str, values: tuple[int, ...]) -> None:
    [ref] = find_seasons(text)
    assert ref.values == values


def test_a_season_across_another_title_or_clause_is_marked_as_crossed() -> None:
    reading, found = proposals_of(
        "Hulu renews two comedies",
        "Hulu has renewed \u201cQuillon Bay\u201d for a third season and \u201cCopper Valley\u201d"
        " for a second; \u201cHarbor Lights\u201d returns for a fifth season.",
        "R",
        1,
    )
    [proposal] = found
    crossed = {
        option.span.name: sorted(
            season.value
            for season, extra in zip(
                proposal.seasons,
                season_extras(proposal.seasons, option, reading.sentences),
                strict=True,
            )
            if "sh_crossed" in extra and season.value is not None
        )
        for option in proposal.shows
        if option.span.quoted
    }
    # Copper Valley stands between Quillon Bay and "a second"; the semicolon between the
    # first clause's names and "a fifth season", and between Harbor Lights and the others.
    assert crossed == {"Quillon Bay": [2, 5], "Copper Valley": [5], "Harbor Lights": [2, 3]}


def _season_extras_by_show(
    title: str, summary: str, event: str, sentence: int
) -> dict[str, dict[int | None, list[str]]]:
    """For the proposal of `event` in sentence `sentence`: each quoted show's extra season
    features, by stated season value (the first option of each value)."""
    reading, [proposal] = proposals_of(title, summary, event, sentence)
    out: dict[str, dict[int | None, list[str]]] = {}
    for option in proposal.shows:
        if option.span.quoted and option.span.name not in out:
            extras = season_extras(proposal.seasons, option, reading.sentences)
            by_value: dict[int | None, list[str]] = {}
            for season, extra in zip(proposal.seasons, extras, strict=True):
                if season.sentence >= 0:  # stated, not none or an unstated first season
                    by_value.setdefault(season.value, extra)
            out[option.span.name] = by_value
    return out


def test_a_season_in_another_sentence_stands_beside_the_shows_mention_there() -> None:
    extras = _season_extras_by_show(
        "Fox renews \u201cQuillon Bay\u201d and \u201cCopper Valley\u201d",
        "The renewals bring \u201cQuillon Bay\u201d to Season 9 and \u201cCopper Valley\u201d "
        "to Season 22.",
        "R",
        0,
    )
    # The headline names no season: each lede season is read against the show's own
    # mention in the lede, so Season 9 is Quillon Bay's and Season 22 Copper Valley's.
    assert "sh_mention" in extras["Quillon Bay"][9]
    assert "sh_nearest" in extras["Quillon Bay"][9]
    assert "sh_crossed" in extras["Quillon Bay"][22]
    assert "sh_nearest" in extras["Copper Valley"][22]
    assert "sh_nearest" not in extras["Copper Valley"][9]


def test_a_season_before_a_list_of_titles_is_not_crossed_by_them() -> None:
    extras = _season_extras_by_show(
        "NBC cancels two dramas",
        "NBC has cancelled the freshman dramas \u201cQuillon Bay\u201d and \u201cCopper "
        "Valley\u201d; \u201cHarbor Lights\u201d was renewed for a third season.",
        "C",
        1,
    )
    assert "sh_listed" in extras["Copper Valley"][1]
    assert "sh_crossed" not in extras["Copper Valley"][1]
    assert "sh_crossed" in extras["Harbor Lights"][1]


def test_a_season_knows_the_words_after_it() -> None:
    _, found = proposals_of(
        "Hulu renews Quillon Bay",
        "Ahead of the Season 3 finale, Hulu has renewed \u201cQuillon Bay\u201d for a fourth "
        "season.",
        "R",
        1,
    )
    [proposal] = found
    [third] = [s for s in proposal.seasons if s.value == 3 and s.sentence == 1]
    assert "R|post=finale" in third.features


def test_a_headline_shows_date_stands_beside_its_mention_in_the_lede() -> None:
    _, found = proposals_of(
        "\u201cQuillon Bay\u201d and \u201cCopper Valley\u201d set premiere dates",
        "NBC says \u201cQuillon Bay\u201d returns Jan. 6 and \u201cCopper Valley\u201d "
        "premieres Feb. 2.",
        "P",
        1,
    )
    [proposal] = found[:1]
    titles = titles_of(proposal.shows, 1)
    [headline] = [o for o in proposal.shows if o.sentence == 0 and o.span.name == "Quillon Bay"]
    placed = value_for_show(proposal.values, headline, proposal.sentence, titles)
    by_day = {o.date.day: f for o, f in zip(proposal.values, placed, strict=True) if o.date}
    assert {"vs_mention", "vs_beside", "vs_nearest"} <= set(by_day[6])
    assert "vs_other_title_between" in by_day[2]


def test_an_unstated_first_season_knows_the_words_before_each_show() -> None:
    reading, found = proposals_of(
        "NBC sets winter premieres",
        "New drama \u201cQuillon Bay\u201d premieres Jan. 6, and returning \u201cCopper "
        "Valley\u201d follows on Jan. 13.",
        "P",
        1,
    )
    [proposal] = found[:1]
    first = next(i for i, s in enumerate(proposal.seasons) if s.value == 1 and s.sentence < 0)
    cues = {
        o.span.name: season_extras(proposal.seasons, o, reading.sentences)[first]
        for o in proposal.shows
        if o.span.quoted and o.sentence == 1
    }
    assert cues["Quillon Bay"] == ["inf1|sh_cue=new"]
    assert cues["Copper Valley"] == ["inf1|sh_nocue"]


def test_a_season_in_a_sentence_naming_only_other_titles_is_marked() -> None:
    extras = _season_extras_by_show(
        "\u201cQuillon Bay\u201d premieres Jan. 6",
        "Season 8 of \u201cCopper Valley\u201d returns the same night.",
        "P",
        0,
    )
    assert {"sh_elsewhere", "sh_elsewhere_titled"} <= set(extras["Quillon Bay"][8])
