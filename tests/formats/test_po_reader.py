"""The fast .po reader finds exactly what the line reader finds, or leaves the file to it.

``parse_catalog`` reads well-formed files with one regular expression
(``_fast_entries``) and falls back to the careful line reader (``_line_entries``)
for anything else; the two must never disagree on a file the fast one accepts.
"""

from __future__ import annotations

import pytest
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import CatalogError
from pipeline.formats import po

SHIPPED = Path(__file__).resolve().parents[2] / "locales"


def _dump(entries):
    return [
        (e.user_comments, e.auto_comments, e.locations, e.flags, e.previous, e.fields, e.plural_strings,
         e.obsolete, e.lineno)
        for e in entries
    ]


def _agree(text: str) -> bool:
    """True when the fast reader accepted ``text`` (and then agreed with the line reader)."""
    fast = po._fast_entries(text)
    try:
        careful = po._line_entries(text, "x.po")
    except CatalogError:
        assert fast is None, "the fast reader accepted a file the line reader refuses"
        return False
    if fast is not None:
        assert _dump(fast) == _dump(careful)
    return fast is not None


def test_shipped_catalogs_take_the_fast_road_and_agree():
    files = sorted(SHIPPED.rglob("*.po")) + sorted(SHIPPED.glob("*.pot"))
    assert files
    for path in files:
        assert _agree(path.read_text(encoding="utf-8")), path


def test_every_kind_of_line_agrees():
    text = (
        '# Translator comment\n#\n#. extracted\n#: a.html:1 b.html\n#, fuzzy, python-format\n'
        '#| msgctxt "old"\n#| msgid "old "\n#| "text"\nmsgctxt "ctx"\nmsgid ""\n"multi\\n"\n"line \\"q\\""\n'
        'msgstr "x\\ty"\n\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\n"e"\nmsgstr[1] "des"\n\n'
        '# kept\n#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "parti"\n'
    )
    assert _agree(text)
    catalog = po.parse_catalog(text.encode("utf-8"))
    assert catalog.get("one").string == ("une", "des")
    assert list(catalog.obsolete.values())[0].string == "parti"


def test_unusual_files_go_to_the_line_reader():
    for text in (
        'msgid "a"\r\nmsgstr "b"\r\n',  # CRLF
        '  msgid "a"\nmsgstr "b"\n',  # indented
        'msgid  "a"\nmsgstr "b"\n',  # two spaces
        '#~ # obsolete comment\n#~ msgid "a"\n#~ msgstr "b"\n',
    ):
        assert not _agree(text)
        assert po.parse_catalog(text.encode("utf-8")).get("a") is not None or text.startswith("#~")


def test_errors_come_from_the_line_reader_with_their_line():
    for text, message in (
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "x.po:3: duplicate message"),
        ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', "x.po:3: a second msgstr"),
        ('msgid "a"\n"\\q"\nmsgstr ""\n', "x.po:2: invalid escape"),
        ('msgid "a"\n', "x.po:1: msgid without a msgstr"),
        ('msgid "a"\nmsgstr "b"\n#~ "c"\n', "x.po:3: an entry mixes obsolete"),
    ):
        try:
            po.parse_catalog(text.encode("utf-8"), "x.po")
        except CatalogError as exc:
            assert message in str(exc), (text, str(exc))
        else:
            raise AssertionError(f"no error for {text!r}")


_PIECES = st.sampled_from(
    [
        'msgid "a"', 'msgid "b"', 'msgid ""', 'msgstr "x"', 'msgstr ""', 'msgctxt "c"', 'msgid_plural "p"',
        'msgstr[0] "s0"', 'msgstr[1] "s1"', '"cont"', '"\\n"', '"\\q"', '"\\"', '"a" "b"', "",
        "# note", "#", "#. auto", "#: f.html:3", "#, fuzzy", "#| msgid \"old\"", '#| "more"', "#~ msgid \"o\"",
        '#~ msgstr "t"', '#~ "c"', "#~| msgid \"po\"", "#~", "#~ # c", "  ", " msgid \"i\"", "msgid  \"w\"",
        "junk", 'msgstr "r"\r', "#|", "#,", "#: ", "\x1c", "\u2028",
    ]
)


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.booleans())
def test_fast_reader_never_disagrees(lines, final_newline):
    _agree("\n".join(lines) + ("\n" if final_newline else ""))
