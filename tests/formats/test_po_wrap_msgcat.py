"""The writer wraps every field exactly as GNU ``msgcat`` does, on any text.

Random strings mixing scripts, CJK and fullwidth punctuation, currency and
percent signs, bidi and joiner controls, emoji modifier and ZWJ sequences,
regional indicators, tags, placeholders and escapes go into one catalog as
msgids, msgstrs, contexts, plurals, previous msgids, translator comments,
``no-wrap`` and obsolete entries; ``msgcat`` rewrites the file (it wraps by
itself) and must give back the very bytes the writer wrote. One ``msgcat``
process reads all the entries, so ten thousand strings take seconds.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.random_text import random_text
from pipeline.formats.po import format_catalog

def comment_text(rng: random.Random) -> str:
    """A translator comment: written as is, one ``#`` line a line.

    No control character, and no backslash at a line's end: GNU's reader joins
    the next line to it (its own output would not read back).
    """
    text = "".join(c for c in random_text(rng, 8) if c.isprintable() or c == "\n")
    return "\n".join(line.rstrip("\\ ") for line in text.split("\n")).strip()


def catalog_of(texts: list[str], rng: random.Random) -> Catalog:
    """A catalog using each text as one field of some entry, with all the kinds of entries."""
    catalog = Catalog(locale="de", charset="UTF-8", fuzzy=False)
    strings = iter(texts)
    for number, msgid in enumerate(strings):
        if not msgid:
            continue
        kind = number % 7
        message = Message(msgid, next(strings, ""))
        if kind == 1:
            message.context = next(strings, "") or None
        elif kind == 2:
            message = Message((msgid, next(strings, "") or "x"), (next(strings, ""), next(strings, "")))
        elif kind == 3 and message.string:
            message.flags = {"fuzzy"}
            message.previous_id = [next(strings, "") or "x"]
        elif kind == 4:
            message.flags = {"no-wrap"}
        elif kind == 5:
            message.user_comments = [comment_text(rng)]
        key = (message.id, message.context)
        if key in catalog.obsolete or catalog.get(message.id, message.context) is not None:
            continue  # msgcat refuses a duplicate, obsolete or not
        if kind == 6 and message.string:  # msgcat drops an obsolete entry without translation
            catalog.obsolete[key] = message
        else:
            catalog[message.id] = message  # Babel keys it by id and context
    return catalog


def assert_msgcat_writes_the_same(tmp_path: Path, catalog: Catalog) -> None:
    ours = format_catalog(catalog)
    path = tmp_path / "random.po"
    path.write_bytes(ours)
    result = subprocess.run(["msgcat", "-o", "-", str(path)], capture_output=True, check=True)
    if result.stdout != ours:
        theirs = result.stdout.decode().split("\n")
        mine = ours.decode().split("\n")
        line = next(i for i, (a, b) in enumerate(zip(theirs, mine)) if a != b)
        pytest.fail("first difference at line %d:\nmsgcat: %r\nours:   %r" % (line + 1, theirs[line], mine[line]))


def strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [random_text(rng) for _ in range(count)]


@pytest.mark.slow
def test_msgcat_wraps_12000_random_strings_as_we_do(tmp_path):
    assert_msgcat_writes_the_same(tmp_path, catalog_of(strings(12000, 14), random.Random(2)))


#: Any character a catalog can hold: GNU refuses NUL and the context separator EOT in a string.
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(ANY_CHARACTER, max_size=200), min_size=1, max_size=40))
def test_msgcat_wraps_any_text_as_we_do(tmp_path, texts):
    # A first message: msgcat writes nothing at all for a catalog of just a header.
    assert_msgcat_writes_the_same(tmp_path, catalog_of(["first", *texts], random.Random(0)))
