"""Whether the words around an ordinary-word title make it a title (`reads_as_title`):
quoted, capitalised mid-sentence in running prose, or next to television words ("From
season 3", "Netflix's The Order", "renews Evil"), and not a date or part of a person's or a
place's name. Read by the catalogue (catalogue.py) for titles such as "From", "You" and
"The Order", whose false mentions would become false alerts.
"""

from __future__ import annotations

import re

from bot.case_blind import in_lower, search_lower

_QUOTES = "'\"‘’“”"
_FUNCTION_WORDS = frozenset(
    {"from", "you", "us", "it", "me", "them", "here", "there", "then", "now", "what", "who"}
    | {"how", "when", "why", "so", "if", "yes", "no", "up", "down", "in", "on", "out", "off"}
    | {"over", "under", "into", "this", "that", "these", "those", "all", "more", "one"}
)

# Context that marks an ordinary-word name as a title.
_TV_AFTER = re.compile(
    r"""^(?:['’]s?)?\s*[:'"’”]?\s*(?:
        seasons?\b | series\b | s\d{1,2}\b | episodes?\b | finale\b | premiere | spin-?offs?\b
        | revival\b | reboot\b | renew | cancel | axed\b | ending\b | returns?\b | star\b
        | stars\b | cast\b | showrunner | creator | fans\b | trailer | kicks\s+off\b
        | premieres\b | debuts\b | launches\b | arrives\b | drops\b | lands\b | wraps\b
        | opens\s+(?:its\s+)?season
        | (?:earns?|earned|lands?|landed|gets|got|scores?|scored|secures?|secured)\s+
          (?:a|an|another|its)\s
        | (?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|final
        |last|new|next|upcoming|latest|\d+(?:st|nd|rd|th))\s+)+(?:and\s+(?:final|last)\s+)?
        (?:season|series)\b
        | (?:has|have)\s+been\s+
        (?:renewed|cancel|picked) | (?:is|was|will|gets|got)\s+(?:officially\s+)?(?:renew|cancel|
        end|return|back|coming\s+back) | to\s+(?:end|return)\b | ends\s+its\b
        | \(\s*(?:renew|cancel|end) )""",
    re.IGNORECASE | re.VERBOSE,
)
_TV_BEFORE = re.compile(
    r"""(?:
        (?:netflix|hulu|hbo|max|amazon|prime\s+video|apple(?:\s+tv\+?)?|peacock|paramount\+?
        |disney\+?|cbs|nbc|abc|fox|the\s+cw|cw|amc\+?|fx|showtime|starz|epix|mgm\+|syfy
        |freeform|bbc|itv|usa|tnt|tbs)['’]s?
        | series | drama | comedy | show | sitcom | thriller | docuseries | procedural
        | horror | anthology | miniseries | renews? | renewed | cancels? | canceled | cancelled
        | axes | axed | revives? | revived | saves? | saved | greenlights | ordered | orders
        | picks\s+up | picked\s+up | watch | watching | streaming | binge
        | season\s+\d{1,2}\s+of | (?:season|series)\s+\w+\s+of )\s*['"‘“]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_TV_BEFORE_LOWER = in_lower(_TV_BEFORE)
# A weekday or month that is a title ("Wednesday") is a date when a date goes with it.
_DATE_NAME = re.compile(
    r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$|^(?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December)$"
)
_DATE_AFTER = re.compile(
    r"^(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|,?\s*\d"
    r"|\s+(?:night|morning|afternoon|evening|nights)\b|'s\b)"
)
_DATE_BEFORE = re.compile(
    r"\b(?:on|from|this|next|every|each|by|until|till|last|starting|through|since|and|or"
    r"|before|after|said|says|announced|confirmed|revealed|told|unveiled|shared|early"
    r"|late|late\s+on)\s+$",
    re.IGNORECASE,
)
_NUMBER_IN_QUOTES = re.compile(r"^\s+\d{1,2}(?=['\"’”])")
_CAPITALISED_BEFORE = re.compile(r"\b(?!The\b)[A-Z][\w'’.\-]*\s$")
_CAPITALISED_AFTER = re.compile(r"^\s[A-Z][a-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;|\-–—(\[]\s*|\n\s*)['\"‘“]?\s*$")


def reads_as_title(text: str, start: int, end: int, title_cased: bool, single: bool) -> bool:
    """Whether the ordinary-word title at `text[start:end]` reads as a title where it
    stands (`single`: one word; `title_cased`: a headline capitalising most words, see
    catalogue.py's `is_title_cased`)."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    # A number may stand inside the quotes after the title: "'Stranger Things 5'".
    closing = _NUMBER_IN_QUOTES.sub("", after, count=1).lstrip(" ")[:1]
    quoted = before.rstrip(" ")[-1:] in _QUOTES and closing in _QUOTES
    written = text[start:end]
    if quoted or (written.isupper() and len(written) >= 3 and not text.isupper()):
        return True  # 'From', "YOU ... has received a second season order"
    if _DATE_NAME.match(text[start:end]) and (
        _DATE_AFTER.match(after) or _DATE_BEFORE.search(before)
    ):
        return False
    if search_lower(_TV_BEFORE, _TV_BEFORE_LOWER, before):
        return True
    if _TV_AFTER.match(after):
        # A function word ("From", "You") in the middle of a headline is only a title with
        # more to go on ("Photos From Season 2" is not the show From).
        return not (
            single and written.lower() in _FUNCTION_WORDS and not _SENTENCE_START.search(before)
        )
    # One capitalised word next to another is more likely part of a person's or a place's
    # name ("Emma Watson", "Dave Filoni") than a title.
    if single and (
        _CAPITALISED_BEFORE.search(before) or (not title_cased and _CAPITALISED_AFTER.match(after))
    ):
        return False
    # In prose, a capitalised ordinary word away from a sentence start is a name.
    return not title_cased and not _SENTENCE_START.search(before)
