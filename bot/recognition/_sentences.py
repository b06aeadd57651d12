"""The reading of an entry's text: its sentences, and what is found in each of them.

An entry is split into sentences (0 is the title); each keeps its words and event
phrases at once and is analysed (names, spans, seasons, dates, windows) only when a
proposal needs it (`_candidates.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, count
from operator import attrgetter
from typing import TYPE_CHECKING

from bot.memo import Memo
from bot.models import Entry
from bot.recognition._dates import DateRef, find_dates
from bot.recognition._networks import NetworkRef, find_networks
from bot.recognition._phrases import Phrase, find_phrases
from bot.recognition._season_refs import SeasonRef, find_seasons
from bot.recognition._showname import Candidate, quoted_titles
from bot.recognition._spans import Span, Token, find_spans, tokenize
from bot.recognition._text import MAX_SUMMARY_CHARS, MODAL_MAY, normalise, split_sentences
from bot.recognition._traps import EntryTraits, entry_traits
from bot.recognition._windows import WindowRef, find_windows
from bot.shows.catalogue import Catalogue, ShowMention

if TYPE_CHECKING:
    from bot.recognition._candidates import Proposal

# Announcements sit at the top of a story; the rest of a long article is mostly context.
MAX_SENTENCES = 24
# Sentences that share the title's and the lede's names and seasons.
_LEDE = 2
# Words that say how sure a sentence is: the certainty model weighs them.
HEDGED_REPORT = "hedged_report"
_CUES = (
    # A hedge on the news itself ("reportedly renewed", "is said to be axed", "in talks"),
    # apart from the outlet that reports it ("Deadline reports"): the labels call the one a
    # report and the other, stated flatly, official news.
    (
        HEDGED_REPORT,
        re.compile(
            r"\breportedly\b|\b(?:is|are|was|were)\s+said\s+to\b|\bin\s+(?:early\s+|final\s+)?"
            r"talks\b|\bnear(?:s|ing)?\s+(?:a\s+)?deal\b|\brumou?red\s+to\b"
            # "it has been reported", "apparently", "word on the street": the news itself
            # passed on, not a network's statement.
            r"|\bit(?:'s|\s+has|\s+had|\s+is|\s+was)?\s+(?:been\s+)?reported\b"
            r"|\bapparently\b|\ballegedly\b|\bword\s+on\s+the\s+street\b"
            r"|\brumou?r\s+has\s+it\b|\b(?:looks|appears|seems)\s+set\s+to\b"
            r"|\baccording\s+to\s+(?:an?\s+|the\s+)?(?:new\s+|latest\s+)?(?:report|reports"
            r"|sources?|insiders?|rumou?rs?)\b"
            # "sources confirmed", "reports suggest": passed on, however firmly the rest of
            # the sentence puts it.
            r"|\b(?:reports?|sources?|insiders?)\s+(?:suggest|indicate|claim|say|said"
            r"|confirm|tell|told)\w*"
        ),
    ),
    ("reportedly", re.compile(r"\breported\b|\breports?\b")),
    (
        "sources",
        re.compile(
            r"\bsources?\b|"
            r"\binsiders?\b|"
            r"\bfamiliar\s+with\b|"
            r"\bi\s+hear\b|"
            r"\bwe\s+hear\b|"
            r"\bscoop\b|"
            r"\bexclusive\b"
        ),
    ),
    ("according", re.compile(r"\baccording\s+to\b|\bper\s+\w+")),
    ("modal", re.compile(rf"\b(?:could|might|{MODAL_MAY}|would|should)\b")),
    (
        "likely",
        re.compile(
            r"\b(?:"
            r"likely|unlikely|probably|possibly|perhaps|presumably|chances?|odds"
            r")\b"
        ),
    ),
    (
        "expect",
        re.compile(
            r"\b(?:"
            r"expect\w*|anticipat\w*|predict\w*|guess\w*|speculat\w*|estimat\w*|hop(?:e|es|ing)|"
            r"bet"
            r")\b"
        ),
    ),
    (
        "opinion",
        re.compile(
            r"\b(?:imagine|think|guess|believe|suspect|assume|feel|reckon|bet|tend\s+to"
            r"|would\s+expect|wouldn't\s+be\s+surprised|our\s+hope)\b"
        ),
    ),
    ("first_person", re.compile(r"\b(?:we|i|our|us|my)\b")),
    (
        "official",
        re.compile(
            r"\b(?:"
            r"official(?:ly)?|confirm\w*|announc\w*|statement|said|says|revealed"
            r")\b"
        ),
    ),
    ("question", re.compile(r"\?")),
    ("if", re.compile(r"\b(?:if|whether|when)\b")),
    ("rumor", re.compile(r"\brumou?r\w*|\bbuzz\b|\bword\s+is\b")),
    ("set_to", re.compile(r"\b(?:set|poised|going|expected|slated|due)\s+to\b")),
)
# Every cue starts at the start of a word or at a "?": the look-ahead lets the engine pass
# over the other positions without trying each cue there (about 2.5x faster, same matches).
_CUE_PATTERN = re.compile(
    r"(?=\b\w|\?)(?:" + "|".join(f"(?P<{name}>{cue.pattern})" for name, cue in _CUES) + ")"
)
# The cues without the look-ahead, tried only where `_CUE_PATTERN` could match: at the
# start of a word (a run of word characters) that begins like one of them, or at a "?".
_CUE_BODY = re.compile("|".join(f"(?P<{name}>{cue.pattern})" for name, cue in _CUES))
_CUE_WORD = re.compile(r"\w+|\?")
# What each cue's first word starts with (its letters up to the first pattern construct).
_CUE_STARTS = (
    "report", "source", "insider", "familiar", "i", "we", "scoop", "exclusive", "according",
    "per", "could", "might", "may", "would", "should", "likely", "unlikely", "probably",
    "possibly", "perhaps", "presumably", "chance", "odds", "expect", "anticipat", "predict",
    "guess", "speculat", "estimat", "hop", "bet", "imagine", "think", "believe", "suspect",
    "assume", "feel", "reckon", "tend", "our", "us", "my", "official", "confirm", "announc",
    "statement", "said", "says", "revealed", "if", "whether", "when", "rumo", "buzz", "word",
    "set", "poised", "going", "slated", "due", "is", "are", "was", "were", "in", "near", "?",
    "it", "apparently", "allegedly", "looks", "appears", "seems",
)  # fmt: skip
_CUE_BY_LETTER = {
    letter: tuple(start for start in _CUE_STARTS if start[0] == letter)
    for letter in {start[0] for start in _CUE_STARTS}
}
_TOKEN_END = attrgetter("end")
_MATCHED = re.Match.group  # a match's whole text, as a function `map` calls in C
# A word does not end in a quote mark or a hyphen: "'axed'" is the word "axed".
_WORD = re.compile(r"[a-z0-9](?:[a-z0-9'+-]*[a-z0-9+])?")


@dataclass(slots=True)
class Sentence:
    """One sentence of an entry (0 is the title) and everything found in it."""

    index: int
    text: str
    lower: str
    words: frozenset[str]
    phrases: list[Phrase]
    spans: list[Span] = field(default_factory=list)
    span_features: list[list[str]] | None = None  # read when its spans are options
    free_spans: list[tuple[Span, list[str]]] | None = None  # those no phrase overlaps
    seasons: list[SeasonRef] = field(default_factory=list)
    networks: list[NetworkRef] = field(default_factory=list)
    _cues: list[str] | None = None
    mentions: list[ShowMention] = field(default_factory=list)
    described: bool = False
    mentions_read: bool = False
    name_words: frozenset[str] = frozenset()
    _tokens: list[Token] | None = None
    _headline: bool | None = None
    _common: tuple[str, ...] | None = None
    _quoted: list[Candidate] | None = None
    old_news: bool | None = None  # whether it tells old news (`_features`, read once)
    # Per event phrase (by its start): the words around it, as `_features._around` reads them.
    around: dict[int, tuple[list[str], list[str], bool, bool]] = field(default_factory=dict)
    _season_refs: list[SeasonRef] | None = None
    # Dates and windows matter only to premiere proposals: read on first need, against the
    # reference day `_describe` gives.
    _reference: date | None = None
    _dates: list[DateRef] | None = None
    _windows: list[WindowRef] | None = None

    @property
    def tokens(self) -> list[Token]:
        """Its words with their offsets (read on first need: most sentences never are)."""
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def quoted(self) -> list[Candidate]:
        """Its quoted titles (read once: phrases, names and spans all look at them)."""
        if self._quoted is None:
            self._quoted = quoted_titles(self.text)
        return self._quoted

    @property
    def season_refs(self) -> list[SeasonRef]:
        """Its seasons, read on first need: the event model reads them beside its phrases
        before the sentence is analysed, and the analysis keeps them (`seasons`)."""
        if self._season_refs is None:
            self._season_refs = find_seasons(self.text)
        return self._season_refs

    @property
    def headline_case(self) -> bool:
        """Whether it capitalises most words, as headlines do."""
        if self._headline is None:
            self._headline = _headline_case(self.tokens)
        return self._headline

    @property
    def common(self) -> tuple[str, ...]:
        """Its ordinary words: names say which show, not whether anything happened, so the
        event model reads the lower-case words, or all of them in a headline. Sorted: a
        set's order changes with the process's hash seed, and with it the float sums of
        training and scoring."""
        if self._common is None:
            words = (
                self.words
                if self.headline_case
                else frozenset(t.lower for t in self.tokens if not t.text[0].isupper())
            )
            self._common = tuple(sorted(words - self.name_words))
        return self._common

    @property
    def dates(self) -> list[DateRef]:
        """The dates it gives (once analysed)."""
        if not self.described:
            return []
        return self._read_dates()

    @property
    def windows(self) -> list[WindowRef]:
        """The premiere windows it gives (once analysed), none inside one of its dates (the
        "Sept" of "on Sept. 21" is that date's month, not a second value)."""
        if not self.described:
            return []
        return self._read_windows()

    def gives_values(self, reference: date) -> bool:
        """Whether it gives a date or a window, read against `reference` (the day `_describe`
        gives it) before it is analysed: a premiere phrase in a sentence without either
        announces nothing, so its sentence need not be analysed for it."""
        self._reference = reference
        return bool(self._read_dates()) or bool(self._read_windows())

    def _read_dates(self) -> list[DateRef]:
        if self._dates is None:
            self._dates = find_dates(self.text, self._reference)
        return self._dates

    def _read_windows(self) -> list[WindowRef]:
        if self._windows is None:
            dates = self._read_dates()
            self._windows = [
                w
                for w in find_windows(self.text, self._reference)
                if not any(d.start < w.end and w.start < d.end for d in dates)
            ]
        return self._windows

    @property
    def cues(self) -> list[str]:
        """The certainty cues it contains (read on first need)."""
        if self._cues is None:
            self._cues = list(dict.fromkeys(filter(None, _cue_names(self.lower))))
        return self._cues


@dataclass(slots=True)
class EntryReading:
    """An entry read into sentences and proposals."""

    sentences: list[Sentence]
    proposals: list[Proposal]
    traits: EntryTraits
    published: date | None


def read_sentences(entry: Entry) -> EntryReading:
    """An entry's sentences and what kind of story it is, without proposals."""
    return _read(entry)


def _read(entry: Entry) -> EntryReading:
    title = normalise(entry.title)
    summary = normalise(entry.summary[:MAX_SUMMARY_CHARS])
    stamp = entry.published or entry.updated
    published = stamp.date() if stamp else None
    # Without a title (a body excerpt) the lede's first sentence stands in for it.
    texts = ([title] if title else []) + split_sentences(summary)[:MAX_SENTENCES]
    sentences = [_sentence(i, text) for i, text in enumerate(texts or [""])]
    traits = entry_traits(title, f"{title}\n{summary}")
    return EntryReading(sentences, [], traits, published)


def _sentence(index: int, text: str) -> Sentence:
    lower = text.lower()
    matches = list(_WORD.finditer(lower))
    words = list(map(_MATCHED, matches))
    sentence = Sentence(index, text, lower, frozenset(words), find_phrases(lower, matches, words))
    if sentence.phrases:
        sentence.phrases = _outside_titles(sentence)
    return sentence


def _outside_titles(sentence: Sentence) -> list[Phrase]:
    """Its phrases that are not words of a title: "Order" in a quoted "Law & Order", or
    written with a capital inside a sentence that is not in headline case, names a show
    and says nothing about it."""
    text = sentence.text
    # A quoted word in lower case ("has been 'axed'") is the writer's scare quotes, not a title.
    quoted = [(q.start, q.end) for q in sentence.quoted if not text[q.start : q.end].islower()]
    kept: list[Phrase] = []
    for phrase in sentence.phrases:
        if any(start <= phrase.start and phrase.end <= end for start, end in quoted):
            continue
        if phrase.start > 0 and text[phrase.start].isupper() and not sentence.headline_case:
            continue
        kept.append(phrase)
    return kept


def _read_names(sentence: Sentence, catalogue: Catalogue) -> None:
    """The words of the shows a sentence names (in the catalogue, or quoted), kept out of
    the event model's words: "citadel" in "Citadel Renewed at Prime Video" says which show,
    not whether anything happened (and a corpus with hedge-fund stories in it would teach
    the model to doubt any news about Citadel)."""
    sentence.mentions = catalogue.find_mentions(sentence.text, include_doubtful=True)
    sentence.mentions_read = True
    sentence.name_words = frozenset(
        word
        for start, end in [(m.start, m.end) for m in sentence.mentions]
        + [(q.start, q.end) for q in sentence.quoted]
        for word in _WORD.findall(sentence.lower[start:end])
    )


def read_mentions(sentence: Sentence, catalogue: Catalogue) -> None:
    """The catalogue shows a sentence names, doubtful ones included (read once)."""
    if not sentence.mentions_read:
        sentence.mentions = catalogue.find_mentions(sentence.text, include_doubtful=True)
        sentence.mentions_read = True


def _describe(sentence: Sentence, catalogue: Catalogue, published: date | None) -> None:
    text = sentence.text
    sentence.described = True
    read_mentions(sentence, catalogue)
    sentence.networks = find_networks(text)
    sentence.spans = find_spans(
        text, sentence.tokens, sentence.mentions, sentence.networks,
        headline=sentence.headline_case, quoted=sentence.quoted,
    )  # fmt: skip
    sentence.seasons = sentence.season_refs
    sentence._reference = published


def _cue_names(lower: str) -> list[str | None]:
    """The cue of each `_CUE_PATTERN.finditer(lower)` match, in order: the look-ahead holds
    exactly at the start of a `_CUE_WORD` match, and a match runs on from where the last
    one ended."""
    names: list[str | None] = []
    end = 0
    words = list(_CUE_WORD.finditer(lower))
    # The words a cue may start at, picked out in C (most words are not one).
    for at in compress(count(), map(_MAY_CUE.__getitem__, map(_MATCHED, words))):
        start = words[at].start()
        if start < end:
            continue
        match = _CUE_BODY.match(lower, start)
        if match is not None:
            names.append(match.lastgroup)
            end = match.end()
    return names


def _starts_cue(word: str) -> bool:
    """Whether a cue may start at `word` (it begins like one of `_CUE_STARTS`)."""
    starts = _CUE_BY_LETTER.get(word[0])
    return starts is not None and word.startswith(starts)


_MAY_CUE = Memo(_starts_cue, 16384)  # `_starts_cue` per word, looked up in C


def _headline_case(tokens: list[Token]) -> bool:
    long_words = [t.text for t in tokens if len(t.text) > 3 and t.text[0].isalpha()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.7 * len(long_words)


def _nearest(phrases: list[Phrase], start: int, end: int) -> Phrase:
    """The phrase closest to the text at start..end."""
    return min(phrases, key=lambda p: p.start - end if p.start >= end else max(0, start - p.end))


def _phrase_token(sentence: Sentence, phrase: Phrase) -> int:
    """The index of the first token that ends after the phrase starts (tokens are in
    order, so a binary search finds it)."""
    return bisect_right(sentence.tokens, phrase.start, key=_TOKEN_END)
