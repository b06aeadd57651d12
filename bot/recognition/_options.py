"""A proposal's options: the spans that might be its show and the seasons it might be
about, each with its features (for premieres, the dates and windows: `_value_options`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from sys import intern
from typing import TYPE_CHECKING, NamedTuple

from bot.recognition._names import Names
from bot.recognition._phrases import Phrase
from bot.recognition._season_patterns import SeasonForm
from bot.recognition._season_refs import SeasonRef
from bot.recognition._sentences import _LEDE, _WORD, Sentence, _nearest, _phrase_token
from bot.recognition._spans import Span

if TYPE_CHECKING:
    from bot.recognition._candidates import _Context


# The options are named tuples rather than frozen dataclasses: a dozen are made for each
# proposal, and a tuple is built in one call where a frozen dataclass sets each field.
class ShowOption(NamedTuple):
    """A span that might be the proposal's show: what the span looks like (`base`, shared
    by every proposal that considers it) and how it stands to the proposal (`head`, a list
    shared by every option with the same side, gap and phrase, then `extra`). The shared
    lists are never changed: their weights are summed once (`_reader`)."""

    span: Span
    sentence: int
    base: list[str]
    head: list[str]
    extra: list[str]

    @property
    def features(self) -> list[str]:
        """All its features."""
        return self.base + self.head + self.extra


# A `ShowOption` from its fields, built in C without the named tuple's Python constructor
# (a dozen per proposal).
_show_option = partial(tuple.__new__, ShowOption)


class SeasonOption(NamedTuple):
    """A season the proposal might be about (None: no season stated), and where it was
    written (sentence index and offsets; -1 for none, or for an unstated first season)."""

    value: int | None
    features: list[str]
    sentence: int = -1
    start: int = -1
    end: int = -1


def _show_options(
    event: str, sentence: Sentence, phrases: list[Phrase], context: _Context
) -> list[ShowOption]:
    sentences = context.sentences
    options: list[ShowOption] = []
    index = sentence.index
    # The token each phrase starts at, found once for all the spans that lie nearest it.
    at_token: dict[int, int] = {}
    for span, features in context.free_spans(sentence):
        phrase = phrases[0] if len(phrases) == 1 else _nearest(phrases, span.start, span.end)
        at = at_token.get(phrase.start)
        if at is None:
            at = at_token[phrase.start] = _phrase_token(sentence, phrase)
        head, relation = _relation(event, sentence, span, at, phrase)
        options.append(_show_option((span, index, features, head, relation)))
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
        head = _FROM[event, tag]
        for span, features in context.free_spans(source):
            extra = ["also_local"] if span.name.lower() in local else []
            options.append(_show_option((span, other, features, head, extra)))
    # A body sentence that names nothing may name its shows in the next one, as roundups
    # do ("Two dramas were renewed. Both A and B drew ..."); the title's are already here.
    following = index + 1
    if index and not local and following < len(sentences) and following not in near:
        source = context.describe(sentences[following])
        head = _FROM[event, "from_next"]
        own = [_NEXT_OWN] if any(event in p.events for p in source.phrases) else []
        for span, features in context.free_spans(source):
            options.append(_show_option((span, following, features, head, own)))
    return options


class _SideNames:
    """The relation feature names of a span on one side of its phrase."""

    def __init__(self, side: str) -> None:
        self.side = intern(f"side={side}")
        self.gap = {n: intern(f"{side}|gap={n}") for n in (0, 1, 2, 3, 5, 9)}
        self.event_gap = Names(lambda k: f"{k[0]}|{side}|gap={k[1]}")
        self.phrase = Names(lambda k: f"{k[0]}|{k[1]}|{side}")
        self.between = Names(f"{side}|btw=")
        # The first features of a relation, by (event, gap bucket, phrase name): a few
        # hundred lists at most.
        self.heads: dict[tuple[str, int, str], list[str]] = {}


_SIDES = {side: _SideNames(side) for side in ("before", "after")}
_GAP = {n: intern(f"gap={n}") for n in (0, 1, 2, 3, 5, 9)}
_BETWEEN = Names("btw=")
_FROM = {
    (event, tag): [tag, intern(f"{event}|{tag}")]
    for event in "RCEP"
    for tag in ("from_title", "from_lede", "from_next")
}
_NEXT_OWN = "next_own"  # the next sentence has its own phrase for the event


def _relation(
    event: str, sentence: Sentence, span: Span, at: int, phrase: Phrase
) -> tuple[list[str], list[str]]:
    """How a span stands to its phrase: the shared head of its features, and the rest."""
    tokens = sentence.tokens
    if span.last < at:
        side, gap = "before", at - span.last - 1
        low, high = span.last + 1, at
        text_between = sentence.text[span.end : phrase.start]
    else:
        end = at + len(phrase.text.split())
        side, gap = "after", max(0, span.first - end)
        low, high = end, span.first
        text_between = sentence.text[phrase.end : span.start]
    # The words between are named only when there are few of them.
    between = [tokens[k].lower for k in range(low, high)] if high - low <= 4 else None
    bucket = gap if gap < 3 else (3 if gap < 5 else (5 if gap < 9 else 9))
    named = _SIDES[side]
    head = named.heads.get((event, bucket, phrase.name))
    if head is None:
        head = named.heads[event, bucket, phrase.name] = [
            "local",
            named.side,
            _GAP[bucket],
            named.gap[bucket],
            named.event_gap[event, bucket],
            named.phrase[event, phrase.name],
        ]
    extra: list[str] = []
    if between is not None:
        extra += map(_BETWEEN.__getitem__, between)
        extra += map(named.between.__getitem__, between)
    else:
        extra.append("btw_long")
    if "," in text_between or ";" in text_between:
        extra.append("comma_between")
    low, high = min(span.last, at), max(span.first, at)
    for other in sentence.spans:  # in order of start, so of first token
        if other.first >= high:
            break
        if other.first > low and other.last < high and other is not span:
            extra.append("span_between")
            break
    return head, extra


def _season_options(
    event: str, sentence: Sentence, phrases: list[Phrase], sentences: list[Sentence]
) -> list[SeasonOption]:
    options = [SeasonOption(None, [f"{event}|none", "none"])]
    if event in ("P", "C"):  # a new series premieres, or is axed, in its unstated first season
        options.append(SeasonOption(1, _first_season_features(event, sentence, sentences)))
    pools: list[tuple[Sentence, str]] = [(sentence, "same")]
    if sentence.index == 0:
        pools += [(s, "lede") for s in sentences[1 : _LEDE + 1]]
    else:
        pools.append((sentences[0], "title"))
        # "the third seasons of X and Y" in one sentence, "both return July 12" in the next
        pools += [(s, "near") for s in sentences[1 : _LEDE + 1] if s.index != sentence.index]
    for source, where in pools:
        for ref in source.seasons:
            phrase = _nearest(phrases, ref.start, ref.end)
            for value, how in _season_values(event, ref):
                features = _season_features(event, source, phrase, ref, where, how)
                options.append(SeasonOption(value, features, source.index, ref.start, ref.end))
    return options


# Words that say how new a show is ("new drama", "freshman series", and "sophomore" against).
_FIRST_CUES = frozenset((
    "new", "debut", "debuts", "debuting", "freshman", "first", "one", "single", "original",
    "limited", "upcoming", "launch", "launches", "launching", "adaptation", "docuseries",
    "miniseries", "series", "premiere", "premieres", "rookie", "inaugural", "sophomore",
))  # fmt: skip


def _first_season_features(event: str, sentence: Sentence, sentences: list[Sentence]) -> list[str]:
    """An unstated first season: how the sentence and the title describe the show."""
    e = event
    features = [f"{e}|inf1", "inf1"]
    if sentence.seasons:
        features.append(f"{e}|inf1|has_ref")
    if sentences[0].seasons:
        features.append(f"{e}|inf1|title_ref")
    features += [f"{e}|inf1|cue={w}" for w in sorted(_FIRST_CUES & sentence.words)]
    if sentence.index:
        features += [f"{e}|inf1|tcue={w}" for w in sorted(_FIRST_CUES & sentences[0].words)]
    return features


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
    if ref.loose:
        flags.append(f"loose={ref.loose}")
    features += [f"{e}|{flag}" for flag in flags]
    features += [f"{e}|{flag}|how={how}" for flag in flags]
    before = source.lower[max(0, ref.start - 25) : ref.start]
    for word in _WORD.findall(before)[-2:]:
        features.append(f"{e}|pre={word}")
        features.append(f"{e}|pre={word}|how={how}")
    # "Season 3 finale", "season two premiered": what follows says whether it is news.
    for word in _WORD.findall(source.lower[ref.end : ref.end + 20])[:2]:
        features.append(f"{e}|post={word}")
    return list(dict.fromkeys(features))  # fmt: skip
