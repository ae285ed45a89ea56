"""Where GNU gettext forbids a line break because of format directives.

GNU ``wrap()`` never breaks a line inside a valid format directive of the
message's format language (the first of its ``X-format`` flags in gettext's
order): ``%(name)s`` stays on one line. Its parsers mark each directive's
first byte, last byte or error byte; a run from a first byte to the next last
byte is protected unless that byte is an error. Reproduced here are
``format-python.c`` and ``format-python-brace.c`` of gettext 0.21, on the
UTF-8 bytes as they read them. The brace parser marks its bytes relative to
the start of each directive instead of the string (a GNU bug): whatever its
directives, the protected run is at the start of the string, and this module
puts it where GNU does. Other languages protect nothing here.
"""

from __future__ import annotations

import itertools
from typing import Iterable

#: GNU gettext's format languages, in its order: that of the ``-format`` flags it writes.
FORMAT_LANGUAGES = (
    "c objc python python-brace java java-printf csharp javascript scheme lisp elisp librep ruby sh awk lua "
    "object-pascal smalltalk qt qt-plural kde kde-kuit boost tcl perl perl-brace php gcc-internal gfc-internal ycp"
).split()

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_PART = _NAME_START | _DIGITS


def format_language(flags: Iterable[str]) -> str | None:
    """The language whose directives GNU protects: the first one in its order flagged ``X-format``."""
    flagged = {flag[: -len("-format")] for flag in flags if flag.endswith("-format")}
    return next((language for language in FORMAT_LANGUAGES if language in flagged), None)


def protected_positions(text: str, language: str | None) -> list[int]:
    """Indexes of the characters of ``text`` before which GNU forbids a break for its directives."""
    if language not in _PARSERS or not text or not any(c in text for c in "%{"):
        return []
    data = text.encode("utf-8").decode("latin-1")  # one character a byte, as GNU's parsers read
    marks: dict[int, int] = {}
    _PARSERS[language](data, marks)
    protected = _protected_bytes(marks, len(data))
    if not protected:
        return []
    starts = itertools.accumulate((len(c.encode("utf-8")) for c in text), initial=0)
    return [index for index, offset in enumerate(starts) if offset in protected]


_START, _END, _ERROR = 1, 2, 4  # FMTDIR_START, FMTDIR_END, FMTDIR_ERROR


def _protected_bytes(marks: dict[int, int], size: int) -> set[int]:
    """The bytes of valid directives but their first, as ``wrap()`` turns marks into attributes."""
    protected: set[int] = set()
    offset = 0
    while offset < size:
        if marks.get(offset, 0) & _START:
            last = next(k for k in range(offset, size) if marks.get(k, 0) & (_END | _ERROR))
            if not marks[last] & _ERROR:
                protected.update(range(offset + 1, last + 1))
            offset = last
        offset += 1
    return protected


def _mark(marks: dict[int, int], offset: int, flag: int) -> None:
    marks[offset] = marks.get(offset, 0) | flag


def _at(text: str, index: int) -> str:
    return text[index] if index < len(text) else ""


def _skip(text: str, index: int, allowed: frozenset[str]) -> int:
    while index < len(text) and text[index] in allowed:
        index += 1
    return index


def _python(text: str, marks: dict[int, int]) -> None:
    """``%`` directives: ``%(name)`` or not, flags, width, precision, length, conversion."""
    named = unnamed = 0
    i = text.find("%")
    while i >= 0:
        _mark(marks, i, _START)
        i += 1
        name = None
        if _at(text, i) == "(":
            depth, name_start = 0, i + 1
            i = name_start
            while i < len(text) and not (text[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if i >= len(text):
                return _mark(marks, i - 1, _ERROR)
            name, i = text[name_start:i], i + 1
        i = _skip(text, i, frozenset("-+ #0"))
        for precision in (False, True):
            if precision:
                if _at(text, i) != ".":
                    break
                i += 1
            if _at(text, i) == "*":
                if named:
                    return _mark(marks, i, _ERROR)
                unnamed, i = unnamed + 1, i + 1
            else:
                i = _skip(text, i, _DIGITS)
        if _at(text, i) in ("h", "l", "L"):
            i += 1
        conversion = _at(text, i)
        if not conversion or conversion not in "%csridouxXeEfgG":
            return _mark(marks, i - 1 if not conversion else i, _ERROR)
        if (name is not None and unnamed) or (name is None and conversion != "%" and named):
            return _mark(marks, i, _ERROR)  # named and unnamed arguments cannot mix
        if name is not None:
            named += 1
        elif conversion != "%":
            unnamed += 1
        _mark(marks, i, _END)
        i = text.find("%", i + 1)


class _Invalid(Exception):
    """A brace directive is invalid: GNU's parser stops there."""


class _BraceParser:
    """``{field.attr[key]:spec}`` directives; ``{{`` is a plain brace."""

    def __init__(self, text: str, marks: dict[int, int]) -> None:
        self.text = text
        self.marks = marks
        self.numbered = self.unnamed = 0

    def parse(self) -> None:
        index = self.text.find("{")
        try:
            while index >= 0:
                index = self.text.find("{", self._directive(index, toplevel=True))
        except _Invalid:
            pass

    def _fail(self, start: int, offset: int) -> None:
        _mark(self.marks, offset - start, _ERROR)  # relative to the directive, as GNU marks
        raise _Invalid

    def _field(self, i: int, numeric_too: bool) -> int | None:
        """The end of a name (or a number) starting at ``i``, or None."""
        char = _at(self.text, i)
        if char and char in _NAME_START:
            return _skip(self.text, i + 1, _NAME_PART)
        if numeric_too and char and char in _DIGITS:
            return _skip(self.text, i + 1, _DIGITS)
        return None

    def _directive(self, start: int, toplevel: bool) -> int:
        """The index after the directive at ``start`` (a ``{``)."""
        text, i = self.text, start + 1
        if _at(text, i) == "{":
            return i + 1
        name_start = i
        end = self._field(i, numeric_too=True)
        if end is not None:
            i = self._accessors(start, end)
        elif not _at(text, i):
            self._fail(start, i - 1)
        elif not (toplevel and text[i] in (":", "}")):
            self._fail(start, i)
        name_end = i
        if _at(text, i) == ":":
            if not toplevel:
                self._fail(start, i)
            i = self._specifier(start, i + 1)
        if _at(text, i) != "}":
            self._fail(start, i - 1)
        if toplevel:
            _mark(self.marks, 0, _START)  # name_start - 1, relative to the directive: 0
            self._count(start, i, text[name_start:name_end])
            _mark(self.marks, i - start, _END)
        return i + 1

    def _accessors(self, start: int, i: int) -> int:
        """After a field name: any chain of ``.name`` and ``[key]``."""
        while True:
            char = _at(self.text, i)
            if char not in (".", "["):
                return i
            i += 1
            end = self._field(i, numeric_too=char == "[")
            if end is None:
                self._fail(start, i - 1 if not _at(self.text, i) else i)
            i = end
            if char == "[":
                if _at(self.text, i) != "]":
                    self._fail(start, i - 1)
                i += 1

    def _specifier(self, start: int, i: int) -> int:
        """After ``:``: a nested directive, or ``[[fill]align][sign][#][0][width][.precision][type]``."""
        text = self.text
        if _at(text, i) == "{":
            return self._directive(i, toplevel=False)
        if i >= len(text):
            self._fail(start, i - 1)
        first, second = text[i], _at(text, i + 1)
        if second and second in "<>=^":
            i += 2
        elif first in "<>=^":
            i += 1
        for optional in ("+- ", "#", "0"):
            if _at(text, i) and _at(text, i) in optional:
                i += 1
        i = _skip(text, i, _DIGITS)
        if _at(text, i) == "." and _at(text, i + 1) and _at(text, i + 1) in _DIGITS:
            i = _skip(text, i + 1, _DIGITS)
        if _at(text, i) and _at(text, i) in "bcdoxXneEfFgG%":
            i += 1
        return i

    def _count(self, start: int, close: int, name: str) -> None:
        """Numbered and automatically numbered fields cannot mix."""
        if not name:
            if self.numbered:
                self._fail(start, close)
            self.unnamed += 1
        elif name[0] in _DIGITS:
            if self.unnamed:
                self._fail(start, close)
            self.numbered += 1


def _python_brace(text: str, marks: dict[int, int]) -> None:
    _BraceParser(text, marks).parse()


_PARSERS = {"python": _python, "python-brace": _python_brace}
