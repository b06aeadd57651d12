"""A premiere proposal's value options: the dates and windows it might give, each with its
features, and how each stands to one chosen show (a roundup gives each show its own date).
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from bot.recognition._options import ShowOption
from bot.recognition._phrases import Phrase
from bot.recognition._season_for_show import show_mentions
from bot.recognition._sentences import _WORD, Sentence, _nearest
from bot.recognition._spans import Span
from bot.recognition._value_cues import value_cues
from bot.recognition._windows import WindowRef


class ValueOption(NamedTuple):
    """A premiere date or window the proposal might give (both None: neither), and where
    its sentence states it (-1 for neither)."""

    date: date | None
    window: WindowRef | None
    features: list[str]
    start: int = -1
    end: int = -1


_REFINED_GAP = 30  # characters between a window and the date that refines it


def _value_options(
    sentence: Sentence, phrases: list[Phrase], published: date | None
) -> list[ValueOption]:
    options = [ValueOption(None, None, ["none"])]
    # A date beside a window it falls in says the same premiere more exactly: "next month,
    # on Sept. 21", "this fall (Sept. 12)".
    pairs = [
        (ref, window)
        for ref in sentence.dates
        for window in sentence.windows
        if window.start_date <= ref.value <= window.end_date
        and max(ref.start, window.start) - min(ref.end, window.end) < _REFINED_GAP
    ]
    refining = {id(ref) for ref, _ in pairs}
    refined = {id(window) for _, window in pairs}
    for ref in sentence.dates:
        phrase = _nearest(phrases, ref.start, ref.end)
        features = _value_place(sentence, phrase, ref.start, ref.end, "date")
        if ref.relative:
            features.append("date_relative")
        if id(ref) in refining:
            features.append("date_refines_window")
        if published is not None:
            days = (ref.value - published).days
            features.append(
                "date_past" if days < 0 else ("date_soon" if days < 60 else "date_later")
            )
        options.append(ValueOption(ref.value, None, features, ref.start, ref.end))
    for window in sentence.windows:
        phrase = _nearest(phrases, window.start, window.end)
        features = _value_place(sentence, phrase, window.start, window.end, "window")
        features.append(f"window_kind={window.kind.value}")
        if id(window) in refined:
            features.append("window_refined_by_date")
        if published is not None and window.end_date < published:
            features.append("window_past")
        options.append(ValueOption(None, window, features, window.start, window.end))
    return options


# What may stand between a title and its own date: "Gotham (Jan. 3)", "Ghosts: Sept. 29".
_VALUE_BESIDE = re.compile(r"[\"'\u201d\u2019]?\s*[(:,\u2013\u2014-]?\s*(?:on|returns?(?: on)?)?")


def titles_of(shows: list[ShowOption], index: int) -> list[Span]:
    """The spans of sentence `index` that are surely titles (quoted or known)."""
    return [o.span for o in shows if o.sentence == index and (o.span.quoted or o.span.known)]


def value_for_show(
    options: list[ValueOption], show: ShowOption, sentence: Sentence, others: list[Span]
) -> list[list[str]]:
    """Each date or window option's features with how it stands to one chosen show, so a
    roundup ("A (Dec. 30), B (Jan. 2)") gives each show its own date: right beside its
    name, nearest to it, or with another title in between. `others` are the other
    titles (quoted or known) the sentence names."""
    span = show.span
    here = show.sentence == sentence.index
    mention = False
    if not here:
        # A show chosen from the headline that the sentence names too ("'A' sets its
        # premiere" over "'A' returns Jan. 3, 'B' Jan. 10"): its dates stand beside that.
        mentions = show_mentions(show, sentence)
        if mentions:
            span, here, mention = mentions[0], True, True
    placed = [o for o in options if o.start >= 0]
    gaps = {
        id(o): o.start - span.end if o.start >= span.end else span.start - o.end
        for o in placed
    }  # fmt: skip
    nearest = min(gaps.values(), default=None)
    out: list[list[str]] = []
    for option in options:
        if option.start < 0:
            out.append(option.features)
            continue
        if not here:
            out.append([*option.features, "vs_elsewhere"])
            continue
        after = option.start >= span.end
        low, high = (span.end, option.start) if after else (option.end, span.start)
        between = sentence.text[low:high]
        side = "after" if after else "before"
        gap = gaps[id(option)]
        extra = [f"vs_{side}_" + ("near" if gap < 40 else "far")]
        if after and _VALUE_BESIDE.fullmatch(between.strip()):
            extra.append("vs_beside")
        if gap == nearest:
            extra.append("vs_nearest")
        if any(low <= o.start and o.end <= high for o in others if o is not span):
            extra.append("vs_other_title_between")
        if mention:
            extra.append("vs_mention")
        out.append(option.features + extra)
    return out


def _value_place(sentence: Sentence, phrase: Phrase, start: int, end: int, kind: str) -> list[str]:
    side = "before" if end <= phrase.start else "after"
    distance = phrase.start - end if side == "before" else start - phrase.end
    near = "adjacent" if distance < 5 else ("near" if distance < 30 else "far")
    before_words = _WORD.findall(sentence.lower[max(0, start - 20) : start])[-2:]
    after_words = _WORD.findall(sentence.lower[end : end + 20])[:2]
    features = [kind, f"{kind}|{side}|{near}", f"{kind}|{phrase.name}|{side}"]
    features += [f"{kind}|pre={w}" for w in before_words]
    features += [f"{kind}|post={w}" for w in after_words]
    others = len(sentence.dates) + len(sentence.windows)
    if others > 1:
        features.append(f"{kind}|several")
    for word in ("finale", "film", "movie", "trailer", "episode", "filming", "production", "tour"):
        if word in sentence.words:
            features.append(f"{kind}|ctx={word}")
    # "opened in April", "first aired back in 2010": a value the sentence tells as history.
    lead = _WORD.findall(sentence.lower[max(0, start - 40) : start])[-4:]
    if any(w in _PAST_WORDS or (w.endswith("ed") and w not in _AHEAD_WORDS) for w in lead):
        features.append(f"{kind}|past_told")
    # "production beginning in July", "its finale in May": the value times something else.
    before = _WORD.findall(sentence.lower[max(0, start - 50) : start])[-6:]
    if any(w in _OTHER_TIMINGS for w in before):
        features.append(f"{kind}|times_other")
    features += value_cues(sentence.lower, start, end, kind)
    return list(dict.fromkeys(features))


_OTHER_TIMINGS = frozenset(
    (
        "production", "filming", "shooting", "shoot", "finale", "finales", "ending", "ends",
        "wrap", "wraps", "casting", "trailer", "teaser", "tour", "book", "film", "movie",
        "concluded", "concludes", "reunion", "auditions", "panel", "convention",
    )
)  # fmt: skip
_PAST_WORDS = frozenset(
    ("was", "were", "had", "since", "ago", "last", "earlier", "back", "previously", "originally")
)
# Participles that look ahead to a premiere: "slated for", "expected in", "pushed to".
_AHEAD_WORDS = frozenset(
    (
        "scheduled", "slated", "expected", "planned", "confirmed", "announced", "pencilled",
        "penciled", "delayed", "pushed", "moved", "postponed", "tipped", "rumored", "rumoured",
        "renewed", "ordered", "greenlit", "rescheduled", "billed", "teased", "dated", "need",
    )
)  # fmt: skip
