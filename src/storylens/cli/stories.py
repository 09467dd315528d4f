"""`storylens stories`, `story`: which articles report the same event, and who copied whom."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from storylens.cli.app import DbOption, JsonOption, app, err, open_workspace, out, print_json, progress_bar
from storylens.errors import StorylensError
from storylens.workspace import Workspace


def run_clustering(ws: Workspace, ids: list[str] | None, quiet: bool) -> list[str]:
    """Place articles into stories with a progress bar; a missing model is reported, not raised."""
    from storylens.analyze.nlp import ModelMissing

    ids = ids if ids is not None else [a.id for a in ws.articles()]  # the workspace reads them once
    with progress_bar("stories", quiet) as progress:
        task = progress.add_task("", total=len(ids))
        try:
            placed = ws.cluster(ids, on_done=lambda _: progress.update(task, advance=1))
        except ModelMissing as exc:
            err.print(Text(f"story clustering skipped: {exc}", style="yellow"))
            return []
    if placed and not quiet:
        err.print(f"{len(placed)} articles placed in {len(set(placed))} stories")
    return placed


@app.command()
def stories(
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List stories, most recently updated first."""
    with open_workspace(db) as ws:
        rows = ws.stories(limit=limit)
    if as_json:
        print_json([s.to_dict() for s in rows])
        return
    table = Table(title=f"{len(rows)} stories", title_justify="left")
    wide = out.width >= 140  # outlet names only where there is room for them
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=3, min_width=20, overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("outlets", ratio=2 if wide else None, overflow="fold",
                     justify="left" if wide else "right")
    table.add_column("first", no_wrap=True)
    table.add_column("updated", no_wrap=True)
    width = 16 if wide else 10
    for s in rows:
        outlets = Text(", ".join(s.outlets)) if wide else str(len(s.outlets))
        table.add_row(s.id, Text(s.title or ""), str(len(s.article_ids)), outlets,
                      (s.first_seen or "")[:width], (s.last_updated or "")[:width])
    out.print(table)


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id (see `storylens stories`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its articles, outlets, and copy links with direction and kind."""
    with open_workspace(db) as ws:
        try:
            found = ws.story(story_id)
        except StorylensError as exc:
            err.print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(1) from exc
        articles = [ws.article(i) for i in found.article_ids]
        members = set(found.article_ids)
        links = [k for k in ws.copy_sources().values() if k.later in members]
        appearances = {a.id: ws.store.appearances(a.id) for a in articles}
    if as_json:
        print_json({**found.to_dict(),
                    "articles": [a.to_dict(with_text=False) | {"appearances": appearances[a.id]}
                                 for a in articles],
                    "copy_links": [{"earlier": k.earlier, "later": k.later, "kind": k.kind,
                                    "score": round(k.score, 3), "share": round(k.share, 3),
                                    "direction": k.direction} for k in links]})
        return
    out.print(Text(found.title or "(untitled)", style="bold"))
    out.print(Text(f"{len(articles)} articles from {len(found.outlets)} outlets; "
                   f"first seen {found.first_seen or '?'}, last updated {found.last_updated or '?'}"))
    table = Table(title="articles, first published first", title_justify="left")
    for column in ("id", "outlet", "published", "title", "copy of"):
        table.add_column(column, overflow="fold")
    source = {k.later: k for k in links}
    for a in articles:
        link = source.get(a.id)
        copied = f"{link.earlier[:12]} ({link.kind.replace('_', '-')})" if link else ""
        table.add_row(a.id[:12], Text(a.outlet or ""), (a.published or "")[:16], Text(a.title or ""), copied)
        for seen in appearances[a.id]:
            table.add_row("", Text(seen["outlet"] or ""), (seen["published"] or "")[:16],
                          Text(seen["title"] or ""), f"{a.id[:12]} (exact)")
    out.print(table)
