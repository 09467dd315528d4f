"""The JSON API: the twin of every page, plus ingest and deletion for holders of the token."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile

from storylens.web.app import require_token, workspace
from storylens.web.views import (
    StoryFilters,
    article_view,
    entity_view,
    search_view,
    stories_view,
    story_view,
)
from storylens.workspace import Workspace

router = APIRouter(prefix="/api", tags=["api"])
WS = Annotated[Workspace, Depends(workspace)]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def filters(since: date | None = None, until: date | None = None, outlet: str | None = None,
            entity: Annotated[str | None, Query(max_length=200, description="an entity id or name")] = None,
            q: Annotated[str | None, Query(max_length=500)] = None,
            page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> StoryFilters:
    """The stories filters from the query string (dates as YYYY-MM-DD)."""
    return StoryFilters(since.isoformat() if since else None, until.isoformat() if until else None,
                        outlet or None, entity, q or None, page)


@router.get("/stories", summary="Stories, newest first, filtered")
def api_stories(ws: WS, chosen: Annotated[StoryFilters, Depends(filters)]) -> dict[str, Any]:
    """Stories matching the filters, one page at a time."""
    return stories_view(ws, chosen)


@router.get("/stories/{story_id}", summary="A story and its briefing")
def api_story(ws: WS, request: Request, story_id: str) -> dict[str, Any]:
    """One story with its briefing (schema storylens.briefing/1) and claims × outlets matrix."""
    return story_view(ws, request.app.state.briefings, story_id)


@router.get("/articles/{article_id}", summary="An article with its analysis marked")
def api_article(ws: WS, article_id: str,
                s: Annotated[int | None, Query(ge=0, description="a sentence to highlight")] = None
                ) -> dict[str, Any]:
    """One article: text by paragraph and sentence, entities, quotes, claims, copies."""
    return article_view(ws, article_id, s)


@router.get("/entities/{entity_id}", summary="An entity: names, mentions, quotes, stories")
def api_entity(ws: WS, entity_id: int) -> dict[str, Any]:
    """One entity with its mentions per day, what it said and its stories."""
    return entity_view(ws, entity_id)


@router.get("/search", summary="Full-text search over articles, quotes and entities")
def api_search(ws: WS, q: Annotated[str, Query(max_length=500)] = "",
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    """Hits in each index, with snippets (plain, and as HTML with <mark>)."""
    return search_view(ws, q, limit)


@router.post("/ingest", summary="Ingest files and URLs (needs the token)",
             dependencies=[Depends(require_token)])
def api_ingest(ws: WS, request: Request,
               files: Annotated[list[UploadFile] | None, File(description="article files")] = None,
               urls: Annotated[str, Form(description="URLs, one per line")] = "",
               feeds: Annotated[str, Form(description="feed URLs, one per line")] = "") -> dict[str, Any]:
    """Store, analyse, compare and place the inputs in stories; answers with what happened to each."""
    settings = request.app.state.settings
    files = files or []
    url_list, feed_list = urls.split(), feeds.split()
    if len(files) > settings.max_files or len(url_list) + len(feed_list) > settings.max_urls:
        raise HTTPException(413, f"too many inputs: at most {settings.max_files} files and "
                                 f"{settings.max_urls} URLs per request")
    if not files and not url_list and not feed_list:
        raise HTTPException(422, "nothing to ingest: send files, urls or feeds")
    for url in url_list + feed_list:
        if not url.startswith(("http://", "https://")):
            raise HTTPException(422, f"not an http(s) URL: {url[:200]!r}")
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as folder:
        paths, total = [], 0
        for n, upload in enumerate(files):
            # The client's file name is only a hint for the format: it never chooses a path.
            name = _SAFE_NAME.sub("_", Path(upload.filename or "upload").name)[-80:] or "upload"
            target = Path(folder) / f"{n:03d}-{name}"
            data = upload.file.read(settings.max_upload_bytes + 1 - total)
            total += len(data)
            if total > settings.max_upload_bytes:
                raise HTTPException(413, f"upload too large: at most {settings.max_upload_bytes:,} bytes")
            target.write_bytes(data)
            paths.append(str(target))
        report = ws.ingest(paths + url_list, feeds=feed_list)
    new = [o.article_id for o in report.outcomes if o.status in ("added", "new_version") and o.article_id]
    placed: list[str] = []
    if new:
        ws.analyze(new)
        ws.detect_copies(new)
        placed = ws.cluster(new)
        ws.compare()
    result = report.to_dict()
    for outcome in result["outcomes"]:  # the server's temporary paths mean nothing to the client
        outcome["source"] = re.sub(r"^.*/\d{3}-", "", outcome["source"])
    return {**result, "stories": sorted(set(placed))}


@router.delete("/articles/{article_id}", status_code=204, dependencies=[Depends(require_token)],
               summary="Delete an article (needs the token)")
def api_delete(ws: WS, article_id: str) -> Response:
    """Remove an article and everything derived from it."""
    article = ws.article(article_id)
    ws.store.delete_article(article.id)
    return Response(status_code=204)
