"""Settings in one place: defaults, overridden by environment variables, then by arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from storylens import __version__

DEFAULT_DB = "storylens.db"
USER_AGENT = f"storylens/{__version__} (+offline news briefings; https://pypi.org/project/storylens/)"


def available_cores() -> int:
    """The number of cores this process may use: the default for worker processes."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_db_path() -> Path:
    """The store path: $STORYLENS_DB, else storylens.db in the current folder."""
    return Path(os.environ.get("STORYLENS_DB") or DEFAULT_DB)


@dataclass
class IngestOptions:
    """How inputs are read and fetched."""

    format: str | None = None
    outlet: str | None = None
    feed: bool = False
    max_bytes: int = int(os.environ.get("STORYLENS_MAX_BYTES", 25 * 1024 * 1024))
    timeout: float = float(os.environ.get("STORYLENS_TIMEOUT", 20.0))
    retries: int = 2
    backoff: float = 0.5
    user_agent: str = USER_AGENT
    workers: int = field(default_factory=available_cores)
    outlets_file: Path | None = (
        Path(os.environ["STORYLENS_OUTLETS"]) if os.environ.get("STORYLENS_OUTLETS") else None
    )
