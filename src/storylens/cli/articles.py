"""`storylens articles`, `show`, `search`, `stats`: what the store holds."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storylens.cli.analysis import analysis_dict, print_analysis
from storylens.cli.app import (
    DbOption,
    JsonOption,
    app,
    err,
    open_workspace,
    out,
    print_json,
)
from storylens.errors import StorylensError
from storylens.models import Article, CopyLink


def _article_row(a: Article) -> dict[str, Any]:
    data = a.to_dict(with_text=False)
    return {k: data[k] for k in ("id", "title", "outlet", "published", "url", "language",
                                 "words", "source", "external_id", "previous_id")}


def _copy_of(link: CopyLink | None) -> dict[str, str] | None:
    return {"id": link.earlier, "kind": link.kind} if link else None


@app.command()
def articles(
    db: DbOption = None,
    as_json: JsonOption = False,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language (ISO 639-1).")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="Include earlier versions of changed pages.")] = False,
) -> None:
    """List stored articles, newest first."""
    with open_workspace(db) as ws:
        rows = ws.articles(outlet=outlet, language=language, limit=limit,
                           include_superseded=all_versions)
        sources = ws.copy_sources() if as_json else {}
        story_ids = ws.store.story_ids() if as_json else {}
    if as_json:
        print_json([{**_article_row(a), "story_id": story_ids.get(a.id),
                     "copy_of": _copy_of(sources.get(a.id))} for a in rows])
        return
    table = Table(title=f"{len(rows)} articles", title_justify="left")
    wide = out.width >= 140  # the URL column only where there is room for it
    table.add_column("id", no_wrap=True, min_width=12)
    table.add_column("title", ratio=3, min_width=24, overflow="fold")
    table.add_column("outlet", ratio=1, min_width=12, overflow="fold")
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("lang", no_wrap=True)
    table.add_column("words", justify="right", no_wrap=True)
    if wide:
        table.add_column("url", ratio=2, overflow="ellipsis", no_wrap=True)
    for a in rows:
        cells = [a.id[:12], Text(a.title or "(untitled)"), Text(a.outlet or ""), (a.published or "")[:10],
                 a.language or "", str(a.words)]
        table.add_row(*cells, *([Text(a.url or "")] if wide else []))
    out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="An article id, or a unique prefix of one.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: its metadata, its versions and its text."""
    with open_workspace(db) as ws:
        try:
            article = ws.article(article_id)
            versions = ws.versions(article.id)
            appearances = ws.store.appearances(article.id)
            sources = ws.copy_sources()
            analysis = ws.analysis(article.id)
        except StorylensError as exc:
            err.print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(1) from exc
    if as_json:
        data = article.to_dict()
        data["versions"] = [v.id for v in versions]
        data["appearances"] = appearances
        data["copy_of"] = _copy_of(sources.get(article.id))
        data["copied_by"] = [{"id": k.later, "kind": k.kind} for k in sources.values()
                             if k.earlier == article.id]
        data["analysis"] = analysis_dict(analysis) if analysis else None
        print_json(data)
        return
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    for label, value in (("id", article.id), ("outlet", article.outlet), ("byline", article.byline),
                         ("published", article.published), ("language", article.language),
                         ("words", str(article.words)), ("url", article.url),
                         ("source", article.source), ("ingested", article.ingested_at)):
        if value:
            meta.add_row(label, Text(value))
    if len(versions) > 1:
        meta.add_row("versions", Text(" → ".join(v.id[:12] for v in versions)))
    for seen in appearances:
        where = " · ".join(str(seen[k]) for k in ("outlet", "published", "url") if seen[k])
        meta.add_row("also in", Text(where))
    if article.id in sources:
        link = sources[article.id]
        meta.add_row("copy of", Text(f"{link.earlier} ({link.kind.replace('_', '-')}, "
                                     f"{link.share:.0%} of this text)"))
    for link in (k for k in sources.values() if k.earlier == article.id):
        meta.add_row("copied by", Text(f"{link.later} ({link.kind.replace('_', '-')})"))
    out.print(Panel(meta, title=Text(article.title or "(untitled)"), title_align="left"))
    out.print(Text(article.text))
    if analysis:
        print_analysis(analysis)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (SQLite FTS5 syntax works).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
) -> None:
    """Full-text search over titles and text."""
    with open_workspace(db) as ws:
        hits = ws.search(query, limit=limit)
    if as_json:
        print_json([{**_article_row(h.article), "snippet": h.snippet} for h in hits])
        return
    table = Table(title=f"{len(hits)} matches for {query!r}", title_justify="left")
    for column in ("id", "title", "outlet", "snippet"):
        table.add_column(column, overflow="fold")
    for h in hits:
        table.add_row(h.article.id[:12], Text(h.article.title or ""), Text(h.article.outlet or ""),
                      Text(h.snippet))
    out.print(table)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Counts over the store: articles, outlets, languages, dates."""
    with open_workspace(db) as ws:
        data = ws.stats()
    if as_json:
        print_json(data)
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key in ("path", "articles", "versions", "appearances", "outlets", "words", "first_published",
                "last_published", "undated", "size_bytes"):
        table.add_row(key.replace("_", " "), Text(str(data[key])))
    table.add_row("languages", Text(", ".join(f"{k} {v}" for k, v in data["languages"].items())))
    out.print(table)
    if data["by_outlet"]:
        by_outlet = Table(title="articles by outlet", title_justify="left")
        by_outlet.add_column("outlet")
        by_outlet.add_column("articles", justify="right")
        by_outlet.add_column("")
        top = max(data["by_outlet"].values())
        for name, count in data["by_outlet"].items():
            by_outlet.add_row(Text(name), str(count), "█" * max(1, round(24 * count / top)))
        out.print(by_outlet)
