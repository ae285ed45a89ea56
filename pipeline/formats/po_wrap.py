"""GNU gettext's line wrapping of ``.po`` fields, as ``msgcat`` writes them.

The writer in :mod:`pipeline.formats.po` lays out each ``msgid``/``msgstr``
with :func:`wrap_field`; it breaks lines where GNU gettext's ``wrap()`` does
(libunistring's line breaking at the 79-column page width), so a file
rewritten by ``msgcat``, ``msgmerge`` or this project is the same bytes.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from typing import Sequence


#: Column limit of GNU gettext's output (``--width`` default).
PAGE_WIDTH = 79


# --------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------

#: The characters a ``.po`` string writes as a backslash and a letter.
ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


def escape(text: str) -> str:
    """``text`` as the inside of a ``.po`` string."""
    return "".join("\\" + ESCAPES[c] if c in ESCAPES else c for c in text)


# --------------------------------------------------------------------------
# Line breaking: the part of Unicode UAX #14 that libunistring (used by GNU
# gettext) applies to the text of articles: Latin and CJK prose, punctuation,
# the short tags of messages, URLs and placeholders.
# --------------------------------------------------------------------------

_ASCII_CLASSES = {
    "!": "EX", '"': "QU", "$": "PR", "%": "PO", "'": "QU", "(": "OP", ")": "CP", "+": "PR",
    ",": "IS", "-": "HY", ".": "IS", "/": "SY", ":": "IS", ";": "IS", "?": "EX", "[": "OP",
    "\\": "PR", "]": "CP", "{": "OP", "|": "BA", "}": "CL", " ": "SP", "\t": "BA",
}
_OTHER_CLASSES = {
    "\u00a0": "GL", "\u202f": "GL", "\u2007": "GL", "\u2011": "GL", "\u00ab": "QU", "\u00bb": "QU",
    "\u2018": "QU", "\u2019": "QU", "\u201c": "QU", "\u201d": "QU", "\u201a": "OP", "\u201e": "OP",
    "\u2010": "BA", "\u2012": "BA", "\u2013": "BA", "\u2014": "B2", "\u2026": "IN", "\u2024": "IN",
    "\u2025": "IN", "\u00b0": "PO", "\u2030": "PO", "\u2032": "PO", "\u00a3": "PR", "\u00a5": "PR",
    "\u20ac": "PR", "\u00b1": "PR", "\u00ad": "BA", "\u200b": "ZW", "\u3000": "BA",
    "\u3001": "CL", "\u3002": "CL", "\uff0c": "CL", "\uff0e": "CL", "\ufe50": "CL", "\ufe52": "CL",
    "\uff61": "CL", "\uff64": "CL", "\uff1a": "NS", "\uff1b": "NS", "\uff01": "EX", "\uff1f": "EX",
    "\uff08": "OP", "\uff09": "CL", "\uff3b": "OP", "\uff3d": "CL", "\uff5b": "OP", "\uff5d": "CL",
    "\u3005": "NS", "\u303b": "NS", "\u30fc": "NS", "\u30fb": "NS", "\u309d": "NS", "\u309e": "NS",
    "\u30fd": "NS", "\u30fe": "NS", "\u301c": "NS", "\uff5e": "ID",
}
for _open, _close in zip("\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301a", "\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u3019\u301b"):
    _OTHER_CLASSES[_open] = "OP"
    _OTHER_CLASSES[_close] = "CL"
_SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
_ID_RANGES = (
    (0x1100, 0x115F), (0x2E80, 0x2FFF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x3190, 0x31FF),
    (0x3200, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F), (0xFF01, 0xFF60), (0xFFE0, 0xFFE6), (0x1F000, 0x1FAFF), (0x20000, 0x3FFFD),
)


@functools.lru_cache(maxsize=4096)  # a catalog uses few distinct characters: classify each once
def _line_class(char: str) -> str:
    if char in _ASCII_CLASSES:
        return _ASCII_CLASSES[char]
    if char in _OTHER_CLASSES:
        return _OTHER_CLASSES[char]
    if char < "\x80":
        return "NU" if char.isdigit() else "AL"
    if char in _SMALL_KANA:
        return "NS"
    code = ord(char)
    if any(low <= code <= high for low, high in _ID_RANGES):
        return "ID"
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Mc"):
        return "CM"
    if category == "Nd":
        return "NU"
    if category == "Zs":
        return "BA"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    return "AL"


@functools.lru_cache(maxsize=None)  # a few hundred class pairs at most
def _pair_breaks(before: str, after: str) -> bool:
    """Whether a line may break between two non-space classes (UAX #14 LB12-LB31)."""
    if before == "GL" or (after == "GL" and before not in ("BA", "HY")):
        return False
    if after in ("CL", "CP", "EX", "IS", "SY", "CM", "ZW"):
        return False
    if before == "OP" or (before == "B2" and after == "B2"):
        return False
    if before == "QU" or after == "QU":
        return False
    if after in ("BA", "HY", "NS") or before == "BB":
        return False
    if after == "IN" and before in ("AL", "ID", "IN", "NU", "EX"):
        return False
    if (before, after) in (("AL", "NU"), ("NU", "AL"), ("PR", "ID"), ("PR", "AL"), ("PO", "AL")):
        return False
    if before in ("CL", "CP", "NU") and after in ("PO", "PR"):
        return False
    if before in ("PO", "PR") and after in ("OP", "NU"):
        return False
    if before in ("HY", "IS", "NU", "SY") and after == "NU":
        return False
    if before == "AL" and after == "AL":
        return False
    if before in ("AL", "NU") and after == "OP":
        return False
    if before == "CP" and after in ("AL", "NU"):
        return False
    return True


class _CharTable(dict):
    """A per-character table filled on first use of each character.

    A catalog uses a few hundred distinct characters: each is classified once.
    Keys are characters, or code points for ``str.translate``.
    """

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


@functools.lru_cache(maxsize=4096)
def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_CLASS = _CharTable(_line_class)
_WIDTH_TABLE = _CharTable(lambda code: chr(_width(chr(code))))  # for str.translate
_LETTER_OR_DIGIT = frozenset(("AL", "NU"))  # never a break between these two classes


def _base_class(text: str, index: int) -> str:
    """The class a line break sees at ``index`` (not a space): a combining mark takes its base's."""
    found = _CLASS[text[index]]
    if found != "CM":
        return found
    k = index - 1
    while k >= 0 and _CLASS[text[k]] in ("SP", "CM"):
        k -= 1
    return _CLASS[text[k]] if k >= 0 else "CM"


def _is_break(text: str, i: int, prohibited: set[int]) -> bool:
    """Whether a line may break before ``text[i]`` (UAX #14 as libunistring applies it)."""
    if i in prohibited:
        return False
    after, before = _CLASS[text[i]], _CLASS[text[i - 1]]
    if after == "SP" or (after in _LETTER_OR_DIGIT and before in _LETTER_OR_DIGIT):
        return False
    if before != "SP":
        return _pair_breaks(_base_class(text, i - 1), after)
    k = i - 2
    while k >= 0 and _CLASS[text[k]] == "SP":
        k -= 1
    context = _base_class(text, k) if k >= 0 else None
    return not (
        context == "OP"
        or (context == "QU" and after == "OP")
        or (context in ("CL", "CP") and after == "NS")
        or (context == "B2" and after == "B2")
    )


def _wrap_portion(portion: str, prohibited: set[int], width: int, start_column: int) -> list[int]:
    """Break positions in ``portion`` as libunistring's ``ulc_width_linebreaks`` picks them.

    Its greedy rule ends each line at the last break opportunity that still
    fits (or, when none does, at the first one), so only the few positions
    before where each line reaches the width are examined, not every one.
    Columns count wide CJK characters two and combining marks none.
    """
    size = len(portion)
    if portion.isascii():
        columns: Sequence[int] = range(size + 1)
    else:
        columns = [0, *itertools.accumulate(portion.translate(_WIDTH_TABLE).encode("latin-1"))]
    breaks: list[int] = []
    line_start, column = 0, start_column
    while True:
        room = columns[line_start] + width - column  # the last column this line may reach
        if columns[size] <= room:
            return breaks
        fits = bisect.bisect_right(columns, room) - 1  # the furthest position that fits
        position = next((i for i in range(fits, line_start, -1) if _is_break(portion, i, prohibited)), None)
        if position is None:  # no opportunity fits: the line overflows to the first one
            start = max(fits, line_start) + 1
            position = next((i for i in range(start, size) if _is_break(portion, i, prohibited)), None)
            if position is None:
                return breaks
        breaks.append(position)
        line_start, column = position, 0


#: The backslash first, so the backslashes the others add are not doubled.
_ESCAPE_ORDER = sorted(ESCAPES, key=lambda char: char != "\\")


def _escape_all(text: str) -> str:
    """``escape`` for whole strings: one C-level replace per character present
    (str.translate with a dict looks up every character of the text)."""
    for char in _ESCAPE_ORDER:
        if char in text:
            text = text.replace(char, "\\" + ESCAPES[char])
    return text
_ESCAPABLE = re.compile("[" + re.escape("".join(ESCAPES)) + "]")


def _escaped_portion(portion: str) -> tuple[str, set[int]]:
    """The escaped text and the positions where GNU forbids a break (inside escapes)."""
    # The k-th escaped character lands k characters further right; its letter one more.
    prohibited = {m.start() + k + 1 for k, m in enumerate(_ESCAPABLE.finditer(portion))}
    if not prohibited:
        return portion, prohibited
    text = _escape_all(portion)
    if portion.endswith("\n"):
        prohibited.add(len(text) - 2)  # never break just before the final "\n"
    return text, prohibited


def wrap_field(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``name "value"`` as GNU gettext's ``wrap()`` writes them."""
    # Only source texts are remembered: update writes each msgid once per locale
    # (a thousand-article site has some 25,000), while a translation is written
    # once and would only push them out. A huge message is not kept in memory.
    if name.startswith("msgstr") or len(value) > 4096:
        return list(_wrapped.__wrapped__(name, value, prefix, width))
    return list(_wrapped(name, value, prefix, width))


@functools.lru_cache(maxsize=65536)
def _wrapped(name: str, value: str, prefix: str, width: int) -> tuple[str, ...]:
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    if "\n" not in value and value.isascii() and value.isprintable():
        text, _ = _escaped_portion(value)
        if len(name) + 1 + len(text) <= line_width:  # fits: no break is possible (most short messages)
            return (f'{prefix}{name} "{text}"',)
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first_line = True
    for number, portion in enumerate(portions):
        text, prohibited = _escaped_portion(portion)
        more_follow = number < len(portions) - 1
        start = len(name) + 1 if first_line else 0
        breaks = _wrap_portion(text, prohibited, line_width, start)
        if first_line and text and (more_follow or start > line_width or breaks):
            lines.append(f'{prefix}{name} ""')
            first_line = False
            start = 0
            breaks = _wrap_portion(text, prohibited, line_width, start)
        pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        for piece in pieces:
            head = f"{prefix}{name} " if first_line else prefix
            lines.append(f'{head}"{piece}"')
            first_line = False
    return tuple(lines)
