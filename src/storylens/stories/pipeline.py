"""Run stage 4 (copy detection) over new articles against what the store already holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from storylens.models import Article
from storylens.stories.copies import CopyCandidate, CopyDetector, CopyLink, Signature, signatures_of

# Copies are published within days of their source: older signatures need not be loaded.
WINDOW_DAYS = 14
BATCH = 16  # articles embedded together


def detect_copies(store, articles: list[Article], on_done: Callable[[Article], None] | None = None
                  ) -> list[CopyLink]:
    """Find copy links between these articles and stored ones; store signatures and links."""
    done = store.has_signatures(a.id for a in articles)
    todo = [a for a in articles if a.id not in done]
    if not todo:
        return []
    detector = CopyDetector()
    detector.load(Signature.from_record(r) for r in store.copy_signatures(*_window(todo)))
    found: list[CopyLink] = []
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        for article, signature in zip(batch, signatures_of([_candidate(store, a) for a in batch]),
                                      strict=True):
            links = detector.add(signature)
            store.save_copies(signature.to_record(), links)
            found += links
            if on_done:
                on_done(article)
    return found


def _candidate(store, article: Article) -> CopyCandidate:
    analysis = store.get_analysis(article.id)
    spans = [(s.start, s.end) for s in analysis.sentences] if analysis and analysis.sentences else None
    return CopyCandidate(article.id, article.text, article.published, article.outlet, sentences=spans)


def _window(articles: list[Article]) -> tuple[str | None, str | None]:
    dates = [a.published[:10] for a in articles if a.published]
    if len(dates) < len(articles):
        return None, None  # an undated article may copy anything
    low = date.fromisoformat(min(dates)) - timedelta(days=WINDOW_DAYS)
    high = date.fromisoformat(max(dates)) + timedelta(days=WINDOW_DAYS + 1)
    return low.isoformat(), high.isoformat()


def cluster_articles(store, articles: list[Article], on_done: Callable[[Article], None] | None = None
                     ) -> list[str]:
    """Place new articles into stories (joining or starting one each); store stories and state."""
    from storylens.stories.cluster import StoryCandidate, StoryClusterer, embed_candidates
    from storylens.stories.copies import lineage

    state = store.cluster_state()
    clusterer = StoryClusterer.load(state) if state else StoryClusterer()
    todo = [a for a in articles if clusterer.story_of(a.id) is None]
    if not todo:
        return []
    links = store.copy_links([a.id for a in todo])
    published = {i: store.get_article(i).published for k in links for i in (k.earlier, k.later)}
    sources = {k.later: k.earlier for k in lineage(links, published)}
    for start in range(0, len(todo), BATCH * 4):
        batch = [StoryCandidate(a.id, a.title or "", a.text, a.published, a.outlet,
                                entities=store.entity_names(a.id),
                                copy_of=[sources[a.id]] if a.id in sources else [])
                 for a in todo[start:start + BATCH * 4]]
        embed_candidates(batch)
        for article, candidate in zip(todo[start:start + BATCH * 4], batch, strict=True):
            clusterer.add(candidate)
            if on_done:
                on_done(article)
    clusterer.merge_pass()
    store.save_stories(clusterer.save(), _records(clusterer))
    partition = clusterer.partition()  # after merges: the stories the articles ended up in
    return [partition[a.id] for a in todo]


def _records(clusterer) -> list:
    from storylens.models import StoryRecord

    return [StoryRecord(s.id, s.title, s.article_ids, s.outlets, s.first_seen, s.last_updated)
            for s in clusterer.stories()]
