"""The verbs and phrases that announce something, and which side of them the show sits on.

`Voice.ACTIVE` — the show follows ("Netflix renews Bloodline"); `Voice.PASSIVE` — the show
precedes ("Bloodline renewed for season 3"); `Voice.EITHER` — both are common.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.models import Event
from bot.recognition._networks import NETWORK_PATTERN


class Voice(Enum):
    """Where a trigger's show usually is."""

    ACTIVE = "active"
    PASSIVE = "passive"
    EITHER = "either"


class Need(Enum):
    """What else a loose trigger needs in its clause to count as television news."""

    NOTHING = "nothing"
    SEASON = "season"  # a season reference ("picked up for a second season")
    TV = "tv"  # a season reference, a catalogue show or a network


@dataclass(frozen=True, slots=True)
class Trigger:
    """A phrase in a sentence that announces an event."""

    event: Event
    start: int
    end: int
    voice: Voice
    need: Need = Need.NOTHING
    reversal: bool = False  # uncancelled, revived, saved: a renewal after a cancellation
    not_return: bool = False  # "won't return for a third season": the last season is N-1
    past: bool = False  # "premiered", "returned": a premiere that already happened
    label: bool = False  # "Renewed: 'Dynasty'" in a status list
    weak: bool = False  # "will return for season 3", "season 2 confirmed": a premiere if dated
    listing: bool = False  # a heading over a list: only items given a season count


_A = Voice.ACTIVE
_P = Voice.PASSIVE
_E = Voice.EITHER
_SEASONISH = (
    r"(?:(?:a|an|its|their|the|another)\s+)?(?:(?!(?:after|before|following|for|in|of|with|at"
    r"|by|on)\b)[\w-]+\s+){0,3}?(?:season|seasons)\b"
)
# "confirms the season 2 premiere date" is about a premiere, not a renewal.
_NOT_RENEWAL_NEWS = (
    r"(?!(?:(?:a|an|its|their|the)\s+)?(?:[\w-]+\s+){0,2}?seasons?\s+(?:[\w-]+\s+)?(?:premiere"
    r"|finale|trailer|date|teaser|release|episode|cast|poster|first\s+look|return\s+date))"
)
_NETWORK = NETWORK_PATTERN.pattern


@dataclass(frozen=True, slots=True)
class _Rule:
    event: Event
    pattern: re.Pattern[str]
    voice: Voice
    need: Need = Need.NOTHING
    reversal: bool = False
    not_return: bool = False
    past: bool = False
    weak: bool = False
    keys: tuple[str, ...] = ()  # lower-case stems one of which the sentence must contain


def _rule(
    event: Event,
    pattern: str,
    voice: Voice,
    need: Need = Need.NOTHING,
    *,
    reversal: bool = False,
    not_return: bool = False,
    past: bool = False,
    weak: bool = False,
    case: bool = False,
    keys: str = "",
) -> _Rule:
    flags = 0 if case else re.IGNORECASE
    stems = tuple(keys.split("|")) if keys else ()
    return _Rule(
        event, re.compile(pattern, flags), voice, need, reversal, not_return, past, weak, stems
    )


_RENEWED = Event.RENEWED
_CANCELLED = Event.CANCELLED
_ENDING = Event.ENDING
_PREMIERE = Event.PREMIERE_DATE  # premiere verbs; the date or window decides the event

_STATUS_RULES: tuple[_Rule, ...] = (
    # Negative forms first: "won't return for a third season" is not a renewal.
    # Cancellations.
    _rule(_CANCELLED, r"(?<!un-)\bcancel(?:s|ling|ing)\b", _A, keys="cancel"),
    _rule(_CANCELLED, r"(?<!un-)\bcancel(?:l)?ation\s+(?:of|for|to)\b", _A, keys="cancel"),
    _rule(_CANCELLED, r"(?<!un-)\bcancel(?:l)?ation\b", _P, keys="cancel"),
    _rule(_CANCELLED, r"(?<!un-)\bcancel(?:l)?ed\b", _E, keys="cancel"),
    _rule(_CANCELLED, r"\bcancel\b(?=\s+(?:it|the\s+series|the\s+show))", _A, keys="cancel"),
    _rule(
        _CANCELLED,
        r"\baxe[ds]?\b|\baxing\b|\b(?:gets?|got|given|getting)\s+the\s+axe\b|\bgot\s+axed\b",
        _E,
        keys="ax",
    ),
    _rule(_CANCELLED, r"\bpull(?:s|ed|ing)?\s+the\s+plug\b", _A, keys="plug"),
    _rule(
        _CANCELLED,
        r"\b(?:not|won't\s+be|will\s+not\s+be|isn't|is\s+not|aren't)\s+(?:moving|going)\s+forward\b",
        _P,
        keys="forward",
    ),
    _rule(
        _CANCELLED,
        r"\b(?:won't|will\s+not|wouldn't|would\s+not|isn't|is\s+not|not)\s+(?:be\s+)?(?:return(?:ing)?"
        r"|come\s+back|coming\s+back|be\s+back|back)\b(?!\s+(?:until|till|before|in\s+20|this|next"
        r"|later|to\s+work|anytime|any\s+time|soon|right\s+away))",
        _P,
        not_return=True,
        keys="return|back",
    ),
    _rule(
        _CANCELLED,
        r"\b(?:not|unlikely)\s+(?:expected\s+|likely\s+|going\s+|set\s+|poised\s+)?to\s+"
        r"(?:return|come\s+back|be\s+back|continue|be\s+renewed|get\s+(?=an?\s|another\s))\b",
        _P,
        not_return=True,
        keys="not|unlikely",
    ),
    _rule(
        _CANCELLED,
        r"(?<=\s)(?:is\s+)?(?:unlikely|not\s+happening|off\s+the\s+table|not\s+in\s+the\s+cards)"
        r"(?=\s*(?:[,.;:!?]|$))",
        _P,
        Need.SEASON,
        not_return=True,
        keys="unlikely|happening|table|cards",
    ),
    _rule(_CANCELLED, r"\bpart(?:s|ed|ing)?\s+ways\s+with\b", _A, keys="ways"),
    _rule(
        _CANCELLED,
        r"\b(?:won't|will\s+not|wouldn't|would\s+not|not\s+to|(?:opts?|opted|chose|chosen"
        r"|decides?|decided)\s+not\s+to)\s+renew\b(?!\s+(?:its|their|his|her)\b)",
        _A,
        keys="renew",
    ),
    _rule(
        _CANCELLED,
        r"\bdeclined\s+to\s+(?:renew|order\s+(?:more|another|a\s+(?:new\s+)?(?:season|batch)))\b",
        _A,
        keys="declined",
    ),
    _rule(
        _CANCELLED,
        r"\b(?:says?|said|bids?|bid|bade)\s+(?:goodbye|farewell)\s+to\b",
        _A,
        Need.TV,
        keys="goodbye|farewell",
    ),
    _rule(
        _CANCELLED,
        r"\b(?:decided|chosen|opted|elected)\s+(?:not\s+to\s+renew|against\s+renewing)\b|\bdeclined"
        r"\s+to\s+renew\b|\b(?:won't|will\s+not|wouldn't|would\s+not)\s+be\s+renewed\b",
        _E,
        keys="renew",
    ),
    _rule(
        _CANCELLED, rf"\bpass(?:ed|es)?\s+on\s+(?={_SEASONISH})", _A, not_return=True, keys="pass"
    ),
    _rule(
        _CANCELLED,
        rf"\bthere\s+(?:won't|will\s+not|isn't\s+going\s+to)\s+be\s+(?=(?:a|an|another)\s+{_SEASONISH})",
        _P,
        not_return=True,
        keys="there",
    ),
    _rule(
        _CANCELLED,
        r"\b(?:is|are)\s+(?:officially\s+)?dead\b(?!\s+(?:and|to|set|serious))",
        _P,
        Need.TV,
        keys="dead",
    ),
    _rule(
        _CANCELLED,
        rf"\b(?:won't|will\s+not|not)\s+(?:be\s+)?(?:get(?:ting)?|receiv(?:e|ing))\s+(?=(?:a|another)\s+{_SEASONISH})",
        _P,
        not_return=True,
        keys="get|receiv",
    ),
    _rule(_CANCELLED, r"\bscrap(?:s|ped|ping)\b", _E, Need.TV, keys="scrap"),
    _rule(_CANCELLED, rf"\bdropped\s+by\s+(?={_NETWORK})", _P, keys="dropped"),
    _rule(_CANCELLED, r"\bone[\s-]and[\s-]done\b", _P, keys="done"),
    # Endings.
    _rule(
        _ENDING,
        r"\b(?:will|would|could|might|may|is\s+going\s+to|to|set\s+to)\s+be\s+(?:the|its|their)\s+(?:show's\s+"
        r"|series'\s+)?(?:final|last)\b(?!\s+(?:episode|time|chance|word|film|movie|one\s+for))",
        _P,
        keys="final|last",
    ),
    _rule(_ENDING, r"\bend(?:s|ing)?\s+(?:its|their)\s+(?:\w+\s+)?run\b", _P, keys="run"),
    _rule(
        _ENDING,
        r"\b(?:to|will|would|is\s+set\s+to|is\s+going\s+to)\s+(?:end|conclude|wrap(?:\s+up)?|close"
        r"\s+out)\s+(?:its\s+run\s+|the\s+series\s+|the\s+story\s+)?with\s+(?:a|an|the)\s+"
        r"(?:[\w-]+\s+){0,2}(?:movie|film|feature|special|tv\s+movie)\b",
        _P,
        keys="end|conclu|wrap|close",
    ),
    _rule(
        _ENDING,
        r"\bends?\s+(?=(?:the|its|their)\s+(?:[\w'-]+\s+){0,3}?(?:series|show|drama|comedy"
        r"|thriller|sitcom|run)\s+after\b)",
        _A,
        Need.SEASON,
        keys="end",
    ),
    _rule(
        _ENDING,
        r"\b(?:ended|concluded|wrapped(?:\s+up)?)\s+(?:for\s+good\s+)?(?=(?:with|after)\s+"
        r"(?:its|their)\s)",
        _P,
        Need.SEASON,
        keys="ended|concluded|wrapped",
    ),
    _rule(
        _ENDING,
        r"\b(?:will|would|is\s+going\s+to|to)\s+be\s+the\s+end\b(?!\s+of\s+(?:the\s+)?(?:road|line|world))",
        _P,
        Need.SEASON,
        keys="end",
    ),
    _rule(
        _ENDING,
        r"\b(?:end|ends|ending|conclude[sd]?|concluding|wrap(?:s|ping)?(?:\s+up)?|finish(?:es|ing)?"
        r")\s+(?:its\s+run\s+|the\s+series\s+|the\s+show\s+)?(?:with|after)\b",
        _E,
        Need.SEASON,
        keys="end|conclu|wrap|finish",
    ),
    _rule(
        _ENDING,
        r"\b(?:to\s+end|will\s+end|is\s+ending|are\s+ending|(?:coming|come|comes)\s+to\s+an\s+end"
        r"|to\s+conclude|will\s+conclude|to\s+wrap(?:\s+up)?|will\s+wrap(?:\s+up)?)\b",
        _E,
        Need.SEASON,
        keys="end|conclu|wrap",
    ),
    # Renewals.
    _rule(
        _RENEWED,
        r"\b(?:has|have|had)\s+(?:\w+ly\s+|already\s+|now\s+|just\s+)?renewed\b",
        _A,
        keys="renewed",
    ),
    _rule(_RENEWED, r"\brenew(?:s|ing)\b", _A, keys="renew"),
    _rule(_RENEWED, r"\brecommission(?:s|ed|ing)?\b", _E, keys="recommission"),
    _rule(_RENEWED, r"\brenewed\b", _E, keys="renewed"),
    _rule(
        _RENEWED,
        r"\brenewal\s+(?:of|for|to)\b(?!\s+(?:a|an|another|the|its|season))",
        _A,
        keys="renewal",
    ),
    _rule(_RENEWED, r"\brenewal\b", _P, keys="renewal"),
    _rule(
        _RENEWED, r"\b(?:pick(?:s|ed|ing)?\s+up|picked-up|pick-?up)\b", _E, Need.SEASON, keys="pick"
    ),
    _rule(
        _RENEWED,
        r"\bgreen[\s-]?lit\b|\bgreen[\s-]?light(?:s|ed|ing)?\b|\bgave\s+(?:it\s+)?the\s+green"
        r"\s+light\b",
        _E,
        Need.TV,
        keys="green",
    ),
    _rule(
        _RENEWED, r"\b(?:[\w-]+-season|season(?:\s+\w+)?|multi-season)\s+order\b", _E, keys="order"
    ),
    _rule(
        _RENEWED,
        rf"(?<!the\s)\border(?:s|ed|ing)?\s+{_NOT_RENEWAL_NEWS}(?={_SEASONISH}|seasons?\s+\d)",
        _A,
        keys="order",
    ),
    _rule(
        _RENEWED,
        r"\b(?:will|to|set\s+to|is\s+set\s+to|is\s+going\s+to|are\s+going\s+to|would|is|are|'s"
        r"|officially)?\s*(?:return(?:ing|s)?|come\s+back|coming\s+back|comes\s+back|be\s+back"
        rf")\s+for\s+(?={_SEASONISH}|season\b|more\s+(?:seasons?|episodes)\b)",
        _P,
        weak=True,
        keys="return|back",
    ),
    _rule(
        _RENEWED,
        r"(?:\b(?:season|series|staffel)\s+[\w-]+|\bS\d{1,2})\s+(?:is\s+|has\s+been\s+|was\s+|now\s+)?(?:\w+ly"
        r"\s+)?(?:confirmed|a\s+go|happening|greenlit|ordered|locked\s+in|on\s+the\s+way"
        r"|in\s+the\s+works)\b",
        _P,
        weak=True,
        keys="confirm|a go|happening|greenlit|ordered|locked|the way|works",
    ),
    _rule(
        _RENEWED,
        rf"\bconfirm(?:s|ed|ing)?\s+(?:that\s+there\s+will\s+be\s+)?{_NOT_RENEWAL_NEWS}"
        rf"(?={_SEASONISH}|season\b)",
        _E,
        weak=True,
        keys="confirm",
    ),
    _rule(
        _RENEWED,
        rf"\bconfirmation\s+(?:on|of|for)\s+{_NOT_RENEWAL_NEWS}(?={_SEASONISH}|season\b)",
        _E,
        keys="confirmation",
    ),
    _rule(
        _RENEWED,
        r"\b(?:gets?|got|getting|lands?|landed|landing|scores?|scored|earns?|earned|nabs?|nabbed"
        r"|secures?|secured|receives?|received|bags?|bagged|given|grabs?|snags?|snagged)\s+"
        rf"(?:an?\s+)?(?:early\s+|official\s+|surprise\s+|quick\s+|speedy\s+)?{_NOT_RENEWAL_NEWS}"
        r"(?=(?:season\s+[\w-]+|(?:[\w-]+\s+){0,2}seasons?|renewal|(?:[\w-]+)-season|pickup"
        r"|green\s+light)\b)",
        _P,
        keys="get|got|land|scor|earn|nab|secur|receiv|bag|given|grab|snag",
    ),
    _rule(
        _RENEWED,
        rf"\b(?:will|to|is\s+going\s+to)\s+get\s+(?=(?:a|another)\s+{_SEASONISH})",
        _P,
        keys="get",
    ),
    _rule(_RENEWED, r"\bverlängert\b", _P, keys="verlängert"),
    _rule(
        _RENEWED,
        rf"\b(?:is|are)\s+(?:now\s+)?set\s+for\s+(?=(?:a|an|another)\s+{_SEASONISH})",
        _P,
        weak=True,
        keys="set for",
    ),
    _rule(
        _RENEWED,
        r"\b(?:gives?|gave|given|giving|hands?|handed|handing|grants?|granted|awards?|awarded)\b"
        r"(?=[^.;:!?]{1,70}?\b(?:an?|another)\s+(?:[\w-]+\s+){0,2}?(?:season|seasons|renewal"
        r"|order|pickup|pick-up)\b)",
        _A,
        Need.TV,
        keys="give|gave|given|hand|grant|award",
    ),
    # Reversals: a renewal that undoes a cancellation.
    _rule(_RENEWED, r"\bun-?cancel(?:l)?(?:ed|s|ing|ation)\b", _E, reversal=True, keys="cancel"),
    _rule(
        _RENEWED, r"\brevived?\b|\brevives\b|\breviving\b", _E, Need.TV, reversal=True, keys="reviv"
    ),
    _rule(
        _RENEWED,
        rf"\b(?:saved|rescued)\s+by\s+(?={_NETWORK})|\b(?:saves|rescues)\b",
        _E,
        Need.TV,
        reversal=True,
        keys="save|rescue",
    ),
    _rule(_RENEWED, r"\bresurrect(?:ed|s|ing)\b", _E, Need.TV, reversal=True, keys="resurrect"),
    _rule(
        _RENEWED,
        r"\bbr(?:ought|ings?|inging)\s+back\b",
        _E,
        Need.SEASON,
        reversal=True,
        keys="back",
    ),
    _rule(
        _RENEWED,
        rf"\b(?:mov(?:es|ing|ed)|lands?|landing|landed|heads?|heading|headed|jumps?|jumping"
        rf"|shifts?|shifting)\s+(?:over\s+)?(?:to|at|on)\s+(?=(?:sister\s+network\s+)?{_NETWORK}"
        rf"(?:\s+Network)?\s+for\s+(?:{_SEASONISH}|season\b))",
        _P,
        reversal=True,
        keys="mov|land|head|jump|shift",
    ),
)

_PREMIERE_RULES: tuple[_Rule, ...] = (
    _rule(
        _PREMIERE,
        r"\b(?:release|premiere|return|debut)\s+date\b|\bpremieres?\b|\bpremiering\b|\breturn(?:s|ing)?\b|\bdebut(?:s|ing)?\b"
        r"|\barriv(?:e|es|ing)\b|\blaunch(?:es|ing)?\b|\bdrop(?:s|ping)?\b|\bbows?\b"
        r"|\bkicks?\s+off\b|\bopens?\s+(?=(?:its\s+)?(?:[\w-]+\s+)?season)|\bbegins?\b|\bstarts?\b|\brelease(?:s|d)?\b|\breleasing\b"
        r"|\bcom(?:e|es|ing)\s+back\b|\bbe\s+back\b|\bis\s+back\b|\bhits?\b|\bair(?:s|ing)?\b"
        r"|\bstream(?:s|ing)\b|\bset\s+for\b|\bslated\s+for\b|\bscheduled\s+for\b|\bdate\b"
        r"|\blands?\b|\blanding\b|\bcoming\b|\btarget(?:s|ing|ed)?\b|\bback\s+on\b"
        r"|\breturn\s+date\b|\bset\s+to\s+(?:air|stream|debut|premiere|return|arrive|drop)\b"
        r"|\bwait(?:ing)?\s+(?:until|till)\b",
        _E,
        keys=(
            "premier|return|debut|arriv|launch|drop|bow|kick|open|begin|start|releas|back|hit"
            "|air|stream|set for|slated|scheduled|date|land|coming|target|set to|wait"
        ),
    ),
    _rule(
        _PREMIERE,
        r"\bpremiered\b|\breturned\b|\bdebuted\b|\barrived\b|\blaunched\b|\bdropped\b|\baired\b"
        r"|\bbowed\b|\bkicked\s+off\b|\bbegan\b|\bstarted\b|\blanded\b|\bstreamed\b",
        _E,
        past=True,
        keys="premiered|returned|debuted|arrived|launched|dropped|aired|bowed|kicked|began|started|landed|streamed",
    ),
)
_LABEL = re.compile(
    r"(?:^|(?<=\.\.\.\s)|(?<=;\s)|(?<=\|\s)|(?<=\.\s))\s*(?P<word>renewed|renewal|picked\s+up"
    r"|cancel(?:l)?ed|axed|ending|final\s+season)\s*:",
    re.IGNORECASE,
)
# "shocking renewals (ABC's low-rated For the People) and cancellations (Designated
# Survivor)": examples in parentheses.
_EXAMPLES = re.compile(
    r"\b(?P<word>renewals?|cancell?ations?|pickups?)(?=\s+\()",
    re.IGNORECASE,
)
_EXAMPLE_EVENTS = {
    "renewal": _RENEWED,
    "pickup": _RENEWED,
    "cancellation": _CANCELLED,
    "cancelation": _CANCELLED,
}
# "Netflix Renewals Roundup: 'Nobody Wants This' S3, 'The Night Agent' S4": a list under a
# heading, in which each show with a season is renewed.
_RENEWALS_LIST = re.compile(r"\b(?P<word>renewals?)(?:\s+(?:roundup|round-up|update))?\s*:", re.I)
_LABEL_EVENTS = {
    "renewed": _RENEWED,
    "renewal": _RENEWED,
    "picked up": _RENEWED,
    "canceled": _CANCELLED,
    "cancelled": _CANCELLED,
    "axed": _CANCELLED,
    "ending": _ENDING,
    "final season": _ENDING,
}
# A cheap test run on the whole entry first: without one of these word stems there is
# nothing to read. Run on lower-cased text, anchored at a word start, so it costs a few
# microseconds (and "end" does not fire on "weekend", nor "air" on "chair").
_PREFILTER = re.compile(
    r"\b(?:renew|recommission|cancel|ax(?:e|ed|es|ing)\b|plug|forward|return|final|last|end"
    r"|conclu|wrap|premier|debut|arriv|launch|drop|bow|kick|begin|start|releas|back|hit|air"
    r"|stream|slated|schedul|date|land|coming|target|wait|pick|green|order|confirm|season|series"
    r"|staffel|verlängert|reviv|revival|saved|saves|rescue|resurrect|scrap|one-and-done|dead"
    r"|goodbye|farewell|part(?:s|ed|ing)?\s+ways|unlikely|uncancel|un-cancel|gave|give|hand"
    r"|grant|award|get|got|earn|score|secur|receiv|nab|bag|snag|move|moving|head|jump|open"
    r"|s\d)"
)


def has_keyword(text: str) -> bool:
    """True when `text` holds a word any announcement needs (see `_PREFILTER`)."""
    return _PREFILTER.search(text.lower()) is not None


def status_triggers(sentence: str) -> list[Trigger]:
    """Renewal, cancellation and ending phrases in a sentence, without overlaps."""
    found = _apply(_STATUS_RULES, _STATUS_KEYS, sentence)
    if "(" not in sentence and ":" not in sentence:
        # Examples need a parenthesis after them, labels and list headings a colon.
        return sorted(found, key=lambda t: t.start)
    for example in _EXAMPLES.finditer(sentence):
        event = _EXAMPLE_EVENTS[example["word"].lower().rstrip("s")]
        start, end = example.span("word")
        found = [t for t in found if not (t.start < end and start < t.end)]
        found.append(Trigger(event, start, end, _A, label=True))
    for label in _RENEWALS_LIST.finditer(sentence):
        start, end = label.span("word")
        found = [t for t in found if not (t.start < end and start < t.end)]
        found.append(Trigger(_RENEWED, start, end, _A, label=True, listing=True))
    for label in _LABEL.finditer(sentence):
        event = _LABEL_EVENTS[" ".join(label["word"].lower().split())]
        start, end = label.span("word")
        found = [t for t in found if not (t.start < end and start < t.end)]
        found.append(Trigger(event, start, end, _A, label=True))
    return sorted(found, key=lambda t: t.start)


def premiere_triggers(sentence: str) -> list[Trigger]:
    """Premiere verbs ("premieres", "returns", "sets ... date") in a sentence."""
    return sorted(_apply(_PREMIERE_RULES, _PREMIERE_KEYS, sentence), key=lambda t: t.start)


def _apply(rules: tuple[_Rule, ...], keys: tuple[str, ...], sentence: str) -> list[Trigger]:
    found: list[Trigger] = []
    # A substring test is far cheaper than a case-insensitive regex scan; each distinct key
    # is tested once per sentence rather than once per rule that lists it.
    present = _present_keys(sentence.lower(), keys)
    for rule in rules:
        if rule.keys and present.isdisjoint(rule.keys):
            continue
        for match in rule.pattern.finditer(sentence):
            start, end = match.span()
            if end == start or any(t.start < end and start < t.end for t in found):
                continue
            found.append(
                Trigger(
                    rule.event,
                    start,
                    end,
                    rule.voice,
                    rule.need,
                    reversal=rule.reversal,
                    not_return=rule.not_return,
                    past=rule.past,
                    weak=rule.weak,
                )
            )
    return found


def _present_keys(lower: str, keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset([key for key in keys if key in lower])


def _distinct_keys(rules: tuple[_Rule, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for rule in rules for key in rule.keys))


_STATUS_KEYS = _distinct_keys(_STATUS_RULES)
_PREMIERE_KEYS = _distinct_keys(_PREMIERE_RULES)
