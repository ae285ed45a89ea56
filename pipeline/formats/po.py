"""Reading and writing ``.po``/``.pot`` files, byte-compatible with GNU gettext.

Catalogs are Babel :class:`~babel.messages.catalog.Catalog` objects, but both
directions are done here rather than with Babel's ``read_po``/``write_po``:

* Babel's reader does not understand previous msgids (``#| msgid``, it keeps
  them as translator comments, and ``#~|`` aborts it), merges duplicate
  messages silently and drops header fields it does not model
  (``X-Generator`` of Poedit, ...). A translator's file must come back whole.
* Babel's writer wraps with Python's ``textwrap`` rules, GNU's ``msgcat`` and
  ``msgmerge`` (and Poedit, which uses the same rules) wrap with the Unicode
  line breaking algorithm: they break after ``http://`` and ``</``, between
  Chinese characters and never before ``。``. Every rewrite by a different
  tool would be a diff of the whole file. :func:`format_catalog` writes what
  ``msgcat`` writes, byte for byte (``tests/catalogs/test_catalogs.py`` compares them);
  the line breaking is :mod:`pipeline.formats.po_wrap`, the entries'
  lines :mod:`pipeline.formats.po_write`.

The writer also never writes a version or the clock into a file (no
``Generated-By``), so the same content always gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from pipeline.errors import CatalogError
from pipeline.catalogs.model import PoCatalog, PoMessage, has_translation, messages, obsolete_key, previous_context
from pipeline.formats.po_header import ReadWarning, apply_header, decode_catalog, gettext_reads_charset, header_lines
from pipeline.formats.po_wrap import ESCAPES
from pipeline.formats.po_wrap import escape as escape  # callers of this module escape as it writes
from pipeline.formats.po_write import header_entry_lines, message_lines
from pipeline.fsutil import write_if_changed


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _message_lines(message: Message, obsolete: bool = False) -> list[str]:
    return message_lines(message, has_translation(message), previous_context(message), obsolete)


def header_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """The header entry's fields.

    Values come from Babel's model of the catalog (which the stages change), but
    a field whose value is unchanged since the file was read keeps its exact
    spelling and place, and fields Babel does not model (``X-Generator``, a
    ``Plural-Forms`` of a locale Babel does not know) are kept verbatim: a
    translator's header comes back as it was.
    """
    raw = catalog.raw_header_fields if isinstance(catalog, PoCatalog) else None
    if raw is not None and catalog.header_unchanged:
        return list(raw)  # Babel's values are still those of the snapshot: every field as set
    generated = [(n, v) for n, v in catalog.mime_headers if n != "Generated-By"]
    if raw is None:
        return generated  # a version number would change files on every Babel upgrade
    snapshot = catalog.header_snapshot
    current = dict(generated)
    fields: list[tuple[str, str]] = []
    for name, value in raw:
        if name in current and current[name] != snapshot.get(name):
            value = current[name]
        fields.append((name, value))
    present = {name for name, _ in raw}
    for name, value in generated:
        if name not in present and value != snapshot.get(name):
            fields.append((name, value))
    return fields


def stored_header_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """The header fields as last read or set, without :func:`header_fields`' look at Babel's
    model (which formats its dates): for readers of a catalog no stage has changed yet."""
    raw = catalog.raw_header_fields if isinstance(catalog, PoCatalog) else None
    return header_fields(catalog) if raw is None else raw


def format_catalog(catalog: Catalog) -> bytes:
    """The catalog as the bytes of a ``.po`` file, as GNU ``msgcat`` would write them."""
    # Babel's own header_comment puts the clock in: a PoCatalog keeps the comment as written.
    header_comment = catalog.raw_header_comment if isinstance(catalog, PoCatalog) else catalog.header_comment
    lines = header_entry_lines(header_comment, catalog.fuzzy, header_fields(catalog))
    for message in messages(catalog):
        lines.append("")
        lines += _message_lines(message)
    for message in catalog.obsolete.values():
        lines.append("")
        lines += _message_lines(message, obsolete=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` atomically, only if its bytes change; return whether written."""
    return write_if_changed(path, format_catalog(catalog))


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")


_PLURAL_KEY = re.compile(r"msgstr\[(\d+)\]")
_UNESCAPES = {letter: char for char, letter in ESCAPES.items()}
_ESCAPE_SEQUENCE = re.compile(r"\\([0-7]{1,3}|.?)", re.S)


def _unescape(body: str, where: str) -> str:
    if "\\" not in body:
        return body  # most strings: no copy, no scan (a very large catalog stays fast)

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code in _UNESCAPES:
            return _UNESCAPES[code]
        if code[:1] in "01234567" and code:
            return chr(int(code, 8))
        raise CatalogError(f"{where}: invalid escape sequence '\\{code}' in a string")

    return _ESCAPE_SEQUENCE.sub(replace, body)


class _Entry:
    def __init__(self) -> None:
        self.user_comments: list[str] = []
        self.auto_comments: list[str] = []
        self.locations: list[tuple[str, int | None]] = []
        self.flags: list[str] = []
        self.previous: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.plural_strings: dict[int, str] = {}
        self.obsolete = False
        self.lineno = 0
        self.last: tuple[str, str] | None = None  # (section, key) receiving continuation strings

    def empty(self) -> bool:
        return not self.fields


def _parse_locations(text: str) -> list[tuple[str, int | None]]:
    locations: list[tuple[str, int | None]] = []
    for ref in text.split():
        filename, colon, line = ref.rpartition(":")
        if colon and line.isdigit():
            locations.append((filename, int(line)))
        else:
            locations.append((ref, None))
    return locations


def parse_catalog(data: bytes, name: str = "<catalog>") -> PoCatalog:
    """Parse the bytes of a ``.po``/``.pot``; raise :class:`CatalogError` ``file:line: message``.

    Leniently: what real tools write is read (any charset Python knows, CRLF,
    a byte order mark, header dates in any form); what was tolerated is in the
    catalog's ``read_warnings`` (:class:`~pipeline.formats.po_header.ReadWarning`).
    """
    warnings: list[ReadWarning] = []
    text, charset = decode_catalog(data, name, warnings)
    entries = _fast_entries(text)
    if entries is None:  # something unusual, or an error: the careful reader decides and says where
        entries = _line_entries(text, name)
    catalog = _build_catalog(entries, name, charset, warnings)
    catalog.read_warnings = warnings  # what was tolerated, for the commands to report
    return catalog


# A well-formed file, as GNU gettext, Poedit and this module write them, is cut
# into lines by one regular expression over the whole text, which also names
# each line's kind and parts; the line reader below handles everything else
# (stray whitespace, CRLF, odd spacing) and every error, with its file:line.
_FAST_LINE = re.compile(
    r"(?:(?P<prefix>#~ |#\| |#~\| )?"  # obsolete, previous, obsolete previous
    r"(?:(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>[0-9]+)\])?) )?"
    r'"(?P<string>[^"\\\n]*(?:\\.[^"\\\n]*)*)"'  # escapes: backslash and any character
    # An active entry's continuation lines come with the line they continue: most
    # lines of a catalog are such strings, and one match for them all is cheaper.
    r'(?P<more>(?(prefix)|(?:\n"[^"\\\n]*(?:\\.[^"\\\n]*)*")*))'
    r"|(?P<comment>#(?![~|])[^\n]*)"  # "#~" and "#|" lines the first branch refused: line reader
    r")?\n"
)


class _Unusual(Exception):
    """The fast reader met something it leaves to the line reader."""


def _starts_entry(entry: _Entry, keyword: str) -> bool:
    """Whether a ``keyword`` line begins a new entry after what ``entry`` holds."""
    fields = entry.fields
    return keyword in ("msgctxt", "msgid") and bool(
        "msgstr" in fields or entry.plural_strings or (keyword == "msgctxt" and fields)
        or (keyword == "msgid" and "msgid" in fields)
    )


class _FastReader:
    """What :func:`_fast_entries` has read so far: the entries, the one being read, where strings go."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.entry = _Entry()
        self.last: tuple[dict, str, int | None] | None = None  # where continuation strings go: fields, key, plural

    def finish(self) -> None:
        entry = self.entry
        if not entry.empty():
            if "msgid" not in entry.fields or ("msgstr" not in entry.fields and not entry.plural_strings):
                raise _Unusual
            self.entries.append(entry)
        self.entry = _Entry()
        self.last = None

    def comment(self, comment: str) -> None:
        if self.entry.fields:
            self.finish()
        _take_comment(self.entry, comment.strip())
        self.last = None

    def previous(self, keyword: str | None, string: str) -> None:
        """A ``#|`` or ``#~|`` line: the previous msgid's keyword and string, or a continuation string."""
        if self.entry.fields:
            self.finish()
        previous = self.entry.previous
        if keyword is not None:
            previous[keyword] = string
            self.last = (previous, keyword, None)
        elif self.last is not None and self.last[0] is previous:
            previous[self.last[1]] += string
        else:
            raise _Unusual

    def continuation(self, string: str, obsolete: bool) -> None:
        last, entry = self.last, self.entry
        if last is None or last[0] is not entry.fields or obsolete != entry.obsolete:
            raise _Unusual
        entry.fields[last[1]] += string
        if last[2] is not None:
            entry.plural_strings[last[2]] += string

    def field(self, keyword: str, index: str | None, string: str, obsolete: bool, number: int) -> None:
        if _starts_entry(self.entry, keyword):
            self.finish()
        entry = self.entry
        if entry.empty():
            entry.lineno = number
            entry.obsolete = obsolete
        elif obsolete != entry.obsolete:
            raise _Unusual
        if index is None:
            if keyword in entry.fields:
                raise _Unusual  # a second msgid, msgstr...: the line reader says where
            self.last = (entry.fields, keyword, None)
        else:
            plural = int(index)
            entry.plural_strings[plural] = string
            entry.fields.setdefault("msgstr[]", "")
            self.last = (entry.fields, keyword, plural)
        entry.fields[keyword] = string


def _joined_strings(first: str, more: str) -> str:
    """The value of a string and its continuation lines (``more``: ``\\n"..."`` each), unescaped.

    Each line is unescaped on its own, as the line reader does: an octal
    escape ends with its line.
    """
    if "\\" not in first and "\\" not in more:
        return first + more[2:-1].replace('"\n"', "")
    return "".join(_unescape(piece, "") for piece in [first, *more[2:-1].split('"\n"')])


def _fast_entries(text: str) -> list[_Entry] | None:
    """The entries :func:`_line_entries` finds in ``text``, or None to let it decide."""
    if not text.endswith("\n"):
        text += "\n"
    reader = _FastReader()
    position = 0
    number = 0
    try:
        for match in _FAST_LINE.finditer(text):
            number += 1
            start, position_after = match.span()
            if start != position:
                return None  # a line no branch describes
            position = position_after
            prefix, keyword, index, string, more, comment = match.groups()
            if string is None:
                if comment is not None:  # else a blank line
                    reader.comment(comment)
                continue
            line = number
            if more:
                number += more.count("\n")
                string = _joined_strings(string, more)
            elif "\\" in string:
                string = _unescape(string, "")
            if prefix is not None and prefix != "#~ ":  # a previous msgid: "#| " or "#~| "
                reader.previous(keyword, string)
            elif keyword is None:
                reader.continuation(string, obsolete=prefix is not None)
            else:
                reader.field(keyword, index, string, prefix is not None, line)
        if position != len(text):
            return None
        reader.finish()
    except (_Unusual, CatalogError):
        return None
    return reader.entries


def _take_comment(entry: _Entry, line: str) -> None:
    """A ``#`` line (stripped, neither ``#~`` nor ``#|``) into ``entry``."""
    marker, rest = line[:2], line[2:]
    if marker == "#.":
        entry.auto_comments.append(rest.strip())
    elif marker == "#:":
        entry.locations += _parse_locations(rest)
    elif marker == "#,":
        entry.flags += [f.strip() for f in rest.split(",") if f.strip()]
    else:
        comment = line[1:]
        entry.user_comments.append(comment[1:] if comment.startswith(" ") else comment)


def _finish_line_entry(entry: _Entry, entries: list[_Entry], name: str) -> None:
    """Add ``entry`` to ``entries`` if it has fields (comments alone have nothing to attach to)."""
    if entry.empty():
        return
    if "msgid" not in entry.fields:
        raise CatalogError(f"{name}:{entry.lineno}: msgstr without a msgid")
    if "msgstr" not in entry.fields and not entry.plural_strings:
        raise CatalogError(f"{name}:{entry.lineno}: msgid without a msgstr")
    entries.append(entry)


def _without_obsolete_marker(line: str) -> tuple[bool, str]:
    """(whether ``line`` is of an obsolete entry, the line without its ``#~``)."""
    if not line.startswith("#~"):
        return False, line
    line = line[2:].lstrip()
    return True, "#" + line if line.startswith("|") else line  # "#~| msgid": an obsolete entry's previous msgid


def _line_entries(text: str, name: str) -> list[_Entry]:
    """The entries of ``text``, line by line; :class:`CatalogError` ``file:line: message`` on bad input."""
    entries: list[_Entry] = []
    entry = _Entry()
    # Only LF (and CRLF) end lines, as for GNU gettext: str.splitlines() would also
    # split at U+2028, U+0085 and \x1c-\x1e, which a translation may hold unescaped.
    for number, raw in enumerate(text.split("\n"), start=1):
        where = f"{name}:{number}"
        obsolete, line = _without_obsolete_marker(raw.strip())
        if not line:
            continue
        if line.startswith("#"):
            if entry.fields:
                _finish_line_entry(entry, entries, name)
                entry = _Entry()
            if line.startswith("#|"):
                _take_field(entry, line[2:].strip(), where, previous=True)
            else:
                _take_comment(entry, line)
            continue
        keyword = _KEYWORD.match(line)
        if keyword and _starts_entry(entry, keyword.group(1)):
            _finish_line_entry(entry, entries, name)
            entry = _Entry()
        if not keyword and not line.startswith('"'):
            raise CatalogError(f"{where}: unexpected text {line[:40]!r}: expected a msgid, msgstr or comment")
        if entry.empty() and keyword:
            entry.lineno = number
            entry.obsolete = obsolete
        elif obsolete != entry.obsolete:
            raise CatalogError(f"{where}: an entry mixes obsolete (#~) and active lines")
        _take_field(entry, line, where, previous=False)
    _finish_line_entry(entry, entries, name)
    return entries


def _take_field(entry: _Entry, line: str, where: str, previous: bool) -> None:
    keyword = _KEYWORD.match(line)
    target = entry.previous if previous else entry.fields
    if keyword:
        key, index, rest = keyword.group(1), keyword.group(2), keyword.group(3)
        string = _STRING.match(rest)
        if not string:
            raise CatalogError(f"{where}: {key} must be followed by a quoted string")
        value = _unescape(string.group(1), where)
        if not previous and key in target and not key.startswith("msgstr["):
            raise CatalogError(f"{where}: a second {key} in one entry")
        if index is not None and not previous:
            entry.plural_strings[int(index)] = value
            entry.fields.setdefault("msgstr[]", "")
        target[key] = value
        entry.last = ("previous" if previous else "fields", key)
        return
    string = _STRING.match(line)
    if not string or entry.last is None or entry.last[0] != ("previous" if previous else "fields"):
        raise CatalogError(f"{where}: a string that continues nothing: {line[:40]!r}")
    value = _unescape(string.group(1), where)
    key = entry.last[1]
    target[key] += value
    match = _PLURAL_KEY.match(key)
    if match and not previous:
        entry.plural_strings[int(match.group(1))] += value


def _build_catalog(entries: list[_Entry], name: str, charset: str, warnings: list[ReadWarning]) -> PoCatalog:
    catalog = PoCatalog(fuzzy=False)
    catalog.charset = charset
    seen: dict[tuple[str, str | None], int] = {}
    header_done = False
    for entry in entries:
        msgid = entry.fields["msgid"]
        context = entry.fields.get("msgctxt")
        if msgid == "" and context is None and not entry.obsolete:
            if header_done:
                raise CatalogError(f"{name}:{entry.lineno}: a second header entry (msgid \"\")")
            header_done = True
            _read_header(catalog, entry, name, warnings)
            continue
        key = (msgid, context)  # as msgfmt and msgmerge: an obsolete entry counts too
        if key in seen:
            raise CatalogError(
                f"{name}:{entry.lineno}: duplicate message definition...\n"
                f"{name}:{seen[key]}: ...this is the location of the first definition"
            )
        seen[key] = entry.lineno
        message = _entry_message(entry, catalog, name)
        if entry.obsolete:
            catalog.obsolete[obsolete_key(message.id, context)] = message
        else:
            catalog[message.id] = message
    return catalog


def _entry_message(entry: _Entry, catalog: Catalog, name: str) -> Message:
    fields = entry.fields
    if "msgid_plural" in fields:
        count = max(entry.plural_strings) + 1 if entry.plural_strings else 0
        if "msgstr" in fields:
            raise CatalogError(f"{name}:{entry.lineno}: a plural message needs msgstr[0], msgstr[1], ...")
        msgid: str | tuple[str, str] = (fields["msgid"], fields["msgid_plural"])
        string: str | tuple[str, ...] = tuple(entry.plural_strings.get(i, "") for i in range(count))
    else:
        if entry.plural_strings:
            raise CatalogError(f"{name}:{entry.lineno}: msgstr[N] in a message without msgid_plural")
        msgid = fields["msgid"]
        string = fields["msgstr"]
    previous: list[str] = []
    if "msgid" in entry.previous:
        previous.append(entry.previous["msgid"])
        if "msgid_plural" in entry.previous:
            previous.append(entry.previous["msgid_plural"])
    message = PoMessage(msgid, string, previous_id=previous, lineno=entry.lineno, context=fields.get("msgctxt"))
    message.flags = set(entry.flags)  # exactly the file's flags: Babel guesses format flags
    message.locations, message.auto_comments, message.user_comments = (  # Babel's constructor drops repeats
        entry.locations, entry.auto_comments, entry.user_comments
    )
    message.previous_context = entry.previous.get("msgctxt") if previous else None  # "#| msgctxt"
    return message


def _read_header(catalog: PoCatalog, entry: _Entry, name: str, warnings: list[ReadWarning]) -> None:
    catalog.raw_header_comment = "\n".join(f"# {c}" if c else "#" for c in entry.user_comments)
    catalog.fuzzy = "fuzzy" in entry.flags
    fields = header_lines(entry.fields.get("msgstr", ""), (name, entry.lineno), warnings)
    apply_header(catalog, fields, (name, entry.lineno), warnings)
    content_type = next((value for field, value in fields if field.lower() == "content-type"), None)
    if content_type is None:
        catalog.charset = "utf-8"
    catalog.set_header_fields(fields)
    if catalog.charset.lower() not in ("utf-8", "utf8") or (content_type is not None and not gettext_reads_charset(content_type)):
        # The text is decoded: the writer writes UTF-8, and says so in a Content-Type gettext reads.
        catalog.charset = "UTF-8"


def read_catalog(path: Path) -> PoCatalog:
    """Read a ``.po``/``.pot`` file; :class:`CatalogError` with ``file:line: message`` on bad input."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():  # msgfmt -c refuses it too: no header, so no language or charset
        remedy = (
            "run `pipeline extract` to make it again"
            if str(path).endswith(".pot")
            else "restore it from version control, or delete it and run `pipeline init LOCALE` to start it again"
        )
        raise CatalogError(f"{path}:1: the file is empty (an editor or a copy may have emptied it): {remedy}")
    return parse_catalog(data, str(path))
