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
import tempfile
from pathlib import Path
from typing import Iterator

from pipeline.errors import LockedError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it.

    Returns whether the file was written. Leaving unchanged files alone keeps
    their modification times, which editors and incremental builds rely on.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_bytes(path, data)
    return True


@contextlib.contextmanager
def project_lock(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on the project while a command writes to it.

    A second command on the same project either waits (``wait=True``) or stops
    with a clear message, so two runs never interleave their writes.
    """
    lock_path = root / ".pipeline.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(fd, flags)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise LockedError(
                    f"another pipeline command is working on {root}; "
                    "wait for it to finish and try again"
                ) from None
            raise
        yield
    finally:
        os.close(fd)
