"""The `storylens` command line: one module per group of commands, all on one Typer app."""

from storylens.cli import analysis, articles, ingest  # noqa: F401 - importing registers the commands
from storylens.cli.app import app

__all__ = ["app"]
