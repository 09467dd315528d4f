"""A briefing as one self-contained HTML file: no scripts, no network, every article string escaped."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from storylens.brief.build import FLAG_TEXT, Briefing
from storylens.brief.markdown import anchor


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment for briefing templates (autoescaping always on)."""
    env = Environment(loader=PackageLoader("storylens", "brief/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["anchor"] = anchor
    env.globals["flag_text"] = FLAG_TEXT
    return env


def passages(briefing: Briefing, show: int) -> list[dict[str, Any]]:
    """Each cited sentence with its paragraph around it, grouped by article, for the source list."""
    cited: dict[str, dict[str, Any]] = {}
    for citation in briefing.cited(show):
        cited.setdefault(anchor(citation), citation)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for key, citation in sorted(cited.items(), key=lambda kv: (kv[1]["article_id"], kv[1]["start"])):
        text = briefing.sources[citation["article_id"]]["text"]
        start, end = citation["start"], citation["end"]
        before = text.rfind("\n", 0, start) + 1
        after = text.find("\n", end)
        after = len(text) if after < 0 else after
        by_article.setdefault(citation["article_id"], []).append(
            {"anchor": key, "sentence": citation["sentence"], "start": start, "end": end,
             "before": text[before:start], "cited": text[start:end], "after": text[end:after]})
    return [{"id": aid, **{k: v for k, v in briefing.sources[aid].items() if k != "text"}, "passages": items}
            for aid, items in by_article.items()]


def render_html(briefing: Briefing, *, show: int = 12) -> str:
    """The whole briefing as one HTML page."""
    return environment().get_template("briefing.html").render(
        b=briefing, show=show, agreed=briefing.agreed(show), single=briefing.single_source(show),
        speakers=briefing.speakers(), sources=passages(briefing, show))
