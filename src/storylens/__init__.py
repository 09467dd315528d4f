"""storylens: story briefings from a pile of news articles, every line cited to its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from storylens.workspace import Workspace


def open(path: str | Path | None = None) -> Workspace:  # noqa: A001 - mirrors sqlite3.connect
    """Open (creating if needed) the workspace stored at `path` (default: $STORYLENS_DB or storylens.db)."""
    from storylens.workspace import Workspace

    return Workspace.open(path)


__all__ = ["__version__", "open"]
