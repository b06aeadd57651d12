"""Names of shows the catalogue does not know yet, read from how a sentence writes them: a
quoted title ("'The Birch' Renewed For Season 2"), or a capitalised name right before or
after an announcing verb ("Netflix renews Bloodline for season three").

A candidate is refused when it cannot be a title: a network, a month or weekday, a
placeholder ("[Show Name]"), words that describe rather than name ("Popular Series", "One
Of Its Hottest Shows"), or a person's possessive that owns the real title ("Priyanka
Chopra's Citadel" names "Citadel").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.recognition._networks import NETWORK_PATTERN, is_network_name

_MAX_WORDS = 8
# A quoted title: straight quotes after `normalise`; the closing quote must not be an
# apostrophe inside a word ("Grey's Anatomy" stays whole, "Jonas' spy thriller" is no title).
_QUOTED = re.compile(
    r"(?<![\w'])'(?P<a>[A-Z0-9](?:[^'\n]|'(?=s\b|\d\d\b)){0,70}?)[,.!?]?'(?![\w])"
    r"|\"(?P<b>[A-Z0-9][^\"\n]{0,70}?)[,.!?]?\""
)
_NAME_WORD = r"(?:[A-Z0-9][\w'.&!+/-]*|&)"
_SMALL = r"(?:of|the|and|in|on|at|to|for|with|a|an|de|la|le|del|von|van|or|&|vs\.?|x|from)"
_NAME_BACK = re.compile(rf"{_NAME_WORD}(?:(?::\s+|\s+)(?:{_SMALL}\s+)*{_NAME_WORD})*$")
_NAME_FORWARD = re.compile(rf"^{_NAME_WORD}(?:(?::\s+|\s+)(?:{_SMALL}\s+)*{_NAME_WORD})*")
_TRAILING_SMALL = re.compile(rf"(?:\s+{_SMALL})+$", re.IGNORECASE)
_LEADING_SMALL = re.compile(r"^(?:of|and|in|on|at|to|for|with|or|from|&)\s+", re.IGNORECASE)
# What may sit between a name and its verb: auxiliaries and adverbs ("'Citadel' has been
# officially renewed"), a season ("Severance Season 3 Officially Greenlit").
_BETWEEN = re.compile(
    r"(?:\s+|^)(?:(?:has|have|had|been|is|are|was|were|be|will|would|to|gets?|got|officially"
    r"|already|reportedly|now|also|finally|just|quietly|formally|being|set|expected|poised"
    r"|as)\b|(?:season|series|staffel)\s+[\w-]+|S\d{1,2}|(?:'s)?\s*(?:new|next|final|latest"
    r"|upcoming)\s+season|(?:für|um)\s+(?:eine\s+)?(?:Staffel\s+\d+|\w+\s+Staffel)"
    r"(?:\s+(?:bei|auf|von)\s+[A-Z][\w+]*(?:\s+(?:und\s+)?[A-Z][\w+]*){0,3})?)\s*$",
    re.IGNORECASE,
)
# A person or owner before the real title: "Priyanka Chopra's Citadel", "Netflix's The Order".
_OWNER = re.compile(r"^(?:.*?\b)?[\w.-]+(?:'s|s')\s+(?=[A-Z0-9'\"])")
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
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
# Inside a capitalised headline run, a preposition followed by a network, a season, a
# number or a date ends the name: "Bloodline For Season 3 At Netflix".
_TAIL = re.compile(
    r"\s+(?:at|on|by|for|through|with|after|before|ahead\s+of|as|in|to|from|until|despite"
    r"|amid|following|over|into)\s+(?="
    + NETWORK_PATTERN.pattern
    + r"|(?i:seasons?\b|series\s+\d|s\d|the\s+season|an?\s|another\b|its\b|their\b|his\b"
    r"|her\b|\d|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|nine\b|ten\b"
    r"|first\b|second\b|third\b|fourth\b|fifth\b|sixth\b|final\b|last\b|christmas\b"
    r"|weekly\b|more\b|just\b|only\b)|" + _MONTH + r")"
)
# A run right before a lower-case noun is a modifier ("the Jenna Ortega series", "an Alan
# Ritchson-led action drama", "Kristen Bell and Adam Brody romcom"), not a title.
_MODIFIES_NOUN = re.compile(
    r"^\s*(?!(?:for|to|after|at|by|as|with|in|on|from|into|ahead|despite|following|through"
    r"|until|amid|and|or|but|a|an|the|its|their|is|are|was|were|has|have|had|will|would|gets?"
    r"|got|said|says|season|seasons|officially|finally|also|now|just|this|that|which"
    r"|who|over|before|about|of|than|when|while|because|since|if|even|still|again|back)\b)"
    r"[a-z][a-z-]+\b"
)
_ADJECTIVE_END = re.compile(
    r"-(?:led|winning|nominated|starring|fronted|helmed|produced|created|language|based|set"
    r"|era|style|themed|inspired|adjacent|verse|centric)$|(?:'s|s')$",
    re.IGNORECASE,
)
_APPOSITION = re.compile(r",\s+(?:the|a|an|its|their)\s+[^,]{1,70}$")
# A run that starts with a preposition or a season word is the rest of a headline ("After
# Two Seasons at Peacock"), unless a title plainly follows ("For the People", "From").
_STARTS_BADLY = re.compile(
    r"^(?:(?:after|before|ahead|through|for|at|by|with|from|to|as|in|on)\s+(?:season|seasons"
    r"|series|an?\b|another|its|their|his|her|one|two|three|four|five|six|\d)"
    r"|(?:ahead|through|at|by|as)\b"
    r"|(?:season|seasons|series|part|volume|episode|chapter|s\d|first|second|third|fourth|fifth"
    r"|sixth|seventh|eighth|ninth|tenth|final|last|next|another|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|\d+(?:st|nd|rd|th)?)\b)",
    re.IGNORECASE,
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


def _cut_tail(written: str) -> str:
    """Drop what follows a name inside a capitalised run: "Bloodline For Season 3 At
    Netflix" is "Bloodline"."""
    cut = _TAIL.search(written)
    return written[: cut.start()] if cut else written


def name_before(text: str, pos: int) -> Candidate | None:
    """A capitalised name ending just before `pos` (the verb), reading through auxiliaries
    and a season ("Bloodline Renewed", "Narcos has been renewed", "Silo Season 3 Ordered")."""
    end = pos
    while True:
        between = _BETWEEN.search(text, 0, end)
        if between is None or between.start() == end:
            break
        end = between.start()
    head = text[:end].rstrip(" ,:(\"'")
    # An apposition between name and verb: "The Brothers Sun, the Michelle Yeoh-led
    # family crime comedy, will not return".
    head = _APPOSITION.sub("", head).rstrip(" ,:(\"'")
    match = _NAME_BACK.search(head)
    if match is None:
        return None
    start = match.start()
    written = _TRAILING_SMALL.sub("", match.group())
    if _ADJECTIVE_END.search(written):
        return None
    owner = _OWNER.match(written)
    if owner is not None:
        start += owner.end()
        written = written[owner.end() :]
    # A list names its last item nearest the verb: "Alaska Daily and The Company You Keep".
    parts = re.split(r",\s+|\s+and\s+", written)
    if len(parts) > 1:
        start += len(written) - len(parts[-1])
        written = parts[-1]
    written = _strip_network_owner(written)
    if _STARTS_BADLY.match(written):
        return None
    return _candidate(text, written, start)


def names_before(text: str, pos: int) -> list[Candidate]:
    """Like `name_before`, with the names listed before it: "Alaska Daily and The Company
    You Keep would end" gives both."""
    last = name_before(text, pos)
    if last is None:
        return []
    found = [last]
    head = text[: last.start]
    while True:
        joint = re.search(r"(?:,\s+(?:and\s+)?|\s+and\s+)$", head)
        if joint is None:
            break
        match = _NAME_BACK.search(head[: joint.start()])
        if match is None:
            break
        written = _TRAILING_SMALL.sub("", match.group())
        written = re.split(r",\s+|\s+and\s+", written)[-1]
        candidate = _candidate(text, written, match.start())
        if candidate is None or _ADJECTIVE_END.search(written):
            break
        found.insert(0, candidate)
        head = text[: candidate.start]
    return found


def name_after(text: str, pos: int) -> Candidate | None:
    """A capitalised name starting at `pos` (just after the verb): "renews Bloodline for",
    "picked up The Bear", "axing freshman series East New York"."""
    tail = text[pos:]
    lead = re.match(r"^(?:[a-z][\w'-]*\s+){0,3}", tail)
    offset = lead.end() if lead and _NAME_FORWARD.match(tail[lead.end() :]) else 0
    match = _NAME_FORWARD.match(tail[offset:])
    if match is None:
        return None
    written = _cut_tail(match.group())
    written = _TRAILING_SMALL.sub("", written)
    if written == match.group() and _MODIFIES_NOUN.match(tail[offset + match.end() :]):
        return None
    written = re.split(r",\s+|\s+and\s+", written)[0]
    owner = _OWNER.match(written)
    start = pos + offset
    if owner is not None:
        start += owner.end()
        written = written[owner.end() :]
    if _ADJECTIVE_END.search(written) or _STARTS_BADLY.match(written):
        return None
    return _candidate(text, written, start)


def title_case(written: str) -> str:
    """A show name as it is stored: as written, but Title Case when written in capitals
    ("THE MADISON" -> "The Madison"), without quotes or trailing punctuation."""
    name = written.strip().strip("'\"").strip().rstrip(",.;:!?").strip()
    if name.isupper() and sum(c.isalpha() for c in name) > 4:
        words = name.lower().split()
        name = " ".join(
            w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return name


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


def _strip_network_owner(written: str) -> str:
    match = NETWORK_PATTERN.match(written)
    if match is not None and written[match.end() :].startswith(("'s ", " ")):
        rest = written[match.end() :].removeprefix("'s").strip()
        if rest and rest[0].isupper():
            return rest
    return written


def _candidate(text: str, written: str, start: int) -> Candidate | None:
    written = _LEADING_SMALL.sub("", written).strip()
    if not written:
        return None
    start = text.find(written, start)
    if start < 0 or not plausible_name(written):
        return None
    return Candidate(written, start, start + len(written))
