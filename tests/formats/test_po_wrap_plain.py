"""The wrapper's plain path lays a field out as its general path does.

A field of one portion whose escaped text is plain (every character one
column, no class reaching past the last non-space one) and without
directives is laid out by ``_plain_lines`` without a ``_Portion``; a line's
search for its break decides after spaces and inside words without
``_may_break``; ``_simple_breaks`` takes a position for its column when each
character is one column. Each is compared here with its general form over
prose, hostile text and random text, at page widths down to a few columns.
"""

from __future__ import annotations

import pytest
import random

from helpers.random_text import random_text
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats import po_wrap

_PROSE = (
    "Americans have gone to the polls four times this month to vote in major, statewide races. "
    "“Governor @MattBevin has done a wonderful job!” Trump <a>tweeted</a> before Election Day. "
    "L’élève a dit : « c’est fini » — vraiment ? See http://example.com/a-b?c=d, e.g. (ML) "
    "well-known 1,000.50 US$5 82% and/or \"quoted\" back\\slash. Инженеры машинного обучения "
)
_HOSTILE = (
    "\"", "\\", "\t", "  ", "   ", "<", ".<", ". <", ",", "-", "/", "\u0301", "\u200b", "\u200d", "\xa0",
    "\u202f", "👍🏻", "🇫🇷", "机", "。", "א", "%(n)s", "{name}", "\x01", "?", "’", "—", "</a>", "(", ")",
    "«", "»", "\u00ad", "$", "%", ";", ":", "!", "}", "]", "|",
)
_NAMES = ("msgid", "msgstr", "msgstr[1]", "msgctxt", "msgid_plural")
_PREFIXES = ("", "#~ ", "#| ", "#~| ")
_LINE_WIDTHS = (77, 77, 40, 20, 9, 5, 2, 2**31 - 3)
_LANGUAGES = (None, None, "python", "python-brace")


def _texts(rng: random.Random) -> list[str]:
    texts = ["", " ", "x", " leading", "trailing ", "a" * 200, "word " * 60, _PROSE, _PROSE * 3]
    for _ in range(2500):
        start = rng.randrange(len(_PROSE))
        text = list(_PROSE[start:start + rng.randint(0, 300)])
        for _ in range(rng.randint(0, 5)):
            text.insert(rng.randint(0, len(text)), rng.choice(_HOSTILE))
        texts.append("".join(text))
        texts.append(random_text(rng, rng.choice((5, 20, 60))).replace("\n", " "))
    return texts


def _check(name: str, value: str, prefix: str, line_width: int, language: str | None) -> bool:
    """Compare the plain path with the general one; whether the plain path took the field."""
    plain = po_wrap._plain_lines(name, value, prefix, line_width, language)
    if plain is not None:
        assert plain == po_wrap._portions_lines(name, value, prefix, line_width, language), (name, value, line_width)
    return plain is not None


def test_plain_lines_are_the_general_lines():
    rng = random.Random(16)
    taken = 0
    texts = _texts(rng)
    for text in texts:
        taken += _check(rng.choice(_NAMES), text, rng.choice(_PREFIXES), rng.choice(_LINE_WIDTHS), rng.choice(_LANGUAGES))
    assert taken > len(texts) // 3  # the plain path is not left untested


@pytest.mark.slow
def test_plain_lines_at_every_width_and_length():
    """Fields just fitting after the name or not, longer than the line or not, a name wider than it."""
    texts = (_PROSE, _PROSE.replace(" ", "-"), "x" * 100 + " y", "(" + "a " * 50, "“" + "b" * 99, "é " * 50, "’" + "word " * 20)
    for width in range(1, 90):
        for text in texts:
            for length in range(100):
                assert _check("msgid", text[:length], "", width, None) or not text[:length].isprintable()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(set(_PROSE) | set("".join(_HOSTILE))))), st.integers(1, 90))
def test_plain_lines_on_any_text(text, width):
    _check("msgid", text.replace("\n", " "), "", width, None)


def test_a_search_for_a_break_decides_as_may_break():
    rng = random.Random(17)
    for text in _texts(rng):
        portion = po_wrap._Portion(text, set())
        if not portion.simple():
            continue
        prohibited = {i for i in range(len(text)) if rng.random() < 0.05}
        for position in range(1, len(text)):
            ours = po_wrap._first_opportunity(text, portion.classes, prohibited, range(position, position + 1))
            theirs = po_wrap._may_break(portion.classes, text, prohibited, position)
            assert (ours == position) == theirs, (text, position)


def test_breaks_with_one_column_each_are_those_of_the_searched_columns():
    rng = random.Random(18)
    for text in _texts(rng)[:3000]:
        portion = po_wrap._Portion(text, set())
        if not portion.simple() or not isinstance(portion.columns, range):
            continue
        for width, start in ((77, 0), (77, 10), (20, 3), (5, 9), (1, 0)):
            ours = po_wrap._simple_breaks(text, portion.classes, set(), portion.columns, width, start)
            searched = po_wrap._simple_breaks(text, portion.classes, set(), list(portion.columns), width, start)
            assert ours == searched, (text, width, start)


def test_printable_ascii_is_plain_and_its_classes_those_of_the_table():
    for code in range(128):
        cell = po_wrap._LATIN1_CELLS[code]
        assert chr(code).isprintable() == (cell in po_wrap._PLAIN_CELLS), code
        assert po_wrap._LATIN1_CLASSES[code] == po_wrap._class_of(code), code
