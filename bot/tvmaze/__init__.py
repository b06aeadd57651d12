"""TVmaze as the catalogue and the listings source: a polite client, its JSON shapes, the
local mirror's sync and the premiere listings. TVmaze data is CC BY-SA: whatever shows it
carries the credit (`CREDIT`, `CREDIT_URL`)."""

from __future__ import annotations

CREDIT = "Schedule data from TVmaze"
CREDIT_URL = "https://www.tvmaze.com"
OUTLET = "TVmaze"  # the outlet name of a listing as a source of a season's state

__all__ = ["CREDIT", "CREDIT_URL", "OUTLET"]
