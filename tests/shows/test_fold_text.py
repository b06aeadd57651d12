"""`fold_text`'s ASCII shortcut gives what the full Unicode folding gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.shows.names import fold_text


def _folded_in_full(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_folds_as_in_full(text: str) -> None:
    assert fold_text(text) == _folded_in_full(text)


def test_accents_and_wide_letters_still_fold() -> None:
    assert fold_text("Pokémon ＡＢＣ Straße") == "pokemon abc strasse"
