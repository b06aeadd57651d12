"""What kind of story an entry is, and the phrases that look like news but are not:
recaps and reviews, explainers and questions, listicles and roundups, finance (Citadel the
hedge fund), sports seasons, "renewed" about contracts and vows, restated old news."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.recognition._text import (
    MODAL_MAY,
    after_non_word,
    word_start_pattern,
    word_start_search,
)

# The title patterns below are a few dozen alternatives each; the regex engine tries every
# one at every position, which costs more than the rest of an entry's triage. Each is split
# into groups run only when a word that every alternative of the group contains is in the
# title, so most titles pay a handful of substring tests. The union of a pattern's groups
# is the pattern: a new alternative goes in a group whose words it contains.
_Gate = tuple[tuple[str, ...], re.Pattern[str]]
_RECAP_TITLE: tuple[_Gate, ...] = (
    (
        (
            "recap", "review", "episode", "ending", "easter", "power", "post", "rewatch",
            "live", "breakdown", "finale", "reaction",
        ),
        re.compile(
            (
                r"\brecap(?:s|ped)?\b|\breview\b|\breview:|\(review\)"
                r"|\bepisode\s+(?:[2-9]|\d\d)\b|\bending\s+explained\b|\beaster\s+eggs\b"
                r"|\bpower\s+rankings?\b|\bpost-?mortem\b|\brewatch\b|\blive[\s-]?blog\b"
                r"|\bbreakdown\b|\bfinale\s+(?:recap|review|explained|reactions?)\b"
                r"|\breactions?\s+to\b"
            ).lower()
        ),
    ),
    # "s" first and its word boundary looked back at (as `\bs`): searched for at C speed.
    (tuple("0123456789"), re.compile(r"s(?<=\bs)\d{1,2}\s*e\d{1,2}\b")),
)  # fmt: skip
_EXPLAINER_TITLE: tuple[_Gate, ...] = (
    (
        ("?",),
        re.compile(
            (
                r"\bwill\b[^?]*\?|^(?:is|are|has|have|does|did|could|should|can|was|why|how"
                r"|what)\b[^?]*\?|\bupdates?\b[^:]*\?"
            ).lower()
        ),
    ),
    (
        (
            "cancel", "everything", "what", "cast", "there", "when", "prediction",
            "speculation", "hope", "status", "explained", "fate", "odds", "chances",
        ),
        re.compile(
            (
                r"\brenewed\s+or\s+cancel|\bcancel\w*\s+or\s+renewed|\beverything\s+(?:we|you)\s+"
                r"(?:know|need)|\bwhat\s+(?:we|you)\s+(?:know|need)|\brelease\s+date,\s+cast"
                r"|\bcast,\s+plot|\bplot,\s+cast|\bwill\s+there\s+be\b|\bis\s+there\s+(?:a|going)"
                r"|\bwhen\s+(?:will|is|does|can|could|might|do|are)\b|\bpredictions?\b"
                r"|\bspeculation\b|\bhopes?\s+for\b|\bstatus\b|\bhere's\s+what\b|\bexplained\b"
                r"|\bwhat\s+to\s+expect\b|\bwhat's\s+next\b|\bfate\b|\bodds\b|\bchances\b"
            ).lower()
        ),
    ),
)  # fmt: skip
# Words one of which every `_LISTICLE_TITLE` match holds: most titles are not searched.
_LISTICLE_KEYS = (
    "shows", "series", "seasons", "dramas", "comedies", "sitcoms", "cancellations", "renewals",
    "list", "scorecard",
)  # fmt: skip
_LISTICLE_TITLE = re.compile(
    (
        r"^\s*(?:the\s+)?\d+\s+(?:[\w'-]+\s+){0,4}(?:shows|series|tv\s+shows|dramas|comedies"
        r"|sitcoms|seasons|cancellations|renewals)\b|\b(?:every|all\s+(?:the|of\s+the))\s+"
        r"(?:[\w'-]+\s+){0,3}(?:shows|series)\b|\bshows\s+(?:that|we|you)\b|\b(?:biggest|best|worst"
        r"|most)\s+(?:[\w'-]+\s+){0,2}(?:shows|series|cancellations|renewals)\b|\blist\s+of\b"
        r"|\bscorecard\b|\bwhich\s+(?:[\w'-]+\s+){0,4}(?:shows|series)\b"
    ).lower()
)
_ROUNDUP_TITLE = re.compile(
    (
        r"\brenewals?\s+(?:and|&)\s+cancel|\bcancel\w*\s+(?:and|&)\s+renewals?|\bwrap-?up\b"
        r"|\bround-?up\b|\bnews\s+briefs?\b|\bbriefs\b|\bprogramming\s+blog\b|\bpreview\b"
        r"|\bpickups\b|\bwhat's\s+(?:renewed|cancel)|\btv\s+news\b|\bupfronts?\b|\bbubble\s+watch\b"
        r"|\bfall\s+tv\b|\bschedule\b|\bthis\s+week\b|\bweekly\b|\bnewsletter\b|\bdigest\b"
    ).lower()
)
# A finance or sports story: a match of the story's words, looked for only when the text
# holds one of the broader keys below. Each pattern's alternatives start with a letter and
# `word_start_pattern` adds the \b before it, so one search skips most of the text at C
# speed (the two that start with a digit or "$" run only when the text has "%" or "$").
_FINANCE_WORDS = word_start_pattern(
    (
        r"hedge\s+funds?\b", r"ken\s+griffin\b", r"griffin's\b",
        r"citadel\s+(?:securities|llc|advisors|investments?|wellington|global|tactical"
        r"|management|capital|group|founder|ceo|chief|enterprise|connect)\b",
        r"market[- ]mak\w+\b", r"investors?\b", r"assets\s+under\b", r"wall\s+street\b",
        r"trading\s+(?:firm|desk|profits?|revenue)\b", r"profits?\b", r"clients\b",
        r"gain\s+of\s+\d", r"return\s+of\s+\d", r"returns\s+of\s+\d", r"loss\s+of\s+\d",
        r"multi-?strategy\b", r"flagship\s+fund\b", r"funds?\b", r"portfolio\b", r"quant\b",
        r"billionaire\b", r"sec\b", r"ipo\b",
    )
)  # fmt: skip
_FINANCE_AFTER = after_non_word(_FINANCE_WORDS)
_FINANCE_PERCENT = re.compile(r"\b\d+(?:\.\d+)?%\s+(?:gain|return|loss)")
_FINANCE_DOLLARS = re.compile(r"\$\d+(?:\.\d+)?\s*(?:billion|million|bn|b)\b")
# The surest signs of a markets story, for the one hard rule recognition keeps: there, only
# a quoted title can be a show ("Citadel to return $7 billion to investors").
MARKETS = re.compile(
    r"\bhedge\s+funds?\b|\bken\s+griffin\b|\bgriffin's\b|\bcitadel\s+(?:securities|llc|advisors"
    r"|investments?|wellington|global|tactical|capital|group)\b|\bmarket[- ]mak\w+\b"
    r"|\binvestors?\b|\bwall\s+street\b|\bassets\s+under\b|\bbillionaire\b"
)
# Word stems one of which a text must hold before its finance / sports words are looked for;
# those TV news holds most often first, as the first one found settles it.
_FINANCE_KEYS = (
    " sec",
    "return of",
    "citadel",
    "$",
    "fund",
    "griffin",
    "%",
    "hedge",
    "market",
    "investor",
    "assets under",
    "wall street",
    "trading",
    "profit",
    "client",
    "gain of",
    "returns of",
    "loss of",
    "strategy",
    "portfolio",
    "quant",
    "billionaire",
    "ipo",
)
_SPORTS_KEYS = (
    *[
        "series",
        "week",
        "nfl",
        "games",
        "agen",
        "league",
        "bowl",
        "coach",
        "nba",
        "mlb",
        "nhl",
        "wnba",
        "mls",
        "ncaa",
        "ufc",
        "wwe",
        "nascar",
        "pga",
        "atp",
        "wta",
        "fifa",
        "uefa",
        "stanley",
        "madness",
        "f1",
        "formula",
        "playoff",
        "preseason",
        "pre-season",
        "regular",
        "postseason",
        "offseason",
        "off-season",
        "kickoff",
        "kick-off",
        "touchdown",
        "quarterback",
        "roster",
        "draft",
        "matchup",
        "fixtures",
        "standings",
        "training",
        "innings",
        "goalkeeper",
        "striker",
        "dunk",
        "tickets",
    ],
    *(f"{digit} season" for digit in "0123456789"),
)
_SPORTS_WORDS = word_start_pattern(
    (
        *(rf"{league}\b" for league in (
            "nfl", "nba", "mlb", "nhl", "wnba", "mls", "ncaa", "ufc", "wwe", "nascar", "pga", "atp",
            "wta", "fifa", "uefa",
        )),
        r"premier\s+league\b", r"champions\s+league\b", r"super\s+bowl\b", r"world\s+series\b",
        r"stanley\s+cup\b", r"march\s+madness\b", r"f1\b", r"formula\s+1\b",
        *(rf"{word}\b" for word in (
            "preseason", "pre-season", "postseason", "offseason", "off-season", "playoffs?",
            "kickoff", "kick-off", "touchdowns?", "quarterbacks?", "roster", "matchups?",
            "fixtures", "standings", "innings", "goalkeeper", "striker",
        )),
        r"regular\s+season\b", r"head\s+coach\b", r"free\s+agen\w+\b", r"draft\s+picks?\b",
        r"week\s+\d+\b", r"spring\s+training\b", r"training\s+camp\b", r"home\s+games?\b",
        r"away\s+games?\b", r"slam\s+dunk\b", r"season\s+tickets?\b",
        r"the\s+\d{4}(?:-\d{2,4})?\s+season\b",
    )
)  # fmt: skip
_SPORTS_AFTER = after_non_word(_SPORTS_WORDS)
_LIMITED = re.compile(
    (
        r"\b(?:always|was|is|as)\s+(?:been\s+)?(?:a|an)\s+(?:limited|closed-ended)\s+series\b"
        r"|\b(?:conceived|designed|intended|planned|meant|billed|envisioned)\s+as\s+(?:a|an)\s+"
        r"(?:one-season|limited|closed-ended|self-contained)\b"
    ).lower()
)
# Words any `_LIMITED` match contains.
_LIMITED_KEYS = ("limited", "closed-ended", "one-season", "self-contained")
# After a renewal or cancellation verb, objects that are not television.
NON_TV_OBJECT = re.compile(
    r"\s*(?:(?:his|her|their|its|our|my|your|the|a|an|this|that)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:contracts?|deals?|leases?|passports?|licen[cs]es?|vows|memberships?|subscriptions?"
    r"|visas?|mandates?|rivalry|rivalries|partnerships?|agreements?|sponsorships?|pacts?"
    r"|calls?|push|focus|interest|hopes?|attention|efforts?|commitments?|ties|relationships?"
    r"|friendships?|romance|feud|fight|bid|attacks?|offensive|protests?|talks|loans?"
    r"|tours?|concerts?|flights?|events?|plans?|meetings?|trips?|orders?|games?|matches"
    r"|price|prices|bonds?|permits?|registrations?|policy|policies|warranty|domain|lease"
    r"|energy|vigou?r|optimism|scrutiny|fears?|concerns?|tensions?|debate|demand|violence"
    r"|fighting|strikes?|sanctions|support|alliance|vow|promise|pledge|credentials?)\b",
    re.IGNORECASE,
)
NON_TV_BEFORE_RENEWAL = re.compile(
    r"\b(?:lease|contract|passport|licen[cs]e|visa|subscription|membership|urban|spiritual"
    r"|registration|permit|policy|loan|deal|mandate|vows?|domain|treaty)\s+$",
    re.IGNORECASE,
)
RESTATEMENT = re.compile(
    r"\bhad\s+(?:already\s+|previously\s+|initially\s+|originally\s+)?been\b|\b(?:already|previously|recently|earlier\s+this\s+(?:year|month|week)|last\s+(?:year"
    r"|month|week|spring|summer|fall|autumn|winter)|back\s+in\s+\w+|in\s+(?:January|February"
    r"|March|April|May|June|July|August|September|October|November|December)(?:\s+\d{4})?)\b"
    r"|\bwhich\s+(?:was|has\s+been|had\s+been|were|is)\s+(?:\w+\s+)?(?:renewed|cancel\w*)"
    r"|\bafter\s+(?:being|its|the|their)\s+(?:\w+\s+)?renewal\b|\bfollowing\s+(?:its|the|their)"
    r"\s+(?:\w+\s+)?renewal\b|\bsince\s+(?:being|it\s+was)\s+renewed\b"
    r"|\b(?:the|this|its|a)\s+(?:recently[\s-]+|newly[\s-]+|now[\s-]+)?(?:renewed|cancel(?:l)?ed)"
    r"\s+(?:[\w+'-]+\s+){0,2}(?:series|show|drama|comedy|sitcom|thriller|spinoff)\b",
    re.IGNORECASE,
)
# Phrases that contain a status word without announcing anything.
NOT_NEWS = re.compile(
    r"\b(?:renewed|cancell?ed|returning|ending|new)\s+(?:(?:and|or|&)\s+(?:renewed|cancell?ed"
    r"|returning|ending|new)\s+)?(?:tv\s+)?(?:shows|series|dramas|comedies|titles)\b(?!\s+(?:for|by|at))"
    r"|\brenewed\s+or\s+cancel\w*|\bcancel\w*\s+or\s+renewed|\brenewal\s+or\s+cancel\w*"
    r"|\bcancel\w*\s+or\s+renewal|\brenewal\s+(?:status|odds|hopes?|chances|watch|decision"
    r"|news\?|prospects|talks|fate)|\bcancellation\s+(?:rumou?rs?|fears?|watch|anxiety|risk"
    r"|status|odds|threat|bubble|petition|list|season|scare|talk)|\bavoid(?:s|ed|ing)?\s+"
    r"(?:the\s+)?(?:axe|cancellation|being\s+cancel\w*)|\bsaved?\s+(?:it\s+)?from\s+"
    r"(?:the\s+axe|cancellation)|\b(?:after|following|despite|since)\s+(?:its|the|being|their"
    r"|a|his|her)\s+(?:[\w-]+\s+){0,2}?cancel\w*|\bpost-cancel\w*|\bcancel\s+culture"
    r"|\bcancelled\s+or\s+not\b|\bcancel(?:l)?ed\s+too\s+soon\b|\bwrongly\s+cancel\w*"
    r"|\bshould(?:n't|\s+not)?\s+(?:have\s+been|be)\s+(?:renewed|cancel\w*)"
    r"|\b(?:if|whether|unless)\s+(?:[\w']+\s+){0,4}?(?:renewed|cancel\w*|picked\s+up"
    r"|greenlit|renews)\b|\bcancel(?:l)?ed\s+(?:shows|series)\s+(?:that"
    r"|we|you)\b|\bsave\s+[\w' ]{0,30}(?:campaign|petition)\b"
    r"|\b(?:petition|campaign|fight|bid|effort|push|movement|calls?|pleas?)\s+to\s+(?:save|revive"
    r"|renew|uncancel|bring\s+back|resurrect)\b|\bfans\s+(?:want|hope|demand"
    r"|are\s+calling|call)\b",
    re.IGNORECASE,
)
# Words before a status verb that turn it into a non-event ("has not been renewed",
# "fans want it renewed", "if it is renewed").
_NEGATION_WORDS = (
    "not", "never", "no", r"yet\s+to", "without", "hasn't", "haven't", "hadn't", "isn't",
    "aren't", "wasn't", "weren't", "didn't", "doesn't", r"don't(?!\s+(?:forget|miss|worry))",
    "won't", "wouldn't", r"fail(?:ed|s)?\s+to", r"hope[sd]?\s+(?:for|to|that)", "hoping",
    "wants?", "wanted", "petition", "campaign", r"fight(?:ing)?\s+(?:for|to)", r"calls?\s+for",
    r"calling\s+for", "deserves?", "deserved", "should", r"needs?\s+to", "awaiting", "await",
    "pending", "if", "whether", "unless", "ask(?:ing|ed|s)?", r"wonder\w*",
)  # fmt: skip
# \b(?:one of the words)\b[^.;:!?]{0,28}$, case-insensitive (see `word_start_pattern`).
NEGATION = word_start_pattern(_NEGATION_WORDS, r"\b[^.;:!?]{0,28}$", ignorecase=True)
# The same without IGNORECASE, for lower-case text that reads alike (`lower_text_reads_alike`):
# a fifth faster.
NEGATION_LOWER = word_start_pattern(_NEGATION_WORDS, r"\b[^.;:!?]{0,28}$")
# Hedges before a status verb: a guess about a renewal is not a renewal, unless a source
# is cited ("is expected to be renewed, per insiders" is a report).
_HEDGE_WORDS = (
    "could", "might", MODAL_MAY, "would", "likely", "unlikely", "probably", "possibly",
    "expect(?:ed|s)?", "anticipated?", r"speculat\w+", "chances?", "odds", "possible", "poised",
    "bound", r"set\s+to\s+be", r"in\s+line", r"on\s+track", "seems?", "appears?",
    r"looks?\s+like",
)  # fmt: skip
HEDGE = word_start_pattern(_HEDGE_WORDS, r"\b[^.;:!?]{0,24}$", ignorecase=True)
HEDGE_LOWER = word_start_pattern(_HEDGE_WORDS, r"\b[^.;:!?]{0,24}$")  # as NEGATION_LOWER


@dataclass(frozen=True, slots=True)
class EntryTraits:
    """What the entry as a whole is, read from its title and text."""

    recap_or_review: bool = False
    explainer: bool = False  # asks or explains rather than announces
    listicle: bool = False  # a list of many shows: the title names none
    roundup: bool = False  # several stories in one entry
    finance: bool = False
    sports: bool = False
    limited: bool = False  # a limited series: its end is planned, not a cancellation


def entry_traits(title: str, text: str) -> EntryTraits:
    """Classify an entry by its title (and, for finance and sports, its whole text)."""
    lower = text.lower()
    title = title.lower()
    return EntryTraits(
        recap_or_review=_any_gate(_RECAP_TITLE, title),
        explainer=_any_gate(_EXPLAINER_TITLE, title),
        listicle=_gated(_LISTICLE_KEYS, _LISTICLE_TITLE, title),
        roundup=bool(_ROUNDUP_TITLE.search(title)),
        finance=_any_key(_FINANCE_KEYS, lower) and _finance_words(lower),
        sports=_any_key(_SPORTS_KEYS, lower)
        and word_start_search(_SPORTS_WORDS, _SPORTS_AFTER, lower),
        limited=_any_key(_LIMITED_KEYS, lower) and _LIMITED.search(lower) is not None,
    )


def _finance_words(lower: str) -> bool:
    return (
        word_start_search(_FINANCE_WORDS, _FINANCE_AFTER, lower)
        or ("%" in lower and _FINANCE_PERCENT.search(lower) is not None)
        or ("$" in lower and _FINANCE_DOLLARS.search(lower) is not None)
    )


def _any_key(keys: Sequence[str], lower: str) -> bool:
    return any(map(lower.__contains__, keys))


def _gated(keys: Sequence[str], pattern: re.Pattern[str], lower: str) -> bool:
    # Substring tests run at C speed; the regex only runs when one of its words is there.
    return any(map(lower.__contains__, keys)) and pattern.search(lower) is not None


def _any_gate(gates: tuple[_Gate, ...], lower: str) -> bool:
    return any(_gated(keys, pattern, lower) for keys, pattern in gates)
