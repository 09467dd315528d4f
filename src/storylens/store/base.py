"""The store interface every backend implements; the pipeline sees only this."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from storylens.models import AddResult, Analysis, Article, CopyLink, Entity, Quote, StoryRecord


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

    # -- stage 2 and 3: analysis and entities (store/sqlite_analysis.py) ---------------------
    def save_analysis(self, analysis: Analysis, version: int, entity_ids: dict[str, int]) -> None:
        """Replace an article's analysis atomically; `entity_ids` maps local keys to entities."""
        ...

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, or None."""
        ...

    def analysed_versions(self) -> dict[str, int]:
        """Article id → the analysis version it was analysed with."""
        ...

    def entities_with_aliases(self, aliases: Iterable[str]) -> list[Entity]:
        """Entities known by any of these normalised aliases."""
        ...

    def save_entity(self, entity: Entity, alias_keys: Iterable[str]) -> int:
        """Insert or update an entity and its lookup aliases; returns its id."""
        ...

    def entities(self, *, label: str | None = None, limit: int | None = None) -> list[Entity]:
        """Linked entities, most mentioned first."""
        ...

    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or an alias matches `name`, best first."""
        ...

    def quotes_by_entity(self, entity_id: int) -> list[tuple[str, Quote]]:
        """(article id, quote) for every quote whose speaker is linked to this entity."""
        ...

    # -- stage 4 and 5: copies and stories (store/sqlite_stories.py) --------------------------
    def save_copies(self, record: dict[str, Any], links: Iterable[CopyLink]) -> None:
        """Store one article's copy signature and its links, atomically."""
        ...

    def copy_signatures(self, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """Stored copy signatures, in insertion order, optionally within dates."""
        ...

    def has_signatures(self, ids: Iterable[str]) -> set[str]:
        """The ids among these that already have a copy signature."""
        ...

    def copy_links(self, article_ids: Iterable[str] | None = None) -> list[CopyLink]:
        """Copy links touching these articles (all when None)."""
        ...

    def cluster_state(self) -> dict[str, Any] | None:
        """The story clusterer's saved state, or None."""
        ...

    def save_stories(self, state: dict[str, Any], stories: Iterable[StoryRecord]) -> None:
        """Replace the stories and the clusterer's state in one transaction."""
        ...

    def stories(self, limit: int | None = None) -> list[StoryRecord]:
        """Stories, most recently updated first."""
        ...

    def get_story(self, story_id: str) -> StoryRecord | None:
        """One story by id, or None."""
        ...

    def story_ids(self) -> dict[str, str]:
        """Article id → story id."""
        ...

    def entity_names(self, article_id: str) -> set[str]:
        """Canonical names of the entities an article mentions."""
        ...

    # -- comparison (stage 6) ------------------------------------------------------------------
    def signature_vectors(self, ids: Iterable[str]) -> dict[str, Any]:
        """The sentence vectors copy detection stored for these articles, by id."""
        ...

    def save_comparison(self, story_id: str, fingerprint: str, version: int, data: dict[str, Any]) -> None:
        """Replace a story's comparison and its claim rows."""
        ...

    def get_comparison(self, story_id: str) -> dict[str, Any] | None:
        """A story's stored comparison (fingerprint, version, data), or None."""
        ...

    def comparison_fingerprints(self) -> dict[str, tuple[str, int]]:
        """Story id → (fingerprint, version) of every stored comparison."""
        ...

    def prune_comparisons(self) -> int:
        """Drop comparisons of stories that no longer exist."""
        ...

    def claims_of_article(self, article_id: str) -> list[dict[str, Any]]:
        """The claims an article's sentences belong to."""
        ...

    # -- the web UI's reads ----------------------------------------------------------------------
    def find_stories(self, **filters: Any) -> tuple[list[StoryRecord], int]:
        """Stories matching filters (since, until, outlet, entity, query, limit, offset), and the count."""
        ...

    def story_days(self, story_ids: list[str]) -> dict[str, dict[str, int]]:
        """Per story: articles published per day."""
        ...

    def story_publications(self, story_id: str) -> list[dict[str, Any]]:
        """Every publication in a story, appearances included."""
        ...

    def entity_days(self, entity_id: int) -> dict[str, int]:
        """Mentions of an entity per day."""
        ...

    def entity_stories(self, entity_id: int, limit: int = 50) -> list[tuple[str, int]]:
        """The stories an entity appears in."""
        ...

    def story_of(self, article_id: str) -> str | None:
        """The story an article belongs to."""
        ...

    def has_entity(self, entity_id: int) -> bool:
        """Whether an entity exists."""
        ...

    def search_everything(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Articles, quotes and entities matching a full-text query."""
        ...

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and everything derived from it."""
        ...

    def transaction(self) -> AbstractContextManager[Any]:
        """A context in which all writes commit together or not at all."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...
