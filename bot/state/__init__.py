"""Show state: folding announcements into per-season state, and deciding what is
alert-worthy. Pure domain: data in, decisions out, no I/O."""

from __future__ import annotations

from bot.state.alerts import (
    REMINDER_DAY_BEFORE,
    REMINDER_TODAY,
    alert_worthy_changes,
    reminder_changes,
    window_value,
)
from bot.state.fold import fold_season, timeline_key

__all__ = [
    "REMINDER_DAY_BEFORE",
    "REMINDER_TODAY",
    "alert_worthy_changes",
    "fold_season",
    "reminder_changes",
    "timeline_key",
    "window_value",
]
