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
from typing import AbstractSet, Iterable, Sequence

from pipeline.formats.po_directives import protected_positions
from pipeline.formats.po_wrap_tables import CLASS_STARTS, CLASS_VALUES, PAIRS, WIDTH_STARTS, WIDTH_VALUES


#: Column limit of GNU gettext's output (``--width`` default).
PAGE_WIDTH = 79
_UNLIMITED = 2**31 - 1  # GNU's width for a no-wrap message


# --------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------

#: The characters a ``.po`` string writes as a backslash and a letter.
ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


def escape(text: str) -> str:
    """``text`` as the inside of a ``.po`` string."""
    return "".join("\\" + ESCAPES[c] if c in ESCAPES else c for c in text)


# --------------------------------------------------------------------------
# Line breaking: libunistring's ``u8_possible_linebreaks`` (its reading of
# Unicode UAX #14) and ``u8_width_linebreaks``, which GNU gettext's ``wrap()``
# calls, with libunistring's own classes and widths (po_wrap_tables).
# --------------------------------------------------------------------------

# libunistring's line breaking classes (its lbrktables.h); those below 33 index the pair table.
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL, H2, H3,
 ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX) = range(43)
HL_BA = 100  # a Hebrew letter followed by a hyphen or break-after: only the loop knows it
#: Classes libunistring resolves before breaking (outside CJK encodings: gettext writes UTF-8).
_RESOLVED = {AI: AL, CB: ID1, SA: AL, XX: AL}
_DIRECT, _INDIRECT = 1, 2  # the pair table's entries (3 is a prohibited break)
_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2


def _class_of(code: int) -> int:
    found = CLASS_VALUES[bisect.bisect_right(CLASS_STARTS, code) - 1]
    return _RESOLVED.get(found, found)


def _width_of(code: int) -> int:
    """Columns of a character as ``uc_width`` counts them; control characters (-1) count none."""
    return max(WIDTH_VALUES[bisect.bisect_right(WIDTH_STARTS, code) - 1], 0)


class _CharTable(dict):
    """A per-code-point table for ``str.translate``, filled on first use of each character.

    A catalog uses a few hundred distinct characters: each is looked up once.
    """

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, code: int) -> str:
        value = self[code] = chr(self.compute(code))
        return value


_CLASS_TABLE = _CharTable(_class_of)
#: A character's class and width in one code (``3 * class + width``: both fit below 128), so a
#: text that is not ASCII goes through the slow per-character ``str.translate`` once, not twice;
#: bytes tables then take the two apart at C speed.
_CELL_TABLE = _CharTable(lambda code: 3 * _class_of(code) + _width_of(code))
_WIDTH_OF_CELL = bytes(cell % 3 for cell in range(256))
_CLASS_OF_CELL = bytes(cell // 3 for cell in range(256))


#: ``_PAIR_ROWS[last][prop]``: whether a line may break between the two classes (pair table).
_PAIR_ROWS = [bytes(_POSSIBLE if entry == _DIRECT else 2 if entry == _INDIRECT else _PROHIBITED for entry in row)
              for row in PAIRS]
_AFTER_SPACE_ONLY = 2  # in _PAIR_ROWS: possible only when spaces came between


def _opportunities(text: str) -> list[int]:
    """For each position, whether a line may (or must) break before it, as libunistring decides.

    ``last`` is the class of the last character that is not a space (a
    combining mark or joiner takes its base's), ``prev`` that of the previous
    character (a Hebrew letter and its hyphen count as ``HL_BA``),
    ``preceding`` that of the character just before. One pass, no calls: it
    runs for every field that needs wrapping.
    """
    result = [_PROHIBITED] * len(text)
    preceding = prev = last = BK
    seen_space = False
    regional = 0  # regional indicators just before this position
    rows = _PAIR_ROWS
    for i, prop in enumerate(text.translate(_CLASS_TABLE).encode("latin-1")):
        if prop < BK and prop != ZWJ:  # a class of the pair table
            if last < RI and preceding != ZWJ and prev != HL_BA:  # the common case: the pair decides
                entry = rows[last][prop]
                if entry == _POSSIBLE or (entry == _AFTER_SPACE_ONLY and seen_space) or (last == IS and text[i] == "<"):
                    result[i] = _POSSIBLE  # (libunistring breaks before "</p>" after a sentence)
            elif last == BK or preceding == ZWJ or prev == HL_BA:
                pass  # no break at the start, after a joiner, or in a Hebrew word's hyphen
            elif last == ZW or (last == IS and text[i] == "<"):
                result[i] = _POSSIBLE
            elif last == RI and prop == RI:  # flags are pairs of regional indicators
                result[i] = _POSSIBLE if seen_space or regional % 2 == 0 else _PROHIBITED
            elif rows[last][prop] == _POSSIBLE or (rows[last][prop] == _AFTER_SPACE_ONLY and seen_space):
                result[i] = _POSSIBLE
            last, seen_space = prop, False
        elif prop == SP:
            seen_space = True
        elif prop == CM or prop == ZWJ:
            if last == BK or last == ZW or seen_space:  # a mark without a base is a letter
                result[i] = _PROHIBITED if last == BK else _POSSIBLE
                last, seen_space = AL, False
        elif prop == ZW:
            last, seen_space = ZW, False
        else:  # BK, LF, CR
            result[i] = _MANDATORY
            prev, last, seen_space, regional = prop, BK, False, 0
            continue
        prev = HL_BA if prev == HL and (prop == HY or prop == BA) else prop
        preceding = prop
        regional = regional + 1 if prop == RI else 0
    return result


def _columns(widths: bytes) -> Sequence[int]:
    """Columns from the start of a portion to each position, from its characters' ``widths``."""
    if widths.count(1) == len(widths):  # one column each (curly quotes, accented letters...)
        return range(len(widths) + 1)
    return [0, *itertools.accumulate(widths)]


#: Classes whose effect reaches past the last class that is no space: marks and joiners (they
#: take their base's class), newlines, zero-width spaces, Hebrew letters, regional indicators.
_LONG_REACH = bytes((CM, ZWJ, ZW, BK, CR, LF, HL, RI))
#: Every other class: deleting these from a portion's classes leaves those of ``_LONG_REACH``.
_SHORT_REACH = bytes(c for c in range(256) if c not in _LONG_REACH)

#: The cell (class and width) of each Latin-1 character, as ``_CELL_TABLE`` gives it, for bytes.translate.
_LATIN1_CELLS = bytes(ord(_CELL_TABLE[code]) for code in range(256))
#: Windows-1252's characters by byte: Latin-1's, but curly quotes, dashes, the ellipsis and the
#: like in place of the C1 controls (five bytes encode nothing: U+FFFD here).
_CP1252_CHARS = bytes(range(256)).decode("cp1252", "replace")
_CP1252_CELLS = bytes(ord(_CELL_TABLE[ord(char)]) for char in _CP1252_CHARS)
_BEYOND_CP1252 = re.compile("[^" + re.escape(_CP1252_CHARS.replace("\ufffd", "")) + "]")


def _cells_of(text: str) -> bytes:
    """``text.translate(_CELL_TABLE).encode("latin-1")``, at C speed for text mostly in Windows-1252.

    ``str.translate`` looks each character of a text that is not ASCII up in the
    table. Encoded as Windows-1252 with ``replace`` the text is one byte a
    character (``?`` for those beyond), which ``bytes.translate`` maps at once;
    that code page holds Latin-1's letters and the curly quotes and dashes of
    most Western prose, so only the characters beyond it are then looked up. A
    text mostly beyond it (CJK, Cyrillic) takes ``str.translate``: most
    characters would be looked up either way.
    """
    latin = text.encode("cp1252", "replace")
    beyond = latin.count(b"?") - text.count("?")
    if beyond * 4 > len(text):
        return text.translate(_CELL_TABLE).encode("latin-1")
    cells = latin.translate(_CP1252_CELLS)
    if not beyond:
        return cells
    patched = bytearray(cells)
    for match in _BEYOND_CP1252.finditer(text):
        patched[match.start()] = ord(_CELL_TABLE[ord(match.group())])
    return bytes(patched)


class _Portion:
    """A portion of a field (up to and with a ``\\n``), escaped, with what wrapping needs of it."""

    __slots__ = ("text", "prohibited", "columns", "_cells", "_classes", "_kinds")

    def __init__(self, text: str, prohibited: AbstractSet[int]) -> None:
        self.text = text
        self.prohibited = prohibited  # positions gettext forbids (inside escapes and directives)
        self._cells: bytes | None = None  # class and width of each character, unless plain ASCII
        if text.isascii() and text.isprintable():
            self.columns: Sequence[int] = range(len(text) + 1)
        else:
            self._cells = _cells_of(text)
            self.columns = _columns(self._cells.translate(_WIDTH_OF_CELL))
        self._classes: bytes | None = None  # only for a portion that does not fit
        self._kinds: list[tuple[int, int]] | None = None

    @property
    def classes(self) -> bytes:
        if self._classes is None:
            if self._cells is None:
                self._classes = self.text.translate(_CLASS_TABLE).encode("latin-1")  # ASCII: translate's fast path
            else:
                self._classes = self._cells.translate(_CLASS_OF_CELL)
        return self._classes

    def simple(self) -> bool:
        """Whether no class of ``_LONG_REACH`` is in the portion (see :func:`_may_break`)."""
        return not self.classes.translate(None, _SHORT_REACH)  # C-level deletion: far faster than a search

    def opportunities(self) -> list[tuple[int, int]]:
        """(position, kind) of each break libunistring allows and gettext does not forbid."""
        if self._kinds is None:
            prohibited = self.prohibited
            self._kinds = [(i, kind) for i, kind in enumerate(_opportunities(self.text)) if kind and i not in prohibited]
        return self._kinds


def _may_break(classes: bytes, text: str, prohibited: AbstractSet[int], i: int) -> bool:
    """Whether a line may break before ``i`` (> 0) in a simple portion of ``classes``.

    Without the classes of ``_LONG_REACH`` the state of
    :func:`_opportunities` is only the last class that is no space and
    whether spaces follow it, so it can be read just before ``i``. A plain
    function over the portion's parts: it runs for each position looked at.
    """
    if classes[i] == SP or i in prohibited:
        return False
    k = i - 1
    while k >= 0 and classes[k] == SP:
        k -= 1
    if k < 0:
        return False  # only spaces before: the start of the text
    last = classes[k]
    if last == IS and text[i] == "<":  # libunistring breaks before "</p>"
        return True
    entry = _PAIR_ROWS[last][classes[i]]
    return entry == _POSSIBLE or (entry == _AFTER_SPACE_ONLY and k < i - 1)


def _breaks(portion: _Portion, width: int, start_column: int) -> list[int]:
    """Where ``ulc_width_linebreaks`` breaks ``portion``: greedily, at the last opportunity that fits.

    A line that reaches past ``width`` ends at the opportunity before the
    piece that overflows (or overflows to the first one); a mandatory break
    (U+2028, U+0085, ...) starts counting anew but gettext writes no line end
    there.
    """
    columns = portion.columns
    if start_column + columns[-1] <= width:
        return []  # fits: no break is possible (most messages)
    if portion.simple():
        return _simple_breaks(portion.text, portion.classes, portion.prohibited, columns, width, start_column)
    breaks: list[int] = []
    last_break = None
    line_column = start_column  # column where the current piece starts
    piece_start = 0
    for i, kind in portion.opportunities():
        if last_break is not None and line_column + columns[i] - piece_start > width:
            breaks.append(last_break)
            line_column = 0
        if kind == _MANDATORY:  # not counted: the character's width starts the next piece
            last_break, line_column, piece_start = None, 0, columns[i + 1]
        else:
            last_break = i
            line_column += columns[i] - piece_start
            piece_start = columns[i]
    if last_break is not None and line_column + columns[-1] - piece_start > width:
        breaks.append(last_break)
    return breaks


#: ``_PAIR_ROWS`` with each row as long as a byte: in a simple portion the only class beyond the
#: table's is a space, before which no line breaks.
_ADJACENT_ROWS = [row.ljust(256, bytes((_PROHIBITED,))) for row in _PAIR_ROWS]
#: Whether a line may break before a class after spaces that follow ``last`` (any but a space):
#: ``_SPACED_ROWS[last][prop]``, true for a possible break and one possible only after spaces.
_SPACED_ROWS = [bytes(entry != _PROHIBITED for entry in row).ljust(256, b"\0") for row in _PAIR_ROWS]


def _simple_breaks(
    text: str, classes: bytes, prohibited: AbstractSet[int], columns: Sequence[int], width: int, start_column: int
) -> list[int]:
    """:func:`_breaks` of a simple portion (no mandatory break), given its parts.

    The greedy rule then amounts to: each line ends at the last opportunity
    that fits, or when none does at the first one; only the few positions
    before where each line reaches the width are examined (most of a long
    message is never looked at).
    """
    size = len(text)
    one_column_each = isinstance(columns, range)  # then a position is its column: no search for it
    breaks: list[int] = []
    line_start, column = 0, start_column
    while columns[size] > columns[line_start] + width - column:
        reach = columns[line_start] + width - column
        fits = reach if one_column_each else bisect.bisect_right(columns, reach) - 1  # the furthest that fits
        position = _first_opportunity(text, classes, prohibited, range(fits, line_start, -1))
        if position is None:  # no opportunity fits: the line overflows to the first one
            position = _first_opportunity(text, classes, prohibited, range(max(fits, line_start) + 1, size))
            if position is None:
                return breaks
        breaks.append(position)
        line_start, column = position, 0
    return breaks


def _first_opportunity(text: str, classes: bytes, prohibited: AbstractSet[int], positions: range) -> int | None:
    """The first of ``positions`` where a simple portion's line may break, or None.

    What :func:`_may_break` decides, without a call where the character
    before is no ``IS`` (whose rule looks at the text): after a space the
    last class that is no space and the pair table's row for spaces decide
    (a word's start, where most lines end); after another class the pair
    table alone does (most positions looked at are inside words).
    """
    adjacent, spaced = _ADJACENT_ROWS, _SPACED_ROWS
    for position in positions:
        before = classes[position - 1]
        if before == SP:
            k = position - 2
            while k >= 0 and classes[k] == SP:
                k -= 1
            if k >= 0 and position not in prohibited:
                last = classes[k]
                if spaced[last][classes[position]] or (last == IS and text[position] == "<"):
                    return position
        elif before != IS:
            if adjacent[before][classes[position]] == _POSSIBLE and position not in prohibited:
                return position
        elif _may_break(classes, text, prohibited, position):
            return position
    return None


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


def _has_escapable(text: str) -> bool:
    """Whether ``escape`` changes ``text``: a C-level search per character to escape beats one
    regex search of the text (most texts hold none of them)."""
    for char in _ESCAPE_ORDER:
        if char in text:
            return True
    return False


def _escaped_portion(portion: str, inside: Iterable[int] = ()) -> tuple[str, set[int]]:
    """The escaped text and the positions where GNU forbids a break.

    That is inside escapes, and at the characters ``inside`` (those of format
    directives, see :mod:`pipeline.formats.po_directives`).
    """
    if not inside and not _has_escapable(portion):
        return portion, set()  # most portions: nothing to escape, no directive
    escaped = [m.start() for m in _ESCAPABLE.finditer(portion)]
    # The k-th escaped character lands k characters further right; its letter one more.
    prohibited = {start + k + 1 for k, start in enumerate(escaped)}
    prohibited.update(index + bisect.bisect_left(escaped, index) for index in inside)
    if not escaped:
        return portion, prohibited
    text = _escape_all(portion)
    if portion.endswith("\n"):
        prohibited.add(len(text) - 2)  # never break just before the final "\n"
    return text, prohibited


#: The longest portion whose escaping is remembered (headers' lines, short repeated strings).
_REMEMBERED_PORTION = 200


@functools.lru_cache(maxsize=4096)
def _escaped_without_directives(portion: str) -> tuple[str, frozenset[int]]:
    """:func:`_escaped_portion` of a short portion without directives, remembered: every
    catalog's header repeats most of its lines, and each is a portion of its own."""
    text, prohibited = _escaped_portion(portion)
    return text, frozenset(prohibited)


def wrap_field(
    name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH, wrap: bool = True, language: str | None = None
) -> list[str]:
    """The lines of ``name "value"`` as GNU gettext's ``wrap()`` writes them.

    ``wrap`` is false for a message flagged ``no-wrap``: GNU then breaks lines
    only after each ``\\n`` (its page width becomes ``INT_MAX``). ``language``
    is the message's format language (:func:`~pipeline.formats.po_directives.format_language`):
    GNU never breaks inside one of its directives.
    """
    return list(wrapped_lines(name, value, prefix, width if wrap else _UNLIMITED, language))


def wrapped_lines(
    name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH, language: str | None = None
) -> tuple[str, ...]:
    """:func:`wrap_field`'s lines of a wrapped field, as a tuple: no copy for a caller that only reads them."""
    # Only source texts are remembered: update writes each msgid once per locale
    # (a thousand-article site has some 25,000), while a translation is written
    # once and would only push them out. A huge message is not kept in memory.
    if name.startswith("msgstr") or len(value) > 4096:
        return _wrapped.__wrapped__(name, value, prefix, width, language)
    return _wrapped(name, value, prefix, width, language)


#: A field's portions: each up to and with a "\n", and what follows the last.
_PORTIONS = re.compile(r"[^\n]*\n|[^\n]+")


def _first_portion_breaks(portion: _Portion, width: int, start_column: int, own_line: bool) -> tuple[bool, list[int]]:
    """Whether a field's first portion starts on a line of its own (after ``name ""``), and its breaks.

    GNU puts it there when more portions follow or the name fills the line
    (``own_line``), or when the portion would break after the name; its breaks
    are then counted from column 0. In a simple portion a break from column 0
    means one after the name too (the first line only gets shorter), so the
    breaks after the name are worked out only when that does not decide.
    """
    from_zero = _breaks(portion, width, 0)
    if own_line or (from_zero and portion.simple()) or _breaks(portion, width, start_column):
        return True, from_zero
    return False, []


@functools.lru_cache(maxsize=65536)
def _wrapped(name: str, value: str, prefix: str, width: int, language: str | None) -> tuple[str, ...]:
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    if "\n" not in value:
        lines = _plain_lines(name, value, prefix, line_width, language)
        if lines is not None:
            return lines
    return _portions_lines(name, value, prefix, line_width, language)


def _portions_lines(name: str, value: str, prefix: str, line_width: int, language: str | None) -> tuple[str, ...]:
    """The general form of :func:`_wrapped`: portion by portion, each laid out as a :class:`_Portion`."""
    inside = protected_positions(value, language)
    portions = _PORTIONS.findall(value) or [""] if "\n" in value else [value]
    lines: list[str] = []
    offset = 0
    for number, portion in enumerate(portions):
        end = offset + len(portion)
        directives = tuple(i - offset for i in inside if offset <= i < end)
        offset = end
        if lines:  # the name is written: the portion's lines depend on nothing else
            if directives or len(portion) > _REMEMBERED_PORTION:
                lines += _later_portion_lines(portion, directives, prefix, line_width)
            else:
                lines += _remembered_later_portion_lines(portion, prefix, line_width)
            continue
        if directives or len(portion) > _REMEMBERED_PORTION:
            text, prohibited = _escaped_portion(portion, directives)
        else:
            text, prohibited = _escaped_without_directives(portion)
        layout = _Portion(text, prohibited)
        start = len(name) + 1
        breaks: list[int] = []
        if text:
            own_line_first = number < len(portions) - 1 or start > line_width
            own_line, breaks = _first_portion_breaks(layout, line_width, start, own_line_first)
            if own_line:
                lines.append(f'{prefix}{name} ""')
        else:
            breaks = _breaks(layout, line_width, start)
        pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        for piece in pieces:
            lines.append(f'{prefix}{name} "{piece}"' if not lines else f'{prefix}"{piece}"')
    return tuple(lines)


def _later_portion_lines(portion: str, directives: Iterable[int], prefix: str, line_width: int) -> tuple[str, ...]:
    """The lines of a portion after a field's first line: each starts with ``prefix``, from column 0."""
    text, prohibited = _escaped_portion(portion, directives)
    breaks = _breaks(_Portion(text, prohibited), line_width, 0)
    return tuple(f'{prefix}"{text[a:b]}"' for a, b in zip([0, *breaks], [*breaks, len(text)]))


@functools.lru_cache(maxsize=4096)
def _remembered_later_portion_lines(portion: str, prefix: str, line_width: int) -> tuple[str, ...]:
    """:func:`_later_portion_lines` of a short portion without directives, remembered: the
    lines of a header's fields after its first are the same in most catalogs."""
    return _later_portion_lines(portion, (), prefix, line_width)


#: The cells of plain characters: one column wide, of no class in ``_LONG_REACH``.
_PLAIN_CELLS = bytes(cell for cell in range(256) if cell % 3 == 1 and cell // 3 not in _LONG_REACH)
#: The class of each ASCII (and Latin-1) character, for bytes.translate.
_LATIN1_CLASSES = _LATIN1_CELLS.translate(_CLASS_OF_CELL)


def _plain_lines(name: str, value: str, prefix: str, line_width: int, language: str | None) -> tuple[str, ...] | None:
    """:func:`_wrapped` of a one-portion field (no ``\\n``) when it is plain, else None.

    Plain: no directive, and its escaped text is plain characters (most
    messages of Latin, Greek or Cyrillic text). This is what the general loop
    does for one such portion: the same escaped text and forbidden positions,
    but a simple portion whose columns are its positions, laid out without a
    :class:`_Portion`; its first line is decided as :func:`_first_portion_breaks`
    decides it.
    """
    if language is not None and protected_positions(value, language):
        return None
    text, prohibited = _escaped_portion(value)  # a field is seldom written twice: nothing to remember
    start, size = len(name) + 1, len(text)
    if text.isascii():
        if start + size <= line_width or not text:  # an ASCII character is at most one column
            return (f'{prefix}{name} "{text}"',)
        if not text.isprintable():  # a control character: not plain
            return None
        classes = text.encode("ascii").translate(_LATIN1_CLASSES)
    else:
        cells = _cells_of(text)
        if cells.translate(None, _PLAIN_CELLS):
            return None
        if start + size <= line_width:
            return (f'{prefix}{name} "{text}"',)
        classes = cells.translate(_CLASS_OF_CELL)
    columns = range(size + 1)
    breaks = _simple_breaks(text, classes, prohibited, columns, line_width, 0)
    if not breaks:
        if start > line_width or _simple_breaks(text, classes, prohibited, columns, line_width, start):
            return (f'{prefix}{name} ""', f'{prefix}"{text}"')
        return (f'{prefix}{name} "{text}"',)
    lines = [f'{prefix}{name} ""']
    line_start = 0
    for line_end in breaks:
        lines.append(f'{prefix}"{text[line_start:line_end]}"')
        line_start = line_end
    lines.append(f'{prefix}"{text[line_start:]}"')
    return tuple(lines)
