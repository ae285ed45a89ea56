"""The build's lean catalog reader against the full one, over generated catalogs.

:func:`pipeline.build.catalogs.read_article_catalog` reads a well-formed file
of singular messages itself and leaves everything else to
:func:`pipeline.formats.po.read_catalog`; whichever reads it, a file gives the
same messages (ids, translations, contexts, flags, translator comments,
lines), language and plural rule, or the same error. The catalogs here are
written the ways translators' tools write them (wrapped lines, escapes,
escaped backslashes at a join, contexts, flags, comments, blank lines), then
some are damaged.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.build import catalogs
from pipeline.build.catalogs import read_article_catalog
from pipeline.catalogs.model import messages
from pipeline.errors import CatalogError
from pipeline.formats.po import read_catalog
from pipeline.formats.po_header import header_lines

#: Pieces of a string's text as it stands in the file: plain text, escapes, and (rarely) what is amiss.
PIECES = st.sampled_from(
    ["a", "Bonjour", " ", "é", "’", "#", ":", "msgid ", '\\"', "\\\\", "\\n", "\\t", "<a>", "%s"]
) | st.sampled_from(['"', "\\", "\\q", "\\101", "\t", "\x0b"])
COMMENTS = st.sampled_from(
    ["#. a note", "#: a.html", "#: a.html:3", "# a translator", "#  two spaces ", "#", "#, fuzzy", "#, fuzzy, c-format",
     "#,no-wrap", "", "#| msgid \"old\"", "#~ msgid \"old\""]
)
HEADER_FIELDS = st.sampled_from(
    ["Language: fr", "language: pt-BR", " Language :de", "LANGUAGE: ar", "Content-Type: text/plain; charset=UTF-8",
     "Plural-Forms: nplurals=2; plural=(n > 1);", "plural-forms : nplurals=1; plural=0;", "Plural-Forms: nplurals=2;",
     "Project-Id-Version: x", "PO-Revision-Date: 2001-04-29 21:19+0200", "X-Other: y", "no colon", ": no name",
     "Language-Team: French", "Langue: fr", "\xa0Language\u2003: \x1cfr\x85"]
)


@st.composite
def field_lines(draw, keyword: str) -> str:
    """A field as a writer writes it: one line, or an empty first line and the text wrapped after it."""
    strings = ["".join(draw(st.lists(PIECES, max_size=4))) for _ in range(draw(st.integers(1, 3)))]
    if len(strings) == 1 and draw(st.booleans()):
        return f'{keyword} "{strings[0]}"\n'
    return f'{keyword} ""\n' + "".join(f'"{string}"\n' for string in strings)


@st.composite
def entries(draw) -> str:
    comments = "".join(f"{line}\n" for line in draw(st.lists(COMMENTS, max_size=4)))
    context = draw(field_lines("msgctxt")) if draw(st.integers(0, 5)) == 0 else ""
    return comments + context + draw(field_lines("msgid")) + draw(field_lines("msgstr"))


@st.composite
def catalog_texts(draw) -> str:
    header = ""
    if draw(st.integers(0, 5)):
        fields = draw(st.lists(HEADER_FIELDS, max_size=5))
        header = "# A comment\n#\nmsgid \"\"\nmsgstr \"\"\n" + "".join(f'"{field}\\n"\n' for field in fields) + "\n"
    body = "\n".join(draw(st.lists(entries(), max_size=6)))
    text = header + body + draw(st.sampled_from(["", "\n", "# left over\n", "\n\n"]))
    if draw(st.integers(0, 3)) == 0:  # damaged: a piece of PO syntax put in anywhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\n", '"\n"', "\\", "msgid ", "#~ ", "\r", "\\\\\"\n\""])) + text[at:]
    return text


def _read(read, path: Path):
    """What a reader gives of ``path``, in a form to compare, or its error."""
    try:
        catalog = read(path)
    except CatalogError as exc:
        return ("error", exc.message)
    found = [
        (m.id, m.string, m.context, set(m.flags), list(m.user_comments), m.lineno, m.fuzzy) for m in messages(catalog)
    ]
    return (found, len(catalog.obsolete), catalog.locale_identifier, catalog.plural_expr)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_texts())
def test_generated_catalogs_read_the_same(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.po"
        path.write_text(text, encoding="utf-8")
        assert _read(read_article_catalog, path) == _read(read_catalog, path)


WELL_FORMED = [
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#. a note\n#: a.html\nmsgid "Hello"\nmsgstr "Bonjour"\n',
    '#, fuzzy\nmsgid ""\n"Hello "\n"world"\nmsgstr ""\n"Bonjour "\n"le monde"\n\n# a translator\nmsgid "A"\nmsgstr ""\n',
    'msgctxt "x"\nmsgid "A"\nmsgstr "B"\n\nmsgid "A"\nmsgstr "C"\n',
    'msgid "a \\"q\\" \\\\ \\n \\t"\nmsgstr "b"\n',
    'msgid ""\n"a\\\\"\n"b\\""\nmsgstr "\\"c\\"\\\\"\n',
    'msgid "A"\nmsgstr "B"\nmsgid "C"\nmsgstr ""\n""\n"D"\n\n\n# left over\n',
]


@pytest.mark.parametrize("text", WELL_FORMED)
def test_well_formed_catalogs_are_read_by_the_lean_reader(text: str) -> None:
    """What ``init`` and ``update`` write, escapes and joins of every kind, is not left to the full reader."""
    catalog = catalogs._lean(text.encode(), "article.po")
    assert [m.id for m in catalog]  # read, not refused


def test_lines_are_counted_when_first_asked_for_and_match_the_full_reader(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_text(WELL_FORMED[1] + "\n#. note\n\n#, fuzzy\nmsgctxt \"c\"\nmsgid \"E\"\nmsgstr \"F\"\n", encoding="utf-8")
    lean = read_article_catalog(path)
    assert [m.lineno for m in lean] == [m.lineno for m in messages(read_catalog(path))] == [2, 10, 16]
    assert lean.lines == {"Hello world": 2, "A": 10, "E": 16}


@settings(max_examples=300, deadline=None)
@given(st.lists(HEADER_FIELDS | st.text(alphabet="LlAaNnGgUuEe-: \t\xa0\u2003\x1c\x85ſKK", max_size=12), max_size=8))
def test_deciding_fields_are_the_header_lines_that_decide(fields: list[str]) -> None:
    """The lean reader's pattern for the language, charset and plural fields takes what ``header_lines`` takes."""
    header = "\n".join(fields)
    expected = tuple(
        (name, value) for name, value in header_lines(header, ("x.po", 1), []) if name.lower() in
        {"language", "content-type", "plural-forms"}
    )
    assert catalogs._deciding_fields(header) == expected
