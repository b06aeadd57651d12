"""Errors the store raises; callers never see driver exceptions for expected conditions."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for store errors."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer Cliffhanger than this one."""


class FeedExistsError(StoreError):
    """A feed with this URL is already followed."""


class FeedNotFoundError(StoreError):
    """No feed with this URL or id."""


class ShowNotFoundError(StoreError):
    """No show with this name or id."""


class WatchExistsError(StoreError):
    """This channel already watches this show."""


class WatchNotFoundError(StoreError):
    """No such watch."""


class StoreInUseError(StoreError):
    """Another process runs on this SQLite file (several processes need PostgreSQL)."""
