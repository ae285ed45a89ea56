"""The temporary files of killed writes are cleaned up; nothing else is.

A write killed between creating ``.<name>.XXXXXXXX.tmp`` and renaming it
left the file forever. The next write into that folder removes such files
once they are old enough and no live process holds their lock; a write in
progress, a young temporary file and any file of another name are kept.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from helpers.build import make_project
from pipeline.cli import main
from pipeline.fsutil import STALE_TEMPORARY_SECONDS, TEMPORARY_NAME, atomic_write_bytes

KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from pipeline import fsutil
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # killed right before the rename
fsutil.atomic_write_bytes(Path(sys.argv[1]), b"new")
"""


def make_old(path: Path) -> None:
    then = time.time() - STALE_TEMPORARY_SECONDS - 5
    os.utime(path, (then, then))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMPORARY_NAME.fullmatch(p.name))


def test_the_next_write_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    target = tmp_path / "messages.po"
    target.write_bytes(b"old")
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(target)], capture_output=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    [left] = leftovers(tmp_path)  # the reproducer: the killed write's file
    assert target.read_bytes() == b"old"
    make_old(tmp_path / left)
    atomic_write_bytes(tmp_path / "other.po", b"x")  # any later write into the folder
    assert leftovers(tmp_path) == []


def test_young_locked_and_foreign_files_are_kept(tmp_path: Path) -> None:
    young = tmp_path / ".a.po.abcd1234.tmp"
    locked = tmp_path / ".b.po.efgh5678.tmp"
    others = [tmp_path / name for name in (".notes.tmp", "c.po.ijkl9012.tmp", ".d.po.mnop3456.tmp.bak")]
    for path in [young, locked, *others]:
        path.write_bytes(b"data")
    for path in [locked, *others]:
        make_old(path)
    writer = subprocess.Popen(  # a live writer holding its temporary file's lock
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); "
            "print('locked', flush=True); sys.stdin.read()",
            str(locked),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        atomic_write_bytes(tmp_path / "e.po", b"x")
        assert young.exists() and locked.exists() and all(p.exists() for p in others)
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    fd = os.open(locked, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the writer's lock died with it
    finally:
        os.close(fd)


def test_a_build_cleans_the_output_folder_of_killed_writes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    output = project / "output"
    output.mkdir()
    stale = output / ".index.html.k1ll3d00.tmp"
    stale.write_text("<html><body>half a page")
    make_old(stale)
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert not stale.exists() and (output / "index.html").is_file()
