"""``pipeline serve`` under load: 50 concurrent clients on the shipped site, each request answered quickly.

The server is a real ``pipeline serve`` process on 127.0.0.1; the clients are
threads of this process, each opening a new connection per request (as a
browser's parallel fetches do), all starting at once. A warm-up round comes
first (the first requests pay for the page cache and the threads' start).
Two bounds, both robust to a machine busy with other tests:

* no request of any round takes a second: a short listen backlog made
  clients beyond it wait for the kernel's SYN retries, whole seconds;
* the 99th percentile of the best of five rounds stays under 100 ms, so a
  round slowed by another process does not fail the test, while a server
  that is slow on every round does.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers.projects import SHIPPED_SLUG
from helpers.serve import ServeProcess

CLIENTS = 50
REQUESTS_PER_CLIENT = 4
ROUNDS = 5
P99_LIMIT = 0.100
SLOWEST_LIMIT = 1.0
PATHS = ("/", f"/en/{SHIPPED_SLUG}/", f"/zh-CN/{SHIPPED_SLUG}/", "/style.css", "/__pipeline/state")


def fetch(host: str, port: int, path: str) -> int:
    """GET ``path`` on a new connection and read the whole answer; its status.

    A raw socket rather than http.client: the clients share this process's
    interpreter and the machine's two cores with the server, and parsing each
    answer's headers with the email parser would be load of their own.
    """
    with socket.create_connection((host, port), timeout=20) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def one_round(host: str, port: int) -> tuple[list[float], list[str]]:
    """Every client's requests at once; their latencies in seconds and any failure."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(number: int) -> None:
        start.wait(timeout=30)
        for index in range(REQUESTS_PER_CLIENT):
            path = PATHS[(number + index) % len(PATHS)]
            began = time.perf_counter()
            try:
                status = fetch(host, port, path)
            except OSError as exc:
                status = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures.append(f"{path}: {status}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return latencies, failures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@pytest.mark.slow
def test_fifty_concurrent_clients_are_answered_quickly(shipped_project: Path) -> None:
    server = ServeProcess(shipped_project)
    try:
        address = urlsplit(server.url)
        assert address.hostname == "127.0.0.1"
        one_round(address.hostname, address.port)  # warm-up
        rounds = [one_round(address.hostname, address.port) for _ in range(ROUNDS)]
    finally:
        server.stop()
    summaries = []
    for latencies, failures in rounds:
        assert not failures, failures[:5]
        assert len(latencies) == CLIENTS * REQUESTS_PER_CLIENT
        summaries.append(
            f"p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms"
        )
    shown = f"{CLIENTS} clients x {REQUESTS_PER_CLIENT} requests, per round: " + "; ".join(summaries)
    print(shown)
    assert max(max(latencies) for latencies, _ in rounds) < SLOWEST_LIMIT, shown
    assert min(percentile(latencies, 0.99) for latencies, _ in rounds) < P99_LIMIT, shown
