"""Titles written in quotes ("'The Birch' Renewed For Season 2"): the surest way a sentence
names a show, so a quoted title may be a show the catalogue does not know yet.

A candidate is refused when it cannot be a title: a network, a month or weekday, a
placeholder ("[Show Name]"), or words that describe rather than name ("Popular Series").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.recognition._networks import is_network_name

_MAX_WORDS = 8
# A quoted title: straight quotes after `normalise`; the closing quote must not be an
# apostrophe inside a word ("Grey's Anatomy" stays whole, "Jonas' spy thriller" is no title).
_QUOTED = re.compile(
    r"(?<![\w'])'(?P<a>[A-Z0-9](?:[^'\n]|'(?=s\b|\d\d\b)){0,70}?)[,.!?]?'(?![\w])"
    r"|\"(?P<b>[A-Z0-9][^\"\n]{0,70}?)[,.!?]?\""
)
_GENERIC = frozenset(
    [
        "series",
        "show",
        "shows",
        "drama",
        "dramas",
        "comedy",
        "comedies",
        "sitcom",
        "sitcoms",
        "thriller",
        "thrillers",
        "favorite",
        "favourite",
        "fan-favorite",
        "fan-favourite",
        "popular",
        "hit",
        "hits",
        "hottest",
        "biggest",
        "best",
        "top",
        "beloved",
        "acclaimed",
        "critically",
        "original",
        "originals",
        "new",
        "another",
        "its",
        "one",
        "your",
        "our",
        "their",
        "this",
        "these",
        "those",
        "every",
        "all",
        "tv",
        "streaming",
        "most-watched",
        "cult",
        "breakout",
        "flagship",
        "name",
        "placeholder",
        "season",
        "seasons",
        "episode",
        "episodes",
        "renewal",
        "renewals",
        "cancellation",
        "cancellations",
        "network",
        "networks",
        "streamer",
        "streamers",
        "list",
        "roundup",
        "update",
        "updates",
        "report",
        "reports",
        "news",
        "week",
        "weekly",
        "daily",
        "premiere",
        "premieres",
        "finale",
        "cast",
        "trailer",
        "teaser",
        "exclusive",
        "breaking",
        "watch",
        "star",
        "stars",
        "creator",
        "showrunner",
        "reboot",
        "revival",
        "spinoff",
        "spin-off",
        "prequel",
        "sequel",
        "franchise",
        "version",
        "adaptation",
        "film",
        "movie",
        "movies",
        "documentary",
        "docuseries",
        "miniseries",
        "anthology",
        "title",
        "titles",
        "program",
        "programme",
        "more",
        "other",
        "some",
        "many",
        "several",
        "three",
        "two",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dead",
        "alive",
        "officially",
        "confirmed",
        "renewed",
        "cancelled",
        "canceled",
        "axed",
        "ending",
        "ends",
    ]
)
_NOT_A_NAME = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tonight"
    r"|Tomorrow|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Season|Series|Episode|Part"
    r"|Volume|Chapter|Update|Breaking|Exclusive|Report|Watch|News|TV|OMG|Netflix|Hulu"
    r"|Uncancelled|Renewed|Cancelled|Canceled|Axed|Confirmed|Officially|It|It's|This|That"
    r"|They|We|You|I|He|She|There|Here|And|But|So|Yes|No|Eyes|Eyeing|Nears|Nearing|Gets"
    r"|Lands|Scores|Sets|Earns|Wins|Hits|Plans|Targets|Imminent|Announced|Confirmed|Official"
    r"|Revealed|Ordered|Greenlit|Could|Would|Will|Might|Should|Unlikely|Likely|Expected"
    r"|Coming|Happening|Done|Over|Back|Returns?|Premieres?|Debuts?|Arrives?|Drops?"
    r"|Uncancelled|Uncanceled|Saved|Revived|Picked|Ends?|Ending|Final|Last|Finally|Now"
    r"|Again|Soon|Early|Late|Later|Report|Reports|Rumor|Rumour|Sources|Insiders|Says|Gives"
    r"|Hands|Orders|Renews|Cancels|Axes|Saves|Revives|Picks|Greenlights|Confirms|Announces"
    r"|Reveals|Unveils|Teases|Shares|Relax|Breaking|Exclusive|Update|Watch|Uh|Oh|Wow)\.?$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset(
    ["of", "the", "and", "in", "on", "at", "to", "for", "with", "a", "an", "or", "from", "x"]
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible show name as written in a sentence, with its span."""

    name: str
    start: int
    end: int


def quoted_titles(text: str) -> list[Candidate]:
    """Titles written in quotes, left to right; long quotations and quoted speech are not
    titles."""
    found: list[Candidate] = []
    if "'" not in text and '"' not in text:
        return found  # most sentences quote nothing: no need to scan them
    for match in _QUOTED.finditer(text):
        group = "a" if match.group("a") is not None else "b"
        raw = match.group(group)
        name = raw.strip().rstrip(",.;:!?").strip()
        if not name or len(name.split()) > _MAX_WORDS or not plausible_name(name, quoted=True):
            continue
        # Speech ("'It's done,' he said") is a sentence, not a title.
        if re.match(
            r"\s*(?:he|she|they|it|we)\s+(?:said|says|added|told|joked)\b",
            text[match.end() :],
            re.IGNORECASE,
        ):
            continue
        start = match.start(group)
        found.append(Candidate(name, start, start + len(name)))
    return found


def plausible_name(name: str, *, quoted: bool = False) -> bool:
    """False for what cannot be a show's name: networks, months, weekdays, placeholders,
    descriptions ("Popular Series"), a lone small word. A quoted name is a title by the
    writer's own marking, so only words that are all generic disqualify it ("Great News")."""
    name = name.strip()
    if not name or len(name) > 70 or not any(c.isalnum() for c in name):
        return False
    if "[" in name or "]" in name or is_network_name(name) or _NOT_A_NAME.match(name):
        return False
    words = [w.lower().strip(".,'\"!?:") for w in name.split()]
    if all(w in _GENERIC or w in _SMALL_WORDS or w.isdigit() for w in words):
        return False
    if quoted:
        return True
    return not (words[-1] in _GENERIC or words[0] in {"its", "your", "our", "their", "one"})
