"""Every process a command starts ends with it, and the project lock dies with its holder.

A real ``pipeline build --jobs 2`` (and ``--jobs auto``, the default, on a
site big enough for it to start its pool) runs in its own process group (a new
session), is SIGKILLed at a random moment after its worker pool has started,
and then no process of its group may be left alive, and ``pipeline build
--no-wait`` must run at once (it fails when anything still holds the lock).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from pipeline.build.pool import available_cpus
from helpers.robustness import make_big_project, run_pipeline

ARTICLES = 16
LOCALES = ("fr", "de")
KILLS = 4
SEED = int(os.environ.get("PROCESS_TEST_SEED", "20261201"))


def alive_in_group(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes of process group ``pgid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue  # ended while we looked
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


def poll(condition: Callable[[], object], timeout: float) -> object:
    """``condition()`` as soon as it is true, or its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.01)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_big_project(tmp_path_factory.mktemp("processes") / "site", ARTICLES, LOCALES)


def start_build(root: Path, jobs: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--jobs", jobs, "--project", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: what it starts is found by the group id
    )


def wait_for_pool(build: subprocess.Popen) -> bool:
    """Whether the build's workers started (False: it ended first)."""
    started = poll(lambda: [p for p in alive_in_group(build.pid) if p != build.pid] or build.poll() is not None, 60)
    return started is not True


def pool_duration(root: Path, jobs: str) -> float:
    """How long a whole build runs once its pool has started: the span the kills are drawn from."""
    shutil.rmtree(root / "output", ignore_errors=True)
    build = start_build(root, jobs)
    assert wait_for_pool(build), "the build ended before starting its pool"
    started = time.monotonic()
    assert build.wait(timeout=120) == 0
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["2", "auto"])
def test_a_killed_parallel_build_leaves_no_process_and_no_lock(project: Path, jobs: str) -> None:
    if jobs == "auto" and available_cpus() < 2:
        pytest.skip("--jobs auto starts no pool on one CPU")
    rng = random.Random(SEED)
    span = pool_duration(project, jobs)
    killed_with_workers = 0
    for attempt in range(KILLS):
        shutil.rmtree(project / "output", ignore_errors=True)  # a full build each time
        build = start_build(project, jobs)
        try:
            had_workers = wait_for_pool(build)
            time.sleep(rng.uniform(0, 0.8 * span))  # the random moment of the kill, not a wait for something
            os.kill(build.pid, signal.SIGKILL)
            build.wait(timeout=30)
            killed_with_workers += had_workers and build.returncode == -signal.SIGKILL
            gone = poll(lambda: not alive_in_group(build.pid), 10)
            assert gone, f"kill {attempt}: processes left alive: {alive_in_group(build.pid)}"
        finally:
            for pid in alive_in_group(build.pid):  # the test's own leftovers only, should it fail
                os.kill(pid, signal.SIGKILL)
        started = time.monotonic()
        after = run_pipeline("build", "--no-wait", "--project", str(project))
        assert after.returncode == 0, f"kill {attempt}: {after.stderr}"
        assert time.monotonic() - started < 60
    assert killed_with_workers >= KILLS - 1, "the builds ended before the kills: too few kills hit the pool"
