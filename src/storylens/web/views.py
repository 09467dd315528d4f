"""What each page shows, as plain data: the HTML templates and the JSON API both render these."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from threading import Lock
from typing import Any

from storylens.brief.build import agreed, build_briefing, safe_url, single_source
from storylens.errors import ArticleNotFound, StorylensError
from storylens.models import StoryRecord
from storylens.store.sqlite_web import MARK_END, MARK_START
from storylens.stories.copies import lineage
from storylens.workspace import Workspace

PAGE_SIZE = 50
MATRIX_ROWS = 30
SINGLE_SHOWN = 15


class NotFound(StorylensError):
    """A page or API object that does not exist."""


@dataclass(frozen=True)
class StoryFilters:
    """The stories page's filters, all optional."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None  # an entity id, or a name or alias
    q: str | None = None
    page: int = 1

    def active(self) -> dict[str, Any]:
        """The filters that are set (for links and the JSON twin)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "") and k != "page"}


class BriefingCache:
    """Built briefings kept in memory by (story id, fingerprint): a changed story is rebuilt."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._size, self._lock = size, Lock()

    def get(self, ws: Workspace, story: StoryRecord) -> dict[str, Any]:
        """A story's briefing as JSON-ready data."""
        from storylens.compare.material import fingerprint

        key = (story.id, fingerprint(story))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = build_briefing(ws.store, story).to_dict()
        with self._lock:
            self._items[key] = data
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return data


def marked(snippet: str | None) -> str:
    """A search snippet as safe HTML: the text escaped, the matches in <mark>."""
    return escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def stories_view(ws: Workspace, filters: StoryFilters) -> dict[str, Any]:
    """The stories page: one page of stories matching the filters, each with its articles per day."""
    page = max(filters.page, 1)
    entity_id, entity = _entity(ws, filters.entity)
    found, total = ws.store.find_stories(since=filters.since, until=filters.until, outlet=filters.outlet,
                                         entity=entity_id, query=filters.q, limit=PAGE_SIZE,
                                         offset=(page - 1) * PAGE_SIZE)
    days = ws.store.story_days([s.id for s in found])
    return {"stories": [{**s.to_dict(), "articles": len(s.article_ids), "days": days.get(s.id, {})}
                        for s in found],
            "total": total, "page": page, "pages": max(1, math.ceil(total / PAGE_SIZE)),
            "filters": filters.active(), "entity_name": entity}


def _entity(ws: Workspace, wanted: str | None) -> tuple[int | None, str | None]:
    """The entity a filter names (by id, or by name or alias): its id and name; -1 when none matches."""
    if not wanted:
        return None, None
    if wanted.isdigit() and ws.store.has_entity(int(wanted)):
        return int(wanted), ws.store.get_entity(int(wanted)).name
    found = ws.find_entities(wanted)
    return (found[0].id, found[0].name) if found else (-1, None)


def story_view(ws: Workspace, cache: BriefingCache, story_id: str) -> dict[str, Any]:
    """The story page: the story, its briefing, the claims × outlets matrix and its publications."""
    try:
        story = ws.story(story_id)
    except StorylensError as exc:
        raise NotFound(str(exc)) from exc
    briefing = cache.get(ws, story)
    outlets = briefing["coverage"]["outlets"]
    claims = briefing["claims"]
    shown = [c for c in briefing["claims"] if c["status"] != "single_source" and not c["quote"]]
    shown += [c for c in briefing["claims"] if c["status"] == "single_source" and c["facts"]]
    rows = [{"id": c["id"], "text": c["text"], "status": c["status"], "citation": c["citations"][0],
             "cells": [o in c["outlets"] for o in outlets]} for c in shown[:MATRIX_ROWS]]
    return {"story": story.to_dict(), "briefing": briefing, "agreed": agreed(claims, None),
            "single": single_source(claims, SINGLE_SHOWN),
            "matrix": {"outlets": outlets, "claims": rows},
            "publications": ws.store.story_publications(story.id)}


def article_view(ws: Workspace, article_id: str, cited: int | None = None) -> dict[str, Any]:
    """The article page: its text by paragraph and sentence, with entities, quotes and claims marked."""
    try:
        article = ws.article(article_id)
    except (ArticleNotFound, StorylensError) as exc:
        raise NotFound(str(exc)) from exc
    analysis = ws.store.get_analysis(article.id)
    entity_ids = ws.store.local_entity_ids(article.id)
    claims = {r["sentence"]: r for r in ws.store.claims_of_article(article.id)}
    links = ws.store.copy_links([article.id])
    published = {i: ws.article(i).published for k in links for i in (k.earlier, k.later)}
    source = next((k for k in lineage(links, published) if k.later == article.id), None)
    story_id = ws.store.story_of(article.id)
    sentences = analysis.sentences if analysis and analysis.sentences else []
    quoted = {q.sentence for q in analysis.quotes} if analysis else set()
    mentions = sorted(analysis.mentions, key=lambda m: m.start) if analysis else []
    paragraphs: list[list[dict[str, Any]]] = []
    for s in sentences:
        inside = [m for m in mentions if s.start <= m.start and m.end <= s.end]
        claim = claims.get(s.index)
        item = {"index": s.index, "start": s.start, "end": s.end, "cited": s.index == cited,
                "claim": claim["status"] if claim else None, "quote": s.index in quoted,
                "segments": _segments(article.text, s.start, s.end, inside, entity_ids)}
        if not paragraphs or paragraphs[-1][0]["paragraph"] != s.paragraph:
            paragraphs.append([])
        paragraphs[-1].append({**item, "paragraph": s.paragraph})
    if not sentences:
        paragraphs = [[{"index": 0, "start": 0, "end": len(article.text), "cited": False, "claim": None,
                        "quote": False, "paragraph": 0,
                        "segments": [{"text": article.text, "entity": None}]}]]
    return {"article": {**article.to_dict(with_text=True), "url": safe_url(article.url)},
            "appearances": ws.store.appearances(article.id), "story_id": story_id,
            "copy_of": {"id": source.earlier, "kind": source.kind} if source else None,
            "copied_by": [{"id": k.later, "kind": k.kind} for k in links if k.earlier == article.id],
            "paragraphs": paragraphs, "cited": cited,
            "quotes": [{"text": q.text, "kind": q.kind, "speaker": q.speaker_key or q.speaker,
                        "sentence": q.sentence} for q in (analysis.quotes if analysis else [])],
            "entities": [{"key": e.key, "label": e.label, "id": entity_ids.get(e.key), "roles": e.roles}
                         for e in (analysis.entities if analysis else [])]}


def _segments(text: str, start: int, end: int, mentions: list, entity_ids: dict[str, int]) -> list[dict]:
    """A sentence cut into plain text and entity mentions (each linked to its entity when linked)."""
    out, cursor = [], start
    for m in mentions:
        if m.start < cursor:
            continue  # overlapping mentions: the first one wins
        if m.start > cursor:
            out.append({"text": text[cursor:m.start], "entity": None})
        out.append({"text": text[m.start:m.end], "entity": entity_ids.get(m.key), "label": m.label})
        cursor = m.end
    if cursor < end:
        out.append({"text": text[cursor:end], "entity": None})
    return out


def entity_view(ws: Workspace, entity_id: int) -> dict[str, Any]:
    """The entity page: names, roles, mentions over time, what they said, the stories they are in."""
    if not ws.store.has_entity(entity_id):
        raise NotFound(f"no entity with id {entity_id}")
    entity = ws.store.get_entity(entity_id)
    stories = []
    for story_id, n in ws.store.entity_stories(entity_id):
        story = ws.store.get_story(story_id)
        if story:
            stories.append({"id": story.id, "title": story.title, "articles": len(story.article_ids),
                            "mentioning": n, "last_updated": story.last_updated})
    quotes = [{"article_id": a.id, "outlet": a.outlet, "published": a.published, "text": q.text,
               "kind": q.kind, "sentence": q.sentence} for a, q in ws.quotes_by(entity)]
    return {"entity": entity.to_dict(), "days": ws.store.entity_days(entity_id), "quotes": quotes,
            "stories": stories}


def search_view(ws: Workspace, q: str, limit: int = 20) -> dict[str, Any]:
    """Search results over articles, quotes and entities, snippets as safe HTML."""
    if not q.strip():
        return {"q": q, "articles": [], "quotes": [], "entities": []}
    found = ws.store.search_everything(q, limit=limit)
    for kind in ("articles", "quotes", "entities"):
        for hit in found[kind]:
            snippet = hit.pop("snip") or ""
            hit["snippet"] = snippet.replace(MARK_START, "").replace(MARK_END, "")
            hit["snippet_html"] = marked(snippet)
            if "title_marked" in hit:
                hit["title_html"] = marked(hit.pop("title_marked"))
    return {"q": q, **found}
