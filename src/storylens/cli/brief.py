"""`storylens compare` and `brief`: what the outlets agree on, where they differ, and the briefing."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.text import Text

from storylens.cli.app import DbOption, app, err, open_workspace, out, progress_bar
from storylens.errors import StorylensError
from storylens.models import StoryRecord
from storylens.workspace import Workspace


class Format(StrEnum):
    """Briefing output formats."""

    md = "md"
    html = "html"
    json = "json"


def run_comparison(ws: Workspace, quiet: bool, stories: list[StoryRecord] | None = None,
                   redo: bool = False) -> int:
    """Compare the stale (or given) stories with a progress bar; returns how many were compared."""
    from storylens.analyze.nlp import ModelMissing

    todo = stories if stories is not None else ws.stale_stories()
    if not todo:
        return 0
    with progress_bar("compare", quiet) as progress:
        task = progress.add_task("", total=len(todo))
        try:
            done = ws.compare([s.id for s in todo], redo=redo,
                              on_done=lambda _: progress.update(task, advance=1))
        except ModelMissing as exc:
            err.print(Text(f"comparison skipped: {exc}", style="yellow"))
            return 0
    if done and not quiet:
        err.print(f"{len(done)} stories compared")
    return len(done)


@app.command()
def compare(
    story_ids: Annotated[list[str] | None, typer.Argument(
        help="Story ids (default: every story whose comparison is out of date).", show_default=False)] = None,
    redo: Annotated[bool, typer.Option("--redo", help="Compare again even when up to date.")] = False,
    db: DbOption = None,
) -> None:
    """Align each story's sentences into claims across outlets; find agreement and disputes."""
    with open_workspace(db) as ws:
        try:
            chosen = [ws.story(i) for i in story_ids] if story_ids else (ws.stories() if redo else None)
        except StorylensError as exc:
            err.print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(1) from exc
        count = run_comparison(ws, quiet=False, stories=chosen, redo=redo)
    if not count:
        err.print("every story's comparison is up to date")


def render(ws: Workspace, story_id: str, fmt: Format, sources: bool = True) -> str:
    """One story's briefing in a format (Markdown without its source list when `sources` is false)."""
    from storylens.brief import render_html, render_markdown

    briefing = ws.briefing(story_id)
    if fmt is Format.json:
        return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return render_html(briefing) if fmt is Format.html else render_markdown(briefing, sources=sources)


def _file_name(story: StoryRecord, fmt: Format) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (story.title or "").casefold()).strip("-")[:60]
    return f"{story.id}-{slug}.{fmt.value}" if slug else f"{story.id}.{fmt.value}"


@app.command()
def brief(
    story_id: Annotated[str | None, typer.Argument(help="A story id (see `storylens stories`).",
                                                   show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="md, html or json.")] = Format.md,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (with --all: this folder).")] = None,
    all_stories: Annotated[bool, typer.Option(
        "--all", help="Every story, one file each, into -o DIR.")] = False,
    db: DbOption = None,
) -> None:
    """The story briefing: summary, agreed / single-source / disputed claims, who said what — all cited."""
    if all_stories == bool(story_id):
        err.print("error: give a STORY id, or --all with -o DIR")
        raise typer.Exit(2)
    if all_stories and output is None:
        err.print("error: --all writes one file per story: give the folder with -o DIR")
        raise typer.Exit(2)
    with open_workspace(db) as ws:
        run_comparison(ws, quiet=True)
        if all_stories:
            _write_all(ws, fmt, output)
            return
        terminal = output is None and fmt is Format.md and out.is_terminal
        try:
            # In a terminal the anchors of the source list are noise: the citations name the outlets.
            text = render(ws, story_id, fmt, sources=not terminal)
        except StorylensError as exc:
            err.print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(1) from exc
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"briefing written to {output}")
    elif terminal:
        out.print(Markdown(text, hyperlinks=False))
    else:
        typer.echo(text, nl=False)


def _write_all(ws: Workspace, fmt: Format, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stories = ws.stories()
    with progress_bar("brief") as progress:
        task = progress.add_task("", total=len(stories))
        for story in stories:
            (folder / _file_name(story, fmt)).write_text(render(ws, story.id, fmt), encoding="utf-8")
            progress.update(task, advance=1)
    err.print(f"{len(stories)} briefings written to {folder}")
