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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.models import Entry
from bot.recognition._features import (
    Elsewhere,
    _certainty_features,
    _entry_features,
    _entry_tails,
    _lexical_features,
    _span_features,
    _structural_features,
)
from bot.recognition._options import (
    SeasonOption,
    ShowOption,
    ValueOption,
    _season_options,
    _show_options,
    _value_options,
)
from bot.recognition._phrases import Phrase
from bot.recognition._sentences import (
    _LEDE,
    EntryReading,
    Sentence,
    _describe,
    _read,
    _read_names,
)
from bot.recognition._spans import Span
from bot.recognition._traps import MARKETS
from bot.shows.catalogue import Catalogue

UNDATED_REFERENCE = date(2000, 1, 1)


class Proposal:
    """One sentence read as announcing one event, from the event phrases it has for it. Its
    features are read at once; its options only when asked for, since the event model
    turns most proposals down before that."""

    __slots__ = (
        "_certainty", "_options", "context", "event", "features", "lexical_part", "phrases",
        "sentence", "structural",
    )  # fmt: skip

    def __init__(
        self, event: str, sentence: Sentence, phrases: list[Phrase], lexical: list[str],
        structural: list[str], context: _Context, lexical_part: float | None = None,
    ) -> None:  # fmt: skip
        self.event = event  # R, C, E or P
        self.sentence = sentence
        self.phrases = phrases
        self.features = lexical + structural
        self.structural = structural
        # What `worth` summed of the lexical features' weights (None without a `worth`):
        # the event score then adds only the structural ones, in the same order.
        self.lexical_part = lexical_part
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
            sentence.span_features = [
                _span_features(sentence, span, self.whole, title, elsewhere)
                for span in sentence.spans
            ]
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


# None when a proposal cannot pass whatever its sentence's structure adds, else what its
# lexical features weigh (`LinearModel.partial`), kept for its full score.
Worth = Callable[[str, list[str]], float | None]


def read_candidates(entry: Entry, catalogue: Catalogue, worth: Worth | None = None) -> EntryReading:
    """Every proposal an entry's text makes, with the features of each option. `worth`
    (event, lexical features) may say a proposal cannot pass whatever its sentence's
    structure adds (None): then that sentence is not analysed for it, which saves most of
    the work on ordinary entries."""
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
    tails: dict[str, tuple[list[str], list[str]]] = {}
    for sentence in sentences:
        if not sentence.phrases:
            continue
        for event in "RCEP":
            phrases = [p for p in sentence.phrases if event in p.events]
            if not phrases:
                continue
            tail = tails.get(event)
            if tail is None:
                tail = tails[event] = _entry_tails(
                    event, sentences, [*entry_features, f"{event}|count={min(counts[event], 4)}"]
                )
            lexical = _lexical_features(event, sentence, phrases, tail[sentence.index > 0])
            part = None if worth is None else worth(event, lexical)
            if worth is not None and part is None:
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
    lexical: list[str],
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
