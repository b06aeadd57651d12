"""Reading one entry, sentence by sentence (the title first), into announcements.

In each sentence the announcing phrases (triggers) are found first; each is then tied to
the show named in its clause (the nearest one on the side its grammar puts the show), to
the season written between or just after them, and — for premiere verbs — to a date or a
window. A clause that names no show may refer back to the one named last ("the series
will return for a second season") or, in a title that names none, to the one show the
entry is about. Hedges, questions, negations and restatements drop or downgrade a find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from bot.models import Announcement, Certainty, Entry, Event, Source, Window
from bot.recognition._certainty import Reading, is_reported, read_certainty
from bot.recognition._dates import DateRef, find_dates
from bot.recognition._networks import NETWORK_PATTERN, NetworkRef, find_networks
from bot.recognition._numbers import MAX_SEASON, SeasonForm, SeasonRef, find_seasons
from bot.recognition._showname import name_after, names_before, quoted_titles, title_case
from bot.recognition._text import (
    MAX_SUMMARY_CHARS,
    clause_span,
    comma_span,
    has_comma_between,
    normalise,
    split_sentences,
)
from bot.recognition._traps import (
    HEDGE,
    NEGATION,
    NON_TV_BEFORE_RENEWAL,
    NON_TV_OBJECT,
    NOT_NEWS,
    RESTATEMENT,
    EntryTraits,
    entry_traits,
    is_finance,
    is_sports,
)
from bot.recognition._triggers import (
    Need,
    Trigger,
    Voice,
    has_keyword,
    premiere_triggers,
    status_triggers,
)
from bot.recognition._windows import WindowKind, WindowRef, find_windows
from bot.shows.catalogue import Catalogue, ShowMention
from bot.shows.names import name_key

_ANAPHOR = re.compile(
    r"\b(?:the|this|that|its|their)\s+(?:[\w-]+\s+){0,3}?(?:series|show|drama|comedy|thriller"
    r"|sitcom|procedural|franchise|docuseries|anthology|adaptation|spinoff|spin-off|saga"
    r"|dramedy|romance|hit|season|seasons|revival|reboot)\b|\b(?:it|it's|its|they)\b",
    re.IGNORECASE,
)
# Words before a premiere verb that make it about something other than a season premiere.
_NOT_A_PREMIERE = re.compile(
    r"\b(?:trailer|teaser|poster|first\s+look|photos?|clip|promo|finale|episodes?\s+\d+"
    r"|midseason|mid-season|dvd|blu-ray|soundtrack|book|novel|film|movie|game|album|tour"
    r"|tickets?|special|production|filming|shooting"
    r"|principal\s+photography|casting|writing|writers'?\s+room|table\s+read|voting|nominations?"
    r"|pre-?sales?|podcast|comic|aftershow|after-show|reunion|panel|q&a|screening|festival"
    r"|box\s+office|strike|negotiations?|talks|deal|contract)\b[^.;]{0,30}$",
    re.IGNORECASE,
)
# "Fall 2025 Premiere Dates: 'Tracker,' 'Ghosts'": a schedule listing, not one premiere.
_OTHER_SEASON_BEFORE = re.compile(
    r"\b(?:ahead\s+of|before|after|following|since|during|until|through|despite|amid)\s+"
    r"(?:the\s+|its\s+|their\s+)?$",
    re.IGNORECASE,
)
_OTHER_SEASON_AFTER = re.compile(
    r"(?:'s)?\s+(?:finale|premiere|premieres|debut|debuts|opener|episodes?|trailer|teaser"
    r"|production|filming|launch|return|release|drops?)\b",
    re.IGNORECASE,
)
# "after its June debut", "since its premiere": a premiere already behind us.
_PAST_PREMIERE = re.compile(
    r"\b(?:after|since|following)\s+(?:its|the|their|a)?\s*(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Between a premiere verb and its date: another activity owns the date ("will return for
# season four, with production set to begin in the spring").
_OTHER_ACTIVITY = re.compile(
    r"\b(?:production|filming|shooting|cameras|photography|casting|writing|writers'?\s+room"
    r"|table\s+read|finale|trailer|teaser)\b",
    re.IGNORECASE,
)
# A title or description before a show that makes the show a modifier: "Bob Odenkirk's
# follow-up to Better Call Saul", "from the creators of Dark", "The Sandman spinoff".
_MODIFIER_BEFORE = re.compile(
    r"(?:\b(?:follow-?up|successor|sequel|prequel|spin-?off|companion|heir|answer)\s+to"
    r"|\b(?:creators?|makers?|producers?|writers?|showrunners?|stars?|cast|director|team"
    r"|universe|world|fans|alums?|veterans?|version|remake|reboot|revival)\s+of"
    r"|\b(?:from|starring|like|than|inspired\s+by|based\s+on|after|before|since|alongside))"
    r"\s+(?:the\s+)?['\"]?$",
    re.IGNORECASE,
)
# The subset that makes the named show a different show from the one the story is about.
_OTHER_SHOW_BEFORE = re.compile(
    r"(?:\b(?:follow-?up|successor|sequel|prequel|spin-?off|companion|heir|answer)\s+to"
    r"|\b(?:creators?|makers?|universe|world|version|remake)\s+of|\b(?:from|like|than"
    r"|inspired\s+by|based\s+on))\s+(?:the\s+)?['\"]?$",
    re.IGNORECASE,
)
_OTHER_SHOW_AFTER = re.compile(
    r"['\"]?(?:'s)?\s+(?:spin-?off|prequel|sequel|universe|franchise|movie|film|crossover"
    r"|companion|successor|follow-up|trilogy)\b",
    re.IGNORECASE,
)
_MODIFIER_AFTER = re.compile(
    r"['\"]?(?:'s)?\s+(?:spin-?off|prequel|sequel|universe|franchise|star|stars"
    r"|cast|creator|creators|alum|team|actor|actress|fans?|writers?|showrunner|producers?"
    r"|movie|film|crossover|companion|successor|follow-up|cast\s+member|veteran|trilogy)\b",
    re.IGNORECASE,
)
_LISTING = re.compile(r"\s+(?:dates|calendar|schedule|lineup|slate|guide)\b", re.IGNORECASE)
_HITS = re.compile(r"^hits?$", re.IGNORECASE)
_HITS_OK = re.compile(
    r"^\s+(?:screens|theaters|streaming|netflix|hulu|max|prime|the\s+small|disney|apple|peacock"
    r"|paramount|hbo|starz|showtime|amc|fx|bbc|itv|tv|television|cbs|nbc|abc|fox|the\s+cw)",
    re.IGNORECASE,
)
_ADJECTIVAL_RENEWED = re.compile(
    r"^\s+(?!(?:for|by|at|on|through|as|after|ahead|early|in|to|and|with|until|officially"
    r"|today|yesterday|this|last|despite|following|amid|again|once|quickly|back|before|over"
    r"|into|the|a|an|it|its|their|his|her|them|season|seasons|series|both|all|three|two)\b)"
    r"[a-z]{3,}\b(?!\s+(?:for|through|by)\b)"
)
_FINAL_BEFORE = re.compile(
    r"\b(?:announce[sd]?|announcing|confirm(?:s|ed|ing)?|order(?:s|ed)?|greenlit|greenlights?"
    r"|sets?|renew(?:s|ed)?|pick(?:s|ed)?\s+up|picked\s+up\s+for|heading\s+into|for|as|be"
    r"|is|was|will\s+be|marks?)\s+(?:(?:a|an|its|the|their|what\s+will\s+be)\s+)?$",
    re.IGNORECASE,
)
_FINAL_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:has\s+been\s+|is\s+|was\s+|will\s+be\s+)?(?:officially\s+)?(?:confirmed"
    r"|announced|ordered|greenlit|set|revealed|renewal|order|pickup)\b"
    # "The final season of the Penn Badgley thriller will drop all 10 episodes".
    r"|^(?:\s+of\s+[^.;:!?]{1,60}?)?\s+(?:will|is\s+set\s+to|is\s+going\s+to|is\s+slated\s+to)"
    r"\s+(?:drop|premiere|debut|arrive|return|stream|air|launch|hit|land|begin|kick\s+off)\b",
    re.IGNORECASE,
)
_FINAL_NOT = re.compile(
    r"\b(?:trailer|teaser|premiere|date|poster|first\s+look|photos?|review|recap|episodes?"
    r"|ratings|finale|clip|promo)\s+(?:for|of)\s+(?:(?:a|an|its|the|their)\s+)?$",
    re.IGNORECASE,
)
_WHEN_QUESTION = re.compile(
    r"\bwhen\b[^?]*\b(?:premiere|return|back|arrive|debut|release|see)\b[^?]*\?", re.IGNORECASE
)
_SEASON_OF = re.compile(r"^\s+of\s+(?:the\s+)?['\"]?$", re.IGNORECASE)
_LOOSE_WINDOW_WORDS = re.compile(
    r"\b20\d\d\b|\b(?:spring|summer|fall|autumn|winter|this\s+year|next\s+year)\b", re.IGNORECASE
)
_MAX_DATE_GAP = 90
_NEAR = 28
_EVIDENCE_CHARS = 220


@dataclass(frozen=True, slots=True)
class _Named:
    name: str  # canonical for a catalogue show, as written otherwise
    start: int
    end: int
    known: bool
    ordinary: bool = False
    quoted: bool = False


@dataclass(slots=True)
class _Found:
    show: str
    known: bool
    event: Event
    season: int | None
    reading: Reading
    evidence: str
    network: str | None
    position: int
    date: date | None = None
    window: Window | None = None
    offset: int = 0  # where in its sentence the announcing phrase stands
    soft: bool = False  # a cancellation read from "won't return": an ending may explain it


@dataclass(slots=True)
class _Sentence:
    text: str
    is_title: bool
    named: list[_Named]
    seasons: list[SeasonRef]
    networks: list[NetworkRef]
    dates: list[DateRef] = field(default_factory=list)
    windows: list[WindowRef] = field(default_factory=list)
    status: list[Trigger] = field(default_factory=list)
    keyword: bool = True  # holds a word some announcement needs (see `has_keyword`)


def recognise_entry(entry: Entry, catalogue: Catalogue) -> list[Announcement]:
    """All announcements in one entry (see the package docstring for the contract)."""
    return read_entry_parts(entry, catalogue, mentioned=False)[0]


def mentioned_show_names(entry: Entry, catalogue: Catalogue) -> list[str]:
    """Canonical names of catalogue shows an entry names with confidence."""
    title = normalise(entry.title)
    summary = normalise(entry.summary[:MAX_SUMMARY_CHARS])
    traits = entry_traits(title, f"{title}\n{summary}")
    return _mentioned(entry, catalogue, title, summary, traits, _Mentions(catalogue))


def read_entry_parts(
    entry: Entry, catalogue: Catalogue, *, mentioned: bool = True
) -> tuple[list[Announcement], list[str]]:
    """The announcements of one entry and, when `mentioned`, the catalogue shows it names.
    Both readings share the normalised text, the entry's traits and the catalogue matches
    of each text, which are most of the cost of either."""
    title = normalise(entry.title)
    summary = normalise(entry.summary[:MAX_SUMMARY_CHARS])
    keyword = has_keyword(title) or has_keyword(summary)
    if not keyword and not mentioned:
        return [], []
    traits = entry_traits(title, f"{title}\n{summary}")
    mentions = _Mentions(catalogue)
    announcements: list[Announcement] = []
    if keyword and not traits.recap_or_review:
        announcements = _EntryReader(entry, catalogue, title, summary, traits, mentions).read()
    names = _mentioned(entry, catalogue, title, summary, traits, mentions) if mentioned else []
    return announcements, names


class _Mentions:
    """`Catalogue.find_mentions` remembered per text for one entry: the title is matched
    for announcements and again for the shows the entry mentions."""

    __slots__ = ("_catalogue", "_found")

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._found: dict[str, list[ShowMention]] = {}

    def __call__(self, text: str) -> list[ShowMention]:
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._catalogue.find_mentions(text)
        return found


def _mentioned(
    entry: Entry,
    catalogue: Catalogue,
    title: str,
    summary: str,
    traits: EntryTraits,
    mentions: _Mentions,
) -> list[str]:
    names: list[str] = []
    for text in (title, summary):
        for mention in mentions(text):
            if traits.finance and mention.ordinary:
                continue
            if mention.show not in names:
                names.append(mention.show)
    for category in entry.categories:
        show = catalogue.get(category)
        if show is not None and show.name not in names and not traits.finance:
            names.append(show.name)
    return names


class _EntryReader:
    def __init__(
        self,
        entry: Entry,
        catalogue: Catalogue,
        title: str,
        summary: str,
        traits: EntryTraits,
        mentions: _Mentions,
    ) -> None:
        self._entry = entry
        self._catalogue = catalogue
        self._mentions = mentions
        self._traits = traits
        self._published = entry.published.date() if entry.published else None
        self._title = self._prepare(title, is_title=True)
        self._body = [self._prepare(s, is_title=False) for s in split_sentences(summary)]
        self._found: list[_Found] = []
        self._last_show: _Named | None = None
        self._context_season: dict[str, int] = {}
        self._premiere_context = 0
        self._position = 0
        self._topic = self._find_topic()
        self._title_reported = is_reported(title)
        self._summary = summary
        self._pending_premiere: _Named | None = None
        self._title_names_a_show = False
        self._shows_named: set[str] = set()
        self._previous_named: list[_Named] = []

    # Facts about the whole entry, worked out only when a rule asks for them.

    @cached_property
    def _summary_reported(self) -> bool:
        return is_reported(self._summary)

    @cached_property
    def _undecided(self) -> bool:
        return bool(_UNDECIDED.search(f"{self._title.text}\n{self._summary}"))

    @cached_property
    def _entry_tv(self) -> bool:
        return bool(_TV_WORDS.search(self._summary))

    def read(self) -> list[Announcement]:
        self._read_sentence(self._title)
        self._position += 1
        self._name_title_shows_in_body()
        for sentence in self._body:
            self._read_sentence(sentence)
            self._position += 1
        return self._announcements()

    def _name_title_shows_in_body(self) -> None:
        """A show the title names but the catalogue does not know is, in the body, a name
        like any catalogue show ("Jon Cryer's Extended Family, meanwhile, has been
        canceled")."""
        names = {n.name for n in self._title.named if not n.known}
        names |= {f.show for f in self._found if not f.known}
        self._title_names_a_show = bool(self._title.named) or bool(self._found)
        for name in names:
            if len(name) < 3:
                continue
            pattern = re.compile(rf"(?<![\w'])(?:The\s+)?{re.escape(name)}(?![\w])")
            for sentence in self._body:
                for match in pattern.finditer(sentence.text):
                    if any(n.start < match.end() and match.start() < n.end for n in sentence.named):
                        continue
                    sentence.named.append(_Named(name, match.start(), match.end(), False))
                sentence.named.sort(key=lambda n: n.start)

    # Preparing sentences and the entry's topic.

    def _prepare(self, text: str, *, is_title: bool) -> _Sentence:
        named: list[_Named] = []
        sports = self._traits.sports and is_sports(text)
        for mention in self._mentions(text):
            if (
                mention.ordinary
                and (self._traits.finance or sports)
                and not _strongly_a_title(text, mention.start, mention.end)
            ):
                continue
            named.append(_Named(mention.show, mention.start, mention.end, True, mention.ordinary))
        if not (self._traits.finance or self._traits.sports):
            for candidate in quoted_titles(text):
                if any(n.start < candidate.end and candidate.start < n.end for n in named):
                    continue
                named.append(
                    self._named_from_candidate(candidate.name, candidate.start, quoted=True)
                )
        named.sort(key=lambda n: n.start)
        keyword = has_keyword(text)
        seasons = find_seasons(text) if keyword or is_title else []
        for show in named:
            # "Stranger Things 5 Will Arrive in 2025": a number right after a known title.
            number = _NUMBERED_TITLE.match(text, show.end)
            if show.known and number is not None and not show.name[-1:].isdigit():
                value = int(number.group(1))
                if 1 < value <= MAX_SEASON:
                    seasons.append(
                        SeasonRef((value,), number.start(1), number.end(1), SeasonForm.NUMBER)
                    )
        seasons.sort(key=lambda r: r.start)
        networks = find_networks(text) if keyword or is_title else []
        return _Sentence(text, is_title, named, seasons, networks, keyword=keyword)

    def _named_from_candidate(self, written: str, start: int, *, quoted: bool = False) -> _Named:
        show = self._catalogue.get(written)
        if show is not None:
            return _Named(show.name, start, start + len(written), True, quoted=quoted)
        return _Named(title_case(written), start, start + len(written), False, quoted=quoted)

    def _find_topic(self) -> _Named | None:
        title_shows = [n for n in self._title.named if not _is_other_show(self._title.text, n)]
        if title_shows:
            return title_shows[0]
        for category in self._entry.categories:
            show = self._catalogue.get(category)
            if show is not None:
                return _Named(show.name, -1, -1, True)
        shows = {n.name for s in self._body for n in s.named if n.known}
        if len(shows) == 1:
            return next(n for s in self._body for n in s.named if n.known)
        return None

    # One sentence.

    def _read_sentence(self, sentence: _Sentence) -> None:
        text = sentence.text
        keyword = sentence.keyword
        if not keyword and self._premiere_context and _LOOSE_WINDOW_WORDS.search(text):
            sentence.windows = find_windows(text, self._published)
            self._read_loose_windows(sentence, set())
        if not keyword and self._pending_premiere is not None:
            # "... reveal premiere date" + a body that only gives the date.
            sentence.dates = find_dates(text, self._published)
            self._read_revealed_date(sentence, len(self._found))
        if (
            not keyword
            or (
                not sentence.is_title
                and self._traits.sports
                and is_sports(text)
                and not any(n.known for n in sentence.named)
            )
            or (
                self._traits.finance
                and is_finance(text)
                and not any(n.known and not n.ordinary for n in sentence.named)
            )
        ):
            self._remember(sentence)
            self._premiere_context = max(0, self._premiere_context - 1)
            return
        sentence.dates = find_dates(text, self._published)
        sentence.windows = find_windows(text, self._published)
        status = status_triggers(text)
        sentence.status = status
        premieres = premiere_triggers(text)
        found_before = len(self._found)
        excluded = [m.span() for m in NOT_NEWS.finditer(text)]
        for trigger in status:
            if not self._excluded(text, trigger, excluded):
                self._read_status(sentence, trigger, status)
        for ref in sentence.seasons:
            if ref.final and self._final_is_news(text, ref):
                final = Trigger(Event.ENDING, ref.start, ref.end, Voice.EITHER)
                self._read_status(sentence, final, status, season_ref=ref)
        used_windows: set[int] = set()
        for trigger in premieres:
            if not self._excluded(text, trigger, excluded):
                self._read_premiere(sentence, trigger, status, used_windows)
        self._read_loose_windows(sentence, used_windows)
        self._read_revealed_date(sentence, found_before)
        if premieres or _WHEN_QUESTION.search(text):
            self._premiere_context = 3
        self._premiere_context = max(0, self._premiere_context - 1)
        self._remember(sentence)

    def _excluded(self, text: str, trigger: Trigger, excluded: list[tuple[int, int]]) -> bool:
        if any(s <= trigger.start < e for s, e in excluded):
            return True
        return _in_question(text, trigger.start)

    def _read_status(
        self,
        sentence: _Sentence,
        trigger: Trigger,
        triggers: list[Trigger],
        season_ref: SeasonRef | None = None,
    ) -> None:
        text = sentence.text
        clause_start, clause_end = clause_span(text, trigger.start)
        before = _without_names(sentence, clause_start, trigger.start)
        reported = is_reported(text)
        if not trigger.label and NEGATION.search(before):
            return
        if not trigger.label and HEDGE.search(before) and (not reported or self._undecided):
            return  # "Could Be Cancelled If Ratings Keep Falling ... Nothing has been decided"
        if not trigger.label and _CONDITION_AFTER.match(text, trigger.end, clause_end):
            return  # "'Tracker' Could Be Cancelled If Ratings Keep Falling"
        if not sentence.is_title and RESTATEMENT.search(text, clause_start, clause_end):
            return
        if not trigger.label and _BACKGROUND_BEFORE.search(
            text, max(clause_start, trigger.start - 36), trigger.start
        ):
            return  # "Canceled Despite Season 2 Order", "After HBO Max Cancellation"
        if trigger.event is Event.RENEWED and not self._renewal_is_tv(text, trigger):
            return
        if trigger.weak and self._dated(sentence, clause_start, clause_end):
            return  # "will return for its third season on Sept. 22" dates a premiere
        if trigger.weak and any(
            t.event is not Event.RENEWED and clause_start <= t.start < clause_end for t in triggers
        ):
            return  # "confirmed the eighth season ... will be its last" is an ending
        if trigger.event is Event.CANCELLED and NON_TV_OBJECT.match(text, trigger.end):
            return
        shows = self._shows_for(sentence, trigger, triggers)
        if not shows:
            return
        seasons = [r for r in sentence.seasons if clause_start <= r.start < clause_end]
        if not self._need_met(sentence, trigger, shows, seasons):
            return
        reading = read_certainty(text, text[clause_start:clause_end])
        if (
            self._title_reported
            and not sentence.is_title
            and reading.certainty is not (Certainty.SPECULATION)
            and not reading.explicit
        ):
            reading = Reading(Certainty.REPORTED, True)
        if _hedged_question(text, trigger.start):
            if self._undecided:
                return  # "Peacock Renews 'Twisted Metal' for Season 3? Not So Fast"
            reading = _downgraded(reading)
        if (
            sentence.is_title
            and all(show.start < 0 for show in shows)
            and reading.certainty is Certainty.OFFICIAL
            and self._summary_reported
        ):
            # "Netflix Gives Fan-Favorite Series Season 2 Renewal" names its show only in a
            # body that says "What's on Netflix broke the news": a report.
            reading = Reading(Certainty.REPORTED, True)
        if reading.certainty is Certainty.SPECULATION:
            return  # a guess about a show's fate is not news
        if self._traits.explainer and not sentence.is_title and not reading.explicit:
            return
        network = self._network(sentence, trigger.start)
        for index, show in enumerate(shows):
            ref = season_ref or self._season_ref(
                sentence, trigger, show, _with_show_clause(sentence, show, seasons), triggers
            )
            for event, season in _status_events(trigger, ref):
                if (
                    season is None
                    and ref is not None
                    and (ref.deictic or (ref.final and ref.form is SeasonForm.UNNUMBERED))
                ):
                    season = self._context_season.get(show.name)
                if ref is not None and len(shows) > 1 and len(ref.values) == len(shows):
                    # "Chicago Fire, Chicago Med and Chicago P.D. as RENEWED for seasons 14,
                    # 11 and 13": respectively.
                    season = ref.values[index] if event is trigger.event else season
                if not show.known and (event is not trigger.event or self._traits.listicle):
                    continue
                self._add(
                    show,
                    event,
                    season,
                    reading,
                    _evidence(text, show, trigger),
                    network,
                    offset=trigger.start,
                    soft=trigger.not_return,
                )

    def _read_premiere(
        self,
        sentence: _Sentence,
        trigger: Trigger,
        triggers: list[Trigger],
        used_windows: set[int],
    ) -> None:
        text = sentence.text
        if trigger.past:
            return
        word = text[trigger.start : trigger.end]
        if _HITS.match(word) and not _HITS_OK.match(text[trigger.end :]):
            return
        clause_start, clause_end = clause_span(text, trigger.start)
        if (
            _NOT_A_PREMIERE.search(_without_names(sentence, clause_start, trigger.start))
            or _LISTING.match(text, trigger.end)
            or _PAST_PREMIERE.search(text, max(clause_start, trigger.start - 40), trigger.start)
        ):
            return
        value = self._premiere_value(sentence, trigger, clause_start, clause_end)
        if value is None:
            return
        if value.start > trigger.end and _OTHER_ACTIVITY.search(text, trigger.end, value.start):
            return
        if _in_question(text, value.start):
            return  # "premiere date: Will we hear anything this month?"
        negated = bool(NEGATION.search(_without_names(sentence, clause_start, trigger.start)))
        if isinstance(value, WindowRef):
            used_windows.add(value.start)
            until = re.search(r"\b(?:until|till|before)\s+$", text[: value.start], re.I)
            if negated and not until:
                return
        elif negated:
            return
        shows = self._shows_for(sentence, trigger, triggers, premiere=True)
        if not shows:
            return
        low = min(trigger.start, value.start)
        high = max(trigger.end, value.end)
        scope_start, scope_end = comma_span(text, low, high)
        reading = read_certainty(text, text[scope_start:scope_end])
        if _hedged_question(text, trigger.start):
            reading = _downgraded(reading)
        seasons = [r for r in sentence.seasons if clause_start <= r.start < clause_end]
        network = self._network(sentence, trigger.start)
        for show in shows:
            ref = self._season_ref(
                sentence, trigger, show, _with_show_clause(sentence, show, seasons), triggers
            )
            season = ref.value if ref and ref.form is SeasonForm.NUMBER else None
            if season is None:
                season = self._context_season.get(show.name)
            evidence = _evidence(text, show, trigger, value.start, value.end)
            # "The fifth and final season of The Boys will debut April 8": dating the final
            # season announces the ending too.
            for final in (r for r in seasons if r.final and not r.negated):
                last = final.values[-1] if final.values else season
                self._add(show, Event.ENDING, last, reading, evidence, network)
            if not any(r.final for r in seasons) and _FINAL_EPISODES.search(
                text, clause_start, clause_end
            ):
                # "The final episodes of Yellowstone's fifth season kick off November 10".
                self._add(show, Event.ENDING, season, reading, evidence, network)
            if isinstance(value, DateRef):
                self._add(
                    show, Event.PREMIERE_DATE, season, reading, evidence, network, value.value
                )
            else:
                window = Window(value.start_date, value.end_date, value.text)
                self._add(
                    show, Event.PREMIERE_WINDOW, season, reading, evidence, network, None, window
                )

    def _read_revealed_date(self, sentence: _Sentence, found_before: int) -> None:
        """A title that says a premiere date was revealed ("The Wheel of Time makers ...
        reveal premiere date") is about the first date its body gives."""
        if sentence.is_title:
            dated = any(f.event is Event.PREMIERE_DATE for f in self._found)
            if not dated and self._topic is not None and _DATE_REVEALED.search(sentence.text):
                self._pending_premiere = _elsewhere(self._topic)
            return
        show = self._pending_premiere
        if show is None or len(self._found) > found_before or not sentence.dates:
            return
        if any(n.name != show.name for n in sentence.named):
            return
        value = sentence.dates[0]
        clause_start, clause_end = clause_span(sentence.text, value.start)
        if value.relative or _OTHER_ACTIVITY.search(sentence.text, clause_start, clause_end):
            return
        self._pending_premiere = None
        reading = read_certainty(sentence.text, sentence.text[clause_start:clause_end])
        evidence = sentence.text[clause_start:clause_end].strip()[:_EVIDENCE_CHARS]
        season = self._context_season.get(show.name)
        network = self._network(sentence, value.start)
        self._add(show, Event.PREMIERE_DATE, season, reading, evidence, network, value.value)

    def _read_loose_windows(self, sentence: _Sentence, used: set[int]) -> None:
        """A specific window in a sentence right after talk of a premiere ("we imagine late
        2024") with no premiere verb of its own."""
        if self._premiere_context <= 0 or sentence.is_title:
            return
        text = sentence.text
        for window in sentence.windows:
            if window.start in used or window.kind is WindowKind.MONTH:
                continue
            if _in_question(text, window.start):
                continue
            low = comma_span(text, window.start, window.end)[0]
            if NEGATION.search(_without_names(sentence, low, window.start)) and not re.search(
                r"\b(?:until|till|before)\s+$", text[: window.start], re.IGNORECASE
            ):
                continue  # "not going to be getting a premiere date this month"
            show = self._fallback_show(sentence, window.start, premiere=True)
            if show is None:
                continue
            scope_start, scope_end = comma_span(text, window.start, window.end)
            reading = read_certainty(text, text[scope_start:scope_end])
            season = self._context_season.get(show.name)
            evidence = text[scope_start:scope_end][:_EVIDENCE_CHARS]
            value = Window(window.start_date, window.end_date, window.text)
            network = self._network(sentence, window.start)
            self._add(show, Event.PREMIERE_WINDOW, season, reading, evidence, network, None, value)

    # Linking a trigger to its show, season and value.

    def _shows_for(
        self,
        sentence: _Sentence,
        trigger: Trigger,
        triggers: list[Trigger],
        *,
        premiere: bool = False,
    ) -> list[_Named]:
        text = sentence.text
        clause_start, clause_end = clause_span(text, trigger.start)
        candidates = [n for n in sentence.named if clause_start <= n.start and n.end <= clause_end]
        if trigger.label:
            later = [t.start for t in triggers if t.label and t.start > trigger.start]
            if text[trigger.end : trigger.end + 2].strip().startswith("("):
                closing = text.find(")", trigger.end)
                later.append(closing if closing > 0 else clause_end)
            stop = min([clause_end, *later])
            listed = [n for n in sentence.named if trigger.end <= n.start < stop]
            if trigger.listing:
                # Under "Renewals:", a show counts only with its season ("'X' S3").
                listed = [
                    n for n in listed if any(0 <= r.start - n.end <= 6 for r in sentence.seasons)
                ]
            return listed
        if not premiere:
            candidates += self._unknown_names(sentence, trigger, candidates)
        candidates = [n for n in candidates if not _is_modifier(text, n)]
        if trigger.voice is Voice.ACTIVE and not _PRONOUN_OBJECT.match(text, trigger.end):
            # "Caribbean Resort Chain Cancels Its Summer Season": before an active verb
            # stands who does it, not what it is done to.
            candidates = [n for n in candidates if n.start >= trigger.end]
        candidates.sort(key=lambda n: n.start)
        if candidates:
            best = min(candidates, key=lambda n: _link_cost(text, trigger, n, triggers))
            return _coordinated(text, best, candidates)
        across = self._across_ellipsis(sentence, trigger, clause_start, clause_end)
        if across is not None:
            return [across]
        if trigger.voice is Voice.ACTIVE and _PLAIN_OBJECT.match(text, trigger.end):
            return []  # "Amazon has greenlit franchise follow-ups": not a show
        if _THEY.search(text, clause_start, trigger.start) and self._previous_named:
            # "Chicago Fire enters its 14th season, Chicago P.D. its 13th ... They begin
            # airing October 1": each show of the sentence before.
            return [_elsewhere_keep(n) for n in self._previous_named]
        if _PLURAL_SUBJECT.search(text, clause_start, trigger.start):
            # "From Kaos and Dead Boy Detectives to The Brothers Sun, here are the Netflix
            # originals that won't be coming back": every show the sentence names.
            return [
                n for n in sentence.named if (n.known or n.quoted) and not _is_modifier(text, n)
            ]
        event = None if premiere else trigger.event
        show = self._fallback_show(sentence, trigger.start, premiere=premiere, event=event)
        return [] if show is None else [show]

    def _across_ellipsis(
        self, sentence: _Sentence, trigger: Trigger, clause_start: int, clause_end: int
    ) -> _Named | None:
        """The show just across an ellipsis when the verb's slot runs into it: "issued a
        rare cancellation to ... Sunny"."""
        text = sentence.text
        if (
            trigger.voice is not Voice.PASSIVE
            and not _LEFTOVER.sub("", text[trigger.end : clause_end])
            and not text[trigger.start : trigger.end].lower().endswith("plug")
        ):
            after = [n for n in sentence.named if n.start >= clause_end]
            if after and _transparent_gap(text[clause_end : after[0].start]):
                return after[0]
        if trigger.voice is not Voice.ACTIVE and _AUX_ONLY.match(text, clause_start, trigger.start):
            before = [n for n in sentence.named if n.end <= clause_start]
            if before and _transparent_gap(text[before[-1].end : clause_start]):
                return before[-1]
        return None

    def _unknown_names(
        self, sentence: _Sentence, trigger: Trigger, known: list[_Named]
    ) -> list[_Named]:
        if self._traits.finance or self._traits.sports:
            return []
        # In the body of an entry whose title names its show, a capitalised name near a
        # verb is more often a person or a character ("Mel and Jack are getting another
        # season") than a second show.
        if (
            not sentence.is_title
            and self._title_names_a_show
            and not self._traits.roundup
            and not (
                trigger.voice is Voice.ACTIVE
                and _NETWORK_SUBJECT.search(sentence.text, 0, trigger.start)
            )
        ):
            return []
        text = sentence.text
        found: list[_Named] = []
        spots: list[tuple[str, int]] = []
        if trigger.voice in (Voice.ACTIVE, Voice.EITHER):
            spots.append(("after", trigger.end))
        if trigger.voice in (Voice.PASSIVE, Voice.EITHER):
            spots.append(("before", trigger.start))
        for side, position in spots:
            if side == "after":
                skip = re.match(r"\s+(?:(?:the|its|their)\s+)?", text[position:])
                after = name_after(text, position + (skip.end() if skip else 0))
                candidates = [] if after is None else [after]
            else:
                candidates = names_before(text, position)
            for candidate in candidates:
                if any(n.start < candidate.end and candidate.start < n.end for n in known):
                    continue
                found.append(self._named_from_candidate(candidate.name, candidate.start))
        return found

    def _fallback_show(
        self, sentence: _Sentence, position: int, *, premiere: bool, event: Event | None = None
    ) -> _Named | None:
        text = sentence.text
        clause_start, clause_end = clause_span(text, position)
        clause = text[clause_start:clause_end]
        earlier = [n for n in sentence.named if n.end <= position and not _is_modifier(text, n)]
        if sentence.is_title:
            # "Is Evil cancelled? Paramount+ ends the drama after four seasons": the show
            # the title named before; a title that names none is about the entry's show.
            if earlier and _ANAPHOR.search(text, clause_start, clause_end):
                return earlier[-1]
            if self._traits.listicle or self._traits.roundup or self._title.named:
                return None
            return _elsewhere(self._topic)
        numbered = any(
            r.form is SeasonForm.NUMBER and clause_start <= r.start < clause_end
            for r in sentence.seasons
        )
        if not (premiere or _ANAPHOR.search(clause) or numbered):
            return None
        if earlier:
            return earlier[-1]
        if event is not None:
            # "'Outlander' to End With Season 8; Prequel 'Blood of My Blood' Premieres" then
            # "the time-travel romance will be its last": the show the title ended.
            same = {f.show for f in self._found if f.event is event}
            if len(same) == 1:
                show = next(f for f in self._found if f.event is event)
                return _Named(show.show, -1, -1, show.known)
        if len(self._shows_named) > 1:
            return None  # several shows named so far: "the crime drama" could be any of them
        if self._last_show is not None:
            return _elsewhere(self._last_show)
        if self._traits.listicle or self._traits.roundup:
            return None
        return _elsewhere(self._topic)

    def _need_met(
        self, sentence: _Sentence, trigger: Trigger, shows: list[_Named], seasons: list[SeasonRef]
    ) -> bool:
        if trigger.label and all(s.known or s.quoted for s in shows):
            return True  # "CANCELLED: 'Valor'" in a status list
        if all(not s.known and not s.quoted for s in shows) and not (
            seasons
            or _ADJACENT_NETWORK.match(sentence.text, trigger.end, trigger.end + 24)
            or _NETWORK_BEFORE.search(sentence.text, max(0, trigger.start - 24), trigger.start)
            or (sentence.is_title and self._entry_tv)
        ):
            return False  # "Georgia Renews Film Tax Credit": no sign of television
        if trigger.need is Need.NOTHING:
            return (
                any(s.known for s in shows)
                or bool(seasons)
                or bool(sentence.networks)
                or _tv_word(sentence.text)
                or (sentence.is_title and self._entry_tv)
            )
        if trigger.need is Need.SEASON:
            return bool(seasons)
        clause_start, clause_end = clause_span(sentence.text, trigger.start)
        return (
            bool(seasons)
            or any(s.known for s in shows)
            or any(clause_start <= n.start < clause_end for n in sentence.networks)
        )

    def _dated(self, sentence: _Sentence, clause_start: int, clause_end: int) -> bool:
        if not sentence.dates and not sentence.windows:
            sentence.dates = find_dates(sentence.text, self._published)
            sentence.windows = find_windows(sentence.text, self._published)
        return any(clause_start <= d.start < clause_end for d in sentence.dates) or any(
            clause_start <= w.start < clause_end for w in sentence.windows
        )

    def _renewal_is_tv(self, text: str, trigger: Trigger) -> bool:
        word = text[trigger.start : trigger.end].lower()
        after = text[trigger.end :]
        if _AS_SOMETHING_ELSE.match(after):
            return False  # "Resurrected as a Film Trilogy"
        if word.endswith(("renews", "renewing", "renewed")) and NON_TV_OBJECT.match(after):
            return False
        if word == "renewed" and _ADJECTIVAL_RENEWED.match(after):
            return False
        return not (word == "renewal" and NON_TV_BEFORE_RENEWAL.search(text[: trigger.start]))

    def _season_ref(
        self,
        sentence: _Sentence,
        trigger: Trigger,
        show: _Named,
        seasons: list[SeasonRef],
        triggers: list[Trigger],
    ) -> SeasonRef | None:
        if not seasons:
            return None
        text = sentence.text
        if trigger.event in (Event.RENEWED, Event.PREMIERE_DATE):
            # "a week after the Season 4 finale", "ahead of Season 2's premiere", "through
            # season 6" name other seasons than the one renewed or dated.
            renewal = trigger.event is Event.RENEWED
            seasons = [
                r
                for r in seasons
                if not r.aired
                and not _OF_ANOTHER_SHOW.match(text, r.end)
                and not (
                    _OTHER_SEASON_BEFORE.search(text, max(0, r.start - 24), r.start)
                    # "Ahead of its Season 3 premiere in February": the dated season itself.
                    and (renewal or not 0 <= trigger.start - r.end <= 4)
                )
                and not (renewal and _OTHER_SEASON_AFTER.match(text, r.end))
            ]
            if not seasons:
                return None
        if show.start >= 0:
            # In a list, each show's own season follows it: "So Help Me Todd after two
            # seasons and CSI: Vegas after three".
            nxt = min([n.start for n in sentence.named if n.start >= show.end] + [len(text)])
            own = [r for r in seasons if show.end <= r.start < min(nxt, show.end + 24)]
            if own and show.start > trigger.start:
                return own[0]
            low = min(show.start, trigger.start)
            high = max(show.end, trigger.end)
        else:
            # The show was named elsewhere: the season may stand anywhere in the clause
            # ("the current fourth season will be its last").
            low, high = clause_span(text, trigger.start)[0], trigger.end
        others = [n.start for n in sentence.named if n.start >= high] + [
            t.start for t in triggers if t.start >= high and t is not trigger
        ]
        _, clause_end = clause_span(text, trigger.start)
        tail_end = min([clause_end, high + 60, *others])
        inside = [r for r in seasons if low <= r.start and r.end <= tail_end]
        # "Season two of The Boys is confirmed": a season written just before the show.
        if not inside and show.start >= 0:
            inside = [r for r in seasons if _SEASON_OF.match(text[r.end : show.start])]
        if not inside:
            return None
        return min(inside, key=lambda r: abs(r.start - trigger.start))

    def _premiere_value(
        self, sentence: _Sentence, trigger: Trigger, clause_start: int, clause_end: int
    ) -> DateRef | WindowRef | None:
        def gap(start: int, end: int) -> int:
            if start >= trigger.end:
                return start - trigger.end
            return trigger.start - end + 15  # a date before the verb is less usual

        dates = [
            d
            for d in sentence.dates
            if clause_start <= d.start < clause_end
            and gap(d.start, d.end) <= (12 if d.relative else _MAX_DATE_GAP)
        ]
        if dates:
            return min(dates, key=lambda d: gap(d.start, d.end))
        windows = [
            w
            for w in sentence.windows
            if clause_start <= w.start < clause_end
            and gap(w.start, w.end) <= (_MAX_DATE_GAP if w.kind is WindowKind.SPECIFIC else _NEAR)
        ]
        if windows:
            return min(windows, key=lambda w: gap(w.start, w.end))
        # "NBC has announced an earlier premiere date for Season 2 ... September 20": the
        # value right across an ellipsis.
        text = sentence.text
        if text.startswith("...", clause_end) or text.startswith(" ...", clause_end):
            values: list[DateRef | WindowRef] = [*sentence.dates, *sentence.windows]
            for value in values:
                if value.start > clause_end and _LEAD_IN.fullmatch(text, clause_end, value.start):
                    return value
        return None

    def _network(self, sentence: _Sentence, position: int) -> str | None:
        clause_start, clause_end = clause_span(sentence.text, position)
        in_clause = [n for n in sentence.networks if clause_start <= n.start < clause_end]
        for group in (in_clause, sentence.networks, self._title.networks):
            if group:
                return min(group, key=lambda n: abs(n.start - position)).name
        return None

    def _final_is_news(self, text: str, ref: SeasonRef) -> bool:
        head = text[max(0, ref.start - 40) : ref.start]
        if _FINAL_NOT.search(head):
            return False
        return bool(_FINAL_BEFORE.search(head) or _FINAL_AFTER.match(text[ref.end :]))

    # Bookkeeping.

    def _remember(self, sentence: _Sentence) -> None:
        text = sentence.text
        for named in sentence.named:
            following = [
                r
                for r in sentence.seasons
                if r.form is SeasonForm.NUMBER
                and 0 <= r.start - named.end <= 14
                and not has_comma_between(text, named.end, r.start)
            ]
            if following:
                self._context_season.setdefault(named.name, _season_meant(following[0]))
            elif sentence.is_title:
                numbered = [r for r in sentence.seasons if r.form is SeasonForm.NUMBER]
                if len(numbered) == 1 and len(sentence.named) == 1:
                    self._context_season.setdefault(named.name, _season_meant(numbered[0]))
        self._previous_named = [n for n in sentence.named if not _is_other_show(text, n)]
        if self._previous_named:
            self._last_show = self._previous_named[-1]
        self._shows_named |= {n.name for n in sentence.named if not _is_other_show(text, n)}

    def _add(
        self,
        show: _Named,
        event: Event,
        season: int | None,
        reading: Reading,
        evidence: str,
        network: str | None,
        day: date | None = None,
        window: Window | None = None,
        offset: int = 0,
        soft: bool = False,
    ) -> None:
        self._found.append(
            _Found(
                show.name,
                show.known,
                event,
                season,
                reading,
                evidence,
                network,
                self._position,
                day,
                window,
                offset,
                soft,
            )
        )

    def _announcements(self) -> list[Announcement]:
        self._settle_reversals()
        self._drop_explained_cancellations()
        best: dict[tuple[str, Event, int | None], _Found] = {}
        for found in self._found:
            if found.event is Event.ENDING and found.season == 1:
                found.event = Event.CANCELLED  # a show ending after one season was cancelled
            if found.season is None and found.event in (
                Event.RENEWED,
                Event.CANCELLED,
                Event.PREMIERE_DATE,
                Event.PREMIERE_WINDOW,
            ):
                found.season = self._season_from_body(found.show, found.event)
            if not found.known and (
                found.reading.certainty is Certainty.SPECULATION or self._traits.explainer
            ):
                continue
            key = (name_key(found.show), found.event, found.season)
            current = best.get(key)
            if current is None or _rank(found.reading) > _rank(current.reading):
                best[key] = found
        # A cancellation without a season ends where the show's announced ending does, and
        # the other way round ("Blue Bloods Cancelled" + "the 14th season will be the last").
        for (show_key, event, season), found in list(best.items()):
            partner = {Event.CANCELLED: Event.ENDING, Event.ENDING: Event.CANCELLED}.get(event)
            if season is not None or partner is None:
                continue
            seasons = {k[2] for k in best if k[0] == show_key and k[1] is partner and k[2]}
            if len(seasons) == 1:
                borrowed = seasons.pop()
                del best[(show_key, event, season)]
                found.season = borrowed
                best.setdefault((show_key, event, borrowed), found)
        # A find without a season is the same news as one with a season, for that show.
        numbered = {(k[0], k[1]) for k in best if k[2] is not None}
        for show_key, event, season in list(best):
            if season is None and (show_key, event) in numbered:
                del best[(show_key, event, season)]
        if self._traits.limited:
            # "'The Penguin' Won't Return for Season 2: 'It Was Always a Limited Series'":
            # a planned end, not a cancellation.
            for (show_key, event, season), found in list(best.items()):
                if event is Event.CANCELLED:
                    del best[(show_key, event, season)]
                    found.event = Event.ENDING
                    best.setdefault((show_key, Event.ENDING, season), found)
        reversed_shows = self._reversals()
        dated = {(k[0], k[2]) for k in best if k[1] is Event.PREMIERE_DATE}
        dated_shows = {k[0] for k in dated}
        result: list[Announcement] = []
        source = Source(
            outlet=self._entry.outlet,
            link=self._entry.link,
            published=self._entry.published,
            title=self._entry.title,
        )
        for (show_key, event, season), found in sorted(best.items(), key=lambda kv: kv[1].position):
            if event is Event.CANCELLED and show_key in reversed_shows:
                continue
            if event is Event.PREMIERE_WINDOW and (
                (show_key, season) in dated or (season is None and show_key in dated_shows)
            ):
                continue
            result.append(
                Announcement(
                    show=found.show,
                    event=event,
                    certainty=found.reading.certainty,
                    evidence=found.evidence,
                    source=source,
                    season=season,
                    date=found.date,
                    window=found.window,
                    network=found.network,
                )
            )
        return result

    def _drop_explained_cancellations(self) -> None:
        """ "Happy Valley will not return for a fourth series" + "the drama ended for good
        with its third series": a planned ending, not a cancellation."""
        ended = {name_key(f.show) for f in self._found if f.event is Event.ENDING}
        cancelled: dict[str, list[_Found]] = {}
        for found in self._found:
            if found.event is Event.CANCELLED:
                cancelled.setdefault(name_key(found.show), []).append(found)
        drop = {
            key for key, finds in cancelled.items() if key in ended and all(f.soft for f in finds)
        }
        self._found = [
            f for f in self._found if not (f.event is Event.CANCELLED and name_key(f.show) in drop)
        ]

    def _settle_reversals(self) -> None:
        """In one sentence, the later of a renewal and a cancellation of a show stands:
        "greenlit for a season 2, only for HBO Max to pull the plug"."""
        latest: dict[tuple[int, str], _Found] = {}
        for found in self._found:
            if found.event in (Event.RENEWED, Event.CANCELLED):
                key = (found.position, name_key(found.show))
                current = latest.get(key)
                if current is None or found.offset > current.offset:
                    latest[key] = found
        self._found = [
            f
            for f in self._found
            if f.event not in (Event.RENEWED, Event.CANCELLED)
            or latest[(f.position, name_key(f.show))].event is f.event
        ]

    def _season_from_body(self, show: str, event: Event) -> int | None:
        """The one season number the entry gives for a find that has none ("Netflix Has
        Reportedly Renewed One Of Its Hottest Shows For Another Season" + "the streamer
        wants a second season"; "Shetland returns ... on Wednesday 6th November" + "The
        tenth series of the crime drama airs weekly")."""
        values: set[int] = set()
        premiere = event in (Event.PREMIERE_DATE, Event.PREMIERE_WINDOW)
        for sentence in (self._title, *self._body):
            if any(n.name != show for n in sentence.named):
                continue
            text = sentence.text
            for ref in sentence.seasons:
                if event is Event.CANCELLED and not _FINALE_AFTER.match(text, ref.end):
                    continue  # only "the Season 1 finale will be a series finale" says which
                if (
                    ref.form is not SeasonForm.NUMBER
                    or ref.negated
                    or _OF_ANOTHER_SHOW.match(text, ref.end)
                    or (ref.aired and event is not Event.CANCELLED)
                    or _OTHER_SEASON_BEFORE.search(text, max(0, ref.start - 24), ref.start)
                    or (not premiere and _OTHER_SEASON_AFTER.match(text, ref.end))
                ):
                    continue
                values.add(ref.values[-1] if event is not Event.RENEWED else ref.values[0])
        if len(values) == 1:
            return values.pop()
        if event is Event.RENEWED:
            return self._first_of_run()
        return None

    def _first_of_run(self) -> int | None:
        """ "A two-season renewal ... through season 6": the run starts with season 5."""
        last = count = None
        for sentence in (self._title, *self._body):
            for ref in sentence.seasons:
                if ref.form is SeasonForm.COUNT and ref.value and not ref.preceded_by_after:
                    count = ref.value
                elif ref.form is SeasonForm.NUMBER and _THROUGH.search(
                    sentence.text, max(0, ref.start - 12), ref.start
                ):
                    last = ref.values[-1]
        if last is not None and count is not None and last - count + 1 > 0:
            return last - count + 1
        return None

    def _reversals(self) -> set[str]:
        shows: set[str] = set()
        for sentence in (self._title, *self._body):
            for trigger in sentence.status:
                if trigger.reversal:
                    for named in sentence.named:
                        shows.add(name_key(named.name))
        return shows


_STRONG_AFTER = re.compile(
    r"^['\"]?\s*(?:'s\s+)?(?:season|series|s\d{1,2}\b|spin-?off|finale|premiere|renewed\s+for"
    r"|cancell?ed\s+(?:by|at|after))",
    re.IGNORECASE,
)


def _strongly_a_title(text: str, start: int, end: int) -> bool:
    """Quoted, or written right before a season ("Citadel Season 2"): a title even in a
    story about money or sport."""
    quoted = text[start - 1 : start] in {"'", '"'} and text[end : end + 1] in {"'", '"'}
    return quoted or bool(_STRONG_AFTER.match(text[end : end + 30]))


_BACKGROUND_BEFORE = re.compile(
    r"\b(?:despite|following|since|amid|after|ahead\s+of|before|weeks\s+after|months\s+after)"
    r"\s+(?:(?:its|the|their|a|an|being|his|her)\s+)?(?:[\w'+.-]+\s+){0,3}$",
    re.IGNORECASE,
)
_ADJACENT_NETWORK = re.compile(
    r"\s*(?:by|at|on|from|over\s+at)\s+(?:the\s+)?(?:" + NETWORK_PATTERN.pattern + ")"
)
_NETWORK_BEFORE = re.compile("(?:" + NETWORK_PATTERN.pattern + r")(?:'s)?\s+$")
_AS_SOMETHING_ELSE = re.compile(
    r"^\s+(?:as|into)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,2}(?:film|films|movie|movies|feature"
    r"|trilogy|podcast|book|novel|comic|musical|stage|play|video\s+game|game)\b",
    re.IGNORECASE,
)
# What may stand between a verb and an ellipsis that hides its object ("release date for
# ... Foundation's season 3").
_LEFTOVER = re.compile(r"^[\s,'\"]*(?:(?:for|to|of|on|at|with)\b)?[\s,'\".]*$", re.IGNORECASE)
_AUX_ONLY = re.compile(
    r"[\s,'\".]*(?:(?:has|have|had|been|is|are|was|were|be|will|would|officially|already"
    r"|reportedly|also|now)\s+)*$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"\s*\.\.\.\s*(?:(?:starting|on|from|in|this|next|by)\s+)?", re.I)
_NUMBERED_TITLE = re.compile(
    r"\s+(\d{1,2})(?![\d%:,./-]|\s*(?:million|billion|episodes?|minutes?|hours?|days?|weeks?"
    r"|months?|years?|percent|times|seasons?|series|shows|of\b|to\b|p\.m|a\.m|pm|am)\b)",
    re.IGNORECASE,
)
# "Fox said goodbye to Rescue: HI-Surf": with a network as the subject, the object of the
# verb is a show.
_NETWORK_SUBJECT = re.compile(
    "(?:"
    + NETWORK_PATTERN.pattern
    + r")\s+(?:(?:has|have|had|also|officially|quietly|just|then)\s+)*$"
)
# "set between seasons 2 and 3 of the flagship": seasons of another show.
_OF_ANOTHER_SHOW = re.compile(
    r"\s+of\s+(?:the|its)\s+(?:flagship|original|parent|main|mothership|first)\b", re.IGNORECASE
)
# The entry says the question in its title has no answer yet.
_UNDECIDED = re.compile(
    r"\?\s*no\b|\b(?:no|not\s+(?:yet\s+)?(?:made\s+)?(?:a|any))\s+(?:final\s+)?decision\b|\bnothing\s+"
    r"(?:has\s+been\s+|is\s+|was\s+)?(?:yet\s+)?decided\b|\b(?:has|have"
    r"|had)\s*(?:n't|\s+not)\s+(?:yet\s+)?(?:decided|made\s+a\s+decision)\b|\bnot\s+so\s+fast\b"
    r"|\bundecided\b|\bup\s+in\s+the\s+air\b|\bremains?\s+to\s+be\s+seen\b",
    re.IGNORECASE,
)
_FINALE_AFTER = re.compile(r"(?:'s)?\s+finale\b", re.IGNORECASE)
_CONDITION_AFTER = re.compile(r"[^.;:!?]{0,30}?\b(?:if|unless|should)\s", re.IGNORECASE)
_PRONOUN_OBJECT = re.compile(r"\s*(?:it|them|the\s+(?:series|show)|[,.;:!?]|$)", re.IGNORECASE)
_THEY = re.compile(r"(?:^|[.;]\s*)(?:they|both|all\s+(?:three|four|of\s+them))\s+$", re.IGNORECASE)
# An object that is plainly not a show: a lower-case noun phrase without a determiner.
_PLAIN_OBJECT = re.compile(
    r"\s+(?!(?:the|its|their|his|her|this|that|a|an|one|another|it|them|season|seasons"
    r"|for|to|up|off|on|out|back|over|in|with|by|at|as|after|ahead|early|officially|freshman"
    r"|sophomore|rookie|cult|hit|breakout|beloved|acclaimed|critically|fan)\b)[a-z][a-z-]+"
    r"\s+(?:[a-z][a-z-]+)\b"
)
_QUESTION_END = re.compile(r"[.!?:;|]")
# Headlines that explain rather than announce, with or without a question mark.
_WH_HEADLINE = re.compile(r"\W*(?:why|how|what|who)\b(?!\s+(?:it's|it\s+is)\s+official)", re.I)
_BARE_STATUS_QUESTION = re.compile(
    r"(?:renewed|cancell?ed|axed|ending|over|done|back|returning|coming\s+back)"
    r"(?:\s+for\s+(?:a\s+)?[\w-]+(?:\s+[\w-]+)?)?\s*\?",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(r"[.!?:;|]\s*")
_INTERROGATIVE = re.compile(
    r"\W*(?:will|would|is|are|was|were|does|do|did|has|have|had|can|could|should|shall|may"
    r"|might|when|what|why|how|who|where|which|whether|any|anyone)\b",
    re.IGNORECASE,
)
_INNER_INTERROGATIVE = re.compile(
    r",\s+(?:or\s+)?(?:will|would|is|are|does|do|did|has|have|can|could|should|when|what|why"
    r"|how)\s+(?:we|you|it|they|the|this|there|[A-Z])",
    re.IGNORECASE,
)
_TV_WORDS = re.compile(
    r"\b(?:seasons?|series|episodes?|finale|showrunner|network|streamer|sitcom|drama|comedy"
    r"|thriller|renewal|cancell?ation|spinoff|spin-off|tv)\b",
    re.IGNORECASE,
)
# A title announcing that a premiere date exists without giving it: the body has the date.
_DATE_REVEALED = re.compile(
    r"\b(?:premiere|release|return|debut)\s+date\b[^.;:!?]{0,30}?\b(?:reveal\w*|announc\w*|set"
    r"|confirm\w*|unveil\w*|finally|locked|out|here)\b|\b(?:reveal\w*|announc\w*|sets?"
    r"|confirm\w*|unveil\w*|gets?|has|lands?|locks?\s+in|drops?)\s+(?:a\s+|its\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:premiere|release|return|debut)\s+date\b",
    re.IGNORECASE,
)
_FINAL_EPISODES = re.compile(
    r"\b(?:final|last)\s+(?:episodes|batch|stretch|half|chapter|run|installment|instalment)\b",
    re.IGNORECASE,
)
_THROUGH = re.compile(r"\b(?:through|thru|until)\s+$", re.IGNORECASE)
_PLURAL_SUBJECT = re.compile(
    r"\b(?:the|these|those|all)\s+(?:[\w'+-]+\s+){0,3}(?:shows|originals|titles|dramas"
    r"|comedies)\s+(?:that|which|who)?\s*$|\b(?:these|those|all|both)\s+(?:[\w'+-]+\s+){0,3}"
    r"series\s+(?:that|which|who)?\s*$",
    re.IGNORECASE,
)


def _with_show_clause(
    sentence: _Sentence, show: _Named, seasons: list[SeasonRef]
) -> list[SeasonRef]:
    """The seasons of the verb's clause, plus those of the show's own clause when an
    ellipsis stands between them ("has renewed ... 'Angie Tribeca' for a second season")."""
    if show.start < 0 or any(r.start <= show.start < r.end for r in seasons):
        return seasons
    low, high = clause_span(sentence.text, show.start)
    extra = [r for r in sentence.seasons if low <= r.start < high and r not in seasons]
    return sorted([*seasons, *extra], key=lambda r: r.start) if extra else seasons


def _transparent_gap(gap: str) -> bool:
    return not gap.replace("...", " ").strip(" ,'\"")


def _elsewhere_keep(named: _Named) -> _Named:
    return _Named(named.name, -1, -1, named.known, named.ordinary, named.quoted)


def _is_other_show(text: str, named: _Named) -> bool:
    """A show named as the source of another ("The Sandman spinoff", "follow-up to Better
    Call Saul"): not what the story is about. "'Percy Jackson' Cast" still is."""
    if named.start < 0:
        return False
    return bool(
        _OTHER_SHOW_BEFORE.search(text, max(0, named.start - 30), named.start)
        or _OTHER_SHOW_AFTER.match(text, named.end)
    )


def _is_modifier(text: str, named: _Named) -> bool:
    """A show named only to describe another: "follow-up to Better Call Saul", "The
    Sandman spinoff", "from the creators of Dark"."""
    if named.start < 0:
        return False
    return bool(
        _MODIFIER_BEFORE.search(text, max(0, named.start - 30), named.start)
        or _MODIFIER_AFTER.match(text, named.end)
    )


def _season_meant(ref: SeasonRef) -> int:
    """The season a reference is about: "No Season 15" is about the 14th, the last one."""
    value = ref.values[-1]
    return value - 1 if ref.negated and value > 1 else value


def _without_names(sentence: _Sentence, start: int, end: int) -> str:
    """The sentence between `start` and `end` with show names blanked, so words inside a
    title ("Squid Game", "The Book of Boba Fett") are not read as what the verb is about."""
    text = sentence.text[start:end]
    for named in sentence.named:
        if named.end > start and named.start < end:
            low, high = max(named.start, start) - start, min(named.end, end) - start
            text = text[:low] + "X" * (high - low) + text[high:]
    return text


def _elsewhere(named: _Named | None) -> _Named | None:
    """A show named in another sentence: its positions mean nothing here."""
    if named is None:
        return None
    return _Named(named.name, -1, -1, named.known, named.ordinary)


def _status_events(trigger: Trigger, ref: SeasonRef | None) -> list[tuple[Event, int | None]]:
    event = trigger.event
    if ref is None:
        return [(event, None)]
    if event is Event.RENEWED:
        # "Seasons 5 and 6": the news is about the next season; later ones follow from it.
        season = ref.values[0] if ref.form is SeasonForm.NUMBER and ref.values else None
        events: list[tuple[Event, int | None]] = [(Event.RENEWED, season)]
        if ref.final:
            events.append((Event.ENDING, ref.values[-1] if ref.values else None))
        return events
    if event is Event.CANCELLED:
        if ref.form is SeasonForm.COUNT or (
            ref.form is SeasonForm.NUMBER and ref.preceded_by_after
        ):
            return [(event, ref.value)]
        if ref.form is SeasonForm.NUMBER and ref.value is not None:
            if ref.aired:
                return [(event, ref.value)]  # "after a muted response to its second season"
            # "won't return for a third season", "scraps 'Citadel: Diana' Season 2": the
            # season that will not be made; the show ends with the one before.
            return [(event, ref.value - 1 if ref.value > 1 else None)]
        return [(event, None)]
    if ref.form is SeasonForm.UNNUMBERED:
        return [(event, None)]
    if ref.negated and ref.values:
        # "wrap the series rather than a fourth season": it ends with the third.
        return [(event, ref.values[0] - 1 if ref.values[0] > 1 else None)]
    return [(event, ref.values[-1] if ref.values else None)]


def _link_cost(text: str, trigger: Trigger, named: _Named, triggers: list[Trigger]) -> int:
    before = named.end <= trigger.start
    gap = trigger.start - named.end if before else named.start - trigger.end
    cost = max(gap, 0)
    if not named.known and not named.quoted:
        cost += 30  # a bare capitalised name is a weaker reading than a known or quoted one
    if trigger.voice is Voice.ACTIVE and before:
        cost += 40
    if trigger.voice is Voice.PASSIVE and not before:
        cost += 40
    low, high = (named.end, trigger.start) if before else (trigger.end, named.start)
    if has_comma_between(text, low, high):
        cost += 60
    if any(t is not trigger and low <= t.start < high for t in triggers):
        cost += 80
    return cost


_LIST_GAP = re.compile(
    r"^[\s\"']*(?:(?:after|for)\s+(?:an?\s+|its\s+)?[\w-]+(?:\s+seasons?)?\s*)?"
    r"(?:,|and|&|,\s*and|as\s+well\s+as|plus|or)"
    r"[\s\"']*(?:the\s+)?$",
    re.IGNORECASE,
)


def _coordinated(text: str, best: _Named, candidates: list[_Named]) -> list[_Named]:
    """`best` and the shows listed with it ("Locke & Key, Away and Dash & Lily")."""
    index = candidates.index(best)
    first = last = index
    while first > 0 and _LIST_GAP.match(text[candidates[first - 1].end : candidates[first].start]):
        first -= 1
    while (
        last < len(candidates) - 1
        and _LIST_GAP.match(text[candidates[last].end : candidates[last + 1].start])
        and not _OWN_PREDICATE.match(text, candidates[last + 1].end)
    ):
        last += 1
    return candidates[first : last + 1]


# "Peacock cancels Twisted Metal, Poker Face spared": the next show has its own verb.
_OWN_PREDICATE = re.compile(
    r"['\"]?\s+(?:is|are|was|were|gets?|got|spared|survives?|survived|renewed|safe|lives"
    r"|will|has|had|earns?|earned|lands?|landed|picked|returns?|stays?|remains?|escapes?)\b",
    re.IGNORECASE,
)


def _in_question(text: str, position: int) -> bool:
    """True when `position` is inside a real question ("Will The Passage Be Renewed or
    Cancelled?", "'The Order' Season 3: Is it Coming, or Will the Series End?")."""
    return _question_kind(text, position) == "question"


def _hedged_question(text: str, position: int) -> bool:
    """True when `position` is in a statement ending in a question mark ("Netflix to end
    series after 5th season?"): news offered with doubt."""
    return _question_kind(text, position) == "hedged"


def _question_kind(text: str, position: int) -> str | None:
    if _WH_HEADLINE.match(text) and _QUESTION_END.search(text, 0, position) is None:
        return "question"  # "Why 'Mindhunter' Was Cancelled, According to David Fincher"
    end = _QUESTION_END.search(text, position)
    if end is None or end.group() != "?":
        return None
    starts = [m.end() for m in _QUESTION_START.finditer(text, 0, position)]
    start = starts[-1] if starts else 0
    if _INTERROGATIVE.match(text, start) or _INNER_INTERROGATIVE.search(text, start, position):
        return "question"
    if _BARE_STATUS_QUESTION.match(text, position):
        return "question"  # "Citadel: Honey Bunny renewed?" asks
    return "hedged"


def _tv_word(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:series|show|season|drama|comedy|sitcom|thriller|streamer|network|episodes?)\b",
            text,
            re.IGNORECASE,
        )
    )


def _downgraded(reading: Reading) -> Reading:
    """One step less sure: official -> reported -> speculation."""
    lower = {
        Certainty.OFFICIAL: Certainty.REPORTED,
        Certainty.REPORTED: Certainty.SPECULATION,
        Certainty.SPECULATION: Certainty.SPECULATION,
    }
    return Reading(lower[reading.certainty], True)


def _rank(reading: Reading) -> int:
    if reading.certainty is Certainty.OFFICIAL:
        return 4 if reading.explicit else 2
    if reading.certainty is Certainty.REPORTED:
        return 3
    return 1


def _evidence(
    text: str, show: _Named, trigger: Trigger, value_start: int = -1, value_end: int = -1
) -> str:
    points = [trigger.start, trigger.end]
    if show.start >= 0:
        points += [show.start, show.end]
    if value_start >= 0:
        points += [value_start, value_end]
    low, high = comma_span(text, min(points), max(points))
    low = min(low, min(points))
    high = max(high, max(points))
    return text[low:high].strip()[:_EVIDENCE_CHARS]
