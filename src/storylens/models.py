"""The data model shared by every stage: what a reader finds and what the store keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Draft:
    """An article as a reader found it, before normalisation and identity."""

    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    sitename: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class Problem:
    """One input, or one part of it, that could not be read."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Article:
    """A stored article; `id` is a hash of its normalised text."""

    id: str
    text: str
    source: str
    ingested_at: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    external_id: str | None = None
    previous_id: str | None = None
    superseded_by: str | None = None

    @property
    def words(self) -> int:
        """Number of whitespace-separated words in the text."""
        return len(self.text.split())

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        """The article as a JSON-ready dict."""
        data = asdict(self)
        data["words"] = self.words
        if not with_text:
            del data["text"]
        return data


AddStatus = Literal["added", "duplicate", "new_version"]
OutcomeStatus = Literal["added", "duplicate", "new_version", "failed"]


@dataclass(frozen=True)
class AddResult:
    """What the store did with one article."""

    status: AddStatus
    article_id: str
    previous_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What ingestion did with one article or one failed input."""

    source: str
    status: OutcomeStatus
    article_id: str | None = None
    title: str | None = None
    message: str | None = None


@dataclass
class IngestReport:
    """Everything one ingest call did, in order."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: OutcomeStatus) -> int:
        """How many outcomes have this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        """The outcomes that failed."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        return {
            "added": self.count("added"),
            "duplicate": self.count("duplicate"),
            "new_version": self.count("new_version"),
            "failed": self.count("failed"),
            "outcomes": [asdict(o) for o in self.outcomes],
        }
