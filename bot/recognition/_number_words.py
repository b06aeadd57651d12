"""Numbers as words and digits: "three", "twenty-one", "third", "3rd", "sophomore", as
regular-expression pieces (`NUMBER`, `ORDINAL`) and parsed to integers (`parse_number`)."""

from __future__ import annotations

import re

from bot.recognition._text import word_alternation

_UNIT_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_UNITS = _UNIT_TEXT.split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNIT_ORDINAL_TEXT = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
)
_UNIT_ORDINALS = _UNIT_ORDINAL_TEXT.split()
_TEN_ORDINALS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}


def _number_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_UNITS) if n}
    for tens_word, tens in _TENS.items():
        words[tens_word] = tens
        for n in range(1, 10):
            words[f"{tens_word}-{_UNITS[n]}"] = tens + n
            words[f"{tens_word} {_UNITS[n]}"] = tens + n
    return words


def _ordinal_words() -> dict[str, int]:
    words = {word: n for n, word in enumerate(_UNIT_ORDINALS) if n}
    words.update(_TEN_ORDINALS)
    for tens_word, tens in _TENS.items():
        for n in range(1, 10):
            words[f"{tens_word}-{_UNIT_ORDINALS[n]}"] = tens + n
            words[f"{tens_word} {_UNIT_ORDINALS[n]}"] = tens + n
    return words


NUMBER_WORDS = _number_words()
ORDINAL_WORDS = _ordinal_words()


def _alternation(words: dict[str, int]) -> str:
    return word_alternation(words)


def _first_letters(words: dict[str, int]) -> str:
    return "".join(sorted({w[0] for w in words}))


# The look-ahead on the first letter lets the engine skip most positions before trying a
# hundred-word alternation (a 10x saving per sentence).
NUMBER = rf"(?=[\d{_first_letters(NUMBER_WORDS)}])(?:\d{{1,2}}|{_alternation(NUMBER_WORDS)})"
ORDINAL = (
    rf"(?=[\d{_first_letters(ORDINAL_WORDS)}])"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)|{_alternation(ORDINAL_WORDS)})"
)


def parse_number(text: str) -> int | None:
    """An integer from digits, a number word ("three", "twenty-one") or an ordinal
    ("third", "3rd"); None when the text is none of these."""
    word = text.strip().lower().replace("\u2011", "-")
    if word.isdigit():
        return int(word)
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    if digits:
        return int(digits.group(1))
    if word in ("a", "one", "single", "a single", "freshman"):
        return 1
    if word == "sophomore":
        return 2
    return NUMBER_WORDS.get(word) or ORDINAL_WORDS.get(word)
