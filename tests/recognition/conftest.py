"""Shared fixture for the recognition tests: the shipped catalogue."""

from __future__ import annotations

import pytest

from bot.shows.catalogue import Catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The seed catalogue. Recognition must never change it; tests that add shows build
    their own."""
    return Catalogue.default()
