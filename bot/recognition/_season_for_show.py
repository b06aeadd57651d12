"""How a proposal's season options stand to one chosen show: right after its name
("Bridgerton season 3"), "season 3 of Bridgerton", beside its mention in another sentence,
across other titles; the features the season model adds for that show (`season_extras`).
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.recognition._options import _FIRST_CUES, SeasonOption, ShowOption
from bot.recognition._sentences import _WORD, Sentence
from bot.recognition._spans import Span

# Between a name and its season: "Bridgerton season 3", "Hacks' season 3", "The Flash (Season 7)".
_CLOSING_QUOTES = "\"'\u201d\u2019"
_ADJACENT = frozenset(("", "'s", "'", ":", "-", "("))
_OF_LIST = re.compile(r"of\s+[^.;:!?]{1,80}?(?:,|\band\b|&)\s*[\"'\u201c\u2018]?")


def season_for_show(
    options: list[SeasonOption], show: ShowOption, sentences: list[Sentence]
) -> list[list[str]]:
    """Each season option's features with how it stands to one chosen show: right after
    its name ("Bridgerton season 3"), "season 3 of Bridgerton", in its sentence, nearest."""
    extras = season_extras(options, show, sentences)
    return [o.features + extra for o, extra in zip(options, extras, strict=True)]


def season_extras(
    options: list[SeasonOption], show: ShowOption, sentences: list[Sentence]
) -> list[list[str]]:
    """What `season_for_show` adds to each option's own features for one show (the own
    features are the same for every show, so their weights are summed once)."""
    # The show as named in each option's sentence: its own span in its own sentence, else
    # its mention there ("A and B were renewed. The renewals bring A to Season 9, B to
    # Season 22": each season stands beside its show in the second sentence).
    anchors = [_anchor(o, show, sentences) for o in options]
    distances = [
        10_000 if anchor is None
        else abs(o.start - anchor.end) if o.start >= anchor.end
        else abs(anchor.start - o.end)
        for o, anchor in zip(options, anchors, strict=True)
    ]  # fmt: skip
    nearest: dict[int, int] = {}
    for o, distance in zip(options, distances, strict=True):
        if distance < 10_000:
            nearest[o.sentence] = min(distance, nearest.get(o.sentence, distance))
    out: list[list[str]] = []
    for option, distance, anchor in zip(options, distances, anchors, strict=True):
        if option.sentence < 0:  # no season, or an unstated first one: not beside any name
            out.append(_first_for_show(show, sentences) if option.value == 1 else [])
            continue
        extra: list[str] = []
        if anchor is not None:
            span = anchor
            if option.sentence != show.sentence:
                extra.append("sh_mention")
            text = sentences[option.sentence].text
            after = option.start >= span.end
            low, high = (span.end, option.start) if after else (option.end, span.start)
            between = text[low:high]
            titles = [
                other
                for other in sentences[option.sentence].spans
                if low <= other.start and other.end <= high and (other.quoted or other.known)
            ]
            # Another title or a clause's end between them: the season is likely that
            # title's ("A has been renewed for a third season; B for a second"), unless
            # the titles between are listed with this one ("freshman dramas A and B").
            if ";" in between:
                extra.append("sh_crossed")
            elif titles:
                listed = _listed(text, [*titles, span] if not after else [span, *titles])
                extra.append("sh_listed" if listed else "sh_crossed")
            between = between.strip().lower()
            words = _SHORT_GAP.sub(" ", between).strip()
            if not titles and len(words) <= 12:
                # A few words tie a season to the name they stand beside: "seasons 22 and
                # 23 for Family Guy", "Bob's Burgers, seasons 22": "for" binds, "," parts.
                extra.append(f"sh_{'after' if after else 'before'}|btw={words}")
            if after:
                if span.quoted:  # the closing quote stands between: “Arrow” (Season 7)
                    between = between.lstrip(_CLOSING_QUOTES).lstrip()
                extra.append("sh_adjacent" if between in _ADJACENT else "sh_after")
            elif between in {"of", "of the"}:
                extra.append("sh_of")
            elif _OF_LIST.fullmatch(between):
                extra.append("sh_of_list")  # "second seasons of X and Y", for Y
            else:
                extra.append("sh_before")
            if distance == nearest[option.sentence]:
                extra.append("sh_nearest")
        else:
            extra.append("sh_elsewhere")
            # A sentence that does not name the show but names other titles: the season
            # is likelier theirs ("Season 8 of A ... followed by the series premiere of B").
            if any(o.quoted or o.known for o in sentences[option.sentence].spans):
                extra.append("sh_elsewhere_titled")
        out.append(extra)
    return out


def _anchor(option: SeasonOption, show: ShowOption, sentences: list[Sentence]) -> Span | None:
    """The show's span in the option's sentence nearest the option, if it is named there."""
    if option.sentence < 0:
        return None
    if option.sentence == show.sentence:
        return show.span
    mentions = show_mentions(show, sentences[option.sentence])
    return min(
        mentions,
        key=lambda s: min(abs(s.start - option.end), abs(option.start - s.end)),
        default=None,
    )


def show_mentions(show: ShowOption, sentence: Sentence) -> list[Span]:
    """The spans of another sentence that name the show (as written, or the same show
    the catalogue knows)."""
    keys = {show.span.name.lower()}
    if show.span.known:
        keys.add(show.span.known.lower())
    return [
        s
        for s in sentence.spans
        if s.name.lower() in keys or (s.known is not None and s.known.lower() in keys)
    ]


_SHOW_FIRST_CUES = _FIRST_CUES | {"first-year", "freshman", "new-to-air", "all-new", "brand-new"}


def _first_for_show(show: ShowOption, sentences: list[Sentence]) -> list[str]:
    """An unstated first season for one show: whether the words right before its name say
    it is new ("new drama A and returning B", "the series premiere of A"), since a
    roundup's sentence cues differ from show to show."""
    span = show.span
    text = sentences[show.sentence].lower if show.sentence >= 0 else ""
    words = _WORD.findall(text[max(0, span.start - 40) : span.start])[-4:]
    cues = sorted(_SHOW_FIRST_CUES.intersection(words))
    return [f"inf1|sh_cue={w}" for w in cues] or ["inf1|sh_nocue"]


# Between names of one list: commas, "and", "&", quote marks, a short aside ("(SBS)").
_LIST_GAP = re.compile(
    r"[\s\"'\u201c\u201d\u2018\u2019]*(?:\([^()]{1,30}\)[\s\"'\u201c\u201d\u2018\u2019]*)?"
    r"(?:,[\s\"'\u201c\u201d\u2018\u2019]*(?:and\s+)?|and\s+|&\s+)[\s\"'\u201c\u201d\u2018\u2019]*"
)
_SHORT_GAP = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019]+")


def _listed(text: str, spans: list[Span]) -> bool:
    """Whether names in text order are one list: only list joiners between each two."""
    return all(_LIST_GAP.fullmatch(text, a.end, b.start) is not None for a, b in pairwise(spans))
