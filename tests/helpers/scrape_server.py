"""A real HTTP server on 127.0.0.1 for the scrape tests.

Each path answers with a sequence of canned responses (the last one repeats),
so "500 then 200" is two entries. Responses with an ETag or Last-Modified
answer conditional requests with 304, as a real server does. Every request's
path and headers are recorded for the tests to check.
"""

from __future__ import annotations

import threading
from pathlib import Path
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.project import Project


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up early (a size cap, a timeout) is expected here.

    The standard server prints such errors with a traceback on stderr, which
    CliRunner captures into the output of the command under test.
    """

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Wait this long (or until the server stops) before answering.
    delay: float = 0.0
    #: Send no Content-Length: the body ends when the connection closes (tests the streamed cap).
    omit_length: bool = False


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]


def html_reply(body: bytes | str, content_type: str = "text/html; charset=utf-8", **headers: str) -> Reply:
    data = body.encode("utf-8") if isinstance(body, str) else body
    all_headers = {"Content-Type": content_type} if content_type else {}
    all_headers.update({k.replace("_", "-"): v for k, v in headers.items()})
    return Reply(200, data, all_headers)


class ScrapeServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Recorded] = []
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply) -> str:
        """Serve ``replies`` at ``path`` in turn; returns the full URL."""
        with self._lock:
            self.routes[path] = list(replies)
            self._hits[path] = 0
        return self.url(path)

    def requests_to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> "ScrapeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases slow handlers at once
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, path: str) -> Reply | None:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return None
            index = min(self._hits[path], len(replies) - 1)
            self._hits[path] += 1
            return replies[index]


def _make_handler(server: ScrapeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.requests.append(Recorded(path, {k.lower(): v for k, v in self.headers.items()}))
            reply = server._next_reply(path)
            if reply is None:
                reply = Reply(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
            if reply.delay and server.stopping.wait(reply.delay):
                return
            if reply.status == 200 and _not_modified(self.headers, reply.headers):
                reply = Reply(304, b"", {k: v for k, v in reply.headers.items() if k in ("ETag", "Last-Modified")})
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.omit_length:
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            try:
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading on purpose (size cap)
            if reply.omit_length:
                self.close_connection = True

    return Handler


def _not_modified(request_headers, reply_headers: dict[str, str]) -> bool:
    etag = reply_headers.get("ETag")
    if etag and request_headers.get("If-None-Match") == etag:
        return True
    modified = reply_headers.get("Last-Modified")
    return bool(modified and not etag and request_headers.get("If-Modified-Since") == modified)


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 for one test."""
    srv = ScrapeServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project to scrape into."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    return Project.load(root)
