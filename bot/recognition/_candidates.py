"""Candidates and their features: what an entry *might* announce, described for the model.

Each sentence proposes each event that one of its event phrases may stand for: one
proposal per (sentence, event), described by all its phrases for that event. A proposal
carries its options: the spans that might be its show (in its sentence, and the
title's and lede's names for the sentences around them), the seasons it might be about,
and, for premieres, the dates and windows it might give. Each option is described by named
binary features; `bot/recognition/_model.py` weighs them and `_reader.py` decides. The
training script builds the same candidates, so what the model learned and what it sees
are made by one piece of code.

The parts: `_sentences.py` reads the text into sentences, `_features.py` names the
features, `_options.py` builds the options; this module makes the proposals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.models import Entry
from bot.recognition._features import (
    _LEXICAL,
    _T,
    _certainty_features,
    _entry_features,
    _entry_tail,
    _EventTables,
    _lexical_features,
    _structural_features,
    lede_words,
)
from bot.recognition._options import SeasonOption, ShowOption, _season_options, _show_options
from bot.recognition._phrases import Phrase
from bot.recognition._sentences import (
    _LEDE,
    EntryReading,
    Sentence,
    _describe,
    _read,
    _read_names,
)
from bot.recognition._span_features import Elsewhere, _span_features
from bot.recognition._spans import Span
from bot.recognition._traps import MARKETS
from bot.recognition._value_options import ValueOption, _value_options
from bot.shows.catalogue import Catalogue

UNDATED_REFERENCE = date(2000, 1, 1)
# The years a text names ("the 2023 midseason schedule", "(2019)"), as four digits.
_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")


def undated_reference(whole: str) -> date:
    """The day an undated entry's "returns March 9" is read against: January 1 of the
    latest year its text names (an undated roundup of "2023 premiere dates" means 2023), else
    a fixed day whose year says nothing."""
    years = _YEAR.findall(whole)
    return date(max(map(int, years)), 1, 1) if years else UNDATED_REFERENCE


def reference_of(reading: EntryReading) -> date:
    """The day an entry's dates and windows are read against (see `read_candidates`)."""
    if reading.published is not None:
        return reading.published
    return undated_reference("\n".join(s.lower for s in reading.sentences))


class Proposal:
    """One sentence read as announcing one event, from the event phrases it has for it. Its
    features are read at once; its options only when asked for, since the event model
    turns most proposals down before that."""

    __slots__ = (
        "_certainty", "_features", "_options", "context", "event", "lexical_part", "phrases",
        "sentence", "structural",
    )  # fmt: skip

    def __init__(
        self, event: str, sentence: Sentence, phrases: list[Phrase], lexical: list[str] | None,
        structural: list[str], context: _Context, lexical_part: float | None = None,
    ) -> None:  # fmt: skip
        self.event = event  # R, C, E or P
        self.sentence = sentence
        self.phrases = phrases
        # Named now without a `worth`, else only if asked for (`features`).
        self._features = None if lexical is None else lexical + structural
        self.structural = structural
        # What `worth` summed of the lexical features' weights (None without a `worth`):
        # the event score then adds only the structural ones, in the same order.
        self.lexical_part = lexical_part
        self.context = context
        self._options: tuple[list[ShowOption], list[SeasonOption]] | None = None
        self._certainty: list[str] | None = None

    @property
    def features(self) -> list[str]:
        """The event model's features: lexical, then structural."""
        if self._features is None:
            named = _LEXICAL[self.event]
            tail = self.context.tail(self.event, named, self.sentence.index > 0)
            lexical = _lexical_features(self.event, self.sentence, self.phrases, tail, named)
            self._features = lexical + self.structural
        return self._features

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
    # The entry's item features (`_item`), and per model and event letter their score.
    item_features: list[str] | None = None
    item_scores: dict[tuple[int, str], float] = field(default_factory=dict)
    entry_features: list[str] = field(default_factory=list)
    lede: list[str] = field(default_factory=list)  # `lede_words`, for the title's proposals
    counts: dict[str, int] = field(default_factory=dict)  # proposals of each event letter
    _cues: set[str] | None = None
    _tails: dict[tuple[str, int, bool], list[Any]] = field(default_factory=dict)

    def tail(self, event: str, named: _EventTables[_T], body: bool) -> list[_T]:
        """The lexical features (or weights) an event's proposals in the title, or in the
        other sentences (`body`), share (`_entry_tail`), with how often the entry proposes
        it: news repeats itself, a passing word does not."""
        key = (event, id(named), body)  # `named` lives on: `_LEXICAL`, or the model's weights
        found = self._tails.get(key)
        if found is None:
            count = f"count={min(self.counts[event], 4)}"
            found = self._tails[key] = _entry_tail(
                self.sentences, [*self.entry_features, count], self.lede, named, body
            )
        return found

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
            # Sentences described before any show option is read (see Proposal): the
            # same names whichever proposals an entry keeps.
            elsewhere = Elsewhere(
                {
                    f" {span.name.lower()} "
                    for other in self.sentences[: _LEDE + 1]
                    if other is not sentence and other.described
                    for span in other.spans
                }
            )
            sentence.span_features = _span_features(sentence, self.whole, title, elsewhere)
        return sentence.span_features

    def free_spans(self, sentence: Sentence) -> list[tuple[Span, list[str]]]:
        """The sentence's spans that no event phrase overlaps, with their features: the
        spans that may be a show."""
        if sentence.free_spans is None:
            phrases = sentence.phrases
            sentence.free_spans = [
                (span, features)
                for span, features in zip(sentence.spans, self.span_features(sentence), strict=True)
                if not any(p.start < span.end and span.start < p.end for p in phrases)
            ]
        return sentence.free_spans

    def describe(self, sentence: Sentence) -> Sentence:
        """The sentence, analysed (names, seasons, values) on first need."""
        if not sentence.described:
            _describe(sentence, self.catalogue, self.reference)
        return sentence


@dataclass(frozen=True, slots=True)
class Worth:
    """What a proposal's lexical features weigh under the event model (`weights`, per
    event letter: `lexical_weights`), and whether a proposal of an event whose lexical
    features weigh that much may pass once its sentence's structure is read (`passes`)."""

    weights: Mapping[str, _EventTables[float]]
    passes: Callable[[str, float], bool]


def read_candidates(entry: Entry, catalogue: Catalogue, worth: Worth | None = None) -> EntryReading:
    """Every proposal an entry's text makes, with the features of each option. With a
    `worth`, a proposal that cannot pass whatever its sentence's structure adds is dropped
    and its sentence not analysed for it, which saves most of the work on ordinary
    entries; the others keep what their lexical features weigh, and name them only if
    asked."""
    reading = _read(entry)
    sentences, traits, published = reading.sentences, reading.traits, reading.published
    if not any(s.phrases for s in sentences):
        return reading
    whole = "\n".join(s.lower for s in sentences)
    # An undated entry still says "returns March 9": read it against the year the text
    # names, if any, so the phrase is understood (the sink dates entries by when they were
    # fetched, so only old news read without its date comes here).
    reference = published or undated_reference(whole)
    entry_features = _entry_features(sentences, traits, whole)
    if published is None:
        entry_features.append("entry_undated")
    markets = traits.finance and MARKETS.search(whole) is not None
    counts = {e: sum(e in p.events for s in sentences for p in s.phrases) for e in "RCEP"}
    context = _Context(
        sentences, {}, catalogue, reference, whole, markets,
        entry_features=entry_features, counts=counts,
    )  # fmt: skip
    for sentence in sentences:
        if sentence.index == 0 or sentence.phrases:
            _read_names(sentence, catalogue)
    context.lede = lede_words(sentences)
    proposals: list[Proposal] = []
    for sentence in sentences:
        if not sentence.phrases:
            continue
        body = sentence.index > 0
        for event in "RCEP":
            phrases = [p for p in sentence.phrases if event in p.events]
            if not phrases:
                continue
            if event == "P" and not sentence.gives_values(reference):
                # No date or window: no premiere (`_proposal`), so neither its words nor
                # its sentence need reading for it (most premiere phrases give neither).
                continue
            lexical: list[str] | None = None
            part: float | None = None
            if worth is None:
                names = _LEXICAL[event]
                tail = context.tail(event, names, body)
                lexical = _lexical_features(event, sentence, phrases, tail, names)
            else:
                weights = worth.weights[event]
                tail_weights = context.tail(event, weights, body)
                # The weights in the order of the names: the sum the model makes of them.
                part = sum(_lexical_features(event, sentence, phrases, tail_weights, weights), 0.0)
                if not worth.passes(event, part):
                    continue
            context.describe(sentence)
            proposal = _proposal(event, sentence, phrases, context, lexical, published, part)
            if proposal is not None:
                proposals.append(proposal)
    reading.proposals = proposals
    return reading


def _proposal(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    context: _Context,
    lexical: list[str] | None,
    published: date | None,
    lexical_part: float | None,
) -> Proposal | None:
    if event == "P":
        values = _value_options(sentence, phrases, published)
        if len(values) <= 1:
            return None  # a premiere phrase without a date or window announces no premiere
        context.values[(sentence.index, event)] = values
    structural = _structural_features(event, sentence)
    return Proposal(event, sentence, phrases, lexical, structural, context, lexical_part)
