"""Readers, registered by format name: each turns one payload into drafts (or problems)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from storylens.models import Draft, Problem

if TYPE_CHECKING:
    from storylens.config import IngestOptions


@dataclass(frozen=True)
class Payload:
    """The bytes of one input, with what is known about where they came from."""

    source: str
    data: bytes
    url: str | None = None
    content_type: str | None = None
    charset: str | None = None


class Context(Protocol):
    """What a reader may use besides its payload: options, fetching and dispatch."""

    options: IngestOptions

    def fetch(self, url: str) -> Payload:
        """Fetch a URL, raising IngestError naming it when that fails."""
        ...

    def read(self, payload: Payload, format: str | None = None) -> Iterator[Draft | Problem]:
        """Read a payload with the reader for `format` (detected when None)."""
        ...

    def read_url(self, url: str, format: str | None = None) -> Iterator[Draft | Problem]:
        """Fetch a URL and read it (HTML pages and feeds only, unless `format` says)."""
        ...


Reader = Callable[[Payload, Context], Iterator[Draft | Problem]]
READERS: dict[str, Reader] = {}


def register(name: str) -> Callable[[Reader], Reader]:
    """Register a reader under a format name."""

    def decorate(reader: Reader) -> Reader:
        READERS[name] = reader
        return reader

    return decorate


def get_reader(name: str) -> Reader:
    """The reader for a format name; raises KeyError listing the known formats."""
    _load_builtin_readers()
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise KeyError(f"unknown format {name!r}; known formats: {known}") from None


def formats() -> list[str]:
    """The names of all registered formats."""
    _load_builtin_readers()
    return sorted(READERS)


def _load_builtin_readers() -> None:
    # Importing the modules registers their readers.
    from storylens.ingest import feeds, html, jsonl, text, urllist, warc  # noqa: F401
