"""The Typer app, the consoles and the options every command shares."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from storylens import __version__
from storylens.config import default_db_path
from storylens.errors import StorylensError
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
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", "-w", help="Analysis processes. [default: the number of cores]", show_default=False)]


def open_workspace(db: Path | None) -> Workspace:
    try:
        return Workspace.open(db or default_db_path())
    except StorylensError as exc:
        err.print(Text(f"error: {exc}", style="red"))
        raise typer.Exit(2) from exc


def progress_bar(label: str, quiet: bool = False, detail: bool = False) -> Progress:
    """A Rich progress bar on stderr, hidden for --json and when stderr is not a terminal."""
    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if detail:
        columns.append(TextColumn("{task.description}"))
    return Progress(*columns, console=err, transient=True, disable=quiet or not err.is_terminal)


def print_json(data: Any) -> None:
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


