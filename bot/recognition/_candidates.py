"""Candidates and their features: what an entry *might* announce, described for the model.

Each sentence proposes each event that one of its event phrases may stand for: one
proposal per (sentence, event), described by all its phrases for that event. A proposal
carries its options: the spans that might be its show (in its sentence, and the
title's and lede's names for the sentences around them), the seasons it might be about,
and, for premieres, the dates and windows it might give. Each option is described by named
binary features; `bot/recognition/_model.py` weighs them and `_reader.py` decides. The
training script builds the same candidates, so what the model learned and what it sees
are made by one piece of code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from bot.models import Entry
from bot.recognition._dates import DateRef, find_dates
from bot.recognition._networks import NetworkRef, find_networks
from bot.recognition._numbers import SeasonForm, SeasonRef, find_seasons
from bot.recognition._phrases import Phrase, find_phrases
from bot.recognition._showname import quoted_titles
from bot.recognition._spans import Span, Token, find_spans, tokenize
from bot.recognition._text import MAX_SUMMARY_CHARS, normalise, split_sentences
from bot.recognition._traps import HEDGE, MARKETS, NEGATION, EntryTraits, entry_traits
from bot.recognition._windows import WindowRef, find_windows
from bot.shows.catalogue import Catalogue, ShowMention

# Announcements sit at the top of a story; the rest of a long article is mostly context.
MAX_SENTENCES = 24
UNDATED_REFERENCE = date(2000, 1, 1)
# Sentences that share the title's and the lede's names and seasons.
_LEDE = 2
# Words that say how sure a sentence is: the certainty model weighs them.
_CUES = (
    ("reportedly", re.compile(r"\breported(?:ly)?\b|\breports?\b")),
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
    ("modal", re.compile(r"\b(?:could|might|may|would|should)\b")),
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
_CUE_PATTERN = re.compile("|".join(f"(?P<{name}>{cue.pattern})" for name, cue in _CUES))
# A fact told as old news: "already renewed", "renewed back in March", "a year after".
_OLD_NEWS = re.compile(
    r"\b(?:already|previously|earlier\s+this\s+year|last\s+year|back\s+in|a\s+year\s+(?:after|ago)"
    r"|months?\s+ago|years?\s+ago|originally|once|had\s+been|was\s+first)\b"
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'+-]*")
_LIST_AFTER = re.compile(r"[\"']?(?:,|\s+(?:and|&)\s)")
_LIST_BEFORE = re.compile(r"(?:,|\s(?:and|&))\s+[\"']?$")


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
    seasons: list[SeasonRef] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    windows: list[WindowRef] = field(default_factory=list)
    networks: list[NetworkRef] = field(default_factory=list)
    _cues: list[str] | None = None
    mentions: list[ShowMention] = field(default_factory=list)
    described: bool = False
    mentions_read: bool = False
    name_words: frozenset[str] = frozenset()
    _tokens: list[Token] | None = None
    _headline: bool | None = None
    _common: frozenset[str] | None = None

    @property
    def tokens(self) -> list[Token]:
        """Its words with their offsets (read on first need: most sentences never are)."""
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def headline_case(self) -> bool:
        """Whether it capitalises most words, as headlines do."""
        if self._headline is None:
            self._headline = _headline_case(self.tokens)
        return self._headline

    @property
    def common(self) -> frozenset[str]:
        """Its ordinary words: names say which show, not whether anything happened, so the
        event model reads the lower-case words, or all of them in a headline."""
        if self._common is None:
            words = (
                self.words
                if self.headline_case
                else frozenset(t.lower for t in self.tokens if not t.text[0].isupper())
            )
            self._common = words - self.name_words
        return self._common

    @property
    def cues(self) -> list[str]:
        """The certainty cues it contains (read on first need)."""
        if self._cues is None:
            found = (m.lastgroup for m in _CUE_PATTERN.finditer(self.lower))
            self._cues = list(dict.fromkeys(name for name in found if name))
        return self._cues


@dataclass(frozen=True, slots=True)
class ShowOption:
    """A span that might be the proposal's show: what the span looks like (`base`, shared
    by every proposal that considers it) and how it stands to the proposal (`extra`)."""

    span: Span
    sentence: int
    base: list[str]
    extra: list[str]

    @property
    def features(self) -> list[str]:
        """All its features."""
        return self.base + self.extra


@dataclass(frozen=True, slots=True)
class SeasonOption:
    """A season the proposal might be about (None: no season stated), and where it was
    written (sentence index and offsets; -1 for none)."""

    value: int | None
    features: list[str]
    sentence: int = -1
    start: int = -1
    end: int = -1


@dataclass(frozen=True, slots=True)
class ValueOption:
    """A premiere date or window the proposal might give (both None: neither)."""

    date: date | None
    window: WindowRef | None
    features: list[str]


class Proposal:
    """One sentence read as announcing one event, from the event phrases it has for it. Its
    features are read at once; its options only when asked for, since the event model
    turns most proposals down before that."""

    __slots__ = ("_certainty", "_options", "context", "event", "features", "phrases", "sentence")

    def __init__(
        self, event: str, sentence: Sentence, phrases: list[Phrase], features: list[str],
        context: _Context,
    ) -> None:  # fmt: skip
        self.event = event  # R, C, E or P
        self.sentence = sentence
        self.phrases = phrases
        self.features = features
        self.context = context
        self._options: tuple[list[ShowOption], list[SeasonOption]] | None = None
        self._certainty: list[str] | None = None

    def _read_options(self) -> tuple[list[ShowOption], list[SeasonOption]]:
        if self._options is None:
            sentences = self.context.sentences
            for near in sentences[: _LEDE + 1]:
                self.context.describe(near)
            self._options = (
                _show_options(self.event, self.sentence, self.phrases, self.context),
                _season_options(self.event, self.sentence, self.phrases, sentences),
            )
        return self._options

    @property
    def phrase(self) -> Phrase:
        """Its first phrase (where the announcement is quoted from)."""
        return self.phrases[0]

    @property
    def shows(self) -> list[ShowOption]:
        """The spans that might be its show."""
        return self._read_options()[0]

    @property
    def seasons(self) -> list[SeasonOption]:
        """The seasons it might be about, "none" first."""
        return self._read_options()[1]

    @property
    def certainty_features(self) -> list[str]:
        """The certainty model's features (read only for the proposals that are kept)."""
        if self._certainty is None:
            self._certainty = _certainty_features(
                self.event, self.sentence, self.phrases, self.context.cues
            )
        return self._certainty

    @property
    def values(self) -> list[ValueOption]:
        """For a premiere, its possible dates and windows, "neither" first."""
        return self.context.values.get((self.sentence.index, self.event), [])


@dataclass(slots=True)
class _Context:
    sentences: list[Sentence]
    values: dict[tuple[int, str], list[ValueOption]]
    catalogue: Catalogue
    reference: date
    whole: str  # the entry's lower-cased text
    markets: bool = False  # a markets story (Citadel the hedge fund, not the series)
    base_scores: dict[tuple[int, int], float] = field(default_factory=dict)  # for `_reader`
    _cues: set[str] | None = None

    @property
    def cues(self) -> set[str]:
        """The certainty cues anywhere in the entry, as entry-level features."""
        if self._cues is None:
            self._cues = {f"e_{cue}" for sentence in self.sentences for cue in sentence.cues}
        return self._cues

    def span_features(self, sentence: Sentence) -> list[list[str]]:
        """What each of the sentence's spans looks like (read once, when first needed)."""
        if sentence.span_features is None:
            title = self.sentences[0].lower
            sentence.span_features = [
                _span_features(sentence, span, self.whole, title) for span in sentence.spans
            ]
        return sentence.span_features

    def describe(self, sentence: Sentence) -> Sentence:
        """The sentence, analysed (names, seasons, values) on first need."""
        if not sentence.described:
            _describe(sentence, self.catalogue, self.reference)
        return sentence


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


Worth = Callable[[str, list[str]], bool]


def read_candidates(entry: Entry, catalogue: Catalogue, worth: Worth | None = None) -> EntryReading:
    """Every proposal an entry's text makes, with the features of each option. `worth`
    (event, lexical features) may say a proposal cannot pass whatever its sentence's
    structure adds: then that sentence is not analysed for it, which saves most of the
    work on ordinary entries."""
    reading = _read(entry)
    sentences, traits, published = reading.sentences, reading.traits, reading.published
    if not any(s.phrases for s in sentences):
        return reading
    # An undated entry still says "returns March 9": read its year against a fixed day so
    # the phrase is understood (the sink dates entries by when they were fetched).
    reference = published or UNDATED_REFERENCE
    whole = "\n".join(s.lower for s in sentences)
    entry_features = _entry_features(sentences, traits)
    if published is None:
        entry_features.append("entry_undated")
    markets = traits.finance and MARKETS.search(whole) is not None
    context = _Context(sentences, {}, catalogue, reference, whole, markets)
    # How often the entry proposes each event: news repeats itself, a passing word does not.
    counts = {e: sum(e in p.events for s in sentences for p in s.phrases) for e in "RCEP"}
    for sentence in sentences:
        if sentence.index == 0 or sentence.phrases:
            _read_names(sentence, catalogue)
    proposals: list[Proposal] = []
    for sentence in sentences:
        for event in "RCEP":
            phrases = [p for p in sentence.phrases if event in p.events]
            if not phrases:
                continue
            lexical = _lexical_features(
                event, sentence, phrases, sentences,
                [*entry_features, f"{event}|count={min(counts[event], 4)}"],
            )  # fmt: skip
            if worth is not None and not worth(event, lexical):
                continue
            context.describe(sentence)
            proposal = _proposal(event, sentence, phrases, context, lexical, published)
            if proposal is not None:
                proposals.append(proposal)
    reading.proposals = proposals
    return reading


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
    starts = [(m.start(), m.group()) for m in _WORD.finditer(lower)]
    words = frozenset(word for _, word in starts)
    sentence = Sentence(index, text, lower, words, find_phrases(lower, starts))
    if sentence.phrases:
        sentence.phrases = _outside_titles(sentence)
    return sentence


def _outside_titles(sentence: Sentence) -> list[Phrase]:
    """Its phrases that are not words of a title: "Order" in a quoted "Law & Order", or
    written with a capital inside a sentence that is not in headline case, names a show
    and says nothing about it."""
    text = sentence.text
    quoted = [(q.start, q.end) for q in quoted_titles(text)] if ("'" in text or '"' in text) else []
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
        + [(q.start, q.end) for q in quoted_titles(sentence.text)]
        for word in _WORD.findall(sentence.lower[start:end])
    )


def _describe(sentence: Sentence, catalogue: Catalogue, published: date | None) -> None:
    text = sentence.text
    sentence.described = True
    if not sentence.mentions_read:
        sentence.mentions = catalogue.find_mentions(text, include_doubtful=True)
        sentence.mentions_read = True
    sentence.networks = find_networks(text)
    sentence.spans = find_spans(
        text, sentence.tokens, sentence.mentions, sentence.networks,
        headline=sentence.headline_case,
    )  # fmt: skip
    sentence.seasons = find_seasons(text)
    sentence.dates = find_dates(text, published)
    sentence.windows = find_windows(text, published)


def _headline_case(tokens: list[Token]) -> bool:
    long_words = [t.text for t in tokens if len(t.text) > 3 and t.text[0].isalpha()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.7 * len(long_words)


def _span_features(sentence: Sentence, span: Span, whole: str, title: str) -> list[str]:
    tokens = sentence.tokens
    prev = tokens[span.first - 1].lower if span.first > 0 else "^"
    after = tokens[span.last + 1].lower if span.last + 1 < len(tokens) else "$"
    length = span.last - span.first + 1
    case = "hc" if sentence.headline_case else "rc"
    first_word = tokens[span.first].lower
    features = [
        f"len={min(length, 5)}",
        f"{case}|len={min(length, 5)}",
        f"prev={prev}",
        f"next={after}",
        f"{case}|prev={prev}",
        f"{case}|next={after}",
        f"first={first_word}",
        f"last={tokens[span.last].lower}",
    ]
    if span.quoted:
        features.append("quoted")
    if span.known:
        features.append("known_doubtful" if span.doubtful else "known")
        features.append(f"{case}|known_doubtful" if span.doubtful else f"{case}|known")
    if span.possessive:
        features.append("possessive")
    if span.first == 0:
        features.append(f"{case}|at_start")
    if span.last == len(tokens) - 1:
        features.append("at_end")
    if any("'s" in tokens[k].lower for k in range(span.first, span.last)):
        features.append("inner_possessive")
    if any(
        tokens[k].text.isupper() and len(tokens[k].text) > 1
        for k in range(span.first, span.last + 1)
    ):
        features.append("has_acronym")  # fmt: skip
    if any(tokens[k].text[0].isdigit() for k in range(span.first, span.last + 1)):
        features.append("has_digit")
    if first_word == "the":
        features.append("starts_the")
    text_after = sentence.text[span.end : span.end + 5]
    text_before = sentence.text[max(0, span.start - 5) : span.start]
    if text_after.startswith(":"):
        features.append("colon_after")
    if _LIST_AFTER.match(text_after) or _LIST_BEFORE.search(text_before):
        features.append("listed")
    for other in sentence.spans:
        if other is span or not (other.start <= span.start and span.end <= other.end):
            continue
        if other.quoted and not span.quoted:
            features.append("inside_quoted")
        if other.known and not other.doubtful:
            features.append("inside_known")
    # How often the story names it, and whether its title does: the show a story is about.
    lower = span.name.lower()
    features.append(f"named={min(whole.count(lower), 3)}")
    if sentence.index and lower in title:
        features.append("in_title")
    return list(dict.fromkeys(features))


def _entry_features(sentences: list[Sentence], traits: EntryTraits) -> list[str]:
    features = [name for name in traits.__slots__ if getattr(traits, name)]
    title = sentences[0]
    if title.text.rstrip().endswith("?"):
        features.append("title_question")
    if title.headline_case:
        features.append("title_headline_case")
    if len(sentences) == 1:
        features.append("title_only")
    return [f"entry_{f}" for f in features]


def _proposal(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    context: _Context,
    lexical: list[str],
    published: date | None,
) -> Proposal | None:
    if event == "P":
        values = _value_options(sentence, phrases, published)
        if len(values) <= 1:
            return None  # a premiere phrase without a date or window announces no premiere
        context.values[(sentence.index, event)] = values
    features = lexical + _structural_features(event, sentence)
    return Proposal(event, sentence, phrases, features, context)


def _nearest(phrases: list[Phrase], start: int, end: int) -> Phrase:
    """The phrase closest to the text at start..end."""
    return min(phrases, key=lambda p: p.start - end if p.start >= end else max(0, start - p.end))


def _phrase_token(sentence: Sentence, phrase: Phrase) -> int:
    for i, token in enumerate(sentence.tokens):
        if token.end > phrase.start:
            return i
    return len(sentence.tokens)


def _lexical_features(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    sentences: list[Sentence],
    entry_features: list[str],
) -> list[str]:
    e = event
    tokens = sentence.tokens
    names = sentence.name_words
    where = "t" if sentence.index == 0 else ("l" if sentence.index <= _LEDE else "b")
    features = [f"{e}|bias", f"{e}|where={where}", f"{e}|phrases={min(len(phrases), 3)}"]
    for phrase in phrases:
        at = _phrase_token(sentence, phrase)
        end = at + len(phrase.text.split())
        left = [_unnamed(tokens[k].lower, names) for k in range(max(0, at - 3), at)]
        right = [_unnamed(tokens[k].lower, names) for k in range(end, min(len(tokens), end + 3))]
        l1 = left[-1] if left else "^"
        r1 = right[0] if right else "$"
        before = sentence.lower[max(0, phrase.start - 40) : phrase.start]
        features += [
            f"{e}|ph={phrase.name}",
            f"{e}|pt={phrase.text}",
            f"{e}|{where}|ph={phrase.name}",
            f"{e}|L1={l1}",
            f"{e}|R1={r1}",
            f"{e}|L1R1={l1}_{r1}",
            f"{e}|pt={phrase.text}|R1={r1}",
            f"{e}|pt={phrase.text}|L1={l1}",
        ]
        features += [f"{e}|L={w}" for w in left[:-1]]
        features += [f"{e}|R={w}" for w in right[1:]]
        if NEGATION.search(before):
            features += [f"{e}|negated", f"{e}|ph={phrase.name}|negated"]
        if HEDGE.search(before):
            features += [f"{e}|hedged", f"{e}|ph={phrase.name}|hedged"]
    features += [f"{e}|w={w}" for w in sentence.common]
    if sentence.index > 0:
        features += [f"{e}|tw={w}" for w in sentences[0].common]
    features += [f"{e}|{f}" for f in entry_features]
    if _OLD_NEWS.search(sentence.lower):
        features.append(f"{e}|old_news")
    if "?" in sentence.text[phrases[0].end :]:
        features.append(f"{e}|question_after")
    if sentence.text.rstrip().endswith("?"):
        features.append(f"{e}|question")
    for other in sentence.phrases:
        if event not in other.events:
            features.append(f"{e}|co={other.name}")
    return list(dict.fromkeys(features))


def _unnamed(word: str, names: frozenset[str]) -> str:
    """A word beside an event phrase, or "<show>" for a word of a show's name."""
    return "<show>" if word in names else word


# The event model's features that need the sentence analysed (names, seasons, values).
STRUCTURAL = (
    "has_quoted", "has_known", "has_season", "season_form=number", "season_form=count",
    "season_form=unnumbered", "season_final", "season_negated", "season_after",
    "has_network", "has_date", "has_window", "window_kind=specific", "window_kind=year",
    "window_kind=month",
)  # fmt: skip


def _structural_features(event: str, sentence: Sentence) -> list[str]:
    e = event
    features: list[str] = []
    if any(s.quoted for s in sentence.spans):
        features.append(f"{e}|has_quoted")
    if any(s.known and not s.doubtful for s in sentence.spans):
        features.append(f"{e}|has_known")
    if sentence.seasons:
        features.append(f"{e}|has_season")
        for ref in sentence.seasons:
            features.append(f"{e}|season_form={ref.form.value}")
            if ref.final:
                features.append(f"{e}|season_final")
            if ref.negated:
                features.append(f"{e}|season_negated")
            if ref.preceded_by_after:
                features.append(f"{e}|season_after")
    if sentence.networks:
        features.append(f"{e}|has_network")
    if event == "P":
        if sentence.dates:
            features.append("P|has_date")
        if sentence.windows:
            features.append("P|has_window")
            features += [f"P|window_kind={w.kind.value}" for w in sentence.windows]
    return list(dict.fromkeys(features))


def _show_options(
    event: str, sentence: Sentence, phrases: list[Phrase], context: _Context
) -> list[ShowOption]:
    sentences = context.sentences
    options: list[ShowOption] = []
    for span, features in zip(sentence.spans, context.span_features(sentence), strict=True):
        if any(span.start < p.end and p.start < span.end for p in sentence.phrases):
            continue
        phrase = _nearest(phrases, span.start, span.end)
        at = _phrase_token(sentence, phrase)
        relation = _relation(event, sentence, span, at, phrase)
        options.append(ShowOption(span, sentence.index, features, relation))
    local = {s.name.lower() for s in sentence.spans}
    # Names from the title (for the lede and body) and from the lede (for the title): a
    # story often names its show once and then says "the drama".
    near = [0] if sentence.index else list(range(1, min(len(sentences), _LEDE + 1)))
    if sentence.index > _LEDE:
        near = [0, 1]
    for other in near:
        if other >= len(sentences) or other == sentence.index:
            continue
        source = sentences[other]
        tag = "from_title" if other == 0 else "from_lede"
        for span, features in zip(source.spans, context.span_features(source), strict=True):
            if any(p.start < span.end and span.start < p.end for p in source.phrases):
                continue
            extra = [tag, f"{event}|{tag}"]
            if span.name.lower() in local:
                extra.append("also_local")
            options.append(ShowOption(span, other, features, extra))
    return options


def _relation(event: str, sentence: Sentence, span: Span, at: int, phrase: Phrase) -> list[str]:
    tokens = sentence.tokens
    if span.last < at:
        side, gap = "before", at - span.last - 1
        between = [tokens[k].lower for k in range(span.last + 1, at)]
        text_between = sentence.text[span.end : phrase.start]
    else:
        end = at + len(phrase.text.split())
        side, gap = "after", max(0, span.first - end)
        between = [tokens[k].lower for k in range(end, span.first)]
        text_between = sentence.text[phrase.end : span.start]
    bucket = gap if gap < 3 else (3 if gap < 5 else (5 if gap < 9 else 9))
    extra = [
        "local",
        f"side={side}",
        f"gap={bucket}",
        f"{side}|gap={bucket}",
        f"{event}|{side}|gap={bucket}",
        f"{event}|{phrase.name}|{side}",
    ]
    if len(between) <= 4:
        extra += [f"btw={w}" for w in between]
        extra += [f"{side}|btw={w}" for w in between]
    else:
        extra.append("btw_long")
    if "," in text_between or ";" in text_between:
        extra.append("comma_between")
    if any(
        other.first > min(span.last, at) and other.last < max(span.first, at) and other is not span
        for other in sentence.spans
    ):
        extra.append("span_between")
    return extra


def _season_options(
    event: str, sentence: Sentence, phrases: list[Phrase], sentences: list[Sentence]
) -> list[SeasonOption]:
    options = [SeasonOption(None, [f"{event}|none", "none"])]
    pools: list[tuple[Sentence, str]] = [(sentence, "same")]
    if sentence.index == 0:
        pools += [(s, "lede") for s in sentences[1 : _LEDE + 1]]
    else:
        pools.append((sentences[0], "title"))
    for source, where in pools:
        for ref in source.seasons:
            phrase = _nearest(phrases, ref.start, ref.end)
            for value, how in _season_values(event, ref):
                features = _season_features(event, source, phrase, ref, where, how)
                options.append(SeasonOption(value, features, source.index, ref.start, ref.end))
    return options


def season_for_show(
    options: list[SeasonOption], show: ShowOption, sentences: list[Sentence]
) -> list[list[str]]:
    """Each season option's features with how it stands to one chosen show: right after
    its name ("Bridgerton season 3"), "season 3 of Bridgerton", in its sentence, nearest."""
    span = show.span
    distances = [
        abs(o.start - span.end) if o.sentence == show.sentence and o.start >= span.end
        else abs(span.start - o.end) if o.sentence == show.sentence
        else 10_000
        for o in options
    ]  # fmt: skip
    nearest = min((d for d in distances if d < 10_000), default=None)
    out: list[list[str]] = []
    for option, distance in zip(options, distances, strict=True):
        if option.value is None:
            out.append(option.features)
            continue
        extra: list[str] = []
        if option.sentence == show.sentence:
            text = sentences[option.sentence].text
            if option.start >= span.end:
                between = text[span.end : option.start].strip().lower()
                extra.append("sh_adjacent" if between in {"", "'s", "'", ":", "-"} else "sh_after")
            else:
                between = text[option.end : span.start].strip().lower()
                extra.append("sh_of" if between in {"of", "of the"} else "sh_before")
            if distance == nearest:
                extra.append("sh_nearest")
        else:
            extra.append("sh_elsewhere")
        out.append(option.features + extra)
    return out


def _season_values(event: str, ref: SeasonRef) -> Iterator[tuple[int, str]]:
    value = ref.value
    if value is None:
        return
    yield value, "as_is"
    if event == "C" and value > 1:
        yield value - 1, "minus1"
    if event == "R" and ref.form is SeasonForm.COUNT:
        yield value + 1, "plus1"


def _season_features(
    event: str, source: Sentence, phrase: Phrase, ref: SeasonRef, where: str, how: str
) -> list[str]:
    e = event
    if where == "same":
        side = "before" if ref.end <= phrase.start else "after"
        distance = abs(
            (ref.start if side == "after" else ref.end)
            - (phrase.end if side == "after" else phrase.start)
        )
        near = "near" if distance < 25 else "far"
    else:
        side, near = where, where
    flags = [
        name
        for name in ("final", "preceded_by_after", "negated", "deictic", "aired")
        if getattr(ref, name)
    ]
    features = [
        f"{e}|how={how}",
        f"{e}|form={ref.form.value}",
        f"{e}|form={ref.form.value}|how={how}",
        f"{e}|{side}",
        f"{e}|{side}|{near}",
        f"{e}|{where}|how={how}",
        f"{e}|multi" if len(ref.values) > 1 else f"{e}|single",
    ]
    features += [f"{e}|{flag}" for flag in flags]
    features += [f"{e}|{flag}|how={how}" for flag in flags]
    before = source.lower[max(0, ref.start - 25) : ref.start]
    for word in _WORD.findall(before)[-2:]:
        features.append(f"{e}|pre={word}")
        features.append(f"{e}|pre={word}|how={how}")
    return list(dict.fromkeys(features))  # fmt: skip


def _value_options(
    sentence: Sentence, phrases: list[Phrase], published: date | None
) -> list[ValueOption]:
    options = [ValueOption(None, None, ["none"])]
    for ref in sentence.dates:
        phrase = _nearest(phrases, ref.start, ref.end)
        features = _value_place(sentence, phrase, ref.start, ref.end, "date")
        if ref.relative:
            features.append("date_relative")
        if published is not None:
            days = (ref.value - published).days
            features.append(
                "date_past" if days < 0 else ("date_soon" if days < 60 else "date_later")
            )
        options.append(ValueOption(ref.value, None, features))
    for window in sentence.windows:
        phrase = _nearest(phrases, window.start, window.end)
        features = _value_place(sentence, phrase, window.start, window.end, "window")
        features.append(f"window_kind={window.kind.value}")
        if published is not None and window.end_date < published:
            features.append("window_past")
        options.append(ValueOption(None, window, features))
    return options


def _value_place(sentence: Sentence, phrase: Phrase, start: int, end: int, kind: str) -> list[str]:
    side = "before" if end <= phrase.start else "after"
    distance = phrase.start - end if side == "before" else start - phrase.end
    near = "adjacent" if distance < 5 else ("near" if distance < 30 else "far")
    before_words = _WORD.findall(sentence.lower[max(0, start - 20) : start])[-2:]
    after_words = _WORD.findall(sentence.lower[end : end + 20])[:2]
    features = [kind, f"{kind}|{side}|{near}", f"{kind}|{phrase.name}|{side}"]
    features += [f"{kind}|pre={w}" for w in before_words]
    features += [f"{kind}|post={w}" for w in after_words]
    others = sum(1 for d in sentence.dates) + len(sentence.windows)
    if others > 1:
        features.append(f"{kind}|several")
    for word in ("finale", "film", "movie", "trailer", "episode", "filming", "production", "tour"):
        if word in sentence.words:
            features.append(f"{kind}|ctx={word}")
    return list(dict.fromkeys(features))


def _certainty_features(
    event: str, sentence: Sentence, phrases: list[Phrase], entry_cues: set[str]
) -> list[str]:
    phrase = phrases[0]
    before = sentence.lower[max(0, phrase.start - 40) : phrase.start]
    features = [f"ev={event}", "bias", "title" if sentence.index == 0 else "body"]
    features += [f"w={w}" for w in sentence.words]
    features += sentence.cues
    features += sorted(entry_cues)
    if HEDGE.search(before):
        features.append("hedged")
    if NEGATION.search(before):
        features.append("negated")
    return list(dict.fromkeys(features))
