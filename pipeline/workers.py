"""Worker processes that end with the process that started them.

A ``ProcessPoolExecutor`` worker waits on a queue whose pipe every worker
also holds open, so it never sees its parent die: a SIGKILLed ``build`` used
to leave workers behind, and with them the project lock they had inherited,
so the next command waited forever. Each worker therefore, before any work:

* closes its inherited copies of the parent's lock files (the lock is then
  held by the parent alone and the kernel frees it when the parent ends);
* asks the kernel (Linux ``prctl(PR_SET_PDEATHSIG)``) for SIGKILL when its
  parent ends, and exits at once if the parent already ended while it was
  being forked (the signal would then never come).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

from pipeline.fsutil import release_inherited_locks

PR_SET_PDEATHSIG = 1


def worker_pool(
    processes: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of ``processes`` forked workers that die with this process.

    Forked (as Python does by default on Linux): workers start with what the
    parent loaded (compiled templates, catalogs), which ``build`` relies on.
    ``initializer(*initargs)`` then runs in each worker; forking hands it
    ``initargs`` as they are, without pickling them.
    """
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_bind_to_parent,
        initargs=(os.getpid(), initializer, initargs),
    )


def _bind_to_parent(parent_pid: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
    release_inherited_locks()
    _kill_me_when_parent_dies()
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before prctl: nobody would ever collect this worker
    if initializer is not None:
        initializer(*initargs)


def _kill_me_when_parent_dies() -> None:
    """Linux only; elsewhere the pool's own shutdown is all there is."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
