"""File-system helpers: atomic writes and the one lock implementation.

Nothing a user made may be half-written: every file is written to a temporary
file in the same folder, flushed to disk, then renamed over the target, which
POSIX guarantees to be atomic.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import re
import stat
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from pipeline import crashpoints
from pipeline.errors import FileAccessError, LockedError, file_problem


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    ``durable`` flushes the data to disk before the rename, so that even a
    power cut cannot leave an empty file where a user's file was. Files the
    tool can make again from the user's files (built pages) pass False: the
    rename alone keeps readers from a half-written file, and an fsync per page
    was a tenth of a cold build. ``mode``: the new file's permissions, when
    the caller knows them already; by default those of the file it replaces.
    """
    try:
        fd, tmp_name = _create_temporary(path)
    except OSError as exc:
        raise FileAccessError(f"cannot write {file_problem(path, exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held while it is written: a cleanup elsewhere sees a live write
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
            os.fchmod(fd, _mode_to_keep(path) if mode is None else mode)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        crashpoints.reached("write")
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):  # a folder where the file goes, a full disk: one line, no traceback
            raise FileAccessError(f"cannot write {file_problem(path, exc)}") from None
        raise


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file next to ``path``, open for writing, made with its folder if missing: (fd, its path).

    The folder is made, or swept of the leftovers of killed writes, at this
    process's first write into it; later writes open the file straight away
    and make the folder again only when it has gone since.
    """
    folder = os.fspath(path.parent)
    if folder not in _swept_folders:
        _prepare_folder(path.parent)
    for _ in range(_TEMPORARY_TRIES):
        tmp_name = os.path.join(folder, f".{path.name}.{_temporary_suffix()}.tmp")
        try:
            return os.open(tmp_name, _TEMPORARY_FLAGS, 0o600), tmp_name
        except FileExistsError:
            _draw_suffixes()  # another process counts from near here: count from elsewhere
        except (FileNotFoundError, NotADirectoryError):
            _prepare_folder(path.parent)  # removed since this process wrote there: made again, or the error why not
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _prepare_folder(folder: Path) -> None:
    """Make ``folder`` if missing, else sweep it (:func:`remove_stale_temporaries`); either way it is known from then on."""
    if _made_folder(folder):  # just made: no leftovers of a killed write to sweep
        _swept_folders.add(os.fspath(folder))
    else:
        remove_stale_temporaries(folder)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` at ``fd`` (one call, unless the system writes less than asked)."""
    written = os.write(fd, data)
    if written < len(data):  # a write cut short (a signal, a quota): the rest, until it fails or is done
        rest = memoryview(data)[written:]
        while rest:
            rest = rest[os.write(fd, rest) :]


#: mkstemp's flags: a new file only (never an existing one nor a link), not inherited by programs run.
_TEMPORARY_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
#: As many names as mkstemp tries before it gives up.
_TEMPORARY_TRIES = 10000
#: This process's count of temporary names; drawn at its first write (a forked worker draws its own).
_suffixes: Iterator[int] | None = None


def _draw_suffixes() -> Iterator[int]:
    """Count temporary names from a random start: unique within the process, and apart from other processes'."""
    global _suffixes
    _suffixes = itertools.count(int.from_bytes(os.urandom(4), "big"))
    return _suffixes


def _temporary_suffix() -> str:
    """Eight lowercase hexadecimal digits, the next of this process's count (:data:`TEMPORARY_NAME`)."""
    return f"{next(_suffixes or _draw_suffixes()) & 0xFFFFFFFF:08x}"


def _forget_suffixes() -> None:
    global _suffixes
    _suffixes = None


os.register_at_fork(after_in_child=_forget_suffixes)


def _made_folder(folder: Path) -> bool:
    """Make ``folder`` and its parents if missing (as ``mkdir(parents=True, exist_ok=True)``); whether this call made it."""
    try:
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder)
    except OSError:
        if not folder.is_dir():
            raise
        return False
    return True


#: The permissions of a file a write makes where there was none.
NEW_FILE_MODE = 0o644


def _mode_to_keep(path: Path) -> int:
    """The permissions of the file a write replaces, or those of a new file (what ``path.exists()`` calls missing)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return NEW_FILE_MODE
        raise


#: The temporary file of a write cut short (the process killed) is removed by
#: the next write into its folder once it is this old and no live process
#: holds its lock: a write in progress is never touched.
STALE_TEMPORARY_SECONDS = 60
#: ``.<name>.<8 characters>.tmp``: what :func:`atomic_write_bytes` makes (hexadecimal digits; mkstemp's
#: letters, digits and ``_`` before), nothing else.
TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_swept_folders: set[str] = set()


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Delete the leftovers of killed writes in ``folder`` (once per folder and process); their names."""
    key = os.fspath(folder)
    if key in _swept_folders:
        return []
    _swept_folders.add(key)
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    removed = []
    try:
        with os.scandir(key) as entries:
            candidates = [e for e in entries if TEMPORARY_NAME.fullmatch(e.name)]
    except OSError:
        return []
    for entry in candidates:
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if _try_flock(fd):  # no live writer holds it
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it.

    Returns whether the file was written. Leaving unchanged files alone keeps
    their modification times, which editors and incremental builds rely on.
    A file of another size is not read: it cannot hold ``data``.
    ``durable``: see :func:`atomic_write_bytes`.
    """
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        # nothing to compare with; the write says what is in the way, if anything
        atomic_write_bytes(path, data, durable, mode=NEW_FILE_MODE)
        return True
    if not stat.S_ISREG(info.st_mode):  # a folder, a pipe: read as any file, and the write says what is in the way
        with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
            if read_file(path) == data:
                return False
        atomic_write_bytes(path, data, durable)
        return True
    if info.st_size == len(data):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
            if read_file(path, info.st_size) == data:
                return False
    atomic_write_bytes(path, data, durable, mode=info.st_mode & 0o7777)
    return True


def read_file(path: str | os.PathLike[str], size: int | None = None) -> bytes:
    """A file's bytes, as ``Path.read_bytes`` reads them, in four system calls rather than its nine.

    ``size``: what a stat of the file just said, which saves the fstat; the
    file is read to its end whatever its size is by then.
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if size is None:
            size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) == size:  # asked for one byte more than there is: this is the end of the file
            return data
        chunks = [data]
        while data:
            data = os.read(fd, max(size, _READ_CHUNK))
            chunks.append(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


#: The most a read asks for past the expected size (a file that grew since its stat): as io's own reads.
_READ_CHUNK = 64 * 1024


LOCK_FILE_NAME = ".pipeline.lock"

#: Locks this process holds: file descriptor -> (real path, thread). Forked
#: workers inherit the descriptors and with them the lock (flock belongs to
#: the open file, which parent and child then share): a worker closes its
#: copies first thing (:func:`release_inherited_locks`), so the lock lives
#: exactly as long as the process that took it.
_held: dict[int, tuple[str, int]] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def file_lock(
    path: Path,
    busy: str,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[], None] | None = None,
    no_wait_hint: str = "",
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (a file, made if missing, or a folder).

    The kernel releases the lock when its holder ends, even killed, so a crash
    never leaves it behind and no pid file is needed. When another process holds
    it: wait (``on_wait`` is called once when waiting starts, to tell the user
    why nothing happens), or with ``wait=False`` or after ``timeout`` seconds
    raise :class:`LockedError` starting with ``busy`` (and, when it did not
    wait, ending with ``no_wait_hint``). Another thread of this process waits
    like another process would; taking again a lock this thread holds is a
    programming error (flock would wait for itself): each lock is taken in
    one place.
    """
    path = Path(path)
    # the folder resolved, not the lock file: a link put in its place is refused (O_NOFOLLOW), never followed
    key = os.path.join(os.path.realpath(path.parent), path.name) if path.name else os.path.realpath(path)
    owner = (key, threading.get_ident())
    with _held_guard:
        if owner in _held.values():
            raise RuntimeError(f"{key} is already locked by this thread")
    fd = _acquire(key, busy, no_wait_hint, wait, timeout, on_wait)
    with _held_guard:
        _held[fd] = owner
    try:
        yield
    finally:
        with _held_guard:
            del _held[fd]
        os.close(fd)


def project_lock(
    root: Path,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[], None] | None = None,
) -> contextlib.AbstractContextManager[None]:
    """The project lock (``<root>/.pipeline.lock``): one writing command at a time.

    Taken once per command, by the CLI (``LockRequest.hold``) or by ``serve``
    around each rebuild; the stage functions below never take it.
    """
    return file_lock(
        Path(root) / LOCK_FILE_NAME,
        f"another pipeline command is working on {os.path.realpath(root)}",
        wait=wait,
        timeout=timeout,
        on_wait=on_wait,
        no_wait_hint=" (or leave out --no-wait to wait for it)",
    )


def release_inherited_locks() -> None:
    """In a forked child: close the lock descriptors inherited from the parent (the parent keeps its locks)."""
    with _held_guard:
        for fd in _held:
            with contextlib.suppress(OSError):
                os.close(fd)
        _held.clear()


def _acquire(
    key: str, busy: str, no_wait_hint: str, wait: bool, timeout: float | None, on_wait: Callable[[], None] | None
) -> int:
    try:
        if os.path.isdir(key):
            fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
        else:
            fd = os.open(key, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)  # lock file: flock only, never written
    except OSError as exc:  # a read-only project, a lock file replaced by a link: one line
        raise FileAccessError(f"cannot lock {file_problem(key, exc)}") from None
    try:
        if _try_flock(fd):
            return fd
        if not wait:
            raise LockedError(f"{busy}; wait for it to finish and try again{no_wait_hint}")
        if on_wait is not None:
            on_wait()
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return fd
        deadline = time.monotonic() + timeout
        while not _try_flock(fd):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockedError(
                    f"{busy}; waited {timeout:g} s and it is still working: "
                    "try again when it has finished (or give a longer --lock-timeout)"
                )
            time.sleep(min(0.05, remaining))
        return fd
    except BaseException:
        os.close(fd)
        raise


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True
