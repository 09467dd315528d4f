"""The web application: server-rendered pages and a JSON API over one store, read-only by default."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storylens.errors import ArticleNotFound, StorylensError
from storylens.web.views import BriefingCache, NotFound
from storylens.workspace import Workspace

HERE = Path(__file__).parent
# Article text is untrusted: no inline script may run, nothing loads from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Settings:
    """How the app was started: the store, the token that allows writes, and upload limits."""

    db: Path
    token: str | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    max_files: int = 50
    max_urls: int = 50


def create_app(db: str | Path, token: str | None = None, **limits: int) -> FastAPI:
    """A FastAPI app over the store at `db`; `token` enables ingest and deletion over HTTP."""
    from storylens.web import api, pages

    settings = Settings(Path(db), token or None, **limits)
    with Workspace.open(settings.db):  # create or migrate the store once, before any request
        pass
    app = FastAPI(title="storylens", version=_version(), docs_url=None, redoc_url=None,
                  description="Stories, briefings, articles, entities and search over a storylens store. "
                              "Every HTML page has a JSON twin under /api.")
    app.state.settings = settings
    app.state.briefings = BriefingCache()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(NotFound)
    @app.exception_handler(ArticleNotFound)
    async def not_found(request: Request, exc: StorylensError):
        return _error(request, 404, str(exc))

    @app.exception_handler(StorylensError)
    async def refused(request: Request, exc: StorylensError):
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        return _error(request, 500, f"internal error: {type(exc).__name__}")

    return app


def _error(request: Request, status: int, message: str, headers: dict | None = None):
    """JSON for the API, an error page for people."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status,
                            headers=headers)
    from storylens.web.pages import render

    return render(request, "error.html", {"status": status, "message": message}, status=status)


def workspace(request: Request) -> Iterator[Workspace]:
    """A workspace for one request (SQLite connections are not shared across threads)."""
    with Workspace.open(request.app.state.settings.db) as ws:
        yield ws


def require_token(request: Request) -> None:
    """Refuse writes unless the server was started with a token and the request carries it."""
    token = request.app.state.settings.token
    if token is None:
        raise HTTPException(403, "this server is read-only: start it with --token to allow changes")
    sent = request.headers.get("authorization", "")
    if sent != f"Bearer {token}":
        raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer TOKEN'",
                            headers={"WWW-Authenticate": "Bearer"})


def _version() -> str:
    from storylens import __version__

    return __version__
