"""The show catalogue: canonical names and aliases, exact lookups and mentions in text.

Lookups by name go through `name_key`, so "the boys", "The Boys" and "Boys" are one show.
Finding mentions in running text walks a token trie built from every alias (folded tokens,
a leading article set aside), so the cost per text grows with the number of words in the
text, not with the number of shows: a 10,000-show catalogue scans as fast as a small one,
and adding a show only adds its own path to the trie.

Titles that are ordinary words ("From", "Forever", "The Order", "You", "Evil", "Citadel")
are only taken as mentions where the text makes them a title: quoted, capitalised
mid-sentence in running prose, or next to television words ("From season 3", "Netflix's The
Order", "renews Evil"; title_context.py reads the text around them). Everything else is
left out, because a false mention becomes a false alert.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import compress, count
from pathlib import Path
from typing import Protocol

from bot.memo import Memo
from bot.models import Show
from bot.shows.names import fold_text, name_key
from bot.shows.title_context import reads_as_title

# Words common enough in headlines that a title made only of them needs context to count.
_ORDINARY_TEXT = """
    a about accused after again against agency agent all alone also always american an and
    animal another any are around arrow as at away back bad barry be bear before best better
    between big billions black blind bodyguard body bones boots bosch boys brothers but
    butterfly by call can castle chair chance change charmed chosen citadel city class close
    code cold come community company control country countdown cross crown dark dave day
    days dead deal deception deep deputy devil dexter do doc down dream during dynasty earth
    east echo elite empire end equalizer evil expanse eye fall fallout family father feud
    fire first flash for forever found foundation four franchise free friends from game ghost
    ghosts gifted girl girlfriend girls glow go gold golden good great ground hacks halo
    hanna heart heartland heat heated heels help here heroes high hijack home homecoming
    homeland hope house how hunted hunters hunting i idol if in industry innocent insecure
    into invasion is it just kid kids kingdom land last law left legacy let lies life light
    like line little loki loot lost love luther made magicians man manifest matlock matter
    me merlin messiah mind mine mirror mission monarch money monk monster more mother mr mrs
    my neighborhood never new next night nobody not nothing now of off office old on one
    only open or order originals other our out over own paradise party passage penguin
    people perfect physical pitt place platonic pose potential power presumed pretty prison
    project pulse queen ransom real recruit red reboot rescue residence resident reunion
    right ripley rise rivalry road roll rookie room royal rule run saint savior say scandal
    see seasons secret sense servant severance shadow shameless sheriff sherlock shift
    shrinking silo sirens sister sisters sky small smash snowfall so some son space spy star
    state stick still stranger strange studio suits summer sunny superstore supernatural
    survivor sweet take task tell that the their them then there these they thing things
    this those time timeless tires to together top tracker true truth trying twin under
    untamed up upload us very vera vikings violent voice walk walker wants war watch watson
    way wayward we wednesday west what when where who why wild will wind with without woman
    women world yellow yes york you young your
"""
_ORDINARY_WORDS = frozenset(_ORDINARY_TEXT.split())

# A word, keeping internal apostrophes, dots, hyphens and slashes ("S.H.I.E.L.D.",
# "Grey's", "9-1-1", "Sex/Life") so a name tokenises the same way in an alias and in text.
_WORD = re.compile(r"\w+(?:['’.\-/]\w+)*|&")
# A match's whole text, as a function `map` calls in C.
_MATCHED = re.Match.group
_INNER_PUNCT = re.compile(r"['’.\-/]")
_POSSESSIVE = re.compile(r"['’]s$")
_ARTICLES = frozenset({"the", "a", "an"})
_SMALL_TITLE_WORDS = frozenset(
    {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for"} | {"with", "or", "&"}
)

# A lower-case spelling of a title still counts right before a season ("lioness S2").
_SEASON_AFTER = re.compile(r"^(?:['’]s)?\s*(?:season\s+\w|s\d{1,2}\b)", re.IGNORECASE)
# A full stop after an abbreviation ("Mr. Robot", "P.D.") does not end a sentence.
_SENTENCE_BREAK = re.compile(r"[a-z]{3}[.!?]\s|[!?;]\s|\n")
_TITLE_CASE_WORD = re.compile(r"\b[A-Za-z][a-z'’]{3,}\b")


@dataclass(frozen=True, slots=True)
class ShowMention:
    """A catalogue show named in a text: the canonical name and where it was written."""

    show: str  # canonical name
    start: int
    end: int
    text: str  # as written, including a leading "The" when the text has one
    confident: bool = True  # False: an ordinary-word title without context making it one
    ordinary: bool = False  # the title is made of ordinary words ("From", "The Order")


@dataclass(frozen=True, slots=True)
class _Pattern:
    key: str  # name_key of the show it belongs to
    ordinary: bool  # made only of ordinary words, so it needs context
    article: str | None  # the alias's leading article, which the text must then carry
    length: int  # tokens, article excluded


class _Node:
    """A word of the trie: the names (patterns) that end at it and the words that go on."""

    __slots__ = ("children", "patterns")

    def __init__(self) -> None:
        # Most of the trie's nodes (18,000 at 10,000 shows) end a name and lead nowhere,
        # and most of the others end none: the empty ones share these (1.7 MiB less).
        self.children: dict[str, _Node] = _NO_CHILDREN
        self.patterns: tuple[_Pattern, ...] = ()


_NO_CHILDREN: dict[str, _Node] = {}  # never filled: a node's first child gives it a dict


def name_tokens(name: str) -> tuple[str, ...]:
    """The tokens a name is matched by in text: folded, inner punctuation and a trailing
    possessive dropped, "&" read as "and"."""
    return tuple(_token_text(m.group()) for m in _WORD.finditer(name))


def _fold_token(raw: str) -> str:
    if raw == "&":
        return "and"
    if raw.isascii():
        return _INNER_PUNCT.sub("", _POSSESSIVE.sub("", raw.lower()))
    return _INNER_PUNCT.sub("", _POSSESSIVE.sub("", fold_text(raw)))


# `_fold_token` per word, kept: the same words recur across entries, and folding accents
# is the costly part (a dict look-up in C: `Memo`).
_token_text = Memo(_fold_token, 65536).__getitem__


def is_title_cased(text: str) -> bool:
    """True for headline-style text where most longer words are capitalised, so a capital
    letter tells nothing about a word being a name."""
    words = _TITLE_CASE_WORD.findall(text)
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.7 * len(words)


class Names(Protocol):
    """Canonical names by name key: a catalogue too big to find in running text."""

    def get(self, name: str) -> Show | None:
        """The show `name` names exactly, if any."""


class Catalogue:
    """Shows by canonical name and alias; finds shows named in text.

    Behind it may stand more names (`more`): shows it canonicalises (`get`) but does not
    look for in running text, such as the 100,000 shows of the TVmaze mirror, whose
    ordinary titles ("Today", "Love", "The Talk") would make false mentions."""

    def __init__(self, shows: Iterable[Show] = (), *, more: Names | None = None) -> None:
        self._more = more
        self._shows: dict[str, Show] = {}
        self._keys: dict[str, str] = {}  # name_key of a name or alias -> canonical name_key
        self._root = _Node()
        for show in shows:
            self.add(show)

    @classmethod
    def default(cls) -> Catalogue:
        """The seed catalogue: every shipped show (`seed_shows`)."""
        return cls(seed_shows())

    def add(self, show: Show) -> Show:
        """Add a show unless its name (or an alias) is already known; return the stored one.
        Cheap: only the show's own spellings are indexed."""
        key = name_key(show.name)
        if not key:
            raise ValueError(f"a show needs a name with letters or digits: {show.name!r}")
        known = self._keys.get(key)
        if known is not None:
            return self._shows[known]
        self._shows[key] = show
        for spelling in (show.name, *show.aliases):
            spelling_key = name_key(spelling)
            if spelling_key:
                self._keys.setdefault(spelling_key, key)
            self._index_spelling(spelling, key)
        return show

    def get(self, name: str) -> Show | None:
        """The show whose name or alias has the same `name_key` as `name`: one of this
        catalogue's, else one of the names behind it (`more`: the TVmaze mirror)."""
        known = self._keys.get(name_key(name))
        if known is not None:
            return self._shows[known]
        return self._more.get(name) if self._more is not None else None

    def get_own(self, name: str) -> Show | None:
        """Like `get`, among the shows whose names are found in text only."""
        known = self._keys.get(name_key(name))
        return None if known is None else self._shows[known]

    def __iter__(self) -> Iterator[Show]:
        return iter(self._shows.values())

    def __len__(self) -> int:
        return len(self._shows)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def find_mentions(self, text: str, *, include_doubtful: bool = False) -> list[ShowMention]:
        """Shows named in `text`, left to right, without overlaps; the longest name wins, so
        "Citadel: Diana" is not read as "Citadel". Ordinary-word titles without context are
        left out unless `include_doubtful` (then they come with `confident=False`)."""
        matches = list(_WORD.finditer(text))
        keys = list(map(_token_text, map(_MATCHED, matches)))
        title_cased: bool | None = None  # read once an ordinary-word name is found
        mentions: list[ShowMention] = []
        starters = self._root.children
        i = 0
        # Most words start no name: the words that may are picked out in C, and the others
        # are passed over without walking the trie.
        for at in compress(count(), map(starters.__contains__, keys)):
            if at < i:
                continue  # inside the name found last
            # Most starters ("the" in "the show") name nothing alone and lead nowhere here:
            # no name starts at them, told without walking the trie.
            node = starters[keys[at]]
            if not node.patterns and (at + 1 == len(keys) or keys[at + 1] not in node.children):
                continue
            found = self._match_at(matches, keys, at, text)
            if found is None:
                continue
            pattern, length = found
            # Only an ordinary-word name needs to know (`_mention`).
            if title_cased is None and pattern.ordinary:
                title_cased = is_title_cased(text)
            mention = self._mention(text, matches, keys, at, length, pattern, bool(title_cased))
            if mention is not None and (mention.confident or include_doubtful):
                mentions.append(mention)
                i = at + length
        return mentions

    def _index_spelling(self, spelling: str, key: str) -> None:
        tokens = name_tokens(spelling)
        article = tokens[0] if len(tokens) > 1 and tokens[0] in _ARTICLES else None
        if article is not None:
            tokens = tokens[1:]
        if not tokens:
            return
        node = self._root
        for token in tokens:
            child = node.children.get(token)
            if child is None:
                if node.children is _NO_CHILDREN:
                    node.children = {}
                child = node.children[token] = _Node()
            node = child
        if any(p.key == key and p.article == article for p in node.patterns):
            return
        ordinary = all(t in _ORDINARY_WORDS or t.isdigit() for t in tokens)
        node.patterns = (*node.patterns, _Pattern(key, ordinary, article, len(tokens)))

    def _match_at(
        self, matches: list[re.Match[str]], keys: list[str], i: int, text: str
    ) -> tuple[_Pattern, int] | None:
        """The longest alias starting at word `i` that does not run across a sentence."""
        node = self._root
        best: tuple[_Pattern, int] | None = None
        j = i
        while j < len(keys):
            child = node.children.get(keys[j])
            if child is None:
                break
            node = child
            j += 1
            # One word holds no space, so no sentence break (`_SENTENCE_BREAK`) either.
            if node.patterns and (
                j - i == 1 or not _crosses_sentence(text, matches[i].start(), matches[j - 1].end())
            ):
                article = keys[i - 1] if i > 0 else None
                best = (_pick(node.patterns, article), j - i)
        return best

    def _mention(
        self,
        text: str,
        matches: list[re.Match[str]],
        keys: list[str],
        i: int,
        length: int,
        pattern: _Pattern,
        title_cased: bool,
    ) -> ShowMention | None:
        start, end = matches[i].start(), matches[i + length - 1].end()
        show = self._shows[pattern.key]
        has_article = (
            i > 0 and keys[i - 1] in _ARTICLES and _only_space(text, matches[i - 1].end(), start)
        )
        if has_article:
            start = matches[i - 1].start()
        lower = (
            _has_capital(show.name)
            and next((c for c in text[start:end] if c.isalpha()), "").islower()
            and not text.isupper()
        )
        if lower and (pattern.ordinary or not _SEASON_AFTER.match(text[end : end + 12])):
            return None
        confident = True
        if pattern.article is not None and not has_article and length == 1:
            return None  # "The Resort" is not "Caribbean Resort Chain"
        if pattern.ordinary:
            # Two or more ordinary words capitalised together ("Stranger Things", "This Is
            # Us") read as a title in running text; one word needs more context.
            confident = (length > 1 and not title_cased and _capitalised(text[start:end])) or (
                reads_as_title(text, start, end, title_cased, length == 1)
            )
        return ShowMention(show.name, start, end, text[start:end], confident, pattern.ordinary)


@lru_cache(maxsize=16384)
def _has_capital(name: str) -> bool:
    # Asked for every mention of a show: its name is checked once.
    return any(c.isupper() for c in name)


def _capitalised(written: str) -> bool:
    words = [w for w in _WORD.findall(written) if w.lower() not in _SMALL_TITLE_WORDS]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


def _pick(patterns: tuple[_Pattern, ...], article: str | None) -> _Pattern:
    # Prefer the spelling whose article the text carries ("The Order" over "Order").
    for pattern in patterns:
        if pattern.article is not None and pattern.article == article:
            return pattern
    for pattern in patterns:
        if pattern.article is None:
            return pattern
    return patterns[0]


def _only_space(text: str, start: int, end: int) -> bool:
    return text[start:end].strip() == ""


def _crosses_sentence(text: str, start: int, end: int) -> bool:
    return _SENTENCE_BREAK.search(text, start, end) is not None


# The curated list, and the shows the real news corpus's train split names (written by
# `python -m training.gazetteer`): what a bot that has read that news would know.
NEWS_SHOWS_PATH = Path(__file__).resolve().parent.parent / "data" / "news_shows.json"


@cache
def curated_shows() -> tuple[Show, ...]:
    """The hand-kept shows of bot/data/shows.json (read once)."""
    return _shows_in("shows.json")


@cache
def seed_shows() -> tuple[Show, ...]:
    """Every shipped show: the curated ones, then the news corpus's (read once)."""
    return (*curated_shows(), *_shows_in(NEWS_SHOWS_PATH.name))


def _shows_in(file: str) -> tuple[Show, ...]:
    raw = resources.files("bot").joinpath(f"data/{file}").read_text(encoding="utf-8")
    return tuple(
        Show(
            name=item["name"],
            aliases=tuple(item.get("aliases", ())),
            network=item.get("network"),
        )
        for item in json.loads(raw)
    )
