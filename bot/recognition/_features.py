"""The features that describe a proposal to the model: its words (lexical), what its
sentence holds (structural), what a span that might be its show looks like, what kind of
story the entry is, and how sure the sentence sounds (certainty).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, getitem
from sys import intern
from typing import Any, Generic, TypeVar

from bot.recognition._names import Names, Weights
from bot.recognition._phrases import Phrase
from bot.recognition._sentences import _LEDE, Sentence, _phrase_token
from bot.recognition._text import word_start_pattern
from bot.recognition._traps import HEDGE, NEGATION, EntryTraits

# A fact told as old news: "already renewed", "renewed back in March", "a year after".
_OLD_NEWS = word_start_pattern(
    (
        "already", "previously", r"earlier\s+this\s+year", r"last\s+year", r"back\s+in",
        r"a\s+year\s+(?:after|ago)", r"months?\s+ago", r"years?\s+ago", "originally", "once",
        r"had\s+been", r"was\s+first",
    ),
    r"\b",
)  # fmt: skip
_LIST_AFTER = re.compile(r"[\"']?(?:,|\s+(?:and|&)\s)")
_LIST_BEFORE = re.compile(r"(?:,|\s(?:and|&))\s+[\"']?$")
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
    entry: Mapping[Hashable, _T]
    old_news: _T
    question_after: _T
    question: _T
    co: Mapping[Hashable, _T]


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
        entry=Names(f"{e}|"),
        old_news=intern(f"{e}|old_news"),
        question_after=intern(f"{e}|question_after"),
        question=intern(f"{e}|question"),
        co=Names(f"{e}|co="),
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

    tables = {field: weigh(getattr(named, field)) for field in named.__slots__}
    return _EventTables(**tables)  # type: ignore[arg-type]


def lexical_weights(weights: Mapping[str, float]) -> dict[str, _EventTables[float]]:
    """Every event letter's lexical tables as weights under one event model (see
    `_EventTables`): made once per model, filled as words come."""
    return {e: _weighed(named, weights) for e, named in _LEXICAL.items()}


class _CaseNames:
    """The span feature names that say whether the sentence is in headline case."""

    def __init__(self, case: str) -> None:
        self.length = [intern(f"{case}|len={n}") for n in range(6)]
        self.prev = Names(f"{case}|prev=")
        self.next = Names(f"{case}|next=")
        self.known = intern(f"{case}|known")
        self.known_doubtful = intern(f"{case}|known_doubtful")
        self.at_start = intern(f"{case}|at_start")


_SPAN_HC, _SPAN_RC = _CaseNames("hc"), _CaseNames("rc")
_SPAN_LEN = [intern(f"len={n}") for n in range(6)]
_SPAN_NAMED = [intern(f"named={n}") for n in range(4)]
_SPAN_PREV = Names("prev=")
_SPAN_NEXT = Names("next=")
_SPAN_FIRST = Names("first=")
_SPAN_LAST = Names("last=")
_CERTAINTY_WORD = Names("w=")


def _span_features(
    sentence: Sentence, whole: str, title: str, elsewhere: Elsewhere
) -> list[list[str]]:
    """What each of the sentence's spans looks like, and how it stands to the other spans:
    a piece of a longer name ("A Place" in "A Place to Call Home") or a name with words run
    on ("Greenleaf from Lionsgate"), here or where the title or lede names the show again
    (`elsewhere`: those names, space-padded)."""
    tokens = sentence.tokens
    last_token = len(tokens) - 1
    named = _SPAN_HC if sentence.headline_case else _SPAN_RC
    text, spans = sentence.text, sentence.spans
    body = sentence.index > 0
    names, longer, shorter = elsewhere.names, elsewhere.longer, elsewhere.shorter
    out: list[list[str]] = []
    for span in spans:
        first, last = span.first, span.last
        prev = tokens[first - 1].lower if first > 0 else "^"
        after = tokens[last + 1].lower if last < last_token else "$"
        length = min(last - first + 1, 5)
        first_word = tokens[first].lower
        features = [
            _SPAN_LEN[length],
            named.length[length],
            _SPAN_PREV[prev],
            _SPAN_NEXT[after],
            named.prev[prev],
            named.next[after],
            _SPAN_FIRST[first_word],
            _SPAN_LAST[tokens[last].lower],
        ]
        if span.quoted:
            features.append("quoted")
        if span.known:
            features.append("known_doubtful" if span.doubtful else "known")
            features.append(named.known_doubtful if span.doubtful else named.known)
        if span.possessive:
            features.append("possessive")
        if first == 0:
            features.append(named.at_start)
        if last == last_token:
            features.append("at_end")
        if first < last:
            for token in tokens[first:last]:
                if "'s" in token.lower:
                    features.append("inner_possessive")
                    break
        own = tokens[first : last + 1]
        for token in own:
            if token.text.isupper() and len(token.text) > 1:
                features.append("has_acronym")
                break
        for token in own:
            if token.text[0].isdigit():
                features.append("has_digit")
                break
        if first_word == "the":
            features.append("starts_the")
        start, end = span.start, span.end
        text_after = text[end : end + 5]
        text_before = text[max(0, start - 5) : start]
        if text_after.startswith(":"):
            features.append("colon_after")
        if (_may_list(text_after) and _LIST_AFTER.match(text_after) is not None) or (
            _may_list(text_before) and _LIST_BEFORE.search(text_before) is not None
        ):
            features.append("listed")
        # Each relation once, where it first applies (as de-duplicating the list would).
        relations: list[str] = []
        inside_quoted, inside_known = span.quoted, False
        for other in spans:  # in order of start: none after `end` holds or is held
            if other.start >= end:
                break
            if other.start <= start and end <= other.end:
                if other is span:
                    continue
                if "inside_longer" not in relations:
                    relations.append("inside_longer")
                if other.quoted and not inside_quoted:
                    features.append("inside_quoted")
                    inside_quoted = True
                if other.known and not other.doubtful and not inside_known:
                    features.append("inside_known")
                    inside_known = True
            elif (
                start <= other.start
                and other.end <= end
                and other is not span
                and "contains_shorter" not in relations
            ):
                relations.append("contains_shorter")
        # How often the story names it, and whether its title does: the show a story is
        # about.
        lower = span.name.lower()
        features.append(_SPAN_NAMED[min(whole.count(lower), 3)])
        if body and lower in title:
            features.append("in_title")
        features += relations
        name = f" {lower} "
        if name in names:
            features.append("same_elsewhere")
        if longer(name):
            features.append("longer_elsewhere")
        if shorter(name):
            features.append("shorter_elsewhere")
        out.append(features)
    return out


def _may_list(text: str) -> bool:
    # Every `_LIST_AFTER` and `_LIST_BEFORE` match holds a comma, "and" or "&".
    return "," in text or "and" in text or "&" in text


class Elsewhere:
    """The names the title and lede give (space-padded), read for a sentence's spans: is a
    span's name one of them, inside a longer one, or around a shorter one?"""

    __slots__ = ("_by_length", "_joined", "_lengths", "names")

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self._by_length = sorted(names, key=len)
        self._lengths = [len(name) for name in self._by_length]
        # Joined by line breaks: a name without one is inside one of them exactly when it
        # is inside the joined text.
        self._joined = "\n".join(names)

    def longer(self, name: str) -> bool:
        """Whether a longer name holds `name` (holding it and being longer is being another)."""
        if name not in self.names and "\n" not in name:
            return name in self._joined
        longer = self._by_length[bisect_right(self._lengths, len(name)) :]
        return any(name in other for other in longer)

    def shorter(self, name: str) -> bool:
        """Whether `name` holds a shorter name."""
        shorter = self._by_length[: bisect_left(self._lengths, len(name))]
        return any(other in name for other in shorter)


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


def _entry_tails(
    sentences: list[Sentence], entry_features: list[str], named: _EventTables[_T]
) -> tuple[list[_T], list[_T]]:
    """The lexical features an event's proposals share across an entry: its entry features,
    for the title, and the title's words then them, for the other sentences (named once
    per entry rather than once per sentence)."""
    entry: list[_T] = list(map(named.entry.__getitem__, entry_features))
    title: list[_T] = list(map(named.tw.__getitem__, sentences[0].common))
    return entry, title + entry


def _lexical_features(
    event: str,
    sentence: Sentence,
    phrases: list[Phrase],
    tail: list[_T],
    named: _EventTables[_T],
) -> list[_T]:
    """The features, or their weights, of a proposal of `event` with `phrases` (`named`:
    the event's `_LEXICAL` tables, or their `lexical_weights`): each feature once, in the
    order first named. `tail`: the entry's shared features (`_entry_tails`) for this
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

    __slots__ = ("heads", "hedged", "left", "negated", "right")

    def __init__(self) -> None:
        self.heads: tuple[set[Hashable], ...] = tuple(set() for _ in range(8))
        self.left: set[str] = set()
        self.right: set[str] = set()
        # The flag (None) and the phrase names it was given with.
        self.negated: set[str | None] = set()
        self.hedged: set[str | None] = set()


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
        found = (left, right, NEGATION.search(before) is not None, HEDGE.search(before) is not None)
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
    # sorted: no order from the hash seed
    features += map(_CERTAINTY_WORD.__getitem__, sorted(sentence.words))
    features += sentence.cues
    features += sorted(entry_cues)
    if hedged:
        features.append("hedged")
    if negated:
        features.append("negated")
    return list(dict.fromkeys(features))
