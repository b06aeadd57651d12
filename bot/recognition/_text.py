"""Text plumbing for recognition: plain quotes and dashes, sentences, and the clauses inside
a sentence that a show, a verb and a season must share to belong together."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain

# Feeds may carry whole articles; announcements sit near the top, and a cap keeps the cost
# of one entry bounded.
MAX_SUMMARY_CHARS = 6000

# Applied one by one with `str.replace` (no replacement holds a character replaced, so the
# order does not matter): each is a C-speed scan, where `str.translate` with a table of
# non-ASCII characters looks each character of a non-ASCII text up in a dict (10x slower).
_PLAIN = tuple(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": " - ",
        "—": " - ",
        "−": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
        "…": "...",
    }.items()
)
# Runs of blanks other than one space: a text of single spaces (most of them) has none.
_SPACES = re.compile(r"[ \t\r\f\v]{2,}|[\t\r\f\v]")
# A candidate sentence end: . ! ? (possibly followed by a closing quote) then space and
# an opening quote, capital or digit (group 1: what follows the mark); or a line break.
# Written to start with the mark or the break, so a search is tried only where one of
# those four characters stands, not at every position.
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])([\"')\]]?\s+)(?=[\"'(\[]?[A-Z0-9])|(?<=\n)\n*)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|No"
    r"|Vol|Ep|Pt|Inc|Ltd|Co|Corp|Mt|Ft|Gen|Sen|Rep|Gov|Prof|approx|est|p\.m|a\.m)"
    r"|\b[A-Z](?:\.[A-Z])*|\.\.)\.$"
)
# Hard clause boundaries: a show named on one side does not own a verb on the other.
# An ellipsis inside a text marks words left out: what stands on either side was not
# written together.
_CLAUSE_BREAK = re.compile(
    r";|\s\|\s|\s/\s|\s•\s|,\s+(?:and|while|but|plus|whereas|as\s+well\s+as)\s"
    r"|\s?\.\.\.\s|\s\.\.\.$"
)
_COMMA = re.compile(r",\s|:\s|\(|\)|\s-\s|\s--\s")


def normalise(text: str) -> str:
    """Straight quotes, spaced dashes and single spaces, so patterns need one spelling."""
    # `_SPACES` holds no line break, so one pass over the whole text is a pass per line.
    if not text.isascii():
        for character, plain in _PLAIN:
            text = text.replace(character, plain)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a normalised text; abbreviations ("Sept.", "Mr.", "P.D.") do not end one."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        gap = match.group(1)
        end = match.start() if gap is None else match.start(1)
        if gap is not None and not gap.startswith("\n"):
            head = text[max(start, end - 12) : end]
            if _ABBREVIATION.search(head):
                continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def clause_span(sentence: str, position: int) -> tuple[int, int]:
    """The hard clause around `position`: from the previous hard boundary to the next."""
    start, end = 0, len(sentence)
    for break_start, break_end in _clause_breaks(sentence):
        if break_end <= position:
            start = break_end
        elif break_start >= position:
            end = break_start
            break
    return start, end


@lru_cache(maxsize=1024)
def _clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    # Asked for many times per sentence (once per verb, show and date); found once.
    return tuple(match.span() for match in _CLAUSE_BREAK.finditer(sentence))


def comma_span(sentence: str, first: int, last: int) -> tuple[int, int]:
    """The comma-delimited stretch covering `first`..`last`, used to scope hedges such as
    "we imagine" to the words they govern."""
    clause_start, clause_end = clause_span(sentence, first)
    start, end = clause_start, clause_end
    for match in _COMMA.finditer(sentence, clause_start, clause_end):
        if match.end() <= first:
            start = match.end()
        elif match.start() >= last:
            end = match.start()
            break
    return start, end


def has_comma_between(sentence: str, a: int, b: int) -> bool:
    """True when a comma, colon or parenthesis lies between positions `a` and `b`."""
    low, high = min(a, b), max(a, b)
    return _COMMA.search(sentence, low, high) is not None


_Trie = dict[str, "_Trie"]


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words` shaped as a trie ("t(?:hree|wo|en)" rather than
    "three|two|ten"), so a failed match costs one character test instead of one per word.
    Longer words are tried before their prefixes ("twenty-one" before "twenty")."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: _Trie) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    # The end of a word goes last, so the longest spelling wins.
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return "(?:" + body + ")?"
    return body


# The characters other than a letter's two cases that re.IGNORECASE matches it with.
# The modal "may", not the month: not before a day or a year ("May 1", "May 2025") nor
# after the words that lead a month ("in May", "mid-May"). Lower-case text.
_MONTH_LEADS = (
    "in", "on", "by", "of", "early", "late", "this", "next", "last", "until", "since", "from",
    "till", "through", "before", "after",
)  # fmt: skip
MODAL_MAY = (
    r"may(?!\s*\d)(?!,?\s+(?:19|20)\d\d)"
    + "".join(rf"(?<!\b{word}\smay)" for word in _MONTH_LEADS)
    + r"(?<!\bmid-may)"
)
_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def word_start_pattern(
    alternatives: Sequence[str], tail: str = "", *, before: str = r"\w", ignorecase: bool = False
) -> re.Pattern[str]:
    """`(?<!before)(?:alternatives)tail` (with `before` = \\w: `\\b(?:...)tail`, as each
    alternative starts with a letter), written so that a search finds the same matches
    faster. A pattern that starts with an assertion is tried at every position of the text;
    one that starts with a letter or a set of letters is tried only where one of them
    stands, found at C speed. So each alternative's first letter is matched first and the
    assertion looks back past it; under `ignorecase` (where the engine cannot skip ahead on
    letters) a set of every character the first letters match leads instead, and a
    look-back on the letter taken picks that letter's alternatives."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        first = alternative[0]
        if not first.isalpha() or not first.isascii():
            raise ValueError(f"an alternative must start with a plain letter: {alternative!r}")
        key = first.lower() if ignorecase else first
        groups.setdefault(key, []).append(alternative[1:])
    if not ignorecase:
        # The first letter is taken before the look-back: at a position, only the
        # alternatives that start with its letter could match, in their order.
        branches = [
            f"{first}(?<!{before}.)(?:{'|'.join(rests)})" for first, rests in groups.items()
        ]
        return re.compile(f"(?:{'|'.join(branches)}){tail}")
    letters = "".join(f"{first}{first.upper()}{_FOLDS.get(first, '')}" for first in groups)
    branches = [f"(?<={first})(?:{'|'.join(rests)})" for first, rests in groups.items()]
    return re.compile(f"[{letters}](?<!{before}.)(?i:(?:{'|'.join(branches)}){tail})")


def after_non_word(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """For a `word_start_pattern` (without `ignorecase`): where it may match but at the
    text's start, as a match of the character before, which is no word's. Searched for
    by that character at C speed, where the pattern itself is tried at every letter that
    may start one of its words."""
    return re.compile(rf"\W(?={pattern.pattern})", pattern.flags)


def word_start_search(pattern: re.Pattern[str], after: re.Pattern[str], text: str) -> bool:
    """Whether `pattern.search(text)` finds a match, read with `after` (`after_non_word`)."""
    return pattern.match(text) is not None or after.search(text) is not None


def word_start_matches(
    pattern: re.Pattern[str], after: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, read with `after` (`after_non_word`): each match at the
    first place it may start at or after the end of the one before."""
    end = 0
    for start in chain((0,), map(re.Match.end, after.finditer(text))):
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match
