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
from typing import Sequence

from babel.messages.catalog import Message

from pipeline.catalogs.model import has_translation, singular

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


def _grams_of(text: str) -> set[str]:
    """The character GRAM-grams of ``text`` (none when it is shorter)."""
    return set(map("".join, zip(*(text[start:] for start in range(GRAM)))))


class MsgmergeIndex:
    """msgmerge's fuzzy search over a catalog's messages (in the catalog's order).

    msgmerge walks its candidates in a fixed order and keeps the first of the
    highest weight; only candidates above the threshold can win, so rapidfuzz
    first finds those among all messages (in C), and msgmerge's order is then
    worked out for them alone.
    """

    #: Below this plain similarity no candidate can reach the threshold, even with the bonus.
    PREFILTER = FUZZY_THRESHOLD - 10 * CONTEXT_BONUS

    def __init__(self, definitions: Sequence[Message]) -> None:
        self.messages = [m for m in definitions if has_translation(m)]
        self.msgids = [singular(m) for m in self.messages]

    def _ordered(self, msgid: str, hits: list[int]) -> list[int]:
        """``hits`` that msgmerge would look at, in the order it looks at them."""
        if len(msgid) >= GRAM:
            starts = range(len(msgid) - GRAM + 1)
            if len(hits) == 1:  # a single candidate needs no count, only one shared gram (one in its text)
                text = self.msgids[hits[0]]
                return hits if any(msgid[start : start + GRAM] in text for start in starts) else []
            grams = [msgid[start : start + GRAM] for start in starts]
            shared = {}
            for index in hits:
                count = sum(map(_grams_of(self.msgids[index]).__contains__, grams))
                if count:
                    shared[index] = count
            return sorted(shared, key=lambda index: (-shared[index], index))
        size = len(msgid.encode("utf-8"))
        low, high = math.ceil(size / (2 / FUZZY_THRESHOLD - 1)), int(size * (2 / FUZZY_THRESHOLD - 1))
        lengths = {index: len(self.msgids[index].encode("utf-8")) for index in hits}
        return sorted(
            (index for index in hits if low <= lengths[index] <= min(high, SHORT_MESSAGE_MAX)),
            key=lambda index: (lengths[index], index),
        )

    def best(self, msgid: str, context: str | None) -> Message | None:
        """The message msgmerge would take as the fuzzy match of ``msgid`` in ``context``, or None."""
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        if not self.messages:
            return None
        found = process.extract(
            msgid, self.msgids, scorer=Indel.normalized_similarity, score_cutoff=self.PREFILTER, limit=None
        )
        best_weight, best = FUZZY_THRESHOLD, None
        for index in self._ordered(msgid, [position for _, _, position in found]):
            candidate = self.messages[index]
            bonus = CONTEXT_BONUS if candidate.context is None or candidate.context == context else 0.0
            weight = fstrcmp(msgid, self.msgids[index]) + bonus
            if weight > best_weight:
                best_weight, best = weight, candidate
        return best
