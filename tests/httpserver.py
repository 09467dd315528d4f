"""A local HTTP server for tests: routes defined per test, on 127.0.0.1, in a background thread.

    with LocalServer() as server:
        server.route("/a.html", "<html>...</html>")                      # 200 text/html
        server.route("/gone", status=404)
        server.route("/flaky", [Reply(status=500), Reply(body="ok")])   # one reply per hit
        server.route("/slow", "late", delay=2.0)                         # sleeps before answering
        server.redirect("/old", "/a.html")
        fetch(server.url("/flaky"))
        assert server.hits["/flaky"] == 2
        assert server.requests[0].headers["User-Agent"].startswith("storylens/")

Unknown paths answer 404. Replies can also drip their body slowly (`drip`) or leave out the
Content-Length header (`send_length=False`: the body then ends when the connection closes).
`closed_port()` gives a port on 127.0.0.1 that nobody listens on, for "cannot reach the host".
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """One response: status, body, content type and extra headers, and how to send it."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything
    drip: float = 0.0  # seconds to wait between chunks of the body
    chunk: int = 64  # chunk size when dripping
    send_length: bool = True  # send Content-Length (else the body ends with the connection)

    @property
    def data(self) -> bytes:
        """The body as bytes (str bodies are sent as UTF-8)."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Request:
    """What the server received."""

    method: str
    path: str
    headers: dict[str, str]


Handler = Callable[[Request, int], Reply]  # (request, hit number from 1) -> reply


class LocalServer:
    """An HTTP/1.1 server on 127.0.0.1 with an ephemeral port, serving routes set by the test."""

    def __init__(self) -> None:
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port (requests still sleeping are abandoned)."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- routes ------------------------------------------------------------------------------
    def url(self, path: str = "/") -> str:
        """The absolute URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str | Reply | Sequence[Reply] | Handler = b"",
        **reply: Any,
    ) -> None:
        """Serve `path`: a body (with Reply fields as keywords), a Reply, a list of Replies
        (one per hit, the last one repeating), or a function (request, hit) -> Reply."""
        if callable(body):
            handler = body
        elif isinstance(body, Reply):
            handler = _constant(body)
        elif isinstance(body, (bytes, str)):
            handler = _constant(Reply(body=body, **reply))
        else:
            replies = list(body)
            if not replies:
                raise ValueError("an empty list of replies")
            handler = _sequence(replies)
        with self._lock:
            self._routes[path] = handler

    def redirect(self, path: str, target: str, status: int = 302) -> None:
        """Redirect `path` to `target` (a path on this server or an absolute URL)."""
        self.route(path, Reply(status=status, content_type=None, headers={"Location": target}))

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.hits[request.path] += 1
            self.requests.append(request)
            hit = self.hits[request.path]
            handler = self._routes.get(request.path)
        if handler is None:
            return Reply(status=404, body="not found", content_type="text/plain")
        return handler(request, hit)


def _constant(reply: Reply) -> Handler:
    return lambda request, hit: reply


def _sequence(replies: list[Reply]) -> Handler:
    return lambda request, hit: replies[min(hit, len(replies)) - 1]


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            self._serve(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(send_body=False)

        def _serve(self, *, send_body: bool) -> None:
            path = self.path.split("?", 1)[0]
            request = Request(self.command, path, dict(self.headers.items()))
            reply = server._answer(request)
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.data
            try:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.send_length:
                    self.send_header("Content-Length", str(len(data)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if not send_body:
                    return
                if not reply.drip:
                    self.wfile.write(data)
                    return
                for start in range(0, len(data), reply.chunk):
                    self.wfile.write(data[start:start + reply.chunk])
                    self.wfile.flush()
                    time.sleep(reply.drip)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a time-out test)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output quiet

    return _Handler


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(title: str | None, paragraphs: Sequence[str], *, site_name: str | None = None,
         published: str | None = None, author: str | None = None) -> str:
    """A realistic news page: head metadata, navigation, an <article> body and a footer."""
    head = [f"<title>{title}</title>" if title else ""]
    if title:
        head.append(f'<meta property="og:title" content="{title}">')
    if site_name:
        head.append(f'<meta property="og:site_name" content="{site_name}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    heading = f"<h1>{title}</h1>" if title else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "".join(head)
        + "</head><body>"
        + "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
        + f"<article>{heading}\n{body}</article>"
        + "<footer>Contact us. Privacy policy.</footer></body></html>"
    )
