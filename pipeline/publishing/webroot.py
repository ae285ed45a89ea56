"""What ``publish`` may touch in DEST: only the files it wrote there.

Three gates, checked before anything is built or written:

* **Where**: DEST may not be, contain or lie inside the project, and may not
  be (or contain) the user's home or ``/``; a publish there would swap away
  the user's files. Refused with exit code 2.
* **Whose**: a marker file in DEST (:data:`MARKER_NAME`, one path a line)
  lists the files publish wrote. Only those are ever replaced or removed;
  every other file is kept, linked into the new tree. A non-empty DEST
  without the marker (some other folder) is refused unless ``force``, and so
  is a file of someone else's where the site now has one.
* **What is read**: DEST is walked with ``lstat`` only; symbolic links, FIFOs,
  sockets and devices are never opened or followed, only kept (hard-linked,
  which links the entry itself) and reported. Regular files are opened with
  ``O_NOFOLLOW | O_NONBLOCK`` and checked again after opening.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError

MARKER_NAME = ".pipeline-published"
MARKER_HEADER = (
    "# Written by `pipeline publish`: the files it published in this folder, one a line.\n"
    "# It replaces or removes only these; every other file here is kept.\n"
)
#: Top-level names of a web root that are not the site's (``.git``, ``.nojekyll``, ``CNAME``): kept whole.
KEPT_NAMES = frozenset({"CNAME"})

_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


class UnsafeDestError(PipelineError):
    """DEST is a folder a publish must never replace (the project, home, ``/``)."""

    exit_code = 2


class ForeignDestError(PipelineError):
    """DEST holds files publish did not write, where it would replace them."""


def is_kept_whole(top_name: str) -> bool:
    """A top-level entry of DEST that belongs to the web root, not to the site (never walked)."""
    return (top_name.startswith(".") or top_name in KEPT_NAMES) and top_name != MARKER_NAME


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_dest_is_safe(dest: Path, project_root: Path) -> None:
    """Refuse a DEST whose swap would take the project, the home folder or everything with it."""
    real = dest.resolve()
    project = project_root.resolve()
    home = Path.home().resolve()
    if real == Path(real.anchor):
        reason = "is the root folder"
    elif _inside(real, project) or _inside(project, real):
        reason = "is, holds or lies inside the project " + str(project)
    elif _inside(home, real):
        reason = "is or holds your home folder " + str(home)
    else:
        return
    raise UnsafeDestError(
        f"refusing to publish to {dest}: it {reason}, and publishing replaces the folder; "
        "give a folder of its own for the site, outside the project"
    )


@dataclass
class DestTree:
    """What DEST holds, seen through ``lstat`` only."""

    folder: Path
    files: dict[str, str] = field(default_factory=dict)  # relative path -> "file" or a special kind
    folders: list[str] = field(default_factory=list)
    empty_folders: list[str] = field(default_factory=list)  # never ours: publish writes no empty folder
    kept_whole: list[str] = field(default_factory=list)  # top-level .git, .nojekyll, CNAME
    marker: set[str] | None = None  # None: publish never wrote here

    @property
    def owned(self) -> set[str]:
        """Files publish wrote and that are still regular files (a link put in their place is not ours)."""
        return {p for p in self.marker or () if self.files.get(p) == "file"}

    @property
    def foreign(self) -> list[str]:
        owned = self.owned
        return sorted(p for p in self.files if p not in owned)

    @property
    def special(self) -> list[str]:
        """Entries never opened: "path (a FIFO)"."""
        return [f"{p} ({kind})" for p, kind in sorted(self.files.items()) if kind != "file"]

    def hash(self, relative: str) -> str:
        return file_hash(self.folder / relative)


def file_hash(path: Path) -> str:
    """sha256 of a regular file, never following a link nor blocking on a FIFO put in its place."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PipelineError(f"{path} is no longer a regular file; publish again")
        return hashlib.sha256(handle.read()).hexdigest()


def scan_dest(dest: Path) -> DestTree:
    """Walk DEST without following anything; top-level dotfiles and CNAME are listed, not walked."""
    tree = DestTree(folder=dest)
    if not dest.is_dir():
        return tree
    tree.marker = read_marker(dest)
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(dest / relative if relative else dest) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if not relative and entry.name == MARKER_NAME:
                    continue  # read above, as tree.marker
                if not relative and is_kept_whole(entry.name):
                    tree.kept_whole.append(entry.name)
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    tree.folders.append(path)
                    pending.append(path)
                    with os.scandir(entry.path) as inside:
                        if next(inside, None) is None:
                            tree.empty_folders.append(path)
                else:
                    tree.files[path] = "file" if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "a special file")
    tree.kept_whole.sort()
    return tree


def read_marker(dest: Path) -> set[str] | None:
    """The paths the marker lists, or None without a (regular-file) marker."""
    path = dest / MARKER_NAME
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    return {line for line in lines if line and not line.startswith("#") and ".." not in line.split("/")}


def marker_text(paths: list[str]) -> str:
    return MARKER_HEADER + "".join(f"{p}\n" for p in sorted(paths))


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def clashes(tree: DestTree, new_files: list[str]) -> list[str]:
    """Other people's entries where the new site has a file, or has a folder (or the reverse)."""
    new = set(new_files)
    new_folders = {parent for path in new for parent in _parents(path)}
    theirs = tree.foreign + tree.empty_folders
    return sorted(
        p for p in theirs if p in new or (p in new_folders and p not in tree.empty_folders) or new & set(_parents(p))
    )


def refuse_foreign(tree: DestTree, new_files: list[str] | None, force: bool) -> list[str]:
    """Stop unless publish may write here; the other people's files the site would replace (with ``force``)."""
    if force:
        return clashes(tree, new_files or [])
    if tree.marker is None and (tree.files or tree.folders):
        shown = ", ".join((tree.foreign or tree.folders)[:3])
        raise ForeignDestError(
            f"{tree.folder} holds files that `pipeline publish` did not write ({shown}, ...) and no "
            f"{MARKER_NAME} marker; publish to an empty folder, or give --force to publish here, "
            "keeping those files"
        )
    found = clashes(tree, new_files or [])
    if found:
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise ForeignDestError(
            f"{tree.folder} holds files that `pipeline publish` did not write where the site has pages: "
            f"{', '.join(found[:3])}{more}; move them away, or give --force to replace them"
        )
    return []


def link_foreign(tree: DestTree, staging: Path, skip: set[str]) -> list[str]:
    """Hard-link every file of DEST that is not ours (except ``skip``) into the new tree: they survive the swap.

    ``os.link`` without following links the entry itself, so a symbolic link
    or a FIFO is carried over as it is and never opened.
    """
    kept = []
    for relative in tree.empty_folders:
        if relative not in skip:
            (staging / relative).mkdir(parents=True, exist_ok=True)
    for relative in tree.foreign:
        if relative in skip:
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(tree.folder / relative, target, follow_symlinks=False)
        kept.append(relative)
    return kept
