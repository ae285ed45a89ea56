"""The header entry of a ``.po`` file, read leniently.

Real tools write headers in many ways: Poedit ``2001-04-29 21:19+0200``, others
``+02:00`` or seconds, templates ``YEAR-MO-DA HO:MI+ZONE``, hand edits leave
garbage, duplicate or nameless lines. None of that stops a command: what the
pipeline understands goes into Babel's model of the catalog, what it does not
is kept verbatim (the writer writes it back) and reported as a
:class:`ReadWarning`. Only a ``Plural-Forms`` that gettext itself refuses
(``msgfmt -c``) is an error, :class:`~pipeline.errors.PluralFormsCatalogError`:
no page can be made with it.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import re
from dataclasses import dataclass

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, parse_separated_header

from pipeline.errors import PluralFormsCatalogError
from pipeline.formats.plurals import PluralFormsError, has_both_parts, parse_plural_forms

#: Header fields Babel models as Catalog attributes; others are kept verbatim.
MODELED_HEADERS = {
    "project-id-version",
    "report-msgid-bugs-to",
    "pot-creation-date",
    "po-revision-date",
    "last-translator",
    "language",
    "language-team",
    "plural-forms",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "generated-by",
}

#: What gettext's runtime uses when a Plural-Forms value lacks a part.
GERMANIC_PLURAL = (2, "(n != 1)")

_DATE = re.compile(
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2})[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<zone_hours>\d{2}):?(?P<zone_minutes>\d{2})?|[+-]?[A-Z]{3,5})?\s*$",
    re.I,
)


@dataclass(frozen=True)
class ReadWarning:
    """Something a reader tolerated: ``file:line: message``, with a ``check`` code."""

    path: str
    line: int
    code: str  # "header", "charset"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def parse_header_date(value: str) -> datetime.datetime | None:
    """A header date in any form tools write (``+0200``, ``+02:00``, seconds, ``T``, ``Z``, ``CEST``), or None."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        day = datetime.date.fromisoformat("-".join(part.zfill(2) for part in match.group("date").split("-")))
        moment = datetime.datetime.combine(
            day, datetime.time(int(match.group("hour")), int(match.group("minute")), int(match.group("second") or 0))
        )
        if match.group("sign"):
            minutes = int(match.group("zone_hours")) * 60 + int(match.group("zone_minutes") or 0)
            offset = datetime.timedelta(minutes=-minutes if match.group("sign") == "-" else minutes)
            return moment.replace(tzinfo=datetime.timezone(offset))
        if match.group("utc"):
            return moment.replace(tzinfo=datetime.timezone.utc)
        return moment  # no zone, or a name (old pygettext wrote "+CEST"): the time as written
    except ValueError:  # a month 13, an hour 25, a zone of 24 hours or more
        return None


def _is_placeholder(value: str) -> bool:
    return not value.strip() or "YEAR" in value or "HO:MI" in value


def header_lines(msgstr: str, where: tuple[str, int], warnings: list[ReadWarning]) -> list[tuple[str, str]]:
    """The ``Name: value`` fields of a header; a line without a name is left out, with a warning."""
    fields: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in msgstr.split("\n"):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            warnings.append(ReadWarning(*where, "header", f"header line {line[:60]!r} is not 'Name: value'; it is left out when the file is written again"))
            continue
        name, value = name.strip(), value.strip()
        if name.lower() in seen:
            warnings.append(ReadWarning(*where, "header", f"the header has {name} twice; the first one is used"))
        seen.add(name.lower())
        fields.append((name, value))
    return fields


#: A site's catalogs share a few ``Plural-Forms`` values, and checking one
#: evaluates its expression for every number msgfmt checks: each distinct
#: value is checked once (the check depends on the value alone; a value it
#: refuses is not kept, and is refused again with the same error).
_checked_plural_forms = functools.lru_cache(maxsize=64)(parse_plural_forms)


def use_plural_forms(catalog: Catalog, nplurals: int, expression: str) -> None:
    """Make ``catalog`` count ``nplurals`` forms chosen by ``expression``, through Babel's own header setter.

    Given in the form :func:`pipeline.formats.plurals.parse_plural_forms` checked and
    normalized, which Babel's setter keeps as it is. (The setter, not the
    attributes it sets: they are Babel's private ones.)
    """
    catalog.mime_headers = [("Plural-Forms", f"nplurals={nplurals}; plural={expression};")]


def _apply_plural_forms(catalog: Catalog, value: str, where: tuple[str, int], warnings: list[ReadWarning]) -> None:
    is_template = where[0].endswith(".pot")
    if not has_both_parts(value):
        if not is_template:
            warnings.append(ReadWarning(*where, "header", f"Plural-Forms {value!r} lacks nplurals= or plural=; gettext uses 'nplurals=2; plural=(n != 1);'"))
        use_plural_forms(catalog, *GERMANIC_PLURAL)
        return
    try:
        forms = _checked_plural_forms(value)
    except PluralFormsError as exc:
        if not is_template:
            raise PluralFormsCatalogError(f"{where[0]}:{where[1]}: invalid Plural-Forms {value[:80]!r}: {exc}") from None
        # A template's plural forms are never used (each catalog has its own); xgettext writes a placeholder.
        if "INTEGER" not in value and "EXPRESSION" not in value:
            warnings.append(ReadWarning(*where, "plural", f"invalid Plural-Forms {value[:80]!r}: {exc}; a template's is not used"))
        return
    use_plural_forms(catalog, forms.nplurals, forms.expression)


def _apply_date(catalog: Catalog, name: str, value: str, where: tuple[str, int], warnings: list[ReadWarning]) -> None:
    moment = parse_header_date(value)
    key = name.lower()
    attribute = "creation_date" if key == "pot-creation-date" else "revision_date"
    if moment is not None:
        setattr(catalog, attribute, moment)
    elif key == "po-revision-date" and "YEAR" in value:
        catalog.revision_date = value  # Babel keeps the placeholder as text
    elif not _is_placeholder(value):
        warnings.append(ReadWarning(*where, "header", f"{name} {value[:40]!r} is not a date such as '2001-04-29 21:19+0200'; it is kept as it is"))


def apply_header(catalog: Catalog, fields: list[tuple[str, str]], where: tuple[str, int], warnings: list[ReadWarning]) -> None:
    """Give Babel the fields it models, each on its own so that one bad value spoils no other.

    The first of duplicate fields wins, as in ``msgfmt``. Raises
    :class:`PluralFormsCatalogError` for a broken ``Plural-Forms``.
    """
    done: set[str] = set()
    for name, value in fields:
        key = name.lower()
        if key not in MODELED_HEADERS or key in done:
            continue
        done.add(key)
        if key == "plural-forms":
            _apply_plural_forms(catalog, value, where, warnings)
        elif key in ("pot-creation-date", "po-revision-date"):
            _apply_date(catalog, name, value, where, warnings)
        else:
            try:
                if key == "content-type":
                    _apply_content_type(catalog, value, where, warnings)
                else:
                    catalog.mime_headers = [(name, value)]
            except (ValueError, TypeError, LookupError, UnknownLocaleError):
                warnings.append(ReadWarning(*where, "header", f"{name} {value[:40]!r} is not understood; it is kept as it is"))


def _plain_parameters(value: str) -> dict[str, str] | None:
    """The ``name=value`` parameters of a MIME header value of the plain shape, as Babel's
    setter reads them (:func:`babel.messages.catalog.parse_separated_header`), or None.

    The plain shape is ASCII without quotes, backslashes or ``*`` (which marks
    RFC 2231 names), and no value in ``<`` and ``>``: there email's parser cuts at
    every ``;``, lowercases and strips a name before ``=``, strips the value, keeps
    a name without ``=`` as it is with an empty value, and the last of a name
    wins; its unquoting and RFC 2231 decoding change nothing. Anything else goes
    to Babel's parser (``tests/formats/test_po_header.py`` compares the two over
    generated values).
    """
    if not value.isascii() or any(char in value for char in '"\\*'):
        return None
    parameters: dict[str, str] = {}
    for piece in value.split(";"):
        name, equals, text = piece.partition("=")
        text = text.strip()
        if text[:1] == "<" and text[-1:] == ">" and len(text) > 1:  # email unquotes <address>
            return None
        parameters[name.strip().lower() if equals else piece.strip()] = text
    return parameters


def _gettext_charset(value: str) -> str | None:
    """The charset gettext's tools read in a Content-Type value: what follows the first
    ``charset=`` up to a space (not MIME's parsing: quotes and ``;`` are part of it), or None."""
    start = value.find("charset=")
    if start < 0:
        return None
    return re.split(r"[ \t\n]", value[start + len("charset="):], maxsplit=1)[0]


def _apply_content_type(catalog: Catalog, value: str, where: tuple[str, int], warnings: list[ReadWarning]) -> None:
    """Set the charset the Content-Type names, as Babel's setter does; say so when gettext reads none.

    Babel's setter fails on an RFC 2231 ``charset*=`` (its parser gives a tuple),
    a form gettext does not read: such a header declares no charset, as for msgfmt.
    """
    unreadable = _unreadable_charset(value, catalog.charset)
    if unreadable is not None:
        warnings.append(ReadWarning(*where, "charset", unreadable))
    parameters = _plain_parameters(value)
    charset = (parameters if parameters is not None else parse_separated_header(value)).get("charset", "")
    if isinstance(charset, str) and charset.lower() not in ("", "charset"):  # not gettext's placeholder
        catalog.charset = charset.lower()


def gettext_reads_charset(value: str) -> bool:
    """Whether gettext's tools find in a Content-Type value the charset :func:`decode_catalog` read.

    Not with quotes or a ``;`` in it (the characters decode_catalog reads stop
    before them): for msgfmt that is no charset's name. A name decode_catalog
    does not know it refuses; ``CHARSET``, a template's placeholder, it reports.
    """
    name = _gettext_charset(value)
    return name is not None and _CHARSET_NAME.fullmatch(name) is not None


def _unreadable_charset(value: str, read_as: str) -> str | None:
    """Why gettext's tools find no charset they know in a Content-Type value (msgfmt warns), or None."""
    if gettext_reads_charset(value):
        return None
    name = _gettext_charset(value)
    if name is None:
        extended = " (gettext does not read MIME's charset*= form)" if "charset*" in value.lower() else ""
        return f"the Content-Type {value[:60]!r} has no charset=NAME{extended}; the file is read as {read_as}: write charset=UTF-8"
    return f"gettext's tools read the Content-Type's charset as {name[:40]!r}, which is not a charset's name; the file is read as {read_as}: write charset=UTF-8"


# --------------------------------------------------------------------------
# The charset the header declares
# --------------------------------------------------------------------------

#: The characters of a charset's name, as :func:`decode_catalog` reads it.
_CHARSET_NAME = re.compile(r"[A-Za-z0-9._:-]+")
_CHARSET = re.compile(rb"charset=(" + _CHARSET_NAME.pattern.encode() + rb")")
#: Legacy charsets as tools really use them: a file labelled GB2312 often holds
#: GBK characters, one labelled Shift_JIS Windows' additions. Each is tried
#: when the file is not valid in the charset it names.
#: Keys are Python's names of the codecs (``codecs.lookup(name).name``).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932", "euc_kr": "cp949"}


def decode_catalog(data: bytes, name: str, warnings: list[ReadWarning]) -> tuple[str, str]:
    """The text of a catalog's bytes, in the charset its header declares, and that charset.

    A template's ``charset=CHARSET`` placeholder and a missing declaration
    mean UTF-8; a byte order mark is dropped. Raises
    :class:`~pipeline.errors.CatalogError` for an unknown charset or bytes
    that are not text in it.
    """
    from pipeline.errors import CatalogError

    match = _CHARSET.search(data[:4000])
    charset = match.group(1).decode("ascii").lower() if match else "utf-8"
    if charset == "charset":
        charset = "utf-8"
        if not name.endswith(".pot"):
            warnings.append(ReadWarning(name, 1, "charset", "the Content-Type says charset=CHARSET (a template's placeholder); the file is read as UTF-8"))
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogError(f"{name}:1: unknown charset {charset!r} in the Content-Type header") from None
    except UnicodeDecodeError as exc:
        text = _decode_superset(data, charset, name, warnings)
        if text is None:
            if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # msgfmt refuses these too
                raise CatalogError(f"{name}:1: the file is UTF-16 (its byte-order mark says so); save it as UTF-8") from None
            line = data[: exc.start].count(b"\n") + 1
            raise CatalogError(f"{name}:{line}: the file is not valid {charset} text") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if codecs.lookup(charset).name != "utf-8":
        warnings.append(ReadWarning(name, 1, "charset", f"the catalog is encoded as {charset}; save it as UTF-8 (the pipeline writes it so)"))
        if _looks_like_utf8(data):
            warnings.append(ReadWarning(name, 1, "charset", f"the file says charset={charset} but its bytes are UTF-8 text; if its accents look wrong, the header should say charset=UTF-8"))
    return text, charset


def _looks_like_utf8(data: bytes) -> bool:
    """Bytes past ASCII that all form UTF-8 characters: a file saved as UTF-8 under an old header."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_superset(data: bytes, charset: str, name: str, warnings: list[ReadWarning]) -> str | None:
    superset = _SUPERSETS.get(codecs.lookup(charset).name)
    if superset is None:
        return None
    try:
        text = data.decode(superset)
    except UnicodeDecodeError:
        return None
    warnings.append(ReadWarning(name, 1, "charset", f"the file is not valid {charset} but is valid {superset}, its usual extension; read as {superset}"))
    return text
