"""The `storylens` command line: one module per group of commands, all on one Typer app."""

from storylens.cli import analysis, articles, brief, ingest, serve, stories  # noqa: F401 - importing registers commands
from storylens.cli.app import app

__all__ = ["app"]
