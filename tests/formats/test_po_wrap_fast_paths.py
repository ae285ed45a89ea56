"""The wrapper's fast paths give what their general forms give.

``_cells_of`` translates Windows-1252 text as bytes and looks up only the
characters beyond it; ``_Portion.simple`` deletes the classes that do not reach far instead
of searching for those that do. Both are compared here with the plain forms
over mixed and hostile text (marks, joiners, surrogates, CJK, ``?`` itself).
"""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats import po_wrap

_LONG_REACH_SEARCH = re.compile(b"[%s]" % po_wrap._LONG_REACH)
_TRICKY = "?\u0301\u200d\u200b\u05d0\U0001F1EB\u4e00\u3002\ud800\x07\t\n\\\"é—“”«»€ア한\u2028\u0085 ab-<"


def _general_cells(text: str) -> bytes:
    return text.translate(po_wrap._CELL_TABLE).encode("latin-1")


def _general_simple(text: str) -> bool:
    return _LONG_REACH_SEARCH.search(text.translate(po_wrap._CLASS_TABLE).encode("latin-1")) is None


def _texts() -> list[str]:
    rng = random.Random(16)
    base = "Les élèves ont “travaillé” — vite? Oui! 北京市 Привет мир "
    texts = ["", "?", "??", "é", "\u2019", "\ud800", "漢字" * 30]
    for _ in range(3000):
        texts.append("".join(rng.choice(_TRICKY + base) for _ in range(rng.randint(0, 120))))
        texts.append(base * rng.randint(1, 5) + rng.choice(_TRICKY) * rng.randint(0, 4))
    return texts


def test_cells_of_matches_the_per_character_translation():
    for text in _texts():
        assert po_wrap._cells_of(text) == _general_cells(text), repr(text)


def test_simple_matches_the_search_for_far_reaching_classes():
    for text in _texts():
        assert po_wrap._Portion(text, set()).simple() == _general_simple(text), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fast_paths_on_any_text(text):
    assert po_wrap._cells_of(text) == _general_cells(text)
    assert po_wrap._Portion(text, set()).simple() == _general_simple(text)


def test_has_escapable_finds_what_the_escaping_pattern_finds():
    texts = [chr(code) for code in range(0x3000)] + ["", "plain text", 'a "quote"', "back\\slash", "tab\there", "é’\v"]
    for text in texts:
        assert po_wrap._has_escapable(text) == (po_wrap._ESCAPABLE.search(text) is not None), repr(text)


def test_cells_of_every_character_near_the_code_page():
    """Each character up to U+2200 (Windows-1252's, the C1 controls it cannot encode, U+FFFD), alone and in prose."""
    characters = [chr(code) for code in range(0x2200) if not 0xD800 <= code < 0xE000] + ["\ufffd", "\ufffe"]
    for char in characters:
        for text in (char, f"a {char} b", f"Les élèves {char}“x”{char}?"):
            assert po_wrap._cells_of(text) == _general_cells(text), repr(text)
