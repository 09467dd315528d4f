"""Fetching URLs with httpx: time-outs, retries with backoff, a clear user agent, redirects.

`Fetcher(options).fetch(url)` returns a Payload whose `source` is the URL asked for and whose `url`
is the final URL after redirects, or raises IngestError(url, message) saying what happened:
"HTTP 404 Not Found", "timed out after 20 s (3 attempts)", "cannot reach the host (...)",
"too large: ...". Only failures that may go away are retried (time-outs, connection errors,
HTTP 408, 429 and 5xx), with exponential backoff; a Retry-After header is honoured when short.
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime

import httpx

from storylens.config import IngestOptions
from storylens.errors import IngestError
from storylens.ingest.registry import Payload

# What a news fetcher wants, best first; servers that negotiate get HTML or a feed.
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8")
# Worth another try: the server may recover. Anything else in 4xx is final, and so are
# 501 Not Implemented and 505 HTTP Version Not Supported.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})
# Longest Retry-After we wait for; a server asking for more gets a failure that says so.
MAX_RETRY_AFTER = 30.0
MAX_REDIRECTS = 10


class _Failure(Exception):
    """One failed attempt: the message to report if it is the last, and whether to retry."""

    def __init__(self, message: str, *, retry: bool, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.wait = wait  # a server-requested delay (Retry-After), in seconds


class Fetcher:
    """A reusable HTTP client that returns payloads or raises IngestError naming the URL."""

    def __init__(self, options: IngestOptions) -> None:
        self.options = options
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        """The underlying httpx client, created on first use."""
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(self.options.timeout),
                headers={"User-Agent": self.options.user_agent, "Accept": ACCEPT},
            )
        return self._client

    def fetch(self, url: str) -> Payload:
        """GET a URL and return its body, retrying transient failures with backoff."""
        attempts = max(1, self.options.retries + 1)
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(url)
            except _Failure as failure:
                if not failure.retry or attempt == attempts:
                    suffix = f" ({attempts} attempts)" if failure.retry and attempts > 1 else ""
                    raise IngestError(url, f"{failure.message}{suffix}") from None
                if failure.wait is not None and failure.wait > MAX_RETRY_AFTER:
                    raise IngestError(url, f"{failure.message} (the server asks to wait "
                                           f"{failure.wait:g} s before retrying)") from None
                backoff = self.options.backoff * 2 ** (attempt - 1)
                time.sleep(max(backoff, failure.wait or 0.0))
        raise AssertionError("unreachable")

    def _attempt(self, url: str) -> Payload:
        """One GET, within the time-out as a whole; raises _Failure on any problem."""
        timeout = self.options.timeout
        deadline = time.monotonic() + timeout
        try:
            with self.client.stream("GET", url) as response:
                status = response.status_code
                if status >= 400:
                    phrase = response.reason_phrase or httpx.codes.get_reason_phrase(status)
                    raise _Failure(f"HTTP {status} {phrase}".rstrip(),
                                   retry=status in RETRY_STATUS,
                                   wait=_retry_after(response.headers.get("retry-after")))
                body = self._read_body(response, deadline)
                return Payload(
                    source=url,
                    data=body,
                    url=str(response.url),
                    content_type=response.headers.get("content-type"),
                    charset=response.charset_encoding,
                )
        except httpx.TimeoutException:
            raise _Failure(f"timed out after {timeout:g} s", retry=True) from None
        except httpx.TooManyRedirects:
            raise _Failure(f"too many redirects (more than {MAX_REDIRECTS})", retry=False) from None
        except httpx.UnsupportedProtocol as exc:
            raise _Failure(f"not a web address httpx can fetch ({_reason(exc)})",
                           retry=False) from None
        except httpx.ConnectError as exc:
            raise _Failure(f"cannot reach the host ({_reason(exc)})", retry=True) from None
        except httpx.DecodingError as exc:
            raise _Failure(f"the response body is corrupt ({_reason(exc)})", retry=False) from None
        except httpx.TransportError as exc:
            # Read/write errors, a connection dropped mid-response, a malformed response.
            raise _Failure(f"the connection failed ({_reason(exc)})", retry=True) from None
        except httpx.InvalidURL as exc:
            raise _Failure(f"not a valid URL ({_reason(exc)})", retry=False) from None

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failure(f"too large: {int(declared):,} bytes, the limit is {limit:,} "
                           "(set --max-bytes)", retry=False)
        body = bytearray()
        for chunk in response.iter_bytes():  # decompressed: the limit applies to what we keep
            body.extend(chunk)
            if len(body) > limit:
                raise _Failure(f"too large: over the limit of {limit:,} bytes (set --max-bytes)",
                               retry=False)
            if time.monotonic() > deadline:  # a server dripping bytes must not hold us forever
                raise httpx.ReadTimeout("the body took too long", request=response.request)
        return bytes(body)

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
