"""What a date or window times, from the event words nearest it in its clause: a premiere
("returns in March"), something else ("filming begins in May", "the finale airs in
November"), a premiere told as history ("since premiering in August 2021"), or a span
("ran from 2012 until 2021"). The value model weighs these: a sentence with a premiere
phrase often gives the date of something else too.
"""

from __future__ import annotations

import re

from bot.recognition._sentences import _WORD

# Each cue word's class. A word of no class is skipped; the nearest word of a class on
# each side, within the clause, names a feature.
_CLASSES = {
    **dict.fromkeys(
        (
            "premiere", "premieres", "premiering", "debut", "debuts", "debuting", "return",
            "returns", "returning", "arrive", "arrives", "arriving", "arrival", "launch",
            "launches", "launching", "air", "airs", "airing", "stream", "streaming", "release",
            "releases", "drop", "drops", "dropping", "hits", "lands", "bows", "back", "coming",
            "slated", "scheduled", "expected", "set", "due",
        ),
        "ahead",
    ),
    **dict.fromkeys(
        (
            "premiered", "debuted", "launched", "aired", "returned", "arrived", "released",
            "dropped", "bowed", "ran", "began", "started", "was", "were",
        ),
        "past",
    ),
    **dict.fromkeys(("since", "ago", "last", "previously", "originally"), "since"),
    **dict.fromkeys(("until", "till", "through", "thru"), "until"),
    **dict.fromkeys(("begin", "begins", "beginning", "start", "starts", "kick", "kicks"), "start"),
    **dict.fromkeys(
        (
            "finale", "finales", "ending", "ends", "ended", "end", "concludes",
            "concluded", "conclude", "concluding", "wrap", "wraps", "wrapped", "wrapping",
        ),
        "finale",
    ),
    **dict.fromkeys(
        (
            "filming", "filmed", "film", "shooting", "shoot", "shot", "production", "produced",
            "casting", "cast", "script", "scripts", "writing", "writers",
        ),
        "making",
    ),
    **dict.fromkeys(
        (
            "trailer", "teaser", "tour", "book", "movie", "reunion", "panel", "convention",
            "comic-con", "festival", "awards", "emmys", "upfronts", "upfront",
        ),
        "other",
    ),
    **dict.fromkeys(("renewed", "renewal", "renews", "ordered", "greenlit"), "renewal"),
    **dict.fromkeys(("cancelled", "canceled", "axed", "cancels", "cancellation"), "cancel"),
}  # fmt: skip
# Where a clause ends: a value's cues lie between these.
_CLAUSE_END = re.compile(r"[.;!?()\u2014]|\s-\s|,\s+(?:but|while|which|who|when|and)\b")
_BEFORE_WORDS = 8
_AFTER_WORDS = 5


def value_cues(lower: str, start: int, end: int, kind: str) -> list[str]:
    """The cue features of the value at `start`..`end` of the lower-cased sentence: the
    class of the nearest cue on each side, each class present on each side, and the
    nearest cue word itself."""
    head = lower[max(0, start - 100) : start]
    ends = [m.end() for m in _CLAUSE_END.finditer(head)]
    if ends:
        head = head[ends[-1] :]
    tail = lower[end : end + 60]
    stop = _CLAUSE_END.search(tail)
    if stop is not None:
        tail = tail[: stop.start()]
    before = _WORD.findall(head)[-_BEFORE_WORDS:]
    after = _WORD.findall(tail)[:_AFTER_WORDS]
    features: list[str] = []
    for side, words in (("b", before[::-1]), ("a", after)):
        seen: set[str] = set()
        for distance, word in enumerate(words):
            cls = _CLASSES.get(word)
            if cls is None or cls in seen:
                continue
            if not seen:
                near = "near" if distance < 3 else "far"
                features += [f"{kind}|cue_{side}1={cls}", f"{kind}|cue_{side}1={cls}|{near}"]
                features.append(f"{kind}|cue_{side}1w={word}")
            seen.add(cls)
            features.append(f"{kind}|cue_{side}={cls}")
    if not features:
        features.append(f"{kind}|cue_none")
    return features
