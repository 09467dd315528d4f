"""`storylens ingest`: read inputs into the store, then analyse what is new."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from storylens.cli.analysis import run_analysis, run_copies
from storylens.cli.app import (
    DbOption,
    JsonOption,
    WorkersOption,
    app,
    err,
    open_workspace,
    print_json,
    progress_bar,
)
from storylens.cli.brief import run_comparison
from storylens.cli.stories import run_clustering
from storylens.config import IngestOptions
from storylens.ingest.pipeline import plan
from storylens.models import Outcome


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
    analyze: Annotated[bool, typer.Option(
        "--analyze/--no-analyze", help="Analyse the new articles (entities, quotes, ...).")] = True,
    workers: WorkersOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add articles to the store; inputs already stored are reported and left unchanged."""
    options = IngestOptions(format=format, outlet=outlet, outlets_file=outlets)
    settings = (("max_bytes", max_bytes), ("timeout", timeout), ("retries", retries), ("workers", workers))
    for name, value in settings:
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
    with open_workspace(db) as ws:
        with progress_bar("ingest", as_json, detail=True) as progress:
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
        # Each stage gets its own progress bar: Rich shows one live display at a time.
        new_ids = [o.article_id for o in report.outcomes
                   if o.status in ("added", "new_version") and o.article_id]
        analysed = run_analysis(ws, new_ids, workers, quiet=as_json) if analyze and new_ids else []
        links = run_copies(ws, new_ids, quiet=as_json) if analyze and new_ids else []
        placed = run_clustering(ws, new_ids, quiet=as_json) if analyze and new_ids else []
        compared = run_comparison(ws, quiet=as_json) if analyze and placed else 0
    if as_json:
        print_json({**report.to_dict(), "analysed": len(analysed), "copy_links": len(links),
                    "stories": sorted(set(placed)), "stories_compared": compared})
    else:
        counts = [("added", "added"), ("duplicate", "already stored"), ("new_version", "new versions"),
                  ("skipped", "skipped (no article in the page)"), ("failed", "failed")]
        summary = ", ".join(f"{report.count(status)} {label}" for status, label in counts
                            if report.count(status) or status in ("added", "failed"))
        err.print(Text(summary, style="bold" if report.ok else "bold red"))
    if not report.ok:
        raise typer.Exit(1)
