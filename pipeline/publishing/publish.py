"""The ``publish`` stage: write the publishable site to a web root, atomically.

What is published: the locales at or above their threshold (never drafts, never
a pseudo-locale), with absolute canonical, hreflang and sitemap URLs from the
base URL, and no preview script. Catalog errors (``pipeline check``) in a
locale it publishes stop it; those of other locales are warnings
(:mod:`pipeline.publishing.readiness`).

How it stays atomic. The new site is built complete in a staging folder beside
DEST (``.<name>.publish-staging`` in DEST's parent, so on the same file
system); DEST's dotfiles and ``CNAME`` (``.git``, ``.nojekyll``), and every
file publish did not write there (:mod:`pipeline.publishing.webroot` says which and why
DEST is checked first), are copied in as hard links (a crash meanwhile leaves
DEST untouched). One publish into DEST's parent at a time: ``flock`` on that
folder, released by the kernel when the publish ends. Then the two folders
are swapped in one step with Linux's ``renameat2(RENAME_EXCHANGE)``: a reader
sees the old tree or the new one, never a mix, and DEST always exists. The
staging path then holds the old tree, which is deleted.

What a crash leaves, at each step:

* while building or linking: DEST as it was, and a partial staging folder;
* after the swap: DEST complete and new, and the old tree at the staging path.

Either way the staging path is garbage, and the next ``publish`` deletes it
first (recovery is always "delete the staging folder").

Where ``RENAME_EXCHANGE`` is not available (another OS, a file system without
it) the swap is two renames, DEST -> ``.<name>.publish-old`` then staging ->
DEST; between them DEST is missing for a moment, and the next run's recovery
puts ``.publish-old`` back when DEST is missing.

Each step is a crash point (:mod:`pipeline.crashpoints`, kind ``publish-step``):
the tests kill a publish at every one of them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import crashpoints
from pipeline.catalogs.completion import percent_text
from pipeline.errors import PipelineError
from pipeline.fsutil import atomic_write_text
from pipeline.project import Project
from pipeline.publishing.webroot import (
    MARKER_NAME,
    DestTree,
    check_dest_is_safe,
    file_hash,
    link_foreign,
    marker_text,
    refuse_foreign,
    scan_dest,
)

RENAME_EXCHANGE = 2


class PublishError(PipelineError):
    """Publishing was refused or failed; DEST is as it was."""


@dataclass
class PublishResult:
    dest: Path
    base_url: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pages: int = 0
    skipped: list[str] = field(default_factory=list)  # "fr/slug (40% < 80%)"
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    recovered: list[str] = field(default_factory=list)
    replaced_foreign: list[str] = field(default_factory=list)  # --force: other people's files the site replaced
    special: list[str] = field(default_factory=list)  # links, FIFOs... in DEST: kept, never opened

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


# ---------------------------------------------------------------------------
# Steps (each a crash point for the tests)
# ---------------------------------------------------------------------------


def _step(name: str) -> None:
    """A step of the publish: ``name`` says which, for a reader (the tests count them)."""
    crashpoints.reached("publish-step")


# ---------------------------------------------------------------------------
# Trees
# ---------------------------------------------------------------------------


def site_files(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file of a site just built (dotfiles and CNAME at the top left out)."""
    tree = scan_dest(folder)
    return {path: file_hash(folder / path) for path, kind in sorted(tree.files.items()) if kind == "file"}


def _link_tree(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` as hard links (cheap for a .git folder; content is shared, not moved)."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    else:
        os.link(source, target)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False when the system cannot."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def staging_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.publish-staging"


def old_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.publish-old"


def recover(dest: Path) -> list[str]:
    """Undo what an interrupted publish left beside DEST; say what was done."""
    done = []
    old = old_path(dest)
    if old.exists() and not dest.exists():
        os.rename(old, dest)  # the fallback swap died between its two renames: put the old site back
        done.append(f"restored {dest} from {old.name}")
    # .<name>.publish-lock: the lock file of earlier versions (the lock is now on the parent folder itself)
    for leftover in (staging_path(dest), old, dest.parent / f".{dest.name}.publish-lock"):
        if leftover.exists() or leftover.is_symlink():
            shutil.rmtree(leftover) if leftover.is_dir() and not leftover.is_symlink() else leftover.unlink()
            done.append(f"removed {leftover.name} left by an interrupted publish")
    return done


def _dest_lock(dest: Path) -> contextlib.AbstractContextManager[None]:
    """One publish into DEST's parent folder at a time: its staging folder is made there.

    The lock is ``flock`` on the parent folder itself, so no lock file is left
    beside DEST and the kernel releases it when the publish ends, even killed.
    """
    from pipeline.fsutil import file_lock

    return file_lock(dest.parent, f"another publish into {dest.parent} is running", wait=False)


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------


def _ready_locales(project: Project, asked: list[str], result: PublishResult) -> list[str]:
    """The locales to publish; refuse on errors in their catalogs, warn of errors in the others (:mod:`pipeline.publishing.readiness`)."""
    from pipeline.publishing.readiness import readiness

    ready = readiness(project, asked)
    errors = ready.blocking
    if errors:
        shown = "\n".join(
            f"  {f.path}:{f.line}: [{f.problem.code}] {f.problem.message}" for f in errors[:10]
        )
        more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise PublishError(
            f"not published: `pipeline check` finds {len(errors)} error{'s' if len(errors) != 1 else ''} "
            f"in the catalogs of locales that would be published:\n{shown}{more}\n"
            "fix them, or publish the other locales with --locale"
        )
    result.warnings += [
        f"{f.path}:{f.line}: [{f.problem.code}] {f.problem.message} (its locale is not published, so this does not stop the others)"
        for f in ready.not_published
    ]
    return ready.locales


def _build_into(project: Project, folder: Path, base_url: str, result: PublishResult, locales: list[str]) -> None:
    from pipeline.build.site import BuildOptions, build_site
    from pipeline.pseudo import is_pseudo_locale

    built = build_site(project, BuildOptions(base_url=base_url, output_dir=folder, site_locales=locales))
    result.pages = len(built.pages)
    result.skipped = [
        f"{s.locale}/{s.slug} ({percent_text(s.completion)} < {s.threshold:g}%)"
        for s in built.skipped
        if s.has_catalog and not is_pseudo_locale(s.locale)
    ]
    result.warnings += [str(w) for w in built.warnings]


def _diff_with_dest(result: PublishResult, tree: DestTree, new: dict[str, str], force: bool) -> None:
    """What the new site adds, changes and removes of the files publish owns in DEST."""
    result.replaced_foreign = refuse_foreign(tree, list(new), force)
    result.special = tree.special
    owned = tree.owned
    result.added = sorted(new.keys() - owned - set(result.replaced_foreign))
    result.removed = sorted(owned - new.keys())
    result.changed = sorted(
        [p for p in new.keys() & owned if tree.hash(p) != new[p]] + [p for p in result.replaced_foreign if p in new]
    )


def publish(
    project: Project,
    dest: Path,
    base_url: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    locales: list[str] | tuple[str, ...] = (),
) -> PublishResult:
    """Publish the site to ``dest`` (see the module's notes on atomicity, :mod:`pipeline.publishing.webroot` on ownership).

    ``force``: publish into a folder publish did not write before, or over
    other people's files where the site has pages; the rest of them are kept.
    ``locales``: publish only these (and the source language); default every
    locale at its threshold.
    """
    from pipeline.build.site import site_base_url

    base_url = site_base_url(project, base_url)
    if not base_url:
        raise PublishError(
            "no base URL: a published site needs absolute canonical, hreflang and sitemap URLs; "
            "pass --base-url https://example.org or set base_url in [pipeline] of setup.cfg"
        )
    dest = _checked_dest(project, Path(os.path.abspath(dest)))
    refuse_foreign(scan_dest(dest), None, force)  # before the build: say it at once
    result = PublishResult(dest=dest, base_url=base_url, dry_run=dry_run)
    ready = _ready_locales(project, list(locales), result)
    if dry_run:
        _dry_run(project, dest, ready, result, force)
        return result
    with _dest_lock(dest):
        result.recovered = recover(dest)
        staging = _stage(project, dest, ready, result, force)
        if staging is not None:
            _swap(staging, dest)
    return result


def _checked_dest(project: Project, dest: Path) -> Path:
    """``dest``, once it is known to be a place a site may be published to."""
    check_dest_is_safe(dest, project.root)
    if dest.is_symlink():
        raise PublishError(f"{dest} is a symbolic link; publish to the folder it points to")
    if dest.exists() and not dest.is_dir():
        raise PublishError(f"{dest} exists and is not a folder")
    if not dest.parent.is_dir():
        raise PublishError(f"the folder {dest.parent} does not exist")
    return dest


def _dry_run(project: Project, dest: Path, ready: list[str], result: PublishResult, force: bool) -> None:
    """What a publish would change in ``dest``, built in a temporary folder."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="pipeline-publish-") as temp:
        _build_into(project, Path(temp) / "site", result.base_url, result, ready)
        tree = scan_dest(dest)
        _diff_with_dest(result, tree, site_files(Path(temp) / "site"), force)
    result.kept = tree.kept_whole


def _stage(project: Project, dest: Path, ready: list[str], result: PublishResult, force: bool) -> Path | None:
    """The new site, complete in the staging folder with what ``dest`` keeps linked in; None
    when ``dest`` holds it already."""
    staging = staging_path(dest)
    _step("start")
    staging.mkdir(mode=0o755)
    if dest.is_dir():
        os.chmod(staging, dest.stat().st_mode & 0o7777)
    _build_into(project, staging, result.base_url, result, ready)
    _step("built")
    tree = scan_dest(dest)
    new = site_files(staging)
    try:
        _diff_with_dest(result, tree, new, force)
    except PipelineError:
        shutil.rmtree(staging)
        raise
    if result.unchanged and tree.marker == set(new):
        shutil.rmtree(staging)  # nothing to swap: DEST keeps its files and their times
        _step("unchanged")
        return None
    atomic_write_text(staging / MARKER_NAME, marker_text(list(new)))
    for name in tree.kept_whole:
        _link_tree(dest / name, staging / name)
        result.kept.append(name)
        _step(f"linked {name}")
    result.kept += link_foreign(tree, staging, skip=set(result.replaced_foreign))
    _fsync_dir(staging)
    _step("staged")
    return staging


def _swap(staging: Path, dest: Path) -> None:
    """Put the staging folder in ``dest``'s place (see the module's notes)."""
    if not dest.exists():
        os.rename(staging, dest)
        _step("renamed")
    elif _exchange(staging, dest):
        _step("exchanged")
        shutil.rmtree(staging)  # now the old tree
    else:
        old = old_path(dest)
        os.rename(dest, old)
        _step("moved old")
        os.rename(staging, dest)
        _step("moved new")
        shutil.rmtree(old)
    _fsync_dir(dest.parent)
    _step("done")
