"""File-system helpers: atomic writes and the project lock.

Nothing a user made may be half-written: every file is written to a temporary
file in the same folder, flushed to disk, then renamed over the target, which
POSIX guarantees to be atomic.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from pipeline.errors import LockedError


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    ``durable`` flushes the data to disk before the rename, so that even a
    power cut cannot leave an empty file where a user's file was. Files the
    tool can make again from the user's files (built pages) pass False: the
    rename alone keeps readers from a half-written file, and an fsync per page
    was a tenth of a cold build.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        _count_write_for_kill_hook()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it.

    Returns whether the file was written. Leaving unchanged files alone keeps
    their modification times, which editors and incremental builds rely on.
    ``durable``: see :func:`atomic_write_bytes`.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_bytes(path, data, durable=durable)
    return True


#: Test hook (used by tests/test_kill.py only): when set to N, the process
#: SIGKILLs itself right after its Nth atomic write, so a test can stop a
#: command between any two writes without timing luck. Unset in normal use.
KILL_AFTER_WRITES_ENV = "PIPELINE_TEST_KILL_AFTER_WRITES"
_writes_done = 0


def _count_write_for_kill_hook() -> None:
    global _writes_done
    limit = os.environ.get(KILL_AFTER_WRITES_ENV)
    if not limit:
        return
    _writes_done += 1
    if _writes_done >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


LOCK_FILE_NAME = ".pipeline.lock"

#: Locks this process holds, by project folder: [file descriptor, depth].
#: A stage called from a command that already holds the lock (build inside
#: serve or publish) must not wait for itself: flock conflicts between two
#: descriptors of the same process, so nesting is counted here instead.
_held: dict[str, list[int]] = {}
_held_guard = threading.RLock()


@contextlib.contextmanager
def project_lock(
    root: Path,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold an exclusive lock on the project while a command writes to it.

    A second command on the same project waits for the first (``on_wait`` is
    called once when it starts waiting, to tell the user why nothing happens),
    or, with ``wait=False`` or after ``timeout`` seconds, stops with
    :class:`LockedError`, so two runs never interleave their writes. The lock
    is ``flock`` on ``<root>/.pipeline.lock``: the kernel releases it when the
    process ends, even killed, so a crash never leaves the project locked.
    Taking it again inside the same process (and thread) only nests.
    """
    key = os.path.realpath(root)
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held[1] += 1
            try:
                yield
            finally:
                held[1] -= 1
            return
        fd = _acquire(Path(key), wait, timeout, on_wait)
        _held[key] = [fd, 1]
        try:
            yield
        finally:
            del _held[key]
            os.close(fd)


def _acquire(root: Path, wait: bool, timeout: float | None, on_wait: Callable[[], None] | None) -> int:
    fd = os.open(root / LOCK_FILE_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if _try_flock(fd):
            return fd
        if not wait:
            raise LockedError(
                f"another pipeline command is working on {root}; wait for it to finish and try again "
                "(or leave out --no-wait to wait for it)"
            )
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
                    f"another pipeline command was still working on {root} after {timeout:g} s; "
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
