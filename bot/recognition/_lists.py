"""Names listed together in one sentence ("renews A, B and C"), and how a chosen name is
written: which other names share a chosen show's news, and the article it keeps."""

from __future__ import annotations

import re

from bot.recognition._candidates import Proposal
from bot.recognition._options import ShowOption
from bot.recognition._spans import Span
from bot.shows.names import name_key

# What lies between two names of one list: a comma, "and", "&" or ", and", with quote marks,
# after a short aside on the first ("'A' (Jan. 14) and 'B'").
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
# American style puts the comma inside the quotes: "“A,” “B” and “C”".
_JOINER = re.compile(
    rf"[\s{_QUOTES}]*(?:\([^()]{{1,30}}\)[\s{_QUOTES}]*)?"
    rf"(?:,[\s{_QUOTES}]*(?:and\s+)?|and\s+|&\s+)[\s{_QUOTES}]*"
)
_JOINED = re.compile(r",|\band\b|&")  # in a list, these part names: "A, B and C"
_GAP = re.compile(rf"[\s{_QUOTES}:]*")
# Or, after the phrase, a few words that say what the list is, then a colon, a dash or a
# comma: "renewed three of its summer hits: A, B and C", "cancels four comedies – A, …".
_INTRODUCED = re.compile(
    rf"[\s{_QUOTES}]*(?:[\w'’-]+\s+){{0,6}}(?:series|shows|dramas|comedies|sitcoms|hits"
    rf"|programmes|programs|originals|favou?rites|dramedies|docuseries)\s*[:,–—(-]?"
    rf"[\s{_QUOTES}]*"
    # or any few words and a colon: "were given the boot in one fell swoop: A, B and C"
    rf"|[\s{_QUOTES}]*(?:[\w'’-]+\s+){{0,6}}[\w'’-]+:\s*[{_QUOTES}]?",
    re.IGNORECASE,
)
# A season right after a name marks it as a title: "The Flash (Season 7)", "Hacks season 3".
_SEASON_BESIDE = re.compile(
    rf"[{_QUOTES}]?(?:'s)?\s*[(:-]?\s*(?:season|series)\s+\d", re.IGNORECASE
)


def listed_with(
    proposal: Proposal, chosen: list[tuple[ShowOption, float]], options: list[ShowOption]
) -> list[tuple[ShowOption, float]]:
    """Names listed with a chosen one ("cancels 'A', 'B' and 'C'") share its fate and its
    chance, when the text marks them as titles (quoted, a show the catalogue knows, or a
    name with its season beside it): a list of plain capitalised words is as often people
    or places. A headline's phrase ("renews its lineup") meets its list in the lede."""
    joined: list[tuple[ShowOption, float]] = []
    for index in dict.fromkeys(option.sentence for option, _ in chosen):
        joined += _listed_in(index, proposal, chosen, options)
    return joined


def _listed_in(
    local: int,
    proposal: Proposal,
    chosen: list[tuple[ShowOption, float]],
    options: list[ShowOption],
) -> list[tuple[ShowOption, float]]:
    """`listed_with` in one sentence of the entry."""
    chosen_here = [option for option, _ in chosen if option.sentence == local]
    chance = max(c for option, c in chosen if option.sentence == local)
    text = proposal.context.sentences[local].text
    # A chosen name with the article the text wrote before it ("'The Night Desk'", chosen
    # as "Night Desk"): the list's separator stands before the article.
    members = [_with_article(option, options) for option in chosen_here]
    local_options = [
        o for o in options if o.sentence == local and o not in members and o not in chosen_here
    ]
    # The longest span first, so a member is the whole name at a joint rather than its
    # last words ("“Harbor Lights” (Season 7)", not "Lights").
    titles = sorted(
        (
            option
            for option in local_options
            if option.span.quoted
            or (option.span.known is not None and not option.span.doubtful)
            or _SEASON_BESIDE.match(text, option.span.end)
        ),
        key=lambda o: o.span.start - o.span.end,
    )
    added = _grow(text, list(members), titles)
    # A list of three or more the event phrase governs ("canceled A, B and C", "A, B and
    # C were axed") names shows, whatever its names look like ("A and B" is as often a
    # show and its star): only in the phrase's own sentence.
    # A plain name runs to the list's next separator: the longest span first.
    plain = (
        sorted(
            (
                o
                for o in local_options
                if o not in titles
                and not _joined(o.span.name)
                and not o.span.name.isdigit()  # "'A' Season 8, 'B' Season 6": not a name
            ),
            key=lambda o: o.span.start - o.span.end,
        )
        if local == proposal.sentence.index
        else []
    )
    if plain:  # without plain names, the list grows as `added` did
        everyone = _grow(text, list(members), [*titles, *plain])
        listed = [*members, *everyone]
        touch = _touches(proposal, listed) if len(everyone) > len(added) else None
        # Two plain names are enough when the text says what they are ("renews comedies
        # A and B"); else "A and B" is as often a show and its star.
        if touch is not None and len(listed) >= (2 if touch else 3):
            added = everyone
    return [(option, chance) for option in added]


def _joined(name: str) -> bool:
    """Whether a name holds a list's separator (`_JOINED`); most hold none of its
    characters, which a substring test tells without the regex."""
    return ("," in name or "&" in name or "and" in name) and _JOINED.search(name) is not None


def _grow(text: str, members: list[ShowOption], rest: list[ShowOption]) -> list[ShowOption]:
    """The options of `rest` a list joins to `members`, from its chosen names outwards,
    one neighbour at a time: at each step the first of `rest` that joins, so the order of
    `rest` says which of two options at one joint is the member."""
    added: list[ShowOption] = []
    grown = True
    while grown:
        grown = False
        for option in rest:
            span = option.span
            if option in added or any(
                m.span.start < span.end and span.start < m.span.end for m in members
            ):
                continue
            if any(
                _JOINER.fullmatch(text[m.span.end : span.start] if m.span.end <= span.start
                                  else text[span.end : m.span.start])
                for m in members
            ):  # fmt: skip
                members.append(option)
                added.append(option)
                grown = True
                break
    return added


def _touches(proposal: Proposal, members: list[ShowOption]) -> bool | None:
    """Whether the listed names stand right after the event phrase or right before it:
    None if not, True if the words between say what they are ("cancels three dramas: A,
    B and C"), False if nothing stands between."""
    text = proposal.sentence.text
    phrase = proposal.phrase
    first = min(m.span.start for m in members)
    last = max(m.span.end for m in members)
    if phrase.end <= first:
        gap = text[phrase.end : first]
        if _GAP.fullmatch(gap):
            return False
        return True if _INTRODUCED.fullmatch(gap) else None
    if last <= phrase.start and _GAP.fullmatch(text[last : phrase.start]):
        return False
    return None


def _with_article(show: ShowOption, options: list[ShowOption]) -> ShowOption:
    """The option of `as_written`'s span, if another option is it."""
    span = as_written(show, options)
    if span is show.span:
        return show
    return next((o for o in options if o.span is span), show)


def as_written(show: ShowOption, options: list[ShowOption]) -> Span:
    """The chosen span, widened to the article the text wrote before it ("The Quiet
    Orchard", not "Quiet Orchard"): the same show by `name_key`, which ignores articles, so
    only how it is shown and learned changes (and a quote around the whole is seen)."""
    span = show.span
    if span.known:
        return span
    for other in options:
        wider = other.span
        if (
            other.sentence == show.sentence
            and wider.last == span.last
            and wider.first == span.first - 1
            and name_key(wider.name) == name_key(span.name)
        ):
            return wider
    return span
