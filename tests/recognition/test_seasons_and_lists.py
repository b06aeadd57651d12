"""Seasons and lists of shows read from text (bot/recognition/_season_refs.py, _options.py,
_season_for_show.py, _reader.py): written unit examples of the expressions it knows, not
accuracy evidence (that is the real corpus's test split)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Entry
from bot.recognition import recognise
from bot.recognition._candidates import Proposal, read_candidates
from bot.recognition._model import shipped_model
from bot.recognition._reader import _shows
from bot.recognition._season_refs import find_seasons
from bot.recognition._sentences import EntryReading
from bot.shows.catalogue import Catalogue


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


def _entry(title: str, summary: str = "") -> Entry:
    return Entry(
        key=title,
        title=title,
        summary=summary,
        link="https://news.example/story",
        published=datetime(2025, 5, 10, tzinfo=UTC),
        outlet="Example News",
    )


def _proposals(
    title: str, summary: str, event: str, sentence: int
) -> tuple[EntryReading, list[Proposal]]:
    """The entry's reading, and its proposals of `event` in sentence `sentence`."""
    reading = read_candidates(_entry(title, summary), Catalogue.default())
    found = [p for p in reading.proposals if p.event == event and p.sentence.index == sentence]
    return reading, found


def _read(title: str, summary: str = "") -> list[tuple[str, str, int | None]]:
    entry = _entry(title, summary)
    return sorted((a.show, a.event.value, a.season) for a in recognise(entry, Catalogue.default()))


def test_each_show_of_a_list_gets_the_season_beside_it() -> None:
    found = _read(
        "The CW renews its lineup",
        "Shows confirmed to return include The Flash (Season 7), Riverdale (Season 5) and "
        "Supergirl (Season 6).",
    )
    assert found == [
        ("Riverdale", "renewed", 5),
        ("Supergirl", "renewed", 6),
        ("The Flash", "renewed", 7),
    ]


def test_a_new_series_premieres_in_its_first_season() -> None:
    assert _read("New drama 'Harbour Lights' premieres June 12 on ABC") == [
        ("Harbour Lights", "premiere_date", 1)
    ]


def test_an_installment_is_a_season() -> None:
    assert _read("Apple renews 'Slow Horses' for a sixth installment") == [
        ("Slow Horses", "renewed", 6)
    ]


def test_titles_listed_with_a_cancelled_show_are_cancelled_too() -> None:
    found = _read(
        "ABC cancels three dramas",
        "ABC has cancelled 'Harbour Lights', 'Copper Bay' and 'The Long Field' after one season.",
    )
    assert [show for show, event, _ in found if event == "cancelled"] == [
        "Copper Bay",
        "Harbour Lights",
        "The Long Field",
    ]


def test_a_list_with_its_commas_inside_the_quotes_is_one_list() -> None:
    # American style: “A,” “B” and “C”.
    found = _read(
        "ABC cancels three dramas",
        "ABC has cancelled \u201cHarbour Lights,\u201d \u201cCopper Bay\u201d and"
        " \u201cThe Long Field\u201d after one season.",
    )
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
    from dataclasses import replace

    from bot.recognition._model import shipped_model
    from bot.recognition._reader import recognise_entry
    from training.train import ALSO_SHOW_THRESHOLDS

    entry = _entry(
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
    from dataclasses import replace

    from bot.recognition._reader import _decide, decide_at
    from training.train import ALSO_SHOW_THRESHOLDS

    model = shipped_model()
    alsos = (0.0, *ALSO_SHOW_THRESHOLDS, 1.0)
    entries = [
        _entry(
            "NBC renews two dramas",
            "NBC has renewed Harbor Lights and Copper Valley for second seasons.",
        ),
        _entry(
            "ABC cancels three dramas",
            "ABC has cancelled 'Harbour Lights', 'Copper Bay' and 'The Long Field'.",
        ),
        _entry(
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
    found = _read(
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
    from bot.models import Show
    from bot.shows.catalogue import seed_shows

    catalogue = Catalogue((*seed_shows(), Show("Harbor Lights", network="ABC")))
    found = recognise(_entry("ABC drops dramas", summary), catalogue)
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
    from bot.models import Show
    from bot.shows.catalogue import seed_shows

    catalogue = Catalogue((*seed_shows(), Show("Harbor Lights", network="ABC")))
    found = recognise(_entry("ABC drops dramas", summary), catalogue)
    assert sorted(a.show for a in found if a.event.value == "cancelled") == [
        "Copper Valley",
        "Harbor Lights",
        "Quillon Bay",
    ]


def test_a_roundup_phrase_may_name_its_shows_in_the_next_sentence() -> None:
    # Which shows the phrase's proposal names; how sure that is is the model's to say.
    _, [proposal] = _proposals(
        "Upfronts news",
        "ABC has renewed two of its dramas. \u201cHarbor Lights\u201d and \u201cCopper Valley\u201d"
        " both drew more than eight million viewers.",
        "R",
        1,
    )
    named = sorted(option.span.name for option, _ in _shows(proposal, shipped_model()))
    assert named == ["Copper Valley", "Harbor Lights"]


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


def test_two_plain_names_join_when_the_text_says_what_they_are() -> None:
    found = _read("ABC renews comedies Copper Valley, Quillon Bay for second seasons")
    assert found == [("Copper Valley", "renewed", 2), ("Quillon Bay", "renewed", 2)]


def test_a_name_ending_in_s_before_a_comma_owns_nothing() -> None:
    found = _read(
        "ABC cancels dramas",
        "ABC canceled Marlow's, The Copper Valley and The Quillon Bay, all after one season.",
    )
    assert sorted(show for show, _, _ in found) == [
        "Marlow's",
        "The Copper Valley",
        "The Quillon Bay",
    ]


def test_a_revived_show_is_renewed_not_also_cancelled() -> None:
    found = _read(
        "Amazon revives Quillon Bay after its cancellation at Syfy",
        "Quillon Bay is not over yet: Amazon has renewed the drama for a fourth season, two "
        "weeks after Syfy cancelled it.",
    )
    assert found == [("Quillon Bay", "renewed", 4)]


def test_a_season_across_another_title_or_clause_is_marked_as_crossed() -> None:
    from bot.recognition._season_for_show import season_extras

    reading, found = _proposals(
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
    from bot.recognition._season_for_show import season_extras

    reading, [proposal] = _proposals(title, summary, event, sentence)
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
    _, found = _proposals(
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
    from bot.recognition._value_options import titles_of, value_for_show

    _, found = _proposals(
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
    from bot.recognition._season_for_show import season_extras

    reading, found = _proposals(
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


def test_a_second_show_stands_in_the_phrase_s_sentence_or_the_first_show_s() -> None:
    from dataclasses import replace

    from bot.recognition._model import shipped_model
    from bot.recognition._reader import _shows

    entry = _entry(
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
