"""The project's drop and keep rules, shared by every cleaner.

A rule is a regular expression searched in a block's whole text (its lines
joined by single spaces); anchor it with ``^…$`` to match the whole block.
A keep rule wins over a drop rule and over every heuristic.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def first_match(patterns: tuple[str, ...], text: str) -> str | None:
    """The first pattern found in ``text``, or None."""
    for pattern in patterns:
        if _compiled(pattern).search(text):
            return pattern
    return None


def matches_any(patterns: tuple[str, ...], text: str) -> bool:
    return first_match(patterns, text) is not None
