"""The wrapper breaks exactly where libunistring, which GNU gettext calls, does.

``test_po_wrap_msgcat.py`` compares whole catalogs with ``msgcat``; this
compares the two layers below with the installed libunistring itself, through
ctypes, on many more strings: the break opportunities with
``u8_possible_linebreaks_v2`` and the chosen breaks (escapes and directives
forbidden, as gettext's ``wrap()`` forbids them) with ``u8_width_linebreaks_v2``.
It also checks that ``po_wrap_tables`` is what ``tools/gen_po_wrap_tables.py``
reads from that library. Skipped where libunistring is not installed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats import po, po_wrap, po_wrap_tables
from helpers.random_text import random_text

SHIPPED = Path(__file__).resolve().parents[2] / "locales"
_UC_BREAK_PROHIBITED, _UC_BREAK_POSSIBLE = 1, 2
_OURS = {1: po_wrap._PROHIBITED, 2: po_wrap._POSSIBLE, 3: po_wrap._MANDATORY, 5: po_wrap._MANDATORY}


@functools.lru_cache(maxsize=None)  # find_library runs ldconfig
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("unistring")
    if name is None:
        pytest.skip("libunistring is not installed")
    library = ctypes.CDLL(name)
    library.u8_possible_linebreaks_v2.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p)
    library.u8_width_linebreaks_v2.argtypes = (
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
    )
    return library


@pytest.fixture(scope="module")
def library() -> ctypes.CDLL:
    return _library()


def _starts(text: str) -> list[int]:
    offsets, offset = [], 0
    for char in text:
        offsets.append(offset)
        offset += len(char.encode("utf-8"))
    return offsets


def _their_opportunities(library: ctypes.CDLL, text: str) -> list[int]:
    data = text.encode("utf-8")
    result = ctypes.create_string_buffer(len(data))
    library.u8_possible_linebreaks_v2(data, len(data), b"UTF-8", result)
    return [_OURS[result.raw[offset]] for offset in _starts(text)]


def _their_breaks(library: ctypes.CDLL, text: str, prohibited: set[int], width: int, start: int) -> list[int]:
    data = text.encode("utf-8")
    starts = _starts(text)
    overrides = bytearray(len(data))  # UC_BREAK_UNDEFINED
    for index in prohibited:
        overrides[starts[index]] = _UC_BREAK_PROHIBITED
    result = ctypes.create_string_buffer(len(data))
    library.u8_width_linebreaks_v2(data, len(data), width, start, 0, bytes(overrides), b"UTF-8", result)
    return [index for index, offset in enumerate(starts) if result.raw[offset] == _UC_BREAK_POSSIBLE]


def _check(library: ctypes.CDLL, value: str, language: str | None = None) -> None:
    assert po_wrap._opportunities(value) == _their_opportunities(library, value), value
    inside = po_wrap.protected_positions(value, language)
    offset = 0
    for portion in value.splitlines(keepends=True) if "\n" in value else [value]:
        end = offset + len(portion)
        text, prohibited = po_wrap._escaped_portion(portion, [i - offset for i in inside if offset <= i < end])
        offset = end
        for width, start in ((76, 6), (73, 13), (20, 3), (6, 0)):
            ours = po_wrap._breaks(po_wrap._Portion(text, prohibited), width, start)
            assert ours == _their_breaks(library, text, prohibited, width, start), (text, width, start)


def test_tables_are_the_installed_librarys(library):
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", Path(__file__).resolve().parents[2] / "tools" / "gen_po_wrap_tables.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    classes = generator._line_classes(library)
    assert generator._ranges(classes) == (po_wrap_tables.CLASS_STARTS, po_wrap_tables.CLASS_VALUES)
    assert generator._pair_table(library, 33) == po_wrap_tables.PAIRS
    assert generator._ranges(generator._widths(library)) == (po_wrap_tables.WIDTH_STARTS, po_wrap_tables.WIDTH_VALUES)


def test_same_breaks_on_real_catalogs(library):
    count = 0
    for path in sorted(SHIPPED.rglob("*.po")):
        for message in po.read_catalog(path):
            for value in (message.id, message.string):
                for text in [value] if isinstance(value, str) else value:
                    _check(library, text, "python")
                    count += 1
    assert count > 50


def _check_mixed(library: ctypes.CDLL, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        _check(library, random_text(rng), rng.choice((None, "python", "python-brace")))


@pytest.mark.slow
def test_same_breaks_on_2000_mixed_strings(library):
    _check_mixed(library, 2000, 12)


@pytest.mark.slow
def test_same_breaks_on_20000_mixed_strings(library):
    _check_mixed(library, 20000, 13)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_same_breaks_on_any_text(value):
    _check(_library(), value)
