"""Event phrases found in a sentence (bot/recognition/_phrases.py, _sentences.py): written
unit examples, not accuracy evidence."""

from __future__ import annotations

import pytest

from bot.recognition import _governed
from bot.recognition._sentences import _sentence


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The comedy has been axed after two series.", "axed"),
        ("The comedy has been 'axed' after two series.", "axed"),
        ('The drama was "renewed" on Monday.', "renewed"),
    ],
)
def test_a_phrase_in_scare_quotes_still_counts(text: str, phrase: str) -> None:
    assert [p.text for p in _sentence(1, text).phrases] == [phrase]


def test_a_phrase_inside_a_quoted_title_does_not() -> None:
    assert _sentence(1, "Fans of 'Law & Order' and 'The Final Countdown' rejoice.").phrases == []


def test_words_do_not_end_in_quote_marks() -> None:
    assert "axed" in _sentence(1, "It was 'axed' today.").words


@pytest.mark.parametrize(
    ("text", "phrase", "events"),
    [
        ("Two more dramas face the ax.", "ax", "C"),
        ("The network put the kibosh on the comedy.", "kibosh", "C"),
        ("HBO will not be continuing with a third series.", "not be continuing", "C"),
    ],
)
def test_cancellations_in_other_words(text: str, phrase: str, events: str) -> None:
    (found,) = _sentence(1, text).phrases
    assert (found.text, found.events) == (phrase, events)


@pytest.mark.parametrize(
    ("text", "phrase", "governed"),
    [
        ("The network has given the thriller a fourth series.", "given", [("after", "number")]),
        ("A third outing has been confirmed by the channel.", "confirmed", [("before", "number")]),
        (
            "The sitcom is coming back for another season.",
            "coming back for",
            [("after", "unnumbered")],
        ),
        ("The drama will end after its sixth and final season.", "end", [("after", "final")]),
        # Across a clause or another phrase, the season is not the phrase's object.
        ("The drama was renewed, and its second season airs soon.", "renewed", []),
        ("It was confirmed that the drama will return for a third season.", "confirmed", []),
    ],
)
def test_the_season_a_phrase_governs(
    text: str, phrase: str, governed: list[tuple[str, str]]
) -> None:
    sentence = _sentence(1, text)
    (found,) = [p for p in sentence.phrases if p.text == phrase]
    assert list(_governed.governed(sentence, found)) == governed
