"""Errors that name the input and the problem."""

from __future__ import annotations


class StorylensError(Exception):
    """Base class for errors storylens reports to the user."""


class IngestError(StorylensError):
    """An input that cannot be ingested; `source` names it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class ArticleNotFound(StorylensError):
    """No stored article has this id or id prefix."""


class AmbiguousId(StorylensError):
    """An id prefix that matches more than one article."""


class StoreError(StorylensError):
    """The store cannot be opened or is from an unknown schema version."""
