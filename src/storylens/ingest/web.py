"""Fetching URLs with httpx: time-outs, retries with backoff, a clear user agent, redirects."""

from __future__ import annotations

import time

import httpx

from storylens.config import IngestOptions
from storylens.errors import IngestError
from storylens.ingest.registry import Payload

# Worth another try: the server may recover. Anything else in 4xx is final.
_RETRY_STATUS = {429, 500, 502, 503, 504}


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
                timeout=httpx.Timeout(self.options.timeout),
                headers={"User-Agent": self.options.user_agent},
            )
        return self._client

    def fetch(self, url: str) -> Payload:
        """GET a URL and return its body, retrying transient failures with backoff."""
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._get(url)
            except httpx.TimeoutException as exc:
                if last:
                    raise IngestError(url, f"timed out after {self.options.timeout:g} s "
                                           f"({attempts} attempts)") from exc
            except httpx.TransportError as exc:
                if last:
                    raise IngestError(url, f"cannot reach the host ({_reason(exc)})") from exc
            else:
                if response.status_code < 400:
                    return Payload(
                        source=url,
                        data=response.content,
                        url=str(response.url),
                        content_type=response.headers.get("content-type"),
                        charset=response.charset_encoding,
                    )
                if response.status_code not in _RETRY_STATUS or last:
                    raise IngestError(url, f"HTTP {response.status_code} "
                                           f"{response.reason_phrase}".rstrip())
            time.sleep(self.options.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _get(self, url: str) -> httpx.Response:
        limit = self.options.max_bytes
        with self.client.stream("GET", url) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise IngestError(url, f"too large: {int(declared):,} bytes, the limit is "
                                       f"{limit:,} (set --max-bytes)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise IngestError(url, f"too large: over the limit of {limit:,} bytes "
                                           "(set --max-bytes)")
            response._content = bytes(body)  # so .content works after streaming
            return response

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
