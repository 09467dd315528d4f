"""The Python API: a workspace is one store plus the pipeline that fills it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storylens.config import IngestOptions, available_cores, default_db_path
from storylens.errors import StorylensError
from storylens.ingest.pipeline import Ingestor, Job, plan
from storylens.models import (
    Analysis,
    Article,
    Comparison,
    CopyLink,
    Entity,
    IngestReport,
    Outcome,
    Quote,
    StoryRecord,
)
from storylens.store import SearchHit, Store, open_store

if TYPE_CHECKING:
    from storylens.brief.build import Briefing


class Workspace:
    """One store and the operations on it; `storylens.open()` returns one."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path | None = None) -> Workspace:
        """Open the workspace stored at `path` (default: $STORYLENS_DB or storylens.db)."""
        return cls(open_store(path if path is not None else default_db_path()))

    def ingest(
        self,
        inputs: str | Path | Iterable[str | Path] = (),
        *,
        feeds: Iterable[str] = (),
        options: IngestOptions | None = None,
        stdin: bytes | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_job_done: Callable[[Job], None] | None = None,
        **settings: Any,
    ) -> IngestReport:
        """Ingest files, folders, URLs, feed URLs or '-' (stdin); settings override IngestOptions."""
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        options = options or IngestOptions(**settings)
        jobs, problems = plan([str(i) for i in inputs], feeds)
        report = IngestReport()
        for problem in problems:
            outcome = Outcome(problem.source, "failed", message=problem.message)
            report.outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        ingestor = Ingestor(self.store, options)
        try:
            return ingestor.run(jobs, report=report, on_outcome=on_outcome,
                                on_job_done=on_job_done, stdin=stdin)
        finally:
            ingestor.close()

    def analyze(
        self,
        ids: Iterable[str] | None = None,
        *,
        redo: bool = False,
        workers: int | None = None,
        on_done: Callable[[Analysis], None] | None = None,
    ) -> list[Analysis]:
        """Analyse articles (default: those not yet analysed by this version) and link entities."""
        from storylens.analyze import pipeline

        todo = self.pending_analysis(ids, redo=redo)
        workers = workers or available_cores()
        return pipeline.run(self.store, todo, workers=min(workers, max(1, len(todo))), on_done=on_done)

    def pending_analysis(self, ids: Iterable[str] | None = None, *, redo: bool = False) -> list[Article]:
        """The articles `analyze` would work on."""
        from storylens.analyze.pipeline import ANALYSIS_VERSION

        articles = self.select(ids)
        if redo:
            return articles
        done = self.store.analysed_versions()
        return [a for a in articles if done.get(a.id) != ANALYSIS_VERSION]

    def detect_copies(
        self, ids: Iterable[str] | None = None, on_done: Callable[[Article], None] | None = None
    ) -> list[CopyLink]:
        """Find copies and rewrites among the given articles (default: all) and stored ones."""
        from storylens.stories.pipeline import detect_copies

        articles = self.select(ids)
        return detect_copies(self.store, articles, on_done=on_done)

    def cluster(
        self, ids: Iterable[str] | None = None, on_done: Callable[[Article], None] | None = None
    ) -> list[str]:
        """Place articles (default: all not yet placed) into stories; returns their story ids."""
        from storylens.stories.pipeline import cluster_articles

        articles = self.select(ids)
        return cluster_articles(self.store, articles, on_done=on_done)

    def compare(
        self, story_ids: Iterable[str] | None = None, *, redo: bool = False,
        on_done: Callable[[StoryRecord], None] | None = None,
    ) -> list[Comparison]:
        """Compare the articles inside stories (default: every story whose comparison is stale)."""
        from storylens.compare.pipeline import compare_stories

        stories = [self.story(i) for i in story_ids] if story_ids is not None else self.stories()
        return compare_stories(self.store, stories, redo=redo, on_done=on_done)

    def stale_stories(self) -> list[StoryRecord]:
        """Stories whose comparison must be redone (new articles, or a newer storylens)."""
        from storylens.compare.pipeline import stale

        return stale(self.store, self.stories())

    def comparison(self, story_id: str) -> Comparison:
        """A story's comparison: claims, agreed figures, disputes, quotes across outlets."""
        from storylens.compare.pipeline import comparison_of

        return comparison_of(self.store, self.story(story_id))

    def briefing(self, story_id: str) -> Briefing:
        """A story's briefing (render it with storylens.brief.render_markdown / render_html)."""
        from storylens.brief.build import build_briefing

        return build_briefing(self.store, self.story(story_id))

    def stories(self, limit: int | None = None) -> list[StoryRecord]:
        """Stories, most recently updated first."""
        return self.store.stories(limit=limit)

    def story(self, story_id: str) -> StoryRecord:
        """One story by id; raises StorylensError naming it when there is none."""
        found = self.store.get_story(story_id)
        if found is None:
            raise StorylensError(f"no story with id {story_id!r}; see `storylens stories`")
        return found

    def copy_sources(self) -> dict[str, CopyLink]:
        """Each copied article's best source (its lineage link), by the copy's article id."""
        from storylens.stories.copies import lineage

        published = {a.id: a.published for a in self.articles(include_superseded=True)}
        return {link.later: link for link in lineage(self.store.copy_links(), published)}

    def analysis(self, id_or_prefix: str) -> Analysis | None:
        """The stored analysis of an article, or None."""
        return self.store.get_analysis(self.article(id_or_prefix).id)

    def entities(self, *, label: str | None = None, limit: int | None = None) -> list[Entity]:
        """Entities linked across articles, most mentioned first."""
        return self.store.entities(label=label, limit=limit)

    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or aliases match `name`, best first."""
        return self.store.find_entities(name)

    def quotes_by(self, entity: Entity) -> list[tuple[Article, Quote]]:
        """Everything an entity is quoted as saying, with the article it is in."""
        return [(self.article(aid), q) for aid, q in self.store.quotes_by_entity(entity.id)]

    def select(self, ids: Iterable[str] | None = None) -> list[Article]:
        """These articles by id or prefix, or every current article when `ids` is None."""
        return [self.article(i) for i in ids] if ids is not None else self.articles()

    def articles(self, **filters: Any) -> list[Article]:
        """Stored articles, newest first (filters: outlet, language, include_superseded, limit)."""
        return self.store.articles(**filters)

    def article(self, id_or_prefix: str) -> Article:
        """One article by id or unique id prefix."""
        return self.store.get_article(id_or_prefix)

    def versions(self, id_or_prefix: str) -> list[Article]:
        """Every stored version of an article's URL, oldest first."""
        return self.store.versions(id_or_prefix)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and text."""
        return self.store.search(query, limit=limit)

    def stats(self) -> dict[str, Any]:
        """Counts and ranges over the store."""
        return self.store.stats()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
