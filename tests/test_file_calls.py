"""The short ways fsutil, the project and the build's hashes read, write and check files.

Each shortcut (a read in four system calls, a temporary file named and
written without tempfile, a write that does not read a file of another size
or stat a file it knows the permissions of, a folder made once per process,
a link check once per folder) is compared here with what it replaces.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import fsutil
from pipeline.build.state import FileHashes
from pipeline.errors import FileAccessError, LinkOutsideProjectError
from pipeline.fsutil import TEMPORARY_NAME, atomic_write_bytes, read_file, write_if_changed
from pipeline.project import confine

# ---------------------------------------------------------------------------
# read_file: what Path.read_bytes reads, whatever the size it is told
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 4095, 4096, 4097, 200_000])
@pytest.mark.parametrize("told", [None, "exact", 0, "smaller", "larger"])
def test_read_file_reads_the_whole_file_whatever_size_it_is_told(tmp_path: Path, length: int, told: object) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(256)) * (length // 256) + bytes(length % 256))
    size = {"exact": length, "smaller": max(length - 100, 0), "larger": length + 100}.get(told, told)  # type: ignore[arg-type]
    assert read_file(path, size) == path.read_bytes()
    assert read_file(str(path)) == path.read_bytes()


def test_read_file_raises_as_path_read_bytes_does(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    for path, error in (
        (tmp_path / "missing", FileNotFoundError),
        (tmp_path / "file" / "below", NotADirectoryError),
        (tmp_path, IsADirectoryError),
    ):
        with pytest.raises(error):
            path.read_bytes()
        with pytest.raises(error):
            read_file(path)
        with pytest.raises(error):
            read_file(path, 4096)


def test_a_file_that_changed_since_its_stat_is_hashed_from_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"short")
    hashes = FileHashes(tmp_path, {}, started_ns=0, keep_contents=True)
    real_stat = os.stat

    def stat_then_grow(name, *args, **kwargs):  # the file grows between the stat and the read
        info = real_stat(name, *args, **kwargs)
        path.write_bytes(b"a much longer text than before")
        return info

    os.stat = stat_then_grow
    try:
        hashes.hash(path)
    finally:
        os.stat = real_stat
    assert hashes.contents(path) == b"a much longer text than before"


# ---------------------------------------------------------------------------
# write_if_changed and atomic_write_bytes
# ---------------------------------------------------------------------------


def test_a_file_of_another_size_is_replaced_without_being_read(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    reads: list[object] = []
    real_read = fsutil.read_file
    monkeypatch.setattr(fsutil, "read_file", lambda *args: reads.append(args) or real_read(*args))
    assert write_if_changed(target, b"longer") is True
    assert reads == [] and target.read_bytes() == b"longer"
    assert write_if_changed(target, b"LONGER") is True  # same size: read, differs, written
    assert len(reads) == 1 and target.read_bytes() == b"LONGER"
    assert write_if_changed(target, b"LONGER") is False
    assert len(reads) == 2


@pytest.mark.parametrize("new", [b"same", b"SAME", b"another size"])
def test_write_if_changed_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path, new: bytes) -> None:
    target = tmp_path / "catalog.po"
    target.write_bytes(b"same")
    os.chmod(target, 0o640)
    write_if_changed(target, new)
    assert target.read_bytes() == new and target.stat().st_mode & 0o7777 == 0o640
    fresh = tmp_path / "sub" / "new.po"
    write_if_changed(fresh, new)
    assert fresh.stat().st_mode & 0o7777 == 0o644  # whatever the umask, as before


def test_write_if_changed_through_a_link_replaces_the_link_with_the_targets_mode(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"abc")
    os.chmod(real, 0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert write_if_changed(link, b"abc") is False
    assert write_if_changed(link, b"abcd") is True
    assert not link.is_symlink() and link.stat().st_mode & 0o7777 == 0o600 and real.read_bytes() == b"abc"


def test_what_is_in_the_way_is_still_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "folder.html").mkdir()
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(FileAccessError, match="a folder, not a file"):
        write_if_changed(tmp_path / "folder.html", b"page")
    with pytest.raises(FileAccessError, match="is a file, not a folder"):
        write_if_changed(tmp_path / "file" / "page.html", b"page")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder.html"]


def test_a_folder_removed_after_a_write_into_it_is_made_again(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "fr"
    atomic_write_bytes(folder / "a.html", b"a", durable=False)
    shutil.rmtree(tmp_path / "out")
    atomic_write_bytes(folder / "b.html", b"b", durable=False)
    assert sorted(p.name for p in folder.iterdir()) == ["b.html"]
    shutil.rmtree(folder)
    (tmp_path / "out" / "fr").write_bytes(b"a file now")
    with pytest.raises(FileAccessError, match="is a file, not a folder"):
        atomic_write_bytes(folder / "c.html", b"c")


def test_temporary_names_are_unique_and_swept_by_name(tmp_path: Path) -> None:
    names = {fsutil._temporary_suffix() for _ in range(10_000)}
    assert len(names) == 10_000
    assert all(TEMPORARY_NAME.fullmatch(f".page.html.{name}.tmp") for name in names)


def test_a_temporary_name_taken_already_is_left_alone_and_another_used(tmp_path: Path, monkeypatch) -> None:
    import itertools

    target = tmp_path / "page.html"
    atomic_write_bytes(tmp_path / "first", b"")  # the folder is known: the next write opens straight away
    monkeypatch.setattr(fsutil, "_suffixes", itertools.count(0x1234))
    taken = tmp_path / ".page.html.00001234.tmp"
    taken.write_bytes(b"another writer's")
    atomic_write_bytes(target, b"mine")
    assert target.read_bytes() == b"mine" and taken.read_bytes() == b"another writer's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".page.html.00001234.tmp", "first", "page.html"]


def test_a_forked_process_counts_its_temporary_names_from_its_own_start(tmp_path: Path) -> None:
    fsutil._temporary_suffix()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        os.write(write_end, fsutil._temporary_suffix().encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    theirs = os.read(read_end, 100).decode()
    os.close(read_end)
    ours = {fsutil._temporary_suffix() for _ in range(1000)}
    assert TEMPORARY_NAME.fullmatch(f".x.{theirs}.tmp") and theirs not in ours


# ---------------------------------------------------------------------------
# confine: a folder checked once, each file in it still looked at
# ---------------------------------------------------------------------------


def test_a_link_out_in_a_checked_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    folder = root / "locales" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "a.po").write_bytes(b"")
    outside = tmp_path / "secret.po"
    outside.write_bytes(b"")
    (folder / "b.po").symlink_to(outside)
    (folder / "c.po").symlink_to(folder / "a.po")  # a link that stays inside
    checked: set[str] = set()
    assert confine(root, folder / "a.po", checked) == folder / "a.po"
    assert str(folder) in checked
    with pytest.raises(LinkOutsideProjectError, match="b.po is a symbolic link to"):
        confine(root, folder / "b.po", checked)
    assert confine(root, folder / "c.po", checked) == folder / "c.po"
    assert confine(root, folder / "missing.po", checked) == folder / "missing.po"
    assert str(folder / "missing.po") not in checked  # looked at again when it exists
    (folder / "missing.po").symlink_to(outside)
    with pytest.raises(LinkOutsideProjectError):
        confine(root, folder / "missing.po", checked)


def test_confine_gives_what_the_walk_of_every_part_gives(tmp_path: Path) -> None:
    """The folder shortcut against a fresh walk for each path, over a tree of files, folders and links."""
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "in.txt").write_bytes(b"")
    (root / "a" / "b" / "deep.txt").write_bytes(b"")
    (root / "a" / "out").symlink_to(outside)
    (root / "a" / "b" / "out.txt").symlink_to(outside / "x")
    (root / "a" / "inside").symlink_to(root / "a" / "b")
    names = ["in.txt", "b", "b/deep.txt", "out", "out/x", "b/out.txt", "inside", "inside/deep.txt", "none", "none/x"]
    paths = [root / "a" / name for name in names] * 2

    def outcome(path: Path, checked: set[str]) -> str:
        try:
            return str(confine(root, path, checked))
        except LinkOutsideProjectError as exc:
            return str(exc)

    shared: set[str] = set()
    assert [outcome(p, shared) for p in paths] == [outcome(p, set()) for p in paths]
