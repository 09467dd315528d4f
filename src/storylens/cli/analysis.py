"""`storylens analyze`, `entities`, `entity`: what analysis found."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from storylens.cli.app import (
    DbOption,
    JsonOption,
    WorkersOption,
    app,
    err,
    open_workspace,
    out,
    print_json,
    progress_bar,
)
from storylens.cli.stories import run_clustering
from storylens.models import Analysis, CopyLink
from storylens.workspace import Workspace


def run_analysis(ws: Workspace, ids: list[str] | None, workers: int | None, quiet: bool,
                  redo: bool = False) -> list[Analysis]:
    """Analyse articles with a progress bar; a missing model is reported, not raised."""
    from storylens.analyze.nlp import ModelMissing

    todo = ws.pending_analysis(ids, redo=redo)
    with progress_bar("analyse", quiet) as progress:
        task = progress.add_task("", total=len(todo))
        try:
            done = ws.analyze([a.id for a in todo], redo=True, workers=workers,
                              on_done=lambda _: progress.update(task, advance=1))
        except ModelMissing as exc:
            err.print(Text(f"analysis skipped: {exc}", style="yellow"))
            return []
    skipped = [a for a in done if a.skipped]
    if skipped and not quiet:
        languages = sorted({a.language for a in skipped if a.language != "en"})
        note = f" (languages: {', '.join(languages)})" if languages else ""
        err.print(Text(f"{len(skipped)} articles stored but not analysed{note}", style="yellow"))
    if not quiet:
        err.print(f"{len(done) - len(skipped)} articles analysed")
    return done


def run_copies(ws: Workspace, ids: list[str] | None, quiet: bool) -> list[CopyLink]:
    """Find copies and rewrites with a progress bar; a missing model is reported, not raised."""
    from storylens.analyze.nlp import ModelMissing

    ids = ids if ids is not None else [a.id for a in ws.articles()]  # the workspace reads them once
    with progress_bar("copies", quiet) as progress:
        task = progress.add_task("", total=len(ids))
        try:
            links = ws.detect_copies(ids,
                                     on_done=lambda _: progress.update(task, advance=1))
        except ModelMissing as exc:
            err.print(Text(f"copy detection skipped: {exc}", style="yellow"))
            return []
    if links and not quiet:
        kinds = ", ".join(f"{sum(k.kind == kind for k in links)} {kind.replace('_', '-')}"
                          for kind in ("near_duplicate", "rewrite") if any(k.kind == kind for k in links))
        err.print(f"copies found: {kinds}")
    return links




@app.command()
def analyze(
    ids: Annotated[list[str] | None, typer.Argument(help="Article ids (default: all not yet analysed).",
                                                    show_default=False)] = None,
    redo: Annotated[bool, typer.Option("--redo", help="Analyse again even if up to date.")] = False,
    workers: WorkersOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Analyse stored articles: sentences, entities, quotes, quantities, dates; link entities."""
    with open_workspace(db) as ws:
        done = run_analysis(ws, ids, workers, quiet=as_json, redo=redo)
        run_copies(ws, ids, quiet=as_json)
        run_clustering(ws, ids, quiet=as_json)
    if as_json:
        print_json([{"article_id": a.article_id, "skipped": a.skipped, "sentences": len(a.sentences),
                     "entities": len(a.entities), "quotes": len(a.quotes),
                     "quantities": len(a.quantities)} for a in done])


@app.command()
def entities(
    label: Annotated[str | None, typer.Option(help="Only this label: PERSON, ORG, GPE, ...")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List entities linked across articles, most mentioned first."""
    with open_workspace(db) as ws:
        rows = ws.entities(label=label.upper() if label else None, limit=limit)
    if as_json:
        print_json([e.to_dict() for e in rows])
        return
    table = Table(title=f"{len(rows)} entities", title_justify="left")
    for column in ("name", "label", "articles", "mentions", "aliases", "roles"):
        numeric = column in ("articles", "mentions")
        table.add_column(column, overflow="fold", justify="right" if numeric else "left")
    for e in rows:
        table.add_row(Text(e.name), e.label, str(e.articles), str(e.mentions),
                      Text(", ".join(a for a in e.aliases if a != e.name)), Text("; ".join(e.roles[:3])))
    out.print(table)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="A name or alias (case-insensitive).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: its aliases, roles, the articles that mention it, and what it said."""
    with open_workspace(db) as ws:
        found = ws.find_entities(name)
        if not found:
            err.print(Text(f"error: no entity named {name!r}; try `storylens entities`", style="red"))
            raise typer.Exit(1)
        best = found[0]
        said = ws.quotes_by(best)
    if as_json:
        print_json({**best.to_dict(), "quotes": [
            {"article_id": a.id, "outlet": a.outlet, "text": q.text, "kind": q.kind, "cue": q.cue,
             "start": q.start, "end": q.end} for a, q in said],
            "other_matches": [e.name for e in found[1:]]})
        return
    out.print(Text(f"{best.name}  ({best.label}; {best.articles} articles, {best.mentions} mentions)",
                   style="bold"))
    if len(best.aliases) > 1:
        out.print(Text("aliases: " + ", ".join(best.aliases)))
    for role in best.roles:
        out.print(Text(f"role: {role}"))
    for article, quote in said:
        out.print(Text(f"\n[{article.outlet or article.id[:8]}] ({quote.kind}, {quote.cue or 'no cue'})",
                       style="dim"))
        # Only direct and partial quotes are the speaker's words; indirect speech is a paraphrase.
        out.print(Text(quote.text if quote.kind == "indirect" else f"“{quote.text}”"))
    if len(found) > 1:
        out.print(Text("\nalso matching: " + ", ".join(e.name for e in found[1:6]), style="dim"))


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    """An analysis as JSON-ready data (sentences as spans, the rest in full)."""
    data = asdict(analysis)
    data["sentences"] = [[s.start, s.end, s.paragraph] for s in analysis.sentences]
    del data["mentions"]
    return data


def print_analysis(analysis: Analysis) -> None:
    """Print an article's entities, quotes, quantities and dates as tables."""
    if analysis.skipped:
        out.print(Text(analysis.skipped, style="yellow"))
        return
    people = Table(title="entities", title_justify="left")
    for column in ("name", "label", "mentions", "aliases", "roles"):
        people.add_column(column, overflow="fold")
    for e in analysis.entities:
        people.add_row(Text(e.key), e.label, str(e.mentions),
                       Text(", ".join(a for a in e.aliases if a != e.key)), Text("; ".join(e.roles)))
    quotes = Table(title="quotes", title_justify="left")
    for column in ("speaker", "via", "kind", "cue", "quote"):
        quotes.add_column(column, overflow="fold")
    for q in analysis.quotes:
        quotes.add_row(Text(q.speaker_key or q.speaker or "?"), q.speaker_via, q.kind, Text(q.cue or ""),
                       Text(q.text))
    numbers = Table(title="quantities", title_justify="left")
    for column in ("as written", "value", "unit", "measure", "change"):
        numbers.add_column(column, overflow="fold")
    for n in analysis.quantities:
        change = f"{n.change:+g} {n.change_unit or ''}".strip() if n.change is not None else ""
        written = f"{n.qualifier} {n.text}" if n.qualifier else n.text
        numbers.add_row(Text(written), f"{n.value:,.6g}", n.unit, Text(n.measure or ""), change)
    dates = Table(title="dates", title_justify="left")
    dates.add_column("as written")
    dates.add_column("resolved")
    for t in analysis.times:
        dates.add_row(Text(t.text), t.resolved or "")
    for table in (people, quotes, numbers, dates):
        if table.row_count:
            out.print(table)
