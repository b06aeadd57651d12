"""The kinds `python -m training.errors` sorts misses and false alarms into."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Entry, Event
from bot.recognition._candidates import read_candidates
from bot.recognition._model import shipped_model
from bot.recognition._sentences import EntryReading
from bot.shows.catalogue import Catalogue
from training.errors import _false_alarm_kind, _missed_kind
from training.scoring import Label

RENEWED = Label("Lucky Harbour", Event.RENEWED, season=3)


def test_false_alarms_by_what_the_labels_say() -> None:
    other_season = Label("Lucky Harbour", Event.RENEWED, season=2)
    ended = Label("Lucky Harbour", Event.ENDING)
    stranger = Label("Quiet Orchard", Event.RENEWED)
    assert _false_alarm_kind(other_season, []) == "on an item announcing nothing"
    assert _false_alarm_kind(other_season, [RENEWED]).startswith("labelled show and event")
    assert _false_alarm_kind(ended, [RENEWED]).startswith("labelled show, an event")
    assert _false_alarm_kind(stranger, [RENEWED]) == "a show the item has no label for"


def _read(title: str) -> EntryReading:
    entry = Entry(key="k", title=title, published=datetime(2025, 5, 1, tzinfo=UTC))
    return read_candidates(entry, Catalogue(()))


def test_misses_by_how_far_the_reading_got() -> None:
    model = shipped_model()
    quiet = _read("A quiet week for television ratings")
    wrong_season = [Label("Lucky Harbour", Event.RENEWED, season=4)]
    as_ending = [Label("Lucky Harbour", Event.ENDING)]
    assert _missed_kind(RENEWED, wrong_season, quiet, model).startswith("right show and event")
    assert _missed_kind(RENEWED, as_ending, quiet, model).startswith("show found, read as")
    assert _missed_kind(RENEWED, [], quiet, model) == "no event phrase of that kind"
    other = _read("NBC renews 'Quiet Orchard' for a third season")
    assert _missed_kind(RENEWED, [], other, model) == "show not among the candidates"
