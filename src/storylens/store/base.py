"""The store interface every backend implements; the pipeline sees only this."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from storylens.models import AddResult, Article


@dataclass(frozen=True)
class SearchHit:
    """An article found by full-text search, with a highlighted snippet."""

    article: Article
    snippet: str
    rank: float


class Store(Protocol):
    """Where articles (and, later, everything derived from them) are kept."""

    def add_article(self, article: Article) -> AddResult:
        """Store one article atomically: added, duplicate (nothing changes) or new version of its URL."""
        ...

    def get_article(self, id_or_prefix: str) -> Article:
        """The article with this id or unique id prefix; raises ArticleNotFound or AmbiguousId."""
        ...

    def articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        include_superseded: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles, newest first (by publication date, then ingestion)."""
        ...

    def appearances(self, article_id: str) -> list[dict[str, Any]]:
        """Other outlets or URLs that published exactly this article's text."""
        ...

    def versions(self, article_id: str) -> list[Article]:
        """Every stored version of the article's URL, oldest first."""
        ...

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching a full-text query over titles and text, best first."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts: articles, outlets, languages, date range, versions, store size."""
        ...

    def transaction(self) -> AbstractContextManager[Any]:
        """A context in which all writes commit together or not at all."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...
