"""Stage 7: the story briefing (Markdown, HTML, JSON), every line cited to its source sentence."""

from storylens.brief.build import SCHEMA, Briefing, build_briefing
from storylens.brief.html import render_html
from storylens.brief.markdown import render_markdown

__all__ = ["SCHEMA", "Briefing", "build_briefing", "render_html", "render_markdown"]
