"""`storylens serve`: the web UI and JSON API over a store."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.text import Text

from storylens.cli.app import DbOption, app, err
from storylens.config import default_db_path


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Allow ingest and deletion over HTTP to requests bearing this token "
             "[default: $STORYLENS_TOKEN; none: read-only]", show_default=False)] = None,
) -> None:
    """Serve the stories, briefings, articles, entities and search in a browser (and as JSON)."""
    try:
        import uvicorn

        from storylens.web.app import create_app
    except ImportError as exc:
        err.print(Text(f"error: the web UI needs its extra: pip install 'storylens[web]' ({exc.name} "
                       f"is missing)", style="red"))
        raise typer.Exit(2) from exc
    path = db or default_db_path()
    token = token or os.environ.get("STORYLENS_TOKEN") or None
    err.print(f"storylens on http://{host}:{port}/ — store {path}; "
              f"{'ingest and deletion allowed with the token' if token else 'read-only'}")
    uvicorn.run(create_app(path, token), host=host, port=port, log_level="warning")
