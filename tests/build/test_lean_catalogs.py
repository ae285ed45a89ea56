"""The build's lean catalog reader (:mod:`pipeline.build.catalogs`) gives what :func:`pipeline.formats.po.read_catalog` gives.

Same messages (ids, translations, contexts, flags, translator comments,
lines), same plural rule and language, same obsolete entries, and the same
error for a file that cannot be read: over the shipped fixtures, catalogs of
every shape a translator's tool writes, and random mutations of them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.build.catalogs import read_article_catalog
from pipeline.catalogs.model import messages
from pipeline.errors import CatalogError
from pipeline.formats.po import read_catalog

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HEADER = (
    '# A translator\'s comment\n#\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)

SHAPES = {
    "plain": HEADER + '#. a note\n#: a.html\nmsgid "Hello"\nmsgstr "Bonjour"\n',
    "continued": HEADER + 'msgid ""\n"Hello "\n"world"\nmsgstr ""\n"Bonjour "\n"le monde"\n',
    "fuzzy and comments": HEADER + '#  two spaces \n#, fuzzy, c-format\nmsgid "A"\nmsgstr "B"\n\n#\nmsgid "C"\nmsgstr ""\n',
    "escapes": HEADER + 'msgid "a \\"q\\" \\\\ \\n \\t"\nmsgstr "b \\"q\\" \\\\ \\n \\t"\n',
    "octal escape": HEADER + 'msgid "a\\101"\nmsgstr "b"\n',
    "bad escape": HEADER + 'msgid "a\\q"\nmsgstr "b"\n',
    "context": HEADER + 'msgctxt "x"\nmsgid "A"\nmsgstr "B"\n\nmsgid "A"\nmsgstr "C"\n',
    "obsolete": HEADER + 'msgid "A"\nmsgstr "B"\n\n#~ msgid "Old"\n#~ msgstr "Vieux"\n',
    "previous": HEADER + '#, fuzzy\n#| msgid "Helo"\nmsgid "Hello"\nmsgstr "Bonjour"\n',
    "plural": HEADER + 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n',
    "duplicate": HEADER + 'msgid "A"\nmsgstr "B"\n\nmsgid "A"\nmsgstr "C"\n',
    "no header": 'msgid "A"\nmsgstr "B"\n',
    "two headers": HEADER + HEADER,
    "bad plural forms": HEADER.replace("plural=(n > 1)", "plural=(n >> 1)") + 'msgid "A"\nmsgstr "B"\n',
    "bad plural forms, later syntax error": HEADER.replace("plural=(n > 1)", "plural=(") + 'msgid "A"\n"x\nmsgstr "B"\n',
    "crlf": (HEADER + 'msgid "A"\nmsgstr "B"\n').replace("\n", "\r\n"),
    "no final newline": HEADER + 'msgid "A"\nmsgstr "B"',
    "trailing comments": HEADER + 'msgid "A"\nmsgstr "B"\n\n# left over\n',
    "blank line inside comments": HEADER + '# one\n\n#. two\nmsgid "A"\nmsgstr "B"\n',
    "stray spaces": HEADER + 'msgid  "A"\nmsgstr "B"\n',
    "empty msgid with context": HEADER + 'msgctxt "x"\nmsgid ""\nmsgstr "B"\n',
    "latin-1": HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "Caf\xe9"\nmsgstr "Caf\xe9"\n',
    # Lines that start and end with a quote but are not strings (the lean reader's quick pattern takes them).
    "quote inside a string": HEADER + 'msgid "a"b"\nmsgstr "c"\n',
    "two strings on a line": HEADER + 'msgid "a" "b"\nmsgstr "c"\n',
    "backslash before the closing quote": HEADER + 'msgid "a\\"\nmsgstr "c"\n',
    "quote before a join": HEADER + 'msgid ""\n"a""\n"b"\nmsgstr "c"\n',
    "quote amiss in the translation": HEADER + 'msgid "a"\nmsgstr ""\n"c"\n"d"e"\n',
    "quote amiss in the header": HEADER.replace('"Language: fr\\n"', '"Language: "fr\\n"') + 'msgid "a"\nmsgstr "c"\n',
    "escaped backslash before a join": HEADER + 'msgid "a\\\\"\n"b\\""\nmsgstr "\\"c\\"\\\\"\n',
}


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


def _assert_same(path: Path) -> None:
    assert _read(read_article_catalog, path) == _read(read_catalog, path)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.po")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures_read_the_same(path: Path) -> None:
    _assert_same(path)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shapes_read_the_same(shape: str, tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    text = SHAPES[shape]
    path.write_bytes(text.encode("latin-1" if "ISO-8859-1" in text else "utf-8"))
    _assert_same(path)


MUTATIONS = ['"', "\\", "\\101", "\n", "\n\n", "#~ ", "#| ", "#, fuzzy\n", 'msgid "a"\nmsgstr "b"\n', " ", "\r",
             'msgctxt "c"\n', "#\n", 'msgstr[0] "x"\n', 'msgid_plural "p"\n', '"\n"', "nplurals=x;\\n"]


def test_mutations_read_the_same(tmp_path: Path) -> None:
    rng = random.Random(16)
    sources = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.po"))] + [
        t for t in SHAPES.values() if "ISO-8859-1" not in t
    ]
    for number in range(200):
        lines = rng.choice(sources).split("\n")
        for _ in range(rng.randint(1, 3)):
            at, choice = rng.randrange(len(lines)), rng.random()
            if choice < 0.3:
                lines.insert(at, lines[rng.randrange(len(lines))])
            elif choice < 0.5:
                del lines[at]
            else:
                cut = rng.randint(0, len(lines[at]))
                lines[at] = lines[at][:cut] + rng.choice(MUTATIONS) + lines[at][cut:]
        path = tmp_path / f"mutated-{number}.po"
        path.write_text("\n".join(lines), encoding="utf-8")
        _assert_same(path)


HEADER_FIELDS = [
    "Language: fr", "Language: pt-BR", "Language: ar", "Language: zz", "Language: fr@@x", "Language: ", "language: de",
    "Plural-Forms: nplurals=2; plural=(n > 1);", "Plural-Forms: nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2;",
    "Plural-Forms: nplurals=1; plural=0;", "Plural-Forms: nplurals=2;", "Plural-Forms: nplurals=2; plural=(n >> 1);",
    "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;", "Plural-Forms: nplurals=2; plural=n/0;",
    "Content-Type: text/plain; charset=UTF-8", "Content-Type: text/plain; charset*=utf-8''x", "Content-Type: ;;;",
    "Content-Type: text/plain; charset=\"", "PO-Revision-Date: 2001-04-29 21:19+0200", "PO-Revision-Date: garbage",
    "Project-Id-Version: x", "Last-Translator: someone", "X-Other: y",
]


@pytest.mark.parametrize("suffix", [".po", ".pot"])
def test_headers_give_the_same_language_plural_rule_and_error(tmp_path: Path, suffix: str) -> None:
    """The lean reader knows a header's outcome once per distinct language, charset and plural fields:
    every combination, read twice under different names, gives what the full reader gives of each file."""
    rng = random.Random(17)
    for number in range(150):
        fields = rng.sample(HEADER_FIELDS, rng.randint(0, 4))
        header = 'msgid ""\nmsgstr ""\n' + "".join(f'"{field}\\n"\n' for field in fields)
        for copy in ("a", "b"):
            path = tmp_path / f"header-{number}-{copy}{suffix}"
            path.write_text(header + '\nmsgid "A"\nmsgstr "B"\n', encoding="utf-8")
            assert _read_or_crash(read_article_catalog, path) == _read_or_crash(read_catalog, path)


def _read_or_crash(read, path: Path):
    """:func:`_read`, or the exception it escapes with (Babel's header setter raises some that no reader catches)."""
    try:
        return _read(read, path)
    except Exception as exc:  # noqa: BLE001 - the very exception is what is compared
        return ("crash", type(exc), str(exc))
