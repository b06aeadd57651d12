"""Errors the store raises; callers never see driver exceptions for expected conditions."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for store errors."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached, created or read; the message says what to do."""


class StoreBusyError(StoreError):
    """Another process kept SQLite's write lock longer than the busy timeout."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer Cliffhanger than this one."""


class FeedExistsError(StoreError):
    """A feed with this URL is already followed."""


class FeedNotFoundError(StoreError):
    """No feed with this URL or id."""


class StoreInUseError(StoreError):
    """Another process runs on this SQLite file (several processes need PostgreSQL)."""
