"""The features of a span that might be a proposal's show: what it looks like, and how it
stands to the other spans and to the names the title and lede give (`Elsewhere`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import repeat
from operator import attrgetter
from sys import intern

from bot.recognition._names import Names
from bot.recognition._sentences import Sentence

_LIST_AFTER = re.compile(r"[\"']?(?:,|\s+(?:and|&)\s)")
_LIST_BEFORE = re.compile(r"(?:,|\s(?:and|&))\s+[\"']?$")


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
_SPAN_PRE = Names("pre=")
# Words that say what a name is: "the drama X", "X, the comedy", "the X TV series".
_KIND_WORDS = frozenset(
    (
        "series", "show", "shows", "drama", "dramas", "comedy", "comedies", "sitcom", "sitcoms",
        "thriller", "docuseries", "miniseries", "reboot", "revival", "spinoff", "spin-off",
        "procedural", "anthology", "tv", "dramedy",
    )
)  # fmt: skip
_LOWER = attrgetter("lower")  # a `Token`'s lower-cased text, in C
_REPEAT_S = repeat("'s")


def _span_features(
    sentence: Sentence, whole: str, title: str, elsewhere: Elsewhere
) -> list[list[str]]:
    """What each of the sentence's spans looks like, and how it stands to the other spans:
    a piece of a longer name ("A Place" in "A Place to Call Home") or a name with words run
    on ("Greenleaf from Lionsgate"), here or where the title or lede names the show again
    (`elsewhere`: those names, space-padded)."""
    tokens = sentence.tokens
    last_token = len(tokens) - 1
    lowers = list(map(_LOWER, tokens))
    named = _SPAN_HC if sentence.headline_case else _SPAN_RC
    text, spans = sentence.text, sentence.spans
    body = sentence.index > 0
    several = "\n" in whole  # the sentences are joined by line breaks
    names, longer, shorter = elsewhere.names, elsewhere.longer, elsewhere.shorter
    # A show the catalogue knows may share a network's name ("Peacock renewed Poker Face").
    networks = {text[n.start : n.end].lower() for n in sentence.networks}
    out: list[list[str]] = []
    for span in spans:
        first, last = span.first, span.last
        prev = lowers[first - 1] if first > 0 else "^"
        after = lowers[last + 1] if last < last_token else "$"
        length = min(last - first + 1, 5)
        first_word = lowers[first]
        features = [
            _SPAN_LEN[length],
            named.length[length],
            _SPAN_PREV[prev],
            _SPAN_NEXT[after],
            named.prev[prev],
            named.next[after],
            _SPAN_FIRST[first_word],
            _SPAN_LAST[lowers[last]],
        ]
        if prev in _KIND_WORDS:
            features.append("kind_before")
        if after in _KIND_WORDS:
            features.append("kind_after")
        # The words a little before the name ("from the creators of X", "a prequel to
        # X", "hit shows like X"): a show named as context, not as the news.
        if first > 1:
            features += map(_SPAN_PRE.__getitem__, lowers[max(0, first - 4) : first - 1])
        if span.quoted:
            features.append("quoted")
        if span.known:
            features.append("known_doubtful" if span.doubtful else "known")
            features.append(named.known_doubtful if span.doubtful else named.known)
        if span.possessive:
            features.append("possessive")
        if networks and span.name.lower() in networks:
            features.append("network_name")
        if first == 0:
            features.append(named.at_start)
        if last == last_token:
            features.append("at_end")
        if first < last and any(map(str.__contains__, lowers[first:last], _REPEAT_S)):
            features.append("inner_possessive")
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
        # Only where the entry has more than one sentence: a feed item with a headline
        # alone names its show once, and that says nothing against it.
        if several:
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
        return any(map(str.__contains__, longer, repeat(name)))

    def shorter(self, name: str) -> bool:
        """Whether `name` holds a shorter name."""
        shorter = self._by_length[: bisect_left(self._lengths, len(name))]
        return any(map(name.__contains__, shorter))
