"""Patterns written for search speed find what their plain forms find: `word_start_pattern`
against `\\b(?:...)` (and its look-behind variant), the windows' hint, and the sentence
boundary and space runs of `_text`, over the news corpus and over odd strings; and the
words that screen a search before it runs are in everything the search finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.case_blind import lower_text_reads_alike
from bot.recognition import _certainty_scope, _features, _networks, _text, _traps, _windows
from bot.recognition._text import MAX_SUMMARY_CHARS, normalise, split_sentences
from training.corpus import read_items

ITEMS = read_items()
RAW = [str(i.get("title") or "") for i in ITEMS] + [
    str(i.get("summary") or "")[:MAX_SUMMARY_CHARS] for i in ITEMS
]
SENTENCES = [s for text in RAW for s in split_sentences(normalise(text))]
LOWER = [s.lower() for s in SENTENCES]
# 40-character stretches of lower-cased sentences, as `_around` gives NEGATION and HEDGE.
BEFORE = [s[max(0, i - 40) : i] for s in LOWER for i in range(0, len(s) + 1, 13)]

_NEGATION = re.compile(
    r"\b(?:" + "|".join(_traps._NEGATION_WORDS) + r")\b[^.;:!?]{0,28}$", re.IGNORECASE
)
_HEDGE = re.compile(r"\b(?:" + "|".join(_traps._HEDGE_WORDS) + r")\b[^.;:!?]{0,24}$", re.I)
_OLD_NEWS = re.compile(
    r"\b(?:already|previously|earlier\s+this\s+year|last\s+year|back\s+in|a\s+year\s+(?:after|ago)"
    r"|months?\s+ago|years?\s+ago|originally|once|had\s+been|was\s+first)\b"
)
_NETWORK = re.compile(
    r"(?<![\w+])(?:"
    + "|".join(re.escape(s) for s in sorted(_networks._SPELLING_TO_NAME, key=len, reverse=True))
    + r")(?![\w+])(?!\s+(?:Minister|News|Business|Sports|Searchlight|Studios?\b(?!\s+head)))"
)
_HINT = re.compile(
    r"20\d\d|January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|[Ss]pring|[Ss]ummer|[Ff]all"
    r"|[Aa]utumn|[Ww]inter|[Yy]ear|[Mm]onth|[Ww]eek|(?i:mid-?season)"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")

# Letters, their case-folding look-alikes (dotted and dotless i, long s, Kelvin), word
# characters that are not letters, marks and breaks: what the rewritten patterns turn on.
_ODD = st.text(
    alphabet=st.sampled_from(
        [*"aeiknostwyAIKNS \n\t.!?;:,\"')]([+_9", "\u0130", "\u0131", "\u017f", "\u212a"]
    ),
    max_size=24,
)
_PIECES = [
    *_traps._NEGATION_WORDS[:8], "if", "IF", "\u0131f", "should", "\u017fhould", "could", "may",
    "already", "once", "Netflix", "Prime", "Max", "Apple TV+", "HBO Max", "A&E", "Minister",
    "Studios head", "Mr.", "Dr.", "U.S.", "2025", "Mid-Season", "M\u0130DSEASON", "Spring",
    "year", "Sept.", "Season 2.", '"Quoted."', " ", "  ", "\n", "\t", "x", "_",
]  # fmt: skip
_WORDS = st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _old_split(text: str) -> list[str]:
    """`split_sentences` as written with the look-behind `_BOUNDARY`."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start()
        if not match.group().startswith("\n"):
            head = text[max(start, end - 12) : end]
            if _text._ABBREVIATION.search(head):
                continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _old_normalise(text: str) -> str:
    """`normalise` as written with one `str.translate` of every text."""
    table: dict[str, str | int | None] = dict(_text._PLAIN)
    text = _SPACES.sub(" ", text.translate(str.maketrans(table)))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _same(text: str) -> None:
    for plain, fast in ((_NEGATION, _traps.NEGATION), (_HEDGE, _traps.HEDGE)):
        assert _spans(plain, text) == _spans(fast, text), (plain.pattern[:40], text)
    lower = text.lower()
    if lower_text_reads_alike(lower):
        for plain, fast in ((_NEGATION, _traps.NEGATION_LOWER), (_HEDGE, _traps.HEDGE_LOWER)):
            assert _spans(plain, lower) == _spans(fast, lower), (plain.pattern[:40], lower)
    assert _spans(_OLD_NEWS, text) == _spans(_features._OLD_NEWS, text), text
    assert _spans(_NETWORK, text) == _spans(_networks.NETWORK_PATTERN, text), text
    assert (_HINT.search(text) is None) == (_windows._HINT.search(text) is None), text
    assert _old_normalise(text) == normalise(text), text
    assert _old_split(text) == split_sentences(text), text


def test_the_corpus_reads_the_same() -> None:
    for text in BEFORE:
        for plain, fast in ((_NEGATION, _traps.NEGATION), (_HEDGE, _traps.HEDGE)):
            assert (plain.search(text) is None) == (fast.search(text) is None), text
        if lower_text_reads_alike(text):
            for plain, fast in ((_NEGATION, _traps.NEGATION_LOWER), (_HEDGE, _traps.HEDGE_LOWER)):
                assert (plain.search(text) is None) == (fast.search(text) is None), text
    for text in LOWER:
        assert _spans(_OLD_NEWS, text) == _spans(_features._OLD_NEWS, text), text
    for text in SENTENCES:
        assert _spans(_NETWORK, text) == _spans(_networks.NETWORK_PATTERN, text), text
        assert (_HINT.search(text) is None) == (_windows._HINT.search(text) is None), text
    for text in RAW:
        assert _old_normalise(text) == normalise(text)
        assert _old_split(normalise(text)) == split_sentences(normalise(text))
        assert _old_split(text) == split_sentences(text)


@settings(max_examples=400, deadline=None)
@given(_ODD)
def test_odd_characters_read_the_same(text: str) -> None:
    _same(text)


@settings(max_examples=400, deadline=None)
@given(_WORDS)
def test_odd_phrasings_read_the_same(text: str) -> None:
    _same(text)


def test_the_folds_are_every_character_a_first_letter_matches() -> None:
    """`word_start_pattern` leads an ignorecase pattern with the letters in both cases and
    `_FOLDS`: every character re.IGNORECASE matches with an ASCII letter is among them."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    letters = "abcdefghijklmnopqrstuvwxyz"
    matched = {m.group() for m in re.finditer(f"[{letters}]", every, re.IGNORECASE)}
    listed = set(letters + letters.upper() + "".join(_text._FOLDS.values()))
    assert matched == listed


# Text as recognition reads it: one kind of space between words (`_text.normalise`).
_SPACED = st.characters(exclude_categories=("Zs", "Zl", "Zp", "Cc"), include_characters=" ")
_GOVERNING = _certainty_scope._GOVERNING.pattern
# The hedges themselves, without the stretch up to the phrase that follows each.
_HEDGES = re.compile(_GOVERNING[: _GOVERNING.index("(?:(?!confirm")])


@settings(max_examples=300, deadline=None)
@given(st.from_regex(_HEDGES, fullmatch=True, alphabet=_SPACED))
def test_every_hedge_holds_a_screening_word(text: str) -> None:
    """A hedge added to `_GOVERNING` without its word in `_GOVERNING_WORDS` would never be
    searched for."""
    assert any(word in text for word in _certainty_scope._GOVERNING_WORDS), text


@settings(max_examples=300, deadline=None)
@given(st.from_regex(_certainty_scope._HEARSAY, fullmatch=True, alphabet=_SPACED))
def test_all_hearsay_holds_a_screening_word(text: str) -> None:
    assert any(word in text for word in _certainty_scope._HEARSAY_WORDS), text
