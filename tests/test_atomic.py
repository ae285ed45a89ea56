"""Atomic writes, the audit that every write goes through them, and the project lock.

The lock tests hold the lock in a real second process (a small Python
program that takes ``project_lock`` and keeps it until its standard input
closes) and run the commands as subprocesses, as two users would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.projects import REPO_ROOT
from pipeline.errors import LockedError
from pipeline.formats.po import read_catalog
from pipeline.fsutil import atomic_write_bytes, atomic_write_text, project_lock, write_if_changed
from helpers.robustness import make_big_project, popen_pipeline, run_pipeline, write_article

# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------


def test_atomic_write_replaces_keeps_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "page.html"
    atomic_write_text(target, "<p>one</p>\n")
    assert target.read_text(encoding="utf-8") == "<p>one</p>\n"
    assert target.stat().st_mode & 0o777 == 0o644
    os.chmod(target, 0o600)
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o600  # a user's permissions survive a rewrite
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "catalog.po"
    target.write_bytes(b"old content")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]  (fails after the temp file exists)
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.po"]


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "a.pot"
    assert write_if_changed(target, b"x") is True
    os.utime(target, (1_000_000, 1_000_000))
    assert write_if_changed(target, b"x") is False
    assert target.stat().st_mtime == 1_000_000
    assert write_if_changed(target, b"y") is True
    assert target.read_bytes() == b"y"


def test_the_kill_hook_stops_the_process_right_after_the_nth_write(tmp_path: Path) -> None:
    program = (
        "import sys; from pathlib import Path; from pipeline import crashpoints\n"
        "from pipeline.fsutil import atomic_write_text\n"
        "crashpoints.arm_from_environment()\n"
        "for n in range(5): atomic_write_text(Path(sys.argv[1]) / f'{n}.txt', str(n))\n"
    )
    env = {**os.environ, "PIPELINE_CRASH_AT": "write:3"}
    done = subprocess.run([sys.executable, "-c", program, str(tmp_path)], env=env)
    assert done.returncode == -9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt"]


def test_a_crash_point_kills_at_its_own_kind_only_and_a_wrong_setting_arms_nothing(tmp_path: Path) -> None:
    program = (
        "import sys; from pathlib import Path; from pipeline import crashpoints\n"
        "from pipeline.fsutil import atomic_write_text\n"
        "crashpoints.arm_from_environment()\n"
        "for n in range(3): atomic_write_text(Path(sys.argv[1]) / f'{n}.txt', str(n))\n"
        "crashpoints.reached('publish-step')\n"
        "atomic_write_text(Path(sys.argv[1]) / 'after.txt', 'after')\n"
    )
    for setting, code, written in (("publish-step:1", -9, 3), ("write:0", 0, 4), ("write", 0, 4), ("kill:1", 0, 4)):
        folder = tmp_path / setting.replace(":", "-")
        folder.mkdir()
        done = subprocess.run([sys.executable, "-c", program, str(folder)], env={**os.environ, "PIPELINE_CRASH_AT": setting})
        assert (done.returncode, len(list(folder.iterdir()))) == (code, written), setting


#: Writes that do not go through pipeline.fsutil, each with why that is right.
ALLOWED_RAW_WRITES = {
    ("pipeline/build/coverage.py", "shutil.copy2"): "copies the project into a temporary folder for check --coverage",
    ("pipeline/build/coverage.py", "shutil.copytree"): "same temporary copy",
    ("pipeline/publishing/publish.py", "shutil.copytree"): "hard links into the staging folder, which is swapped in whole",
    ("pipeline/build/distributed.py", ".write_bytes"): "an article's inputs in a Dask worker's own scratch folder, rewritten by each task",
    ("pipeline/build/distributed.py", 'open(page, "wb"'): "placeholders of a page's recorded size in that scratch folder, never a user's file",
}
RAW_WRITE = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bopen\([^)]*['\"][wax]b?\+?['\"]|os\.open\([^)]*O_(?:WRONLY|RDWR)"
    r"|shutil\.(?:copy2?|copyfile|copytree|move)\b"
)


def test_every_file_the_tool_writes_goes_through_fsutil() -> None:
    """Audit: a new raw write in pipeline/ fails here until it is atomic or explained above."""
    found = set()
    for path in sorted((REPO_ROOT / "pipeline").rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if relative == "pipeline/fsutil.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for match in RAW_WRITE.finditer(line):
                call = match.group(0).rstrip("(")
                if call.startswith("os.open") and ("lock" in line or "O_RDONLY" in line):
                    continue
                found.add((relative, call))
    unexplained = sorted(found - set(ALLOWED_RAW_WRITES))
    assert unexplained == [], f"raw writes outside pipeline.fsutil: {unexplained}"


# ---------------------------------------------------------------------------
# The project lock
# ---------------------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from pipeline.fsutil import project_lock
with project_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


class Holder:
    """Another process holding the project lock until :meth:`release`."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_big_project(tmp_path_factory.mktemp("lock") / "site", articles=3, locales=("fr",))


def test_the_lock_is_taken_once_and_never_nests(tmp_path: Path) -> None:
    """One place takes it: a second take in the same process is a bug, said at once (flock would wait for itself)."""
    with project_lock(tmp_path, wait=False):
        with pytest.raises(RuntimeError, match="already locked by this thread"):
            with project_lock(tmp_path / ".", wait=False):
                pass
    with project_lock(tmp_path, wait=False):  # released: free again
        pass


def test_another_thread_waits_for_the_lock_as_another_process_would(tmp_path: Path) -> None:
    import threading

    outcomes: list[str] = []

    def take(wait: bool) -> None:
        try:
            with project_lock(tmp_path, wait=wait):
                outcomes.append("locked")
        except LockedError:
            outcomes.append("busy")

    with project_lock(tmp_path, wait=False):
        other = threading.Thread(target=take, args=(False,))
        other.start()
        other.join(timeout=30)
        assert outcomes == ["busy"]
        waiting = threading.Thread(target=take, args=(True,))
        waiting.start()
    waiting.join(timeout=30)
    assert outcomes == ["busy", "locked"]


def test_no_wait_and_timeout_stop_with_a_clear_message(project: Path) -> None:
    holder = Holder(project)
    try:
        with pytest.raises(LockedError):
            with project_lock(project, wait=False):
                pass
        done = run_pipeline("update", "--no-wait", "--project", str(project))
        assert done.returncode == 1
        assert "another pipeline command is working on" in done.stderr
        assert "Traceback" not in done.stderr
        started = time.monotonic()
        done = run_pipeline("extract", "--lock-timeout", "0.3", "--project", str(project))
        assert done.returncode == 1
        assert time.monotonic() - started >= 0.3
        assert "waiting for another pipeline command" in done.stderr
        assert "still working" in done.stderr and "0.3 s" in done.stderr
    finally:
        holder.release()


def test_a_second_command_waits_for_the_first_and_then_runs(project: Path) -> None:
    output = project / "output"
    shutil.rmtree(output, ignore_errors=True)
    holder = Holder(project)
    try:
        build = popen_pipeline("build", "--project", str(project))
        first_line = build.stderr.readline()
        assert first_line.startswith("waiting for another pipeline command"), first_line
        assert build.poll() is None
        assert not output.exists()  # nothing written while the other command holds the project
        # Read-only commands do not wait.
        stats = run_pipeline("stats", "--project", str(project))
        assert stats.returncode == 0, stats.stderr
    finally:
        holder.release()
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert (output / "fr" / "article-00" / "index.html").is_file()


def test_two_updates_at_once_end_as_one_update(project: Path, tmp_path: Path) -> None:
    """Run concurrently, the second update waits and then finds nothing left to do."""
    for number in range(3):
        write_article(project, number, variant=1)
    assert run_pipeline("extract", "--project", str(project)).returncode == 0
    sequential = tmp_path / "sequential"
    shutil.copytree(project, sequential)
    assert run_pipeline("update", "--project", str(sequential)).returncode == 0

    first = popen_pipeline("update", "--project", str(project))
    second = popen_pipeline("update", "--project", str(project))
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    for path in sorted((sequential / "locales").rglob("*.po")):
        mirror = project / path.relative_to(sequential)
        read_catalog(mirror)
        assert mirror.read_bytes() == path.read_bytes(), mirror
    # Exactly one of them did the work.
    updated = [out.count("updated locales/") for out, _ in results]
    assert sorted(updated) == [0, 3], results
