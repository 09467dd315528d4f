"""Ingestion: expand inputs into jobs, read each with its reader, store each article on its own."""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from storylens.config import IngestOptions
from storylens.errors import IngestError
from storylens.ingest.build import build_article
from storylens.ingest.detect import GZIP_MAGIC, format_of, is_web_kind, strip_gz
from storylens.ingest.outlets import load_table
from storylens.ingest.registry import Payload, get_reader
from storylens.ingest.web import Fetcher
from storylens.models import Article, Draft, IngestReport, Outcome, Problem
from storylens.store.base import Store


@dataclass(frozen=True)
class Job:
    """One top-level input: a file, a URL, a feed URL or standard input."""

    kind: str  # "file" | "url" | "feed" | "stdin"
    target: str


def is_url(text: str) -> bool:
    """True for http(s) URLs."""
    return urlsplit(text).scheme in ("http", "https")


def plan(inputs: Iterable[str], feeds: Iterable[str] = ()) -> tuple[list[Job], list[Problem]]:
    """Expand inputs (files, folders, URLs, '-') into jobs; missing paths become problems."""
    jobs: list[Job] = []
    problems: list[Problem] = []
    for item in inputs:
        if item == "-":
            jobs.append(Job("stdin", "-"))
        elif is_url(item):
            jobs.append(Job("url", item))
        else:
            path = Path(item).expanduser()
            if path.is_dir():
                jobs.extend(Job("file", str(p)) for p in _walk(path))
            elif path.is_file():
                jobs.append(Job("file", str(path)))
            elif path.exists():
                problems.append(Problem(item, "not a regular file or folder"))
            else:
                problems.append(Problem(item, "no such file or folder"))
    jobs.extend(Job("feed", url) for url in feeds)
    return jobs, problems


def _walk(folder: Path) -> Iterator[Path]:
    # Sorted for a reproducible order; hidden files and folders (.git, .DS_Store) are skipped.
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


class Ingestor:
    """Reads jobs into articles and stores them; also the Context that readers call back into."""

    def __init__(self, store: Store, options: IngestOptions, fetcher: Fetcher | None = None) -> None:
        self.store = store
        self.options = options
        self.outlets = load_table(options.outlets_file)
        self.fetcher = fetcher or Fetcher(options)

    # -- Context for readers -------------------------------------------------------------
    def fetch(self, url: str) -> Payload:
        """Fetch a URL (see Fetcher.fetch)."""
        return self.fetcher.fetch(url)

    def read(self, payload: Payload, format: str | None = None) -> Iterator[Draft | Problem]:
        """Read a payload with the reader for its format; reader errors become problems."""
        fmt = format or format_of(payload)
        try:
            yield from get_reader(fmt)(payload, self)
        except IngestError as exc:
            yield Problem(exc.source, exc.message)

    def read_url(self, url: str, format: str | None = None) -> Iterator[Draft | Problem]:
        """Fetch a URL and read it; only HTML pages and feeds are accepted unless `format` says."""
        try:
            payload = self.fetch(url)
        except IngestError as exc:
            yield Problem(exc.source, exc.message)
            return
        fmt = format or format_of(payload, urlsplit(url).path)
        if format is None and not is_web_kind(fmt, payload.content_type):
            kind = (payload.content_type or "unknown").split(";")[0]
            yield Problem(url, f"not an HTML page or a feed (content type: {kind}); refused")
            return
        yield from self.read(payload, fmt)

    # -- Running jobs ----------------------------------------------------------------------
    def items(self, job: Job, stdin: bytes | None = None) -> Iterator[Draft | Problem]:
        """The drafts and problems one job produces."""
        fmt = self.options.format
        if job.kind == "url":
            yield from self.read_url(job.target, "feed" if self.options.feed else fmt)
        elif job.kind == "feed":
            yield from self.read_url(job.target, "feed")
        elif job.kind == "stdin":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            yield from self._read_bytes(Payload("<stdin>", data), fmt)
        else:
            try:
                payload = self._load_file(Path(job.target))
            except IngestError as exc:
                yield Problem(exc.source, exc.message)
                return
            yield from self._read_bytes(payload, fmt, strip_gz(job.target))

    def _read_bytes(self, payload: Payload, fmt: str | None, name: str | None = None):
        fmt = fmt or format_of(payload, name)
        if fmt != "warc" and payload.data.startswith(GZIP_MAGIC):
            try:
                payload = Payload(payload.source, _gunzip(payload.data, self.options.max_bytes,
                                                          payload.source))
            except IngestError as exc:
                yield Problem(exc.source, exc.message)
                return
        yield from self.read(payload, fmt)

    def _load_file(self, path: Path) -> Payload:
        source = str(path)
        try:
            size = path.stat().st_size
            if size > self.options.max_bytes:
                raise IngestError(source, f"too large: {size:,} bytes, the limit is "
                                          f"{self.options.max_bytes:,} (set --max-bytes)")
            return Payload(source, path.read_bytes())
        except OSError as exc:
            raise IngestError(source, f"cannot read the file ({exc.strerror})") from exc

    def run(
        self,
        jobs: list[Job],
        *,
        report: IngestReport | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_job_done: Callable[[Job], None] | None = None,
        stdin: bytes | None = None,
    ) -> IngestReport:
        """Ingest every job, each article in its own transaction; failures are recorded, not raised."""
        report = report if report is not None else IngestReport()
        for job, items in self._prepared(jobs, stdin):
            for item in items:
                outcome = self._store(item)
                report.outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
            if on_job_done:
                on_job_done(job)
        return report

    def prepare(self, job: Job, stdin: bytes | None = None) -> Iterator[Article | Problem]:
        """Read one job and build its articles, without storing them."""
        for item in self._guarded(job, stdin):
            if isinstance(item, Problem):
                yield item
                continue
            try:
                yield build_article(item, self.outlets, self.options.outlet)
            except IngestError as exc:
                yield Problem(exc.source, exc.message)

    def _prepared(self, jobs: list[Job], stdin: bytes | None):
        # Reading and extraction (trafilatura) dominate ingestion: local files are read in
        # worker processes, in order; storing stays in this process, one transaction each.
        files = sum(job.kind == "file" for job in jobs)
        workers = min(self.options.workers, files // 8)
        if workers <= 1:
            for job in jobs:
                yield job, self.prepare(job, stdin)
            return
        window: deque[tuple[Job, Future[list[Article | Problem]] | None]] = deque()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for job in jobs:
                pending = pool.submit(_prepare_file, self.options, job) if job.kind == "file" else None
                window.append((job, pending))
                while window and (len(window) > 4 * workers or window[0][1] is None):
                    yield self._next(window, stdin)
            while window:
                yield self._next(window, stdin)

    def _next(self, window: deque, stdin: bytes | None) -> tuple[Job, Iterable[Article | Problem]]:
        job, pending = window.popleft()
        return job, (pending.result() if pending is not None else self.prepare(job, stdin))

    def _guarded(self, job: Job, stdin: bytes | None) -> Iterator[Draft | Problem]:
        # A bug or a library crash on one input must not stop the batch.
        try:
            yield from self.items(job, stdin)
        except Exception as exc:  # noqa: BLE001 - reported to the user with the input's name
            yield Problem(job.target, f"could not be read: {type(exc).__name__}: {exc}")

    def _store(self, article: Article | Problem) -> Outcome:
        if isinstance(article, Problem):
            return Outcome(article.source, "skipped" if article.skip else "failed", message=article.message)
        result = self.store.add_article(article)
        message = None
        if result.appearance:
            message = (f"same text as stored article {result.article_id}: kept as a further "
                       f"appearance ({article.outlet or article.url or 'unknown outlet'})")
        elif result.status == "duplicate":
            message = "already stored; nothing changed"
        elif result.status == "new_version":
            message = f"new version of {result.previous_id} (same URL, changed text)"
        return Outcome(article.source, result.status, result.article_id, article.title, message)

    def close(self) -> None:
        """Release the HTTP client."""
        self.fetcher.close()


def _prepare_file(options: IngestOptions, job: Job) -> list[Article | Problem]:
    """Worker-process entry: read and build one file job."""
    return list(Ingestor(None, options).prepare(job))  # type: ignore[arg-type] - no store needed


def _gunzip(data: bytes, limit: int, source: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError(source, f"corrupt gzip data ({exc})") from exc
    if len(out) > limit:
        raise IngestError(source, f"too large once decompressed: over {limit:,} bytes "
                                  "(set --max-bytes)")
    return out
