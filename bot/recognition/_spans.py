"""Show-name candidates in a sentence, found without needing the catalogue: quoted titles,
capitalised runs of words, and catalogue matches. Every plausible span is proposed, with
what it looks like (quoted, known, at the sentence's start, what stands next to it); the
learned model decides which span an event phrase is about.

In a headline every word is capitalised, so a capitalised run may hold more than a title
("Survivors Falls Under BBC Axe"): runs are cut at words that are never part of a title
here (event phrases, "season", networks, months), and every sub-span of a run is offered.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

from bot.recognition._networks import NetworkRef, find_networks
from bot.recognition._showname import Candidate, quoted_titles
from bot.shows.catalogue import ShowMention


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[^\W_](?:[\w'&+.\-]*[\w+])?|&")
# Lower-case words that may stand inside a title ("Only Murders in the Building").
_CONNECTORS = _words(
    """
    of the and & in on a an to at for with from de la le du von vs or is it no not my
    """
)
# Words that never belong to a show's name in these sentences: they cut a capitalised run.
_STOPS = _words(
    """
    season seasons series episode episodes premiere premieres premiered premiering date
    dates renewed renews renew renewal renewing cancelled canceled cancels cancel
    cancellation axed axes axe scrapped scraps ends ended ending final finale last returns
    return returning returned sets set gets got lands landed orders ordered picks picked
    greenlit greenlights confirmed confirms officially official announces announced reveals
    revealed release released releases debut debuts debuted arrives arriving coming back
    will has have had is are was were be been after before by as with who which that this
    than when where while says said told exclusive update news report reports reportedly
    trailer teaser review recap netflix hulu hbo amazon prime apple disney peacock paramount
    showtime starz abc cbs nbc fox cw amc fx bbc itv sky channel tv network streamer
    streaming january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday spring summer fall
    autumn winter early late mid also not won't isn't can't don't doesn't
    """
)
# Stop words that are names whatever their case (networks, months, days): the others,
# written with a capital inside a sentence in running text, are a title's words ("Anne
# With an E", "When Calls the Heart").
_NAMES_ANYWAY = _words(
    """
    netflix hulu hbo amazon prime apple disney peacock paramount showtime starz abc cbs nbc
    fox cw amc fx bbc itv sky tv january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday
    sunday
    """
)
# Spans made only of these are not names ("The", "It", "Here").
_FUNCTION = _words(
    """
    the a an it its this that these those he she they we i you his her their our your my
    here there what when how why who where if as at in on of for to and or but so all some
    new more after before now today tonight yes no
    """
)
# Every lower-cased form `_stops` reads as a stop word ("season", "season's", "seasons'"):
# most tokens are not one, and a set look-up tells so without the call.
_STOP_FORMS = _STOPS | {f"{w}'s" for w in _STOPS} | {f"{w}'" for w in _STOPS}
_GAP_OK = re.compile(r"^(?:\s+|\s*:\s*|\s*-\s*|\s+&\s+|/)$")
_POSSESSIVE = re.compile(r"'s?$")
_NOT_OWNED = ("", ",", ".", ";", ":", "!", "?", ")")  # after "'s": nothing owned follows
MAX_SPAN_TOKENS = 5
_QUOTE_MARKS = frozenset(('"', "'"))
_new_tuple = tuple.__new__
_MATCHED, _START, _END = re.Match.group, re.Match.start, re.Match.end
_OFFSETS = itemgetter(3, 4)  # a Span's (start, end), in C
_TOKEN_STARTS, _TOKEN_ENDS = attrgetter("start"), attrgetter("end")


class Token(NamedTuple):
    """A word of a sentence with its offsets and lower-cased text."""

    text: str
    lower: str
    start: int
    end: int


# A named tuple: dozens are made per sentence, and `_sub_spans` builds each in one C call.
class Span(NamedTuple):
    """A possible show name: tokens `first`..`last` (inclusive) of its sentence."""

    name: str  # as written, without quotes or a trailing possessive
    first: int
    last: int
    start: int
    end: int
    quoted: bool = False
    known: str | None = None  # the catalogue's canonical name
    doubtful: bool = False  # a catalogue match the catalogue itself doubts (ordinary words)
    possessive: bool = False


def tokenize(sentence: str) -> list[Token]:
    """The words of a sentence ("Grey's", "9-1-1", "TV+", "&" each one token)."""
    matches = list(_TOKEN.finditer(sentence))
    words = list(map(_MATCHED, matches))
    # tuple.__new__ builds each Token in C, without the NamedTuple's Python constructor,
    # and every step is a `map`: no Python code runs per word.
    fields = zip(
        words, map(str.lower, words), map(_START, matches), map(_END, matches), strict=True
    )
    return list(map(_new_tuple, repeat(Token), fields))


def find_spans(
    sentence: str,
    tokens: list[Token],
    mentions: list[ShowMention],
    networks: list[NetworkRef] | None = None,
    *,
    headline: bool = True,
    quoted: list[Candidate] | None = None,
) -> list[Span]:
    """Every candidate show name in a sentence, each (start, end) once; `mentions` are the
    catalogue's (doubtful ones included), `networks` the networks named in it (found here
    when not given); `headline`: whether the sentence capitalises most words, so that a
    capital says nothing about a title; `quoted`: its `quoted_titles`, when already read."""
    if networks is None:
        networks = find_networks(sentence)
    spans = _capitalised_spans(sentence, tokens, networks, headline)
    titles = quoted_titles(sentence) if quoted is None else quoted
    if not titles and not mentions:
        # Runs left to right, each span's sub-spans by start then end: in order already.
        return spans
    by_offsets: dict[tuple[int, int], Span] = dict(zip(map(_OFFSETS, spans), spans, strict=True))
    # Tokens are in order and do not overlap: their starts and ends both increase.
    starts = list(map(_TOKEN_STARTS, tokens))
    ends = list(map(_TOKEN_ENDS, tokens))
    for title in titles:
        first, last = _token_range(starts, ends, title.start, title.end)
        if first > last:
            continue
        old = by_offsets.get((title.start, title.end))
        by_offsets[(title.start, title.end)] = Span(
            _clean(title.name), first, last, title.start, title.end, quoted=True,
            possessive=old.possessive if old else False,
        )  # fmt: skip
    for mention in mentions:
        first, last = _token_range(starts, ends, mention.start, mention.end)
        if first > last:
            continue
        old = by_offsets.get((mention.start, mention.end))
        by_offsets[(mention.start, mention.end)] = Span(
            _clean(mention.text), first, last, mention.start, mention.end,
            quoted=old.quoted if old else _is_quoted(sentence, mention.start, mention.end),
            known=mention.show, doubtful=not mention.confident,
            possessive=old.possessive if old else False,
        )  # fmt: skip
    return sorted(by_offsets.values(), key=_OFFSETS)


def _capitalised_spans(
    sentence: str, tokens: list[Token], networks: list[NetworkRef], headline: bool
) -> list[Span]:
    stop = [t.lower in _STOP_FORMS and _stops(t, i, headline) for i, t in enumerate(tokens)]
    for ref in networks:
        for i, token in enumerate(tokens):
            if token.start < ref.end and token.end > ref.start:
                stop[i] = True
    # A token starts with a letter or a digit: a capital or a digit there marks a name's word.
    capital = [t.text[0].isupper() or t.text[0].isdigit() for t in tokens]
    spans: list[Span] = []
    run: list[int] = []
    end = 0  # where the run's last token ends
    for i, token in enumerate(tokens):
        usable = not stop[i] and (capital[i] or token.lower in _CONNECTORS)
        if usable and run:
            gap = sentence[end : token.start]
            if gap == " " or _GAP_OK.match(gap) is not None:  # most words: one space apart
                run.append(i)
                end = token.end
                continue
        if run:
            spans.extend(_sub_spans(sentence, tokens, run, capital))
        run = [i] if usable else []
        end = token.end
    if run:
        spans.extend(_sub_spans(sentence, tokens, run, capital))
    return spans


def _stops(token: Token, index: int, headline: bool) -> bool:
    word = token.lower.removesuffix("'s").removesuffix("'")
    if word not in _STOPS:
        return False
    return headline or index == 0 or word in _NAMES_ANYWAY or not token.text[0].isupper()


def _sub_spans(
    sentence: str, tokens: list[Token], run: list[int], capitals: list[bool]
) -> list[Span]:
    spans: list[Span] = []
    capital = [capitals[i] for i in run]
    for a, first in enumerate(run):
        if not capital[a]:
            continue
        alone = tokens[first].lower.removesuffix("'s") in _FUNCTION
        start = tokens[first].start
        quote_before = start > 0 and sentence[start - 1] in _QUOTE_MARKS
        for b in range(a, min(a + MAX_SPAN_TOKENS, len(run))):
            if not capital[b]:
                continue
            last = run[b]
            if first == last and alone:
                continue
            end = tokens[last].end
            written = sentence[start:end]
            # As `_clean` and `_POSSESSIVE` read it: tokens start with a word character and
            # end with one or a "+", so a run of them has no space or quote mark at either
            # end, and ends in "'" only as "'s".
            # Not before a comma or the sentence's end: "NBC canceled Abby's, The Village
            # and …" names "Abby's" itself.
            possessive = written.endswith("'s") and sentence[end : end + 1] not in _NOT_OWNED
            quoted = quote_before and sentence[end : end + 1] in _QUOTE_MARKS
            name = written[:-2] if possessive else written
            spans.append(
                _new_tuple(Span, (name, first, last, start, end, quoted, None, False, possessive))
            )
    return spans


def _clean(written: str) -> str:
    name = written.strip().strip("\"'").strip()
    return _POSSESSIVE.sub("", name) if name.endswith(("'s", "s'")) else name


def _is_quoted(sentence: str, start: int, end: int) -> bool:
    before = sentence[start - 1 : start] if start else ""
    after = sentence[end : end + 1]
    return before in _QUOTE_MARKS and after in _QUOTE_MARKS


def _token_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """The first token that ends after `start` and the last that starts before `end`."""
    return bisect_right(ends, start), bisect_left(starts, end) - 1
