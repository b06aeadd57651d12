"""Case-blind patterns read the lower-case text in their forms without IGNORECASE
(`bot.case_blind`), and find_phrases tries at a word only the lexicon words that may start
with its first letter: the same matches as before, over odd strings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.case_blind import in_lower, lower_reads_alike
from bot.recognition import _phrases, _season_patterns, _windows
from bot.shows import title_context

CASE_BLIND = [
    *(pattern for pattern, _, _ in _season_patterns.SEASON_PATTERNS if in_lower(pattern)),
    *(pattern for _, pattern in _windows._PATTERNS if in_lower(pattern)),
    title_context._TV_BEFORE,
]
# Letters in both cases, the characters IGNORECASE takes for ASCII letters (İ ı ſ K), a
# letter whose lower case is longer (İ again), marks and spaces.
_PIECES = [
    "Season", "SEASONS", "season", "4", "&", "5", "Final", "third", "Third", "and", "last",
    "for", "a", "After", "two", "its", "14th", ",", ".", "Late", "2025", "early", "FALL",
    "this", "Summer", "next", "year", "midseason", "in", "Netflix's", "renews", "the", "CW",
    "ſeason", "\u0131ts", "\u0130ts", "\u212aick", "S2", "'", "\u201c", "\n", "\t", "  ",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map(" ".join)


def test_the_case_blind_patterns_spell_their_letters_in_lower_case() -> None:
    # `in_lower` forms match the lower-case text: an upper-case letter would never match.
    for pattern in CASE_BLIND:
        text = re.sub(r"\(\?P<\w+>|\\[A-Za-z]", "", pattern.pattern)
        assert not any(c.isupper() for c in text), pattern.pattern


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_the_lower_case_forms_match_where_the_case_blind_ones_do(text: str) -> None:
    lower = text.lower()
    if not lower_reads_alike(text, lower):
        return
    for pattern in CASE_BLIND:
        sighted = in_lower(pattern)
        assert sighted is not None
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in sighted.finditer(lower)] == expected


def test_a_text_whose_case_reads_otherwise_is_read_as_written() -> None:
    assert not lower_reads_alike("\u0130ts", "\u0130ts".lower())  # lower case is longer
    assert not lower_reads_alike("\u017feason 2", "\u017feason 2")  # long s is an "s"
    assert lower_reads_alike("Season 2", "season 2")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *_phrases.PHRASE_NAMES,
                "not",
                "won't",
                "renewed",
                "be",
                "back",
                "season",
                "x",
                "-",
                "'",
            ]
        ),
        max_size=8,
    ).map(" ".join)
)
def test_phrases_are_found_with_the_whole_lexicon_as_with_its_words_per_letter(
    text: str,
) -> None:
    lower = text.lower().replace("_", " ")
    for match in re.finditer(r"[^\W_]", lower):
        whole = _phrases._PATTERN.match(lower, match.start())
        per_letter = _phrases._lexicon_pattern(match.group()).match(lower, match.start())
        assert (whole and (whole.lastgroup, whole.span())) == (
            per_letter and (per_letter.lastgroup, per_letter.span())
        )
