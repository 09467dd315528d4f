"""The HTML pages, each rendering the same data as its JSON twin under /api."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from storylens.brief.build import FLAG_TEXT
from storylens.web import charts, views
from storylens.web.api import filters
from storylens.web.app import HERE, workspace
from storylens.web.views import StoryFilters
from storylens.workspace import Workspace

router = APIRouter(include_in_schema=False)
WS = Annotated[Workspace, Depends(workspace)]


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The page templates (Jinja2 autoescapes every value: article text never becomes markup)."""
    found = Jinja2Templates(directory=HERE / "templates")
    found.env.globals.update(sparkline=charts.sparkline, flag_text=FLAG_TEXT)
    found.env.filters["cite_href"] = cite_href
    return found


def cite_href(citation: dict[str, Any]) -> str:
    """Where a citation leads: the article, scrolled to the cited sentence, highlighted."""
    return f"/articles/{citation['article_id']}?s={citation['sentence']}#s-{citation['sentence']}"


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """One page."""
    return templates().TemplateResponse(request, name, context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, ws: WS, chosen: Annotated[StoryFilters, Depends(filters)]) -> HTMLResponse:
    """Stories, newest first, with filters."""
    data = views.stories_view(ws, chosen)

    def page_url(n: int) -> str:
        return "/?" + urlencode({**data["filters"], "page": n})

    return render(request, "stories.html", {
        **data, "json_url": _twin(request, "/api/stories"),
        "prev_url": page_url(data["page"] - 1) if data["page"] > 1 else None,
        "next_url": page_url(data["page"] + 1) if data["page"] < data["pages"] else None})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, ws: WS, story_id: str) -> HTMLResponse:
    """A story's briefing, claims × outlets matrix, coverage chart and copy lineage."""
    data = views.story_view(ws, request.app.state.briefings, story_id)
    copies = {k["later"]: data["briefing"]["sources"].get(k["earlier"], {}).get("outlet")
              for k in data["briefing"]["coverage"]["copies"]}
    chart = charts.coverage(data["publications"], copies)
    return render(request, "story.html", {**data, "b": data["briefing"], "coverage_chart": chart,
                                          "json_url": f"/api/stories/{story_id}"})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, ws: WS, article_id: str,
                 s: Annotated[int | None, Query(ge=0)] = None) -> HTMLResponse:
    """An article with its entities, quotes and claim sentences marked; `?s=N` highlights sentence N."""
    data = views.article_view(ws, article_id, s)
    twin = _twin(request, f"/api/articles/{article_id}")
    return render(request, "article.html", {**data, "json_url": twin})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, ws: WS, entity_id: int) -> HTMLResponse:
    """A person, organisation or place: names, roles, mentions over time, quotes, stories."""
    data = views.entity_view(ws, entity_id)
    return render(request, "entity.html", {**data, "chart": charts.bars(data["days"]),
                                           "json_url": f"/api/entities/{entity_id}"})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, ws: WS, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    """Full-text search over articles, quotes and entities."""
    data = views.search_view(ws, q)
    return render(request, "search.html", {**data, "json_url": _twin(request, "/api/search")})


def _twin(request: Request, path: str) -> str:
    query = request.url.query
    return f"{path}?{query}" if query else path
