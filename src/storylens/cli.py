"""The `storylens` command line: ingest inputs, list and show what the store holds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from storylens import __version__
from storylens.config import IngestOptions, default_db_path
from storylens.errors import StorylensError
from storylens.ingest.pipeline import plan
from storylens.models import Article, Outcome
from storylens.workspace import Workspace

app = typer.Typer(
    help="storylens: story briefings from a pile of news articles, every line cited.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The store file. [default: $STORYLENS_DB or ./storylens.db]",
                 show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


def _open(db: Path | None) -> Workspace:
    try:
        return Workspace.open(db or default_db_path())
    except StorylensError as exc:
        err.print(Text(f"error: {exc}", style="red"))
        raise typer.Exit(2) from exc


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"storylens {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Story briefings from a pile of news articles, every line cited."""


@app.command()
def ingest(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Files, folders (recursively), http(s) URLs, URL-list files, or - for stdin.",
        show_default=False)] = None,
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", help="An RSS/Atom feed URL; every entry's page is fetched. Repeatable.")] = None,
    format: Annotated[str | None, typer.Option(
        "--format", "-f", help="Read every input as this format: text, html, json, jsonl, warc, "
        "feed, urls. [default: detected]")] = None,
    outlet: Annotated[str | None, typer.Option(
        "--outlet", help="Use this outlet name for every article ingested.")] = None,
    outlets: Annotated[Path | None, typer.Option(
        "--outlets", help="A file of 'domain<TAB>outlet' lines extending the built-in table.")] = None,
    max_bytes: Annotated[int | None, typer.Option(
        "--max-bytes", help="Refuse inputs larger than this. [default: 25 MB]")] = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Seconds to wait for a web server. [default: 20]")] = None,
    retries: Annotated[int | None, typer.Option(
        "--retries", help="Extra tries after a time-out or a 5xx/429 answer. [default: 2]")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add articles to the store; inputs already stored are reported and left unchanged."""
    options = IngestOptions(format=format, outlet=outlet, outlets_file=outlets)
    for name, value in (("max_bytes", max_bytes), ("timeout", timeout), ("retries", retries)):
        if value is not None:
            setattr(options, name, value)
    if format is not None:
        from storylens.ingest.registry import formats

        if format not in formats():
            err.print(Text(f"error: unknown format {format!r}; use one of: "
                           f"{', '.join(formats())}", style="red"))
            raise typer.Exit(2)
    if not inputs and not feed:
        err.print("error: nothing to ingest: give files, folders, URLs, - or --feed URL")
        raise typer.Exit(2)
    stdin = sys.stdin.buffer.read() if inputs and "-" in inputs else None
    jobs, _ = plan(inputs or [], feed or [])
    with _open(db) as ws, Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=True,
        disable=as_json or not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=len(jobs))

        def shown(outcome: Outcome) -> None:
            if outcome.status == "failed":
                progress.console.print(Text(f"✗ {outcome.source}: {outcome.message}", style="red"))
            elif outcome.status == "new_version":
                progress.console.print(Text(f"↻ {outcome.source}: {outcome.message}"))

        report = ws.ingest(
            inputs or [], feeds=feed or [], options=options, stdin=stdin, on_outcome=shown,
            on_job_done=lambda job: progress.update(task, advance=1, description=job.target[-50:]),
        )
    if as_json:
        _print_json(report.to_dict())
    else:
        summary = (f"{report.count('added')} added, {report.count('duplicate')} already stored, "
                   f"{report.count('new_version')} new versions, {report.count('failed')} failed")
        err.print(Text(summary, style="bold" if report.ok else "bold red"))
    if not report.ok:
        raise typer.Exit(1)


def _article_row(a: Article) -> dict[str, Any]:
    data = a.to_dict(with_text=False)
    return {k: data[k] for k in ("id", "title", "outlet", "published", "url", "language",
                                 "words", "source", "external_id", "previous_id")}


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
    with _open(db) as ws:
        rows = ws.articles(outlet=outlet, language=language, limit=limit,
                           include_superseded=all_versions)
    if as_json:
        _print_json([_article_row(a) for a in rows])
        return
    table = Table(title=f"{len(rows)} articles", title_justify="left")
    for column in ("id", "title", "outlet", "published", "lang", "words", "url"):
        table.add_column(column, overflow="fold" if column == "title" else "ellipsis",
                         no_wrap=column != "title", justify="right" if column == "words" else "left")
    for a in rows:
        table.add_row(a.id[:12], Text(a.title or "(untitled)"), Text(a.outlet or ""),
                      (a.published or "")[:10], a.language or "", str(a.words), Text(a.url or ""))
    out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="An article id, or a unique prefix of one.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: its metadata, its versions and its text."""
    with _open(db) as ws:
        try:
            article = ws.article(article_id)
            versions = ws.versions(article.id)
        except StorylensError as exc:
            err.print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(1) from exc
    if as_json:
        data = article.to_dict()
        data["versions"] = [v.id for v in versions]
        _print_json(data)
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
    out.print(Panel(meta, title=Text(article.title or "(untitled)"), title_align="left"))
    out.print(Text(article.text))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (SQLite FTS5 syntax works).")],
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
) -> None:
    """Full-text search over titles and text."""
    with _open(db) as ws:
        hits = ws.search(query, limit=limit)
    if as_json:
        _print_json([{**_article_row(h.article), "snippet": h.snippet} for h in hits])
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
    with _open(db) as ws:
        data = ws.stats()
    if as_json:
        _print_json(data)
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key in ("path", "articles", "versions", "outlets", "words", "first_published",
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
