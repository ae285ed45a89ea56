"""Bounded work on any page: a size cap and a time budget per page.

Saved pages of tens of megabytes exist (inlined images, endless comment
threads). Cleaning one must end in bounded time with one clear error, so
that ``scrape --from`` goes on with the other pages. The size is checked
before parsing; the time by a timer that interrupts the work wherever it is
(trafilatura and readability-lxml included), where the platform allows it
(the main thread of a POSIX process), and between stages otherwise.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from pipeline.errors import SnapshotError


class _OverBudget(BaseException):
    """Raised by the timer; a BaseException so that no ``except Exception`` in a library swallows it."""


def check_size(size: int, cap: int) -> None:
    if cap and size > cap:
        raise SnapshotError(
            f"the HTML snapshot is {size / 1048576:.1f} MB, over the size cap of {cap / 1048576:.1f} MB "
            "([pipeline:clean] max_page_mb)"
        )


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise _over(self.seconds)


def _over(seconds: float) -> SnapshotError:
    return SnapshotError(
        f"cleaning the HTML snapshot took more than its time budget of {seconds:g} s "
        "([pipeline:clean] time_budget); raise it or save a smaller page"
    )


@contextmanager
def time_budget(seconds: float) -> Iterator[Deadline]:
    """Run the body within ``seconds`` (0: no limit), else raise one SnapshotError."""
    deadline = Deadline(seconds)
    use_timer = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not use_timer:
        yield deadline
        return

    def expire(signum, frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    except _OverBudget:
        raise _over(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
