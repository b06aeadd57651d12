"""The wordings of a season reference (`_season_refs` reads them): each pattern, the form
its number takes, and the words it is keyed by, so that only the patterns whose words a
text holds are run (`_season_refs._keyed` says what "<", ">" and "*" before them mean)."""

from __future__ import annotations

import re
from enum import Enum

from bot.recognition._number_words import NUMBER, ORDINAL


class SeasonForm(Enum):
    """How a season was written, which decides what its number means."""

    NUMBER = "number"  # "season 3", "third season", "S3": the season itself
    COUNT = "count"  # "after three seasons", "two-season order": how many seasons
    UNNUMBERED = "unnumbered"  # "another season", "a new season": a season, number unknown


SEASON_PATTERNS: tuple[tuple[re.Pattern[str], SeasonForm, str], ...] = (
    (
        re.compile(
            rf"\bseasons\s+(?P<a>{NUMBER})\s*(?:,|&|and|-|–|through|to)\s*(?:season\s+)?"
            rf"(?P<b>{NUMBER})\b(?:\s*(?:,\s*(?:and\s+)?|&|and)\s*(?P<c>{NUMBER})\b)?"
            rf"(?:\s*(?:,\s*(?:and\s+)?|&|and)\s*(?P<d>{NUMBER})\b)?",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        ">season",
    ),
    (
        re.compile(
            rf"\b(?:(?:final|last)\s+)?(?:season|series|staffel)(?:\s+|-)(?:#\s?)?(?P<a>{NUMBER})"
            # A season's half: "Season 5A", "season 5B".
            r"(?:[ab]\b|\b)"
            r"(?!\s*(?:,\s*)?(?:episode|ep\b|ep\.|e\d))"
            r"(?P<fin>\s+(?:and\s+)?(?:final|last)\b)?",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        ">season|series|staffel",
    ),
    # Two ordinals sharing one noun: "third and fourth series", "fifth and sixth seasons".
    (
        re.compile(
            rf"\b(?P<a>{ORDINAL})\s*(?:,|and|&)\s*(?P<b>{ORDINAL})\s+(?:seasons?|series|outings?)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "<season|series|outing",
    ),
    (
        re.compile(
            # An aside may stand between the ordinal and its noun: "third - and final -
            # series", "third (and possibly final) season" ...
            rf"\b(?:(?P<fin1>final|last)\s+)?(?P<a>{ORDINAL})(?:\s*[-–—(,]?\s*(?P<fin2>(?:and|&)\s+"
            r"(?:\w+ly\s+|now\s+)?(?:final|last))\s*[-–—),]?)?"
            # ... or its length: "a second 10-episode season".
            rf"(?:,?\s+(?:{NUMBER})[\s-](?:episodes?|part))?[\s-]+"
            r"(?:and\s+(?P<fin3>final|last)\s+)?(?:seasons?|series|installments?"
            r"|instalments?|outings?)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "<season|series|installment|instalment|outing",
    ),
    (
        re.compile(
            rf"\b(?P<a>{ORDINAL})\s+(?:and|&)\s+(?P<fin>final|last)\s+"
            r"(?:chapter|run|installment|instalment|outing|batch)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "final|last",
    ),
    (
        re.compile(
            r"\b(?P<a>sophomore|freshman)\s+(?:season|outing|run|installment|instalment|year"
            r"|series|drama|comedy|show|sitcom|thriller|procedural|dramas|comedies|shows)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "sophomore|freshman",
    ),
    # The elliptical second half of "enters its 14th season, Chicago P.D. its 13th".
    (
        re.compile(rf"\bits\s+(?P<a>{ORDINAL})(?=\s*[,.;]|\s+and\b)", re.IGNORECASE),
        SeasonForm.NUMBER,
        ">its ",
    ),
    # "S" first and its word boundary looked back at: the same matches as "\bS", but a
    # pattern that starts with a letter is searched for that letter at C speed.
    # Keyed by "s" and a digit anywhere (`_SEASON_WORDS` finds it in the lower-case text),
    # and then run over the whole text: no "S2" can be there without one.
    (re.compile(r"S(?<=\bS)(?P<a>\d{1,2})(?![\w-])"), SeasonForm.NUMBER, "*s"),
    # The elliptical ordinal in "Tracker for a third season, Matlock for a second".
    (
        re.compile(
            rf"(?<=\bfor\s)(?:an?\s+|its\s+)(?P<a>{ORDINAL})(?=\s*(?:[,.;]|\s+(?:and|while|but)\b|$))",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        ">for ",
    ),
    # The elliptical count in "X after two seasons and Y after three".
    (
        re.compile(
            rf"(?<=\bafter\s)(?P<a>{NUMBER})(?=\s*(?:[,.;]|\s+(?:and|while|but)\b|$))",
            re.IGNORECASE,
        ),
        SeasonForm.COUNT,
        ">after",
    ),
    # Looser words for a season, tagged so that the season model weighs them on their own
    # (`SeasonRef.loose`): "a second run", "a fifth year", "third-year comedy", "the 41st
    # edition", "a second anime season" ...
    (
        re.compile(
            rf"\b(?P<a>{ORDINAL})[\s-]+(?P<loose>runs?|years?|editions?|cycles?|chapters?)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "<run|year|edition|cycle|chapter",
    ),
    (
        re.compile(
            rf"\b(?P<a>{ORDINAL})\s+(?P<loose>(?!and\b|or\b|of\b)[a-z]+)\s+(?:seasons?|series)\b",
            re.IGNORECASE,
        ),
        SeasonForm.NUMBER,
        "<season|series",
    ),
    # ... and "after three exciting seasons", "after six successful series" (a count).
    (
        re.compile(
            rf"\b(?P<a>{NUMBER})\s+(?P<loose>(?!more\b|total\b|of\b|the\b|and\b|or\b)[a-z]+)"
            r"\s+(?:seasons|series)\b(?!\s+(?:\d|finale|premiere))",
            re.IGNORECASE,
        ),
        SeasonForm.COUNT,
        "<season|series",
    ),
    (
        re.compile(
            rf"\b(?P<a>{NUMBER}|a\s+single|single)(?:\s+more|\s+total)?[\s-]+(?:seasons?|series)\b"
            r"(?!\s+(?:\d|finale|premiere))",
            re.IGNORECASE,
        ),
        SeasonForm.COUNT,
        "<season|series",
    ),
    (
        re.compile(
            r"\b(?:another|a\s+new|new|an?\s+additional|additional|more|fresh|next)"
            r"(?:\s+and\s+(?P<fin>final|last))?\s+seasons?\b",
            re.IGNORECASE,
        ),
        SeasonForm.UNNUMBERED,
        "<season",
    ),
    (
        # "last season" alone usually means the previous one, so it needs an article.
        re.compile(
            r"\b(?:(?:the|its|their|a)\s+(?P<fin>last)|(?:(?:the|its|their|a)\s+)?"
            r"(?P<fin1>final))\s+season\b",
            re.IGNORECASE,
        ),
        SeasonForm.UNNUMBERED,
        "<season",
    ),
    (
        # "will end with this season": the season just talked about (see `deictic`).
        re.compile(
            r"\b(?P<deixis>this|the\s+current|its\s+current|the\s+upcoming|its\s+upcoming)"
            r"\s+season\b(?!\s+(?:of|finale|premiere)\b)",
            re.IGNORECASE,
        ),
        SeasonForm.UNNUMBERED,
        "<season",
    ),
)
# The words `SEASON_PATTERNS` are keyed by, found in one pass.
SEASON_WORDS = re.compile(
    r"season|series|staffel|final|last|sophomore|freshman|its |after|for |installment|instalment"
    r"|outing|run|year|edition|cycle|chapter|s(?=\d)"
)
