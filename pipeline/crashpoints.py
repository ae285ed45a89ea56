"""Crash points: the moments at which a test may have the process SIGKILL itself.

The kill tests prove that a command killed at any moment loses nothing and
half-writes nothing, without timing luck: the process kills itself at an exact
moment. Two kinds of moment are counted, each where it happens:

* ``write``: right after each atomic write (:mod:`pipeline.fsutil`);
* ``publish-step``: each step of a publish (:mod:`pipeline.publishing.publish`).

The one debug setting, the environment variable ``PIPELINE_CRASH_AT=KIND:N``
(``write:3``), kills the process at the Nth moment of that kind. It is read
once, when the command line starts (:func:`arm_from_environment`), never on the
way: a moment nobody armed costs one comparison. Unset in normal use. Forked
workers inherit what is armed and what was counted so far.
"""

from __future__ import annotations

import os
import signal

CRASH_AT_ENV = "PIPELINE_CRASH_AT"
KINDS = ("write", "publish-step")

_armed_kind: str | None = None
_moments_left = 0


def arm(kind: str | None, count: int = 0) -> None:
    """Kill this process at its ``count``-th moment of ``kind`` from now on; None disarms."""
    global _armed_kind, _moments_left
    if kind is not None and kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of crash point ({', '.join(KINDS)})")
    _armed_kind, _moments_left = (kind, count) if kind is not None and count >= 1 else (None, 0)


def arm_from_environment() -> None:
    """Arm what ``PIPELINE_CRASH_AT`` asks for (``KIND:N``); anything else arms nothing."""
    kind, _, count = os.environ.get(CRASH_AT_ENV, "").partition(":")
    arm(kind if kind in KINDS and count.isdigit() else None, int(count) if count.isdigit() else 0)


def reached(kind: str) -> None:
    """A moment of ``kind``: the process ends here, SIGKILLed, if it is the armed one."""
    global _moments_left
    if kind != _armed_kind:
        return
    _moments_left -= 1
    if _moments_left <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
