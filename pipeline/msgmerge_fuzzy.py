"""msgmerge's fuzzy search of a catalog, exactly (gettext's ``msgl-fsearch.c``).

``update`` offers a changed message the translation ``msgmerge`` would
offer, so that a catalog merged by either tool is the same file:

* candidates are the catalog's messages (obsolete ones included) whose
  first form is translated;
* a msgid of four characters or more is compared only with candidates that
  share one of its character 4-grams, most shared first; a shorter one with
  the short candidates of a length that could reach the threshold;
* the weight is fstrcmp (twice the longest common subsequence over the total
  length), plus 0.00001 for a candidate of the same context or of none; the
  first candidate of the highest weight above 0.6 wins.

fstrcmp's edit distance is rapidfuzz's ``Indel`` (C++). msgmerge counts
lengths in bytes where Python counts characters: for msgids outside ASCII the
two may rank candidates differently (README, "msgmerge semantics").
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from babel.messages.catalog import Message

#: msgmerge's FUZZY_THRESHOLD.
FUZZY_THRESHOLD = 0.6
#: The advantage of a candidate of the same context (or of none).
CONTEXT_BONUS = 0.00001
GRAM = 4
#: Longest short message msgmerge keeps for short msgids: (GRAM - 1) * 4 bytes * (2 / 0.6 - 1).
SHORT_MESSAGE_MAX = int((GRAM - 1) * 4 * (2 / FUZZY_THRESHOLD - 1))


def fstrcmp(a: str, b: str) -> float:
    """gnulib's fstrcmp: (total length - insertions - deletions) / total length, as a double."""
    from rapidfuzz.distance import Indel

    total = len(a) + len(b)
    if total == 0:
        return 1.0
    return (total - Indel.distance(a, b)) / total


def _first_string(message: Message) -> str:
    string = message.string
    return (string[0] if string else "") if isinstance(string, (list, tuple)) else (string or "")


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


class MsgmergeIndex:
    """The fuzzy index msgmerge builds of a catalog's messages (in the catalog's order), built on first use."""

    def __init__(self, definitions: Sequence[Message]) -> None:
        self.messages = [m for m in definitions if _first_string(m)]
        self._grams: dict[str, list[int]] | None = None
        self._short: dict[int, list[int]] = {}

    def _build(self) -> dict[str, list[int]]:
        if self._grams is None:
            self._grams = {}
            for index, message in enumerate(self.messages):
                msgid = _msgid(message)
                for start in range(len(msgid) - GRAM + 1):
                    postings = self._grams.setdefault(msgid[start : start + GRAM], [])
                    if not postings or postings[-1] != index:
                        postings.append(index)
                size = len(msgid.encode("utf-8"))
                if size <= SHORT_MESSAGE_MAX:
                    self._short.setdefault(size, []).append(index)
        return self._grams

    def _candidates(self, msgid: str) -> list[int]:
        grams = self._build()
        if len(msgid) >= GRAM:
            shared: Counter[int] = Counter()
            for start in range(len(msgid) - GRAM + 1):
                shared.update(grams.get(msgid[start : start + GRAM], ()))
            return sorted(shared, key=lambda index: (-shared[index], index))
        size = len(msgid.encode("utf-8"))
        low, high = math.ceil(size / (2 / FUZZY_THRESHOLD - 1)), int(size * (2 / FUZZY_THRESHOLD - 1))
        return [index for length in range(low, high + 1) for index in self._short.get(length, ())]

    def best(self, msgid: str, context: str | None) -> Message | None:
        """The message msgmerge would take as the fuzzy match of ``msgid`` in ``context``, or None."""
        if not self.messages:
            return None
        best_weight, found = FUZZY_THRESHOLD, None
        for index in self._candidates(msgid):
            candidate = self.messages[index]
            bonus = CONTEXT_BONUS if candidate.context is None or candidate.context == context else 0.0
            weight = fstrcmp(msgid, _msgid(candidate)) + bonus
            if weight > best_weight:
                best_weight, found = weight, candidate
        return found
