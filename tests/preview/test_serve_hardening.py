"""The preview server answers only requests made for it, on odd paths without a traceback.

Requests go through raw sockets to a real ``pipeline serve`` on 127.0.0.1, so
that the bytes the server sees are exactly the ones written here (a client
library would fix the Host header or refuse a NUL).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers.build import SLUG
from pipeline.preview.server import CONNECTION_TIMEOUT
from helpers.serve import ServeProcess, sample_server as server  # noqa: F401 (fixture)


def port_of(server: ServeProcess) -> int:
    return urlsplit(server.url).port


def raw_request(port: int, request: bytes) -> tuple[int, bytes]:
    """Send ``request`` as it is; the status code and the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), answer


def get(port: int, path: bytes, host: bytes | None = None) -> tuple[int, bytes]:
    host_line = b"" if host is None else b"Host: " + host + b"\r\n"
    return raw_request(port, b"GET " + path + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n")


def output_until_stopped(server: ServeProcess) -> str:
    """Everything the server printed, once it has stopped."""
    server.process.terminate()
    server.wait_line(r"^stopped$")
    return "\n".join(server.lines)


def test_only_the_loopback_host_names_are_answered(server: ServeProcess) -> None:
    port = port_of(server)
    page = f"/en/{SLUG}/".encode()
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
        assert get(port, page, host.encode())[0] == 200, host
    refused = ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1", "localhost",
               f"127.0.0.1:{port + 1}", "")
    for host in refused:
        status, answer = get(port, page, host.encode())
        assert status == 421, host
        assert b"<article" not in answer  # nothing of the page leaks
    assert get(port, page, None)[0] == 200  # no Host at all: not a browser, so not a rebinding page
    head = raw_request(port, b"HEAD " + page + b" HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert head[0] == 421
    # the preview's own endpoints are guarded too: its state names the catalogs' errors
    assert get(port, b"/__pipeline/state", b"evil.example")[0] == 421
    assert get(port, b"/__status", b"evil.example")[0] == 421


ODD_PATHS = [
    b"/%00",
    b"/en/%00/index.html",
    b"/..%2f..%2f..%2f..%2fetc/passwd",
    b"/../../../../etc/passwd",
    b"/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"//etc/passwd",
    b"/%zz",
    b"/%",
    b"/%ff%fe",
    b"/%ed%a0%80",  # an encoded lone surrogate
    b"/%0d%0aSet-Cookie:%20x=1",
    b"/" + b"a" * 5000,
    b"/" + b"a/" * 3000,
    b"http://evil.example/",
    b"*",
]


def test_odd_paths_are_400_or_404_and_never_a_traceback(server: ServeProcess) -> None:
    port = port_of(server)
    host = f"127.0.0.1:{port}".encode()
    for path in ODD_PATHS:
        status, answer = get(port, path, host)
        assert status in (400, 404), (path, status)
        assert b"root:" not in answer and b"Set-Cookie" not in answer.split(b"\r\n\r\n", 1)[0]
    status, _ = get(port, b"/" + b"a" * 70_000, host)  # longer than http.server takes
    assert status == 414
    assert get(port, f"/en/{SLUG}/".encode(), host)[0] == 200  # still serving
    assert "Traceback" not in output_until_stopped(server)


def test_a_link_out_of_the_preview_folder_is_not_followed(server: ServeProcess, tmp_path: Path) -> None:
    folder = Path(_preview_folder(server))
    secret = tmp_path / "secret.txt"
    secret.write_text("drafts of someone else\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    port = port_of(server)
    status, answer = get(port, b"/leak.txt", f"127.0.0.1:{port}".encode())
    assert status == 404
    assert b"someone else" not in answer


def _preview_folder(server: ServeProcess) -> str:
    line = next(line for line in server.lines if line.startswith("serving the preview"))
    return line.rsplit("(folder ", 1)[1].rstrip(")")


@pytest.mark.slow
@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"], ids=["silent", "unfinished"])
def test_an_idle_connection_is_closed(server: ServeProcess, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=CONNECTION_TIMEOUT + 10) as connection:
        connection.sendall(sent)
        began = time.monotonic()
        while connection.recv(65536):
            pass  # an answer to the unfinished request is fine; the close is what counts
        waited = time.monotonic() - began
    assert CONNECTION_TIMEOUT - 0.5 <= waited <= CONNECTION_TIMEOUT + 5
