"""The features that describe a proposal to the model: its words (lexical), what its
sentence holds (structural), what kind of story the entry is, and how sure the sentence
sounds (certainty). What a span that might be its show looks like: `_span_features`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter, getitem
from sys import intern
from typing import Any, Generic, TypeVar

from bot.case_blind import lower_text_reads_alike
from bot.recognition._governed import governed
from bot.recognition._names import Names, Weights
from bot.recognition._phrases import Phrase
from bot.recognition._sentences import _LEDE, Sentence, _phrase_token
from bot.recognition._text import MODAL_MAY, word_start_pattern
from bot.recognition._traps import (
    HEDGE,
    HEDGE_LOWER,
    NEGATION,
    NEGATION_LOWER,
    EntryTraits,
)
from bot.recognition._unannounced import unannounced_cues

# A fact told as old news: "already renewed", "renewed back in March", "a year after".
_OLD_NEWS = word_start_pattern(
    (
        "already", "previously", r"earlier\s+this\s+year", r"last\s+year", r"back\s+in",
        r"a\s+year\s+(?:after|ago)", r"months?\s+ago", r"years?\s+ago", "originally", "once",
        r"had\s+been", r"was\s+first",
    ),
    r"\b",
)  # fmt: skip
_T = TypeVar("_T", str, float)
_LOWER = attrgetter("lower")  # a `Token`'s lower-cased text, in C


@dataclass(frozen=True, slots=True)
class _EventTables(Generic[_T]):
    """The lexical features of one event letter, as names (`_LEXICAL`) or as the weights
    of those names under one model (`lexical_weights`): `_lexical_features` reads either
    the same way, and gives each feature's name, or its weight, in the same place."""

    bias: _T
    where: Mapping[str, _T]
    phrases: Sequence[_T]
    # What names a phrase and the words beside it, keyed as `_phrase_features` keys them:
    # "ph=", "pt=", where and "ph=", "L1=", "R1=", "L1R1=", "pt=" and "R1=", "pt=" and "L1=".
    heads: tuple[Mapping[Hashable, _T], ...]
    left: Mapping[Hashable, _T]
    right: Mapping[Hashable, _T]
    negated: _T
    hedged: _T
    ph_negated: Mapping[Hashable, _T]
    ph_hedged: Mapping[Hashable, _T]
    w: Mapping[Hashable, _T]
    tw: Mapping[Hashable, _T]
    lw: Mapping[Hashable, _T]
    entry: Mapping[Hashable, _T]
    old_news: _T
    question_after: _T
    question: _T
    co: Mapping[Hashable, _T]
    # The season a phrase governs (`governed`): by side and form, and by phrase and side.
    obj: Mapping[Hashable, _T]
    ph_obj: Mapping[Hashable, _T]


def _event_names(e: str) -> _EventTables[str]:
    return _EventTables(
        bias=intern(f"{e}|bias"),
        where={w: intern(f"{e}|where={w}") for w in "tlb"},
        phrases=[intern(f"{e}|phrases={n}") for n in range(4)],
        heads=(
            Names(f"{e}|ph="),
            Names(f"{e}|pt="),
            Names(lambda k: f"{e}|{k[0]}|ph={k[1]}"),
            Names(f"{e}|L1="),
            Names(f"{e}|R1="),
            Names(f"{e}|L1R1="),
            Names(lambda k: f"{e}|pt={k[0]}|R1={k[1]}"),
            Names(lambda k: f"{e}|pt={k[0]}|L1={k[1]}"),
        ),
        left=Names(f"{e}|L="),
        right=Names(f"{e}|R="),
        negated=intern(f"{e}|negated"),
        hedged=intern(f"{e}|hedged"),
        ph_negated=Names(lambda n: f"{e}|ph={n}|negated"),
        ph_hedged=Names(lambda n: f"{e}|ph={n}|hedged"),
        w=Names(f"{e}|w="),
        tw=Names(f"{e}|tw="),
        lw=Names(f"{e}|lw="),
        entry=Names(f"{e}|"),
        old_news=intern(f"{e}|old_news"),
        question_after=intern(f"{e}|question_after"),
        question=intern(f"{e}|question"),
        co=Names(f"{e}|co="),
        obj=Names(lambda k: f"{e}|obj={k[0]}:{k[1]}"),
        ph_obj=Names(lambda k: f"{e}|ph={k[0]}|obj={k[1]}"),
    )


_LEXICAL = {e: _event_names(e) for e in "RCEP"}


def _weighed(named: _EventTables[str], weights: Mapping[str, float]) -> _EventTables[float]:
    def weigh(value: object) -> object:
        if isinstance(value, Names):
            return Weights(value, weights)
        if isinstance(value, str):
            return weights.get(value, 0.0)
        if isinstance(value, dict):
            return {key: weights.get(name, 0.0) for key, name in value.items()}
        if isinstance(value, list):
            return [weights.get(name, 0.0) for name in value]
        if isinstance(value, tuple):
            return tuple(map(weigh, value))
        return value

    tables = {field.name: weigh(getattr(named, field.name)) for field in fields(named)}
    return _EventTables(**tables)  # type: ignore[arg-type]


def lexical_weights(weights: Mapping[str, float]) -> dict[str, _EventTables[float]]:
    """Every event letter's lexical tables as weights under one event model (see
    `_EventTables`): made once per model, filled as words come."""
    return {e: _weighed(named, weights) for e, named in _LEXICAL.items()}


_CERTAINTY_WORD = Names("w=")
# The traits' names in their order (read through `fields`, which a compiled build keeps).
_TRAITS = tuple(field.name for field in fields(EntryTraits))
_MODAL_MAY = re.compile(rf"\b{MODAL_MAY}\b")


def _entry_features(sentences: list[Sentence], traits: EntryTraits, whole: str) -> list[str]:
    features = [name for name in _TRAITS if getattr(traits, name)]
    # Whether the item announces anything at all, from all it says (`whole`, lower-cased).
    features += unannounced_cues(whole)
    if any(s.text.rstrip().endswith("?") for s in sentences[1 : _LEDE + 1]):
        features.append("lede_question")
    title = sentences[0]
    if title.text.rstrip().endswith("?"):
        features.append("title_question")
    if title.headline_case:
        features.append("title_headline_case")
    if len(sentences) == 1:
        features.append("title_only")
    return [f"entry_{f}" for f in features]


def lede_words(sentences: list[Sentence]) -> list[str]:
    """The words of the sentences after the title, up to the lede's end, but for the
    shows' names (read for the sentences with event phrases), sorted: what the title's
    proposals read of the story under it."""
    words: set[str] = set()
    for sentence in sentences[1 : _LEDE + 1]:
        words.update(sentence.words - sentence.name_words)
    return sorted(words)


def _entry_tail(
    sentences: list[Sentence],
    entry_features: list[str],
    lede: list[str],
    named: _EventTables[_T],
    body: bool,
) -> list[_T]:
    """The lexical features an event's proposals share across an entry: its entry features
    then the lede's words (`lede_words`), for the title, and the title's words then the
    entry features, for the other sentences (`body`), named once per entry rather than once
    per sentence, and only for the side that has a proposal. A title that asks "Has X been
    renewed?" is news or an explainer by what the lede under it says, which its own words
    cannot tell."""
    entry: list[_T] = list(map(named.entry.__getitem__, entry_features))
    if body:
        title: list[_T] = list(map(named.tw.__getitem__, sentences[0].common))
        return title + entry
    return entry + list(map(named.lw.__getitem__, lede))


def _lexical_features(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    tail: list[_T],
    named: _EventTables[_T],
) -> list[_T]:
    """The features, or their weights, of a proposal of `event` with `phrases` (`named`:
    the event's `_LEXICAL` tables, or their `lexical_weights`): each feature once, in the
    order first named. `tail`: the entry's shared features (`_entry_tail`) for this
    sentence.

    Each table's names are one prefix and the key, and no two tables share a prefix (no
    word, phrase name or text holds a "|"), so a feature can come twice only from one
    table and the same key: the words around one phrase, several phrases of the sentence
    and the other phrases' names. Each table's keys are kept once (`_Seen`), which keeps
    the same features as making every name and keeping each once, without the names when
    only weights are wanted."""
    where = "t" if sentence.index == 0 else ("l" if sentence.index <= _LEDE else "b")
    features = [named.bias, named.where[where], named.phrases[min(len(phrases), 3)]]
    if len(phrases) == 1:
        features += _phrase_features(sentence, phrases[0], where, named)
    else:
        seen = _Seen()
        for phrase in phrases:
            features += _phrase_features(sentence, phrase, where, named, seen)
    features += map(named.w.__getitem__, sentence.common)
    features += tail
    if sentence.old_news is None:
        sentence.old_news = _OLD_NEWS.search(sentence.lower) is not None
    if sentence.old_news:
        features.append(named.old_news)
    if "?" in sentence.text[phrases[0].end :]:
        features.append(named.question_after)
    if sentence.text.rstrip().endswith("?"):
        features.append(named.question)
    co = [other.name for other in sentence.phrases if event not in other.events]
    if co:
        features += map(named.co.__getitem__, dict.fromkeys(co))
    return features


class _Seen:
    """The keys a proposal's earlier phrases gave each table (`_lexical_features`)."""

    __slots__ = ("heads", "hedged", "left", "negated", "objects", "right")

    def __init__(self) -> None:
        self.heads: tuple[set[Hashable], ...] = tuple(set() for _ in range(8))
        self.left: set[str] = set()
        self.right: set[str] = set()
        # The flag (None) and the phrase names it was given with.
        self.negated: set[str | None] = set()
        self.hedged: set[str | None] = set()
        self.objects: set[tuple[str, str]] = set()


def _new(seen: set[Any], key: Any) -> bool:
    """Whether `key` is new to `seen` (it is then added)."""
    if key in seen:
        return False
    seen.add(key)
    return True


def _phrase_features(
    sentence: Sentence,
    phrase: Phrase,
    where: str,
    named: _EventTables[_T],
    seen: _Seen | None = None,
) -> list[_T]:
    """A phrase's features: what it is, its words beside it, whether it is negated or
    hedged; only those new to `seen`, with several phrases."""
    left, right, negated, hedged = _around(sentence, phrase)
    l1 = left[-1] if left else "^"
    r1 = right[0] if right else "$"
    name, text = phrase.name, phrase.text
    # The keys of `named.heads`: one pair of words joined as their name joins them, so that
    # two keys never make one name ("a_b", "c" and "a", "b_c").
    keys = (name, text, (where, name), l1, r1, f"{l1}_{r1}", (text, r1), (text, l1))
    if seen is None:
        features = list(map(getitem, named.heads, keys))
        # The two further words on each side, once each ("the the").
        if len(left) == 3:
            features += map(named.left.__getitem__, left[:1] if left[0] == left[1] else left[:2])
        elif len(left) == 2:
            features.append(named.left[left[0]])
        if len(right) == 3:
            features += map(
                named.right.__getitem__, right[1:2] if right[1] == right[2] else right[1:]
            )
        elif len(right) == 2:
            features.append(named.right[right[1]])
        if negated:
            features += [named.negated, named.ph_negated[name]]
        if hedged:
            features += [named.hedged, named.ph_hedged[name]]
        for side, form in governed(sentence, phrase):
            features += [named.obj[side, form], named.ph_obj[name, side]]
        return features
    features = [
        table[key] for table, key, keys_seen in zip(named.heads, keys, seen.heads, strict=True)
        if _new(keys_seen, key)
    ]  # fmt: skip
    features += [named.left[word] for word in left[:-1] if _new(seen.left, word)]
    features += [named.right[word] for word in right[1:] if _new(seen.right, word)]
    if negated:
        if _new(seen.negated, None):
            features.append(named.negated)
        if _new(seen.negated, name):
            features.append(named.ph_negated[name])
    if hedged:
        if _new(seen.hedged, None):
            features.append(named.hedged)
        if _new(seen.hedged, name):
            features.append(named.ph_hedged[name])
    for side, form in governed(sentence, phrase):
        if _new(seen.objects, (side, form)):
            features.append(named.obj[side, form])
        if _new(seen.objects, (name, side)):
            features.append(named.ph_obj[name, side])
    return features


def _around(sentence: Sentence, phrase: Phrase) -> tuple[list[str], list[str], bool, bool]:
    """The three words either side of a phrase, and whether the words before it negate or
    hedge it: the same for every event the phrase may stand for, so read once per phrase."""
    found = sentence.around.get(phrase.start)
    if found is None:
        tokens, names = sentence.tokens, sentence.name_words
        at = _phrase_token(sentence, phrase)
        end = at + len(phrase.text.split())
        left = list(map(_LOWER, tokens[max(0, at - 3) : at]))
        right = list(map(_LOWER, tokens[end : end + 3]))
        if not names.isdisjoint(left):
            left = [_unnamed(word, names) for word in left]
        if not names.isdisjoint(right):
            right = [_unnamed(word, names) for word in right]
        before = sentence.lower[max(0, phrase.start - 40) : phrase.start]
        negation, hedge = (
            (NEGATION_LOWER, HEDGE_LOWER) if lower_text_reads_alike(before) else (NEGATION, HEDGE)
        )
        found = (left, right, negation.search(before) is not None, hedge.search(before) is not None)
        sentence.around[phrase.start] = found
    return found


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


# Its names per event letter, made once.
_STRUCTURAL = {e: {name: intern(f"{e}|{name}") for name in STRUCTURAL} for e in "RCEP"}


def _structural_features(event: str, sentence: Sentence) -> list[str]:
    named = _STRUCTURAL[event]
    features: list[str] = []
    if any(s.quoted for s in sentence.spans):
        features.append(named["has_quoted"])
    if any(s.known and not s.doubtful for s in sentence.spans):
        features.append(named["has_known"])
    if sentence.seasons:
        features.append(named["has_season"])
        for ref in sentence.seasons:
            features.append(named[f"season_form={ref.form.value}"])
            if ref.final:
                features.append(named["season_final"])
            if ref.negated:
                features.append(named["season_negated"])
            if ref.preceded_by_after:
                features.append(named["season_after"])
    if sentence.networks:
        features.append(named["has_network"])
    if event == "P":
        if sentence.dates:
            features.append(named["has_date"])
        if sentence.windows:
            features.append(named["has_window"])
            features += [named[f"window_kind={w.kind.value}"] for w in sentence.windows]
    return list(dict.fromkeys(features))


def _certainty_features(
    event: str, sentence: Sentence, phrases: list[Phrase], entry_cues: set[str]
) -> list[str]:
    _, _, negated, hedged = _around(sentence, phrases[0])
    features = [f"ev={event}", "bias", "title" if sentence.index == 0 else "body"]
    words = sentence.words
    if "may" in words and not _MODAL_MAY.search(sentence.lower):
        words = (words - {"may"}) | {"month_may"}  # "moved to May 1": a date, not a hedge
    # sorted: no order from the hash seed
    features += map(_CERTAINTY_WORD.__getitem__, sorted(words))
    features += sentence.cues
    features += sorted(entry_cues)
    if hedged:
        features.append("hedged")
    if negated:
        features.append("negated")
    return list(dict.fromkeys(features))
