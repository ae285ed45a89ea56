"""The document reader's shortcut for text without forbidden characters gives what the pattern gives."""

from __future__ import annotations

import pytest

from pipeline.formats.document import _FORBIDDEN_CHARACTERS, remove_forbidden_characters

#: Every code point, in strings of consecutive ones (those with a surrogate take the pattern's way).
CHUNKS = ["".join(map(chr, range(start, min(start + 64, 0x110000)))) for start in range(0, 0x110000, 64)]
#: The forbidden characters and their neighbours, alone and among ordinary text.
EDGES = [chr(c) for c in [*range(0x21), 0x7F, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]]


@pytest.mark.parametrize("edge", EDGES)
def test_a_forbidden_character_or_its_neighbour_is_removed_as_the_pattern_removes_it(edge: str) -> None:
    for text in (edge, f"é{edge}中", f"a{edge}{edge}b\ufffd"):
        assert remove_forbidden_characters(text) == _FORBIDDEN_CHARACTERS.sub("", text)


def test_every_code_point_is_kept_or_removed_as_the_pattern_does() -> None:
    for chunk in CHUNKS:
        assert remove_forbidden_characters(chunk) == _FORBIDDEN_CHARACTERS.sub("", chunk)
    assert remove_forbidden_characters("plain text, é 中 😀") == "plain text, é 中 😀"
