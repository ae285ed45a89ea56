"""``Plural-Forms`` headers, read and checked as GNU gettext does, without ``eval``.

A catalog's header says how many plural forms its language has and which one a
number takes: ``nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : ...;``. The
expression is C; :func:`parse_plural_forms` parses it with GNU's grammar
(``intl/plural.y``: ``n``, decimal numbers, ``! * / % + - < > <= >= == != && ||
?:`` and parentheses, with C's precedence) and evaluates it as libintl does, in
unsigned 64-bit arithmetic. It then applies ``msgfmt -c``'s checks: for every
n from 0 to 1000 the form must be one of 0 .. nplurals-1, and no division by
zero. ``tests/test_plurals.py`` compares the verdicts with ``msgfmt -c``.

Python's ``gettext.c2py`` is not used: it compiles the expression with
``exec``, refuses expressions GNU accepts (more than 1000 characters, 20
nested parentheses) and computes in signed integers, where ``n-1`` is -1
rather than a huge number.

Two limits GNU does not have keep a hostile header harmless: at most
:data:`MAX_NPLURALS` forms (``update`` makes that many strings for every plural
message) and expressions nested at most :data:`MAX_DEPTH` deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

#: No language has more than six forms; GNU accepts any count, but a header
#: saying a billion would make ``update`` build a billion strings per message.
MAX_NPLURALS = 100
#: How deeply an expression may nest (parentheses, operators): parsing and
#: evaluating recurse once per level.
MAX_DEPTH = 50
#: The numbers ``msgfmt -c`` tries.
CHECKED_NUMBERS = range(0, 1001)

_ULONG = 1 << 64  # libintl computes in unsigned long
_NEGATIVE = 1 << 63  # msgfmt: "(long) val < 0"


class PluralFormsError(ValueError):
    """A ``Plural-Forms`` value gettext cannot use; the message says why, for a translator."""


class _Node:
    """An expression node; :meth:`value` is libintl's ``plural_eval``."""

    def value(self, n: int) -> int:  # pragma: no cover - every node kind overrides it
        raise NotImplementedError


@dataclass(frozen=True)
class _Number(_Node):
    number: int

    def value(self, n: int) -> int:
        return self.number


class _Variable(_Node):
    def value(self, n: int) -> int:
        return n


@dataclass(frozen=True)
class _Not(_Node):
    operand: _Node

    def value(self, n: int) -> int:
        return int(not self.operand.value(n))


def _divide(left: int, right: int) -> int:
    if right == 0:
        raise ZeroDivisionError
    return left // right


def _modulo(left: int, right: int) -> int:
    if right == 0:
        raise ZeroDivisionError
    return left % right


_ARITHMETIC: dict[str, Callable[[int, int], int]] = {
    "*": lambda a, b: (a * b) % _ULONG,
    "/": _divide,
    "%": _modulo,
    "+": lambda a, b: (a + b) % _ULONG,
    "-": lambda a, b: (a - b) % _ULONG,
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b),
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
}


@dataclass(frozen=True)
class _Binary(_Node):
    operator: str
    left: _Node
    right: _Node

    def value(self, n: int) -> int:
        left = self.left.value(n)
        if self.operator == "&&":  # both short-circuit, as in C
            return int(bool(left) and bool(self.right.value(n)))
        if self.operator == "||":
            return int(bool(left) or bool(self.right.value(n)))
        return _ARITHMETIC[self.operator](left, self.right.value(n))


@dataclass(frozen=True)
class _Condition(_Node):
    test: _Node
    then: _Node
    otherwise: _Node

    def value(self, n: int) -> int:
        return self.then.value(n) if self.test.value(n) else self.otherwise.value(n)


# --------------------------------------------------------------------------
# Tokens and grammar: GNU's yylex and plural.y
# --------------------------------------------------------------------------

#: Longest first, as yylex looks one character ahead. A lone "=" or "&" or "|"
#: is an error there; here it matches nothing and is reported as unexpected.
_TOKEN = re.compile(r"[ \t]*(?:(?P<number>[0-9]+)|(?P<op>==|!=|<=|>=|&&|\|\||[-!*/%+<>?:()n]))")
#: yylex ends the expression at the end of the text, ";", a line break or a NUL.
_END = re.compile(r"[ \t]*(?:[;\n\x00]|$)")

#: Binary operators by precedence level, loosest first; all are left-associative.
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))


class _Parser:
    """Precedence climbing over GNU's grammar.

    ``nesting`` counts the open parentheses, conditions and ``!`` being parsed
    (each costs a few stack frames), ``heights`` the height of each tree built
    (evaluation recurses once per level): both stop at MAX_DEPTH.
    """

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while not _END.match(text, position):
            match = _TOKEN.match(text, position)
            if not match:
                shown = text[position:].strip()[:10]
                raise PluralFormsError(f"the plural expression has {shown!r}, which is not part of gettext's C subset")
            position = match.end()
            kind = "number" if match.group("number") else "op"
            self.tokens.append((kind, match.group(kind)))
        self.index = 0
        self.nesting = 0
        self.heights: dict[int, int] = {}  # id(node) -> height of its tree

    def parse(self) -> _Node:
        if not self.tokens:
            raise PluralFormsError("the plural expression is empty")
        node = self._condition()
        if self.index != len(self.tokens):
            raise PluralFormsError(f"the plural expression has an unexpected {self.tokens[self.index][1]!r}")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def _take(self, expected: str) -> None:
        found = self._peek()
        if found != expected:
            where = f"has {found!r}" if found is not None else "ends"
            raise PluralFormsError(f"the plural expression expects {expected!r} but {where}")
        self.index += 1

    def _made(self, node: _Node, *children: _Node) -> _Node:
        height = 1 + max((self.heights.get(id(child), 1) for child in children), default=0)
        if height > MAX_DEPTH:
            raise PluralFormsError(f"the plural expression is nested more than {MAX_DEPTH} levels deep")
        self.heights[id(node)] = height
        return node

    def _nested(self, parse: Callable[[], _Node]) -> _Node:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise PluralFormsError(f"the plural expression is nested more than {MAX_DEPTH} levels deep")
        node = parse()
        self.nesting -= 1
        return node

    def _condition(self) -> _Node:
        """``test ? then : otherwise``, right-associative, loosest of all (C's ``?:``)."""
        test = self._binary(0)
        if self._peek() != "?":
            return test
        self.index += 1
        then = self._nested(self._condition)
        self._take(":")
        otherwise = self._nested(self._condition)
        return self._made(_Condition(test, then, otherwise), test, then, otherwise)

    def _binary(self, level: int) -> _Node:
        """Operators of ``level`` and tighter, each level left-associative."""
        left = self._unary()
        while True:
            operator = self._peek()
            found = next((i for i, ops in enumerate(_LEVELS) if operator in ops), None)
            if found is None or found < level:
                return left
            self.index += 1
            right = self._binary(found + 1)
            left = self._made(_Binary(operator, left, right), left, right)  # type: ignore[arg-type]

    def _unary(self) -> _Node:
        token = self._peek()
        if token == "!":
            self.index += 1
            operand = self._nested(self._unary)
            return self._made(_Not(operand), operand)
        if token == "(":
            self.index += 1
            node = self._nested(self._condition)
            self._take(")")
            return node
        if token == "n":
            self.index += 1
            return _Variable()
        if token is not None and self.tokens[self.index][0] == "number":
            self.index += 1
            return _Number(int(token) % _ULONG)  # yylex's n*10+digit wraps around
        where = f"has {token!r}" if token is not None else "ends"
        raise PluralFormsError(f"the plural expression expects n, a number or '(' but {where}")


# --------------------------------------------------------------------------
# The header field
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PluralForms:
    """A checked ``Plural-Forms`` value."""

    nplurals: int
    expression: str  # as written, up to the ";" that ends it


def _nplurals(value: str) -> int:
    """msgfmt's reading: digits right after ``nplurals=`` and any spaces; what follows them is ignored."""
    start = value.find("nplurals=") + len("nplurals=")
    digits = re.match(r"\s*([0-9]*)", value[start:]).group(1)  # type: ignore[union-attr]
    if not digits:
        raise PluralFormsError("nplurals is not a number (write for example 'nplurals=2;')")
    count = int(digits)
    if count > MAX_NPLURALS:
        raise PluralFormsError(f"nplurals = {count}: no language has more than {MAX_NPLURALS} plural forms")
    return count


def _first_problem(tree: _Node, nplurals: int, forms: list[int]) -> str | None:
    """What ``msgfmt -c`` says of the expression's values for n = 0 .. 1000, or None.

    ``forms`` gets the values, in order, as they are worked out.
    """
    if nplurals == 0:
        return "nplurals = 0: every language has at least one form"
    for n in CHECKED_NUMBERS:
        try:
            value = tree.value(n)
        except ZeroDivisionError:
            return f"the plural expression divides by zero (for n = {n})"
        if value >= _NEGATIVE:
            return f"the plural expression can produce negative values (for n = {n})"
        if value >= nplurals:
            return f"nplurals = {nplurals} but the plural expression gives {value} for n = {n} (forms are 0 to {nplurals - 1})"
        forms.append(value)
    return None


#: The forms of :data:`CHECKED_NUMBERS` of each expression that passed the check,
#: as the check worked them out: :func:`plural_function` looks them up rather
#: than evaluate the expression again (the checks of plural translations ask
#: each of those numbers, a page's counts are mostly among them). A site has a
#: few expressions, one a language; the bound keeps a run over many headers
#: from growing it (a forgotten expression is evaluated, with the same answers).
_CHECKED_FORMS: dict[str, tuple[int, ...]] = {}
_CHECKED_FORMS_KEPT = 64


def _keep_checked_forms(expression: str, forms: list[int]) -> None:
    if len(_CHECKED_FORMS) >= _CHECKED_FORMS_KEPT:
        del _CHECKED_FORMS[next(iter(_CHECKED_FORMS))]  # the oldest
    _CHECKED_FORMS[expression] = tuple(forms)


def _parse(expression: str) -> _Node:
    try:
        return _Parser(expression).parse()
    except RecursionError:  # MAX_DEPTH keeps far from it, unless the caller is itself deep in the stack
        raise PluralFormsError("the plural expression is nested too deeply") from None


def has_both_parts(value: str) -> bool:
    """Whether the value names both ``nplurals=`` and ``plural=`` (gettext ignores a header lacking one)."""
    return "nplurals=" in value and "plural=" in value


def parse_plural_forms(value: str) -> PluralForms:
    """Check a ``Plural-Forms`` value as ``msgfmt -c`` does; raise :class:`PluralFormsError`.

    The value must name both parts (see :func:`has_both_parts`); like msgfmt,
    each is found as the text ``nplurals=`` / ``plural=`` wherever it is.
    """
    if not has_both_parts(value):
        raise PluralFormsError("the Plural-Forms header needs both 'nplurals=N;' and 'plural=EXPRESSION;'")
    nplurals = _nplurals(value)
    start = value.find("plural=") + len("plural=")
    tree = _parse(value[start:])
    end = _END.search(value, start)
    # The text the tree was parsed from: the parser reads up to the same end and
    # skips the spaces and tabs around tokens (any other space is an error).
    expression = value[start : end.start() if end else len(value)].strip()
    forms: list[int] = []
    problem = _first_problem(tree, nplurals, forms)
    if problem:
        raise PluralFormsError(problem)
    _keep_checked_forms(expression, forms)
    return PluralForms(nplurals=nplurals, expression=expression)


def plural_function(expression: str) -> Callable[[int], int]:
    """The form index of a number as libintl computes it, for Python's ``GNUTranslations.plural``.

    Python's own (``gettext.c2py``) compiles the expression with ``exec``,
    refuses some that msgfmt accepts (more than 20 nested parentheses) and
    computes in signed integers. A division by zero, which msgfmt only rules
    out up to 1000, gives form 0 instead of an exception.
    """
    tree = _parse(expression)
    checked_forms = _CHECKED_FORMS.get(expression, ())

    def form(n: int) -> int:
        n = int(n) % _ULONG
        if n < len(checked_forms):
            return checked_forms[n]
        try:
            return tree.value(n)
        except ZeroDivisionError:
            return 0

    return form
