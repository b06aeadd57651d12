"""Networks and streamers named in a text, under one canonical spelling each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.recognition._text import word_start_pattern

# Canonical name -> spellings. Matched case-sensitively: network names are proper nouns,
# and "fox", "max" or "sky" in lower case are ordinary words.
_NETWORKS: dict[str, tuple[str, ...]] = {
    "Prime Video": (
        "Amazon Prime Video",
        "Prime Video",
        "Amazon MGM Studios",
        "Amazon Studios",
        "Amazon Prime",
        "Amazon",
        "Prime",
    ),
    "Netflix": ("Netflix",),
    "Hulu": ("Hulu",),
    "Disney+": ("Disney+", "Disney Plus"),
    "HBO Max": ("HBO Max",),
    "Max": ("Max",),
    "HBO": ("HBO",),
    "Apple TV+": ("Apple TV+", "Apple TV Plus", "Apple TV", "Apple"),
    "Peacock": ("Peacock",),
    "Paramount+": ("Paramount+", "Paramount Plus"),
    "Paramount Network": ("Paramount Network",),
    "CBS": ("CBS",),
    "NBC": ("NBC",),
    "ABC": ("ABC",),
    "Fox": ("FOX", "Fox"),
    "The CW": ("The CW", "CW"),
    "AMC+": ("AMC+",),
    "AMC": ("AMC",),
    "FX": ("FXX", "FX on Hulu", "FX"),
    "Showtime": ("Showtime", "Paramount+ with Showtime"),
    "Starz": ("Starz", "STARZ"),
    "MGM+": ("MGM+", "Epix", "EPIX"),
    "Syfy": ("Syfy", "SYFY", "SyFy"),
    "USA Network": ("USA Network",),
    "TNT": ("TNT",),
    "TBS": ("TBS",),
    "Freeform": ("Freeform",),
    "BBC": ("BBC One", "BBC Two", "BBC Three", "BBC iPlayer", "BBC America", "BBC"),
    "ITV": ("ITVX", "ITV"),
    "Channel 4": ("Channel 4",),
    "Sky": ("Sky Atlantic", "Sky Max", "Sky"),
    "Crave": ("Crave",),
    "CBC": ("CBC",),
    "Lifetime": ("Lifetime",),
    "Bravo": ("Bravo",),
    "Hallmark": ("Hallmark Channel", "Hallmark"),
    "BET+": ("BET+",),
    "BET": ("BET",),
    "Adult Swim": ("Adult Swim",),
    "Comedy Central": ("Comedy Central",),
    "Acorn TV": ("Acorn TV",),
    "BritBox": ("BritBox",),
    "Shudder": ("Shudder",),
    "Tubi": ("Tubi",),
    "The Roku Channel": ("The Roku Channel", "Roku"),
    "Facebook Watch": ("Facebook Watch",),
    "YouTube": ("YouTube",),
    "National Geographic": ("National Geographic", "Nat Geo"),
    "Discovery+": ("Discovery+",),
    "A&E": ("A&E",),
    "TLC": ("TLC",),
    "HGTV": ("HGTV",),
    "Nickelodeon": ("Nickelodeon",),
    "Disney Channel": ("Disney Channel",),
    "Cartoon Network": ("Cartoon Network",),
    "Mubi": ("Mubi", "MUBI"),
    "Crunchyroll": ("Crunchyroll",),
    "Stan": ("Stan",),
    "Canal+": ("Canal+",),
}
_SPELLING_TO_NAME = {
    spelling: name for name, spellings in _NETWORKS.items() for spelling in spellings
}
# Longest spelling first so "HBO Max" is not read as "HBO". The look-behind keeps
# "Max" in "Mad Max" and "Prime" in "Prime Minister" from counting.
NETWORK_PATTERN = word_start_pattern(
    [re.escape(s) for s in sorted(_SPELLING_TO_NAME, key=len, reverse=True)],
    r"(?![\w+])(?!\s+(?:Minister|News|Business|Sports|Searchlight|Studios?\b(?!\s+head)))",
    before=r"[\w+]",
)
_WEAK = frozenset({"Max", "Prime", "Sky", "Stan", "Roku"})
_WEAK_CONTEXT = re.compile(r"(?:\bon|\bat|\bby|\bto|\bfrom|\bwith|'s|streamer)\s*$")


@dataclass(frozen=True, slots=True)
class NetworkRef:
    """A network or streamer named in a text."""

    name: str
    start: int
    end: int


def find_networks(text: str) -> list[NetworkRef]:
    """Networks named in `text`, left to right. Spellings that are also ordinary words
    ("Max", "Prime", "Sky") count only after "on", "at", "by" and the like."""
    found: list[NetworkRef] = []
    for match in NETWORK_PATTERN.finditer(text):
        spelling = match.group()
        if spelling in _WEAK and not _WEAK_CONTEXT.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        found.append(NetworkRef(_SPELLING_TO_NAME[spelling], match.start(), match.end()))
    return found


def is_network_name(words: str) -> bool:
    """True when `words` is exactly a network's spelling (used to reject it as a show)."""
    return words.strip() in _SPELLING_TO_NAME
