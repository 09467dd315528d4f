"""Stores: where articles and everything derived from them are kept."""

from __future__ import annotations

from pathlib import Path

from storylens.store.base import SearchHit, Store
from storylens.store.sqlite import SQLiteStore


def open_store(location: str | Path) -> Store:
    """Open the store at `location` (a path to a SQLite file)."""
    return SQLiteStore(location)


__all__ = ["SQLiteStore", "SearchHit", "Store", "open_store"]
