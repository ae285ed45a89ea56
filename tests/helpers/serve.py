"""Run ``pipeline serve`` as a real process and wait for things with a deadline (never a fixed sleep)."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable, TypeVar

import pytest

T = TypeVar("T")
DEADLINE = 10.0


def wait_for(condition: Callable[[], T], timeout: float = DEADLINE, what: str = "condition") -> T:
    """Poll ``condition`` until it returns something true, or fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        threading.Event().wait(0.05)  # poll interval, not a wait for the condition


class ServeProcess:
    """``pipeline serve --port 0`` on a project; its output lines are collected as they come."""

    def __init__(self, project: Path):
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--project", str(project), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_line(r"serving the preview of .* at (http://127\.0\.0\.1:\d+/)")
        self.url = re.search(r"(http://127\.0\.0\.1:\d+/)", line).group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_line(self, pattern: str, timeout: float = 30.0) -> str:
        """The first new output line matching ``pattern``."""
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line matching {pattern!r} in: {self.lines}")
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            self.lines.append(line)
            if re.search(pattern, line):
                return line

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def state(self) -> dict:
        return json.loads(self.get("/__pipeline/state")[1])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def sample_server(tmp_path: Path):
    """``pipeline serve`` on the build tests' sample project, stopped after the test."""
    from helpers.build import make_project

    process = ServeProcess(make_project(tmp_path / "site"))
    yield process
    process.stop()
