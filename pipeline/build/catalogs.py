"""What a build reads of an article's catalog: its messages, read once into a compact form.

A page needs of a catalog only its messages' ids, translations, contexts,
flags, translator comments (a derived locale's mark) and lines, and its
header's plural rule, which decides nothing for singular messages but is
asked for all the same. Babel's model of a catalog costs more to build than
the page made from it, so a well-formed file of singular messages, as
``init`` and ``update`` write them, is read here by one regular expression
per entry; its header goes through :mod:`pipeline.formats.po_header` as
:mod:`pipeline.formats.po` sends it, so it is refused for the same reasons.
Anything else (plural messages, obsolete or previous entries, unusual
escapes or spacing, duplicates, errors) is read by :func:`pipeline.formats.po.read_catalog`,
which decides and says where. Both give the same messages:
``tests/build/test_lean_catalogs.py`` compares them over catalogs of every kind.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path

from pipeline.catalogs.model import PoCatalog, is_finished, messages
from pipeline.formats.po_header import ReadWarning, apply_header, decode_catalog
from pipeline.formats.po_wrap import ESCAPES

#: A field's lines of strings as the PO syntax has them: each string's text
#: holds no line break, no quote and no backslash but in an escape.
#: Possessive repeats: what follows each one cannot start with what it would give
#: back (a string's text where its quote must come), so going back never made a
#: match; not keeping the places to go back to is quicker.
_STRINGS = re.compile(r'(?:"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"\n)++')


def _field(name: str) -> str:
    """A field's lines that each start and end with a quote (the lines of :data:`_STRINGS` and more, quotes or
    backslashes amiss, matched quicker): the group ``name`` is what lies between the first quote and the last.

    A line ends with a quote where a line break follows it, and the next line
    goes on the field only when it starts with a quote: the group is the lines'
    strings with the quote, line break and quote of each join between them.
    """
    return rf'"(?P<{name}>(?:[^\n]++(?<=")\n")*+[^\n]*)"\n'


#: One entry: its comments (blank lines may come among them), then msgctxt, msgid, msgstr.
#: The extracted comments and references that come first are not kept, a page does
#: not use them; ``comments`` are the rest, from the first translator comment or flags on.
_ENTRY = re.compile(
    r"(?:#[.:][^\n]*+\n|\n)*+"
    r"(?P<comments>(?:#(?![~|])[^\n]*+\n|\n)*+)"
    rf"(?:msgctxt {_field('context')})?"
    rf"msgid {_field('id')}"
    rf"msgstr {_field('string')}"
)
#: What may follow the last entry: comments that belong to none, blank lines.
_END = re.compile(r"(?:#(?![~|])[^\n]*\n|\n)*\Z")
_ESCAPE = re.compile(r"\\(.?)", re.S)
_UNESCAPES = {letter: char for char, letter in ESCAPES.items()}


class _Unusual(Exception):
    """Something the lean reader leaves to :mod:`pipeline.formats.po`."""


class LeanMessage:
    """A singular message as the build uses it (the attributes of Babel's ``Message`` that it reads)."""

    __slots__ = ("id", "string", "context", "flags", "user_comments", "_lines", "_entry")

    def __init__(  # noqa: PLR0913
        self, id: str, string: str, context: str | None, flags: set[str], user_comments: list[str],  # noqa: A002
        lines: _EntryLines, entry: int,
    ) -> None:
        self.id, self.string, self.context = id, string, context
        self.flags, self.user_comments = flags, user_comments
        self._lines, self._entry = lines, entry

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def lineno(self) -> int:
        """The line of its first keyword, as in Babel's model."""
        return self._lines.of(self._entry)


class _EntryLines:
    """The line of each entry of a catalog's text, counted when first asked for.

    Only warnings and refused translations say where a message is, and few
    pages have any: counting every entry's lines as it is read cost more.
    """

    __slots__ = ("_text", "_lines")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[int] | None = None

    def of(self, entry: int) -> int:
        """The line of the first keyword of entry ``entry`` (the file's first entry is 0, a header counted)."""
        if self._lines is None:
            self._lines = _keyword_lines(self._text)
        return self._lines[entry]


def _keyword_lines(text: str) -> list[int]:
    """The line of each entry's first keyword (msgctxt or msgid), the entries matched as :func:`_lean` matches them."""
    lines: list[int] = []
    position, line = 0, 1
    while (match := _ENTRY.match(text, position)) is not None:
        keyword = match.end("comments")
        line += text.count("\n", position, keyword)
        lines.append(line)
        line += text.count("\n", keyword, match.end())
        position = match.end()
    return lines


class ArticleCatalog:
    """An article's catalog as a page uses it: its messages in order, and what is derived from them once."""

    def __init__(self, entries: list, obsolete: dict, locale_identifier: str | None, plural_expr: str) -> None:
        self._messages = entries
        #: Obsolete entries (the lean reader reads files without any).
        self.obsolete = obsolete
        self.locale_identifier = locale_identifier
        self.plural_expr = plural_expr

    def __iter__(self):
        return iter(self._messages)

    @cached_property
    def translations(self) -> dict[str, str]:
        return translation_table(self._messages)

    @cached_property
    def lines(self) -> dict[str, int]:
        """msgid -> the line of its message, for the warnings of refused translations."""
        return {m.id: m.lineno or 0 for m in self._messages if isinstance(m.id, str)}


def translation_table(catalog_messages) -> dict[str, str]:
    """msgid -> msgstr for the singular messages that are translated and not fuzzy (errors are refused when used)."""
    table: dict[str, str] = {}
    for message in catalog_messages:
        if not isinstance(message.id, str):
            continue
        string = message.string
        # is_finished's answer for a translation of one form, without making the list of its forms
        if not (string and not message.fuzzy if isinstance(string, str) else is_finished(message)):
            continue
        if message.context and message.id in table:
            continue  # the context-free entry wins; articles do not use contexts
        table[message.id] = message.string
    return table


def read_article_catalog(path: Path, data: bytes | None = None) -> ArticleCatalog:
    """The catalog at ``path``; :class:`~pipeline.errors.CatalogError` as :func:`pipeline.formats.po.read_catalog` raises it.

    ``data``: the file's bytes, when they were read already (to hash them).
    """
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""  # the full reader reads it again and says why it cannot
    if data.strip():
        try:
            return _lean(data, str(path))
        except _Unusual:
            pass
    from pipeline.formats.po import parse_catalog, read_catalog

    # an empty (or unreadable) file: the full reader's error, which says what to do about it
    catalog = parse_catalog(data, str(path)) if data.strip() else read_catalog(path)
    return ArticleCatalog(messages(catalog), catalog.obsolete, catalog.locale_identifier, catalog.plural_expr)


def _unescaped(match: re.Match) -> str:
    if match.group(1) not in _UNESCAPES:
        raise _Unusual  # octal, or an invalid escape the full reader reports
    return _UNESCAPES[match.group(1)]


def _text(joined: str, body: str) -> str:
    """The text of a field whose lines' strings, with the joins between them, are ``joined`` (see :func:`_field`);
    ``body``: ``joined`` without its joins.

    No line holds a line break, so a quote, a line break and a quote only
    ever join two (the leftmost such is a join: a quote ending a string is
    followed by the join's quote, not a line break); each string's escapes
    are whole, so they are the same in the joined text. Joined text without
    a quote or backslash was strings of plain text; other text's lines must
    be strings of :data:`_STRINGS`, or the entry is not one the lean reader reads.
    """
    if "\\" not in body and '"' not in body:
        return body
    if _STRINGS.fullmatch(f'"{joined}"\n') is None:
        raise _Unusual  # a quote or backslash amiss: the full reader says where
    if body.count("\\") == body.count('\\"') + body.count("\\n"):
        # Every backslash starts \" or \n (so none is escaped itself): the escapes
        # of most text, each replaced where it stands.
        return body.replace('\\"', '"').replace("\\n", "\n")
    return _ESCAPE.sub(_unescaped, body)


def _comments(block: str) -> tuple[set[str], list[str]]:
    """The flags and translator comments of an entry's comment lines (as :mod:`pipeline.formats.po` takes them)."""
    flags: set[str] = set()
    user_comments: list[str] = []
    for line in block.split("\n"):
        line = line.strip()
        if not line or line.startswith(("#.", "#:")):
            continue
        if line.startswith("#,"):
            flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        else:
            comment = line[1:]
            user_comments.append(comment[1:] if comment.startswith(" ") else comment)
    return flags, user_comments


def _lean(data: bytes, name: str) -> ArticleCatalog:
    warnings: list[ReadWarning] = []
    text, _charset = decode_catalog(data, name, warnings)
    if "\r" in text:
        raise _Unusual
    if not text.endswith("\n"):
        text += "\n"
    lines = _EntryLines(text)
    entries: list[LeanMessage] = []
    seen: set[object] = set()
    header: tuple[str, int] | None = None
    position = 0
    for entry, match in enumerate(iter(_ENTRY.scanner(text).match, None)):
        comments, context, joined_id, joined_string = match.groups()
        if context is not None:
            context = _text(context, context.replace('"\n"', ""))
        # _text's own quick answer, here for the two fields of every entry
        msgid, msgstr = joined_id.replace('"\n"', ""), joined_string.replace('"\n"', "")
        if "\\" in msgid or '"' in msgid:
            msgid = _text(joined_id, msgid)
        if "\\" in msgstr or '"' in msgstr:
            msgstr = _text(joined_string, msgstr)
        position = match.end()
        if not msgid:
            if context is not None or header is not None:
                raise _Unusual
            header = (msgstr, text.count("\n", 0, match.end("comments")) + 1)
            continue
        key = msgid if context is None else (msgid, context)  # a pair is never equal to a msgid
        if key in seen:
            raise _Unusual
        seen.add(key)
        flags, user_comments = _comments(comments) if comments else (set(), [])
        entries.append(LeanMessage(msgid, msgstr, context, flags, user_comments, lines, entry))
    if not _END.match(text, position):
        raise _Unusual
    if header is None:
        locale_identifier, plural_expr = _known_outcome((), is_template=False)
    else:  # once the file is read: a syntax error further on is the one reported
        locale_identifier, plural_expr = _language_and_plural(_deciding_fields(header[0]), (name, header[1]))
    return ArticleCatalog(entries, {}, locale_identifier, plural_expr)


#: The header fields whose values decide the language and the plural rule, or
#: may raise: Babel's setter only stores the others as text, and
#: :mod:`pipeline.formats.po_header` parses the dates itself, refusing none.
_DECIDING_FIELDS = ("Language", "Content-Type", "Plural-Forms")


def _any_case(name: str) -> str:
    """A pattern of ``name`` in any case of its letters: what ``str.lower`` makes ``name.lower()`` of
    (no other character lowers to one of these letters; re's IGNORECASE takes ``ſ`` for ``s``)."""
    return "".join(f"[{char.upper()}{char.lower()}]" if char.isalpha() else re.escape(char) for char in name)


#: A header line of a deciding field, as :func:`~pipeline.formats.po_header.header_lines` reads it:
#: the name before the line's first colon, white space around it, and the value.
_DECIDING_LINE = re.compile(
    rf"^[^\S\n]*+({'|'.join(_any_case(name) for name in _DECIDING_FIELDS)})[^\S\n]*+:([^\n]*)", re.M
)


def _deciding_fields(header: str) -> tuple[tuple[str, str], ...]:
    """The deciding ``(name, value)`` fields of the header's text, in order, as ``header_lines`` gives them."""
    return tuple((field, value.strip()) for field, value in _DECIDING_LINE.findall(header))


def _language_and_plural(deciding: tuple[tuple[str, str], ...], where: tuple[str, int]) -> tuple[str | None, str]:
    """``locale_identifier`` and ``plural_expr`` as :func:`apply_header` makes them of the ``deciding`` fields, or its error."""
    try:
        outcome = _known_outcome(deciding, is_template=where[0].endswith(".pot"))
    except Exception:  # noqa: BLE001 - whatever the header raises is raised again below
        outcome = None
    # The same error again, outside the handler (not chained to the first), naming this file and line.
    return outcome if outcome is not None else _outcome(deciding, where)


#: A site's catalogs share the few headers of their locales; a set of catalogs
#: with a new header each only costs recomputing. An error is never kept.
@lru_cache(maxsize=64)
def _known_outcome(deciding: tuple[tuple[str, str], ...], is_template: bool) -> tuple[str | None, str]:
    # The file's name decides only whether it is a template, and is shown in errors alone.
    return _outcome(deciding, ("catalog.pot" if is_template else "catalog.po", 0))


def _outcome(deciding: tuple[tuple[str, str], ...], where: tuple[str, int]) -> tuple[str | None, str]:
    header = PoCatalog(fuzzy=False)
    apply_header(header, list(deciding), where, [])
    return header.locale_identifier, header.plural_expr
