"""Writing ``.po``/``.pot`` entries as GNU gettext writes them, from any message-shaped object.

The lines of a header and of a message, and whole templates written from
plain data. No Babel here: a message is anything with a Babel message's
attributes (``id``, ``string``, ``context``, ``flags``, ``auto_comments``,
``user_comments``, ``locations``, ``previous_id``), so that ``extract``
writes its templates without importing Babel's catalog, and
:mod:`pipeline.formats.po` writes Babel's catalogs with the same lines.
"""

from __future__ import annotations

import datetime
from typing import Iterable, Protocol

from pipeline.formats.po_directives import FORMAT_LANGUAGES, format_language
from pipeline.formats.po_wrap import PAGE_WIDTH, wrap_field, wrapped_lines

_FORMAT_ORDER = {name: index for index, name in enumerate(FORMAT_LANGUAGES)}


class MessageLike(Protocol):
    """What the writer reads of a message (a Babel ``Message`` is one)."""

    id: str | tuple
    string: object
    context: str | None
    flags: set[str]
    auto_comments: list[str]
    user_comments: list[str]
    locations: list[tuple[str, int | None]]
    previous_id: object


def _flag_order(flag: str) -> tuple[int, int, str]:
    """GNU's order: fuzzy, format flags by language (``python`` before ``python-brace``), range, the rest."""
    if flag == "fuzzy":
        return (0, 0, flag)
    if flag.endswith("-format"):
        language = flag[3:] if flag.startswith("no-") else flag
        return (1, _FORMAT_ORDER.get(language[: -len("-format")], len(_FORMAT_ORDER)), flag)
    if flag.startswith("range:"):
        return (2, 0, flag)
    return (3, 0, flag)


def references_lines(locations: Iterable[tuple[str, int | None]]) -> list[str]:
    """``#:`` lines, filled up to the page width as GNU does."""
    lines: list[str] = []
    current = "#:"
    for filename, lineno in locations:
        ref = f"{filename}:{lineno}" if lineno else filename
        if len(current) > 2 and len(current) + 1 + len(ref) > PAGE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if len(current) > 2:
        lines.append(current)
    return lines


def comment_lines(marker: str, comments: Iterable[str]) -> list[str]:
    lines = []
    for comment in comments:
        for line in comment.split("\n"):
            lines.append(f"{marker} {line}" if line else marker)
    return lines


def message_lines(
    message: MessageLike, translated: bool, previous_context: str | None, obsolete: bool = False
) -> list[str]:
    """The lines of ``message``'s entry; ``translated``: its first form has text (a ``fuzzy`` flag is
    written only then), ``previous_context``: the ``#| msgctxt`` of its previous msgid."""
    lines = comment_lines("#", message.user_comments)
    if not obsolete:
        lines += comment_lines("#.", message.auto_comments)
        lines += references_lines(message.locations)
    flags = {f for f in message.flags if f != "fuzzy" or translated}
    if obsolete:
        flags = {f for f in flags if not f.startswith("range:")}  # as GNU: an obsolete entry has no range
    if flags:
        lines.append("#, " + ", ".join(sorted(flags, key=_flag_order)))
    prefix = "#~ " if obsolete else ""
    wrap = "no-wrap" not in flags
    language = format_language(flags)
    if message.previous_id:
        previous = message.previous_id
        previous = [previous] if isinstance(previous, str) else list(previous)
        marker = "#~| " if obsolete else "#| "
        if previous_context is not None:
            lines += wrap_field("msgctxt", previous_context, marker, wrap=wrap, language=language)
        lines += wrap_field("msgid", previous[0], marker, wrap=wrap, language=language)
        if len(previous) > 1:
            lines += wrap_field("msgid_plural", previous[1], marker, wrap=wrap, language=language)
    if message.context is not None:
        lines += wrap_field("msgctxt", message.context, prefix, wrap=wrap, language=language)
    if isinstance(message.id, (list, tuple)):
        lines += wrap_field("msgid", message.id[0], prefix, wrap=wrap, language=language)
        lines += wrap_field("msgid_plural", message.id[1], prefix, wrap=wrap, language=language)
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string or ""]
        for index, string in enumerate(strings):
            lines += wrap_field(f"msgstr[{index}]", string or "", prefix, wrap=wrap, language=language)
    else:
        lines += wrap_field("msgid", message.id, prefix, wrap=wrap, language=language)
        lines += wrap_field("msgstr", message.string or "", prefix, wrap=wrap, language=language)
    return lines


def header_entry_lines(header_comment: str, fuzzy: bool, fields: Iterable[tuple[str, str]]) -> list[str]:
    lines = [line.rstrip() for line in header_comment.splitlines()]
    if fuzzy:
        lines.append("#, fuzzy")
    header_value = "".join(f"{name}: {value}\n" for name, value in fields)
    lines += wrap_field("msgid", "")
    lines += wrap_field("msgstr", header_value)
    return lines


def template_header_fields(project: str, created: datetime.datetime) -> list[tuple[str, str]]:
    """The header fields the writer writes for a new template ``(project, created)``
    (:func:`pipeline.catalogs.model.new_template`).

    Without building its Babel catalog: ``extract`` writes one template per
    article and needs only these. The values are Babel's defaults and its
    date format, as the catalog's ``mime_headers`` gives them
    (``tests/catalogs/test_model.py`` compares the two).
    """
    return [
        ("Project-Id-Version", f"{project} 1.0"),
        ("Report-Msgid-Bugs-To", "EMAIL@ADDRESS"),
        ("POT-Creation-Date", _header_date(created)),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]


def _header_date(value: datetime.datetime) -> str:
    """``value`` in Babel's ``yyyy-MM-dd HH:mmZ``: in its own offset (a naive date as UTC, as Babel's
    formatter takes it), the offset's sign, hours and whole minutes (``+0530``, ``-0000`` never)."""
    offset = value.utcoffset() or datetime.timedelta(0)
    seconds = offset.days * 24 * 60 * 60 + offset.seconds
    hours, rest = divmod(abs(seconds), 3600)
    zone = "%s%02d%02d" % ("-" if seconds < 0 else "+", hours, rest // 60)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}{zone}"


_UNTRANSLATED = wrap_field("msgstr", "")


def format_template(
    header_comment: str,
    fields: Iterable[tuple[str, str]],
    entries: Iterable[tuple[str, Iterable[str]]],
    references: Iterable[str],
) -> bytes:
    """A fuzzy-headed template's bytes from plain data: each entry (msgid, extracted comments), all
    found at ``references``.

    The bytes :func:`format_messages` writes for a template of such messages
    (no flag, context or translation) with these header fields: ``extract``
    writes one template per article, and a message object for each would
    only be taken apart again here.
    """
    lines = header_entry_lines(header_comment, True, fields)
    reference_lines = references_lines((reference, None) for reference in references)
    for msgid, comments in entries:
        lines.append("")
        for comment in comments:
            if comment and "\n" not in comment:
                lines.append("#. " + comment)  # most comments: one line, as comment_lines writes it
            else:
                lines += comment_lines("#.", (comment,))
        lines += reference_lines
        lines += wrapped_lines("msgid", msgid)
        lines += _UNTRANSLATED
    return ("\n".join(lines) + "\n").encode("utf-8")


def format_messages(
    header_comment: str, fuzzy: bool, fields: Iterable[tuple[str, str]], messages: Iterable[MessageLike]
) -> bytes:
    """The bytes of a template: its header entry, then ``messages``, none of them translated."""
    lines = header_entry_lines(header_comment, fuzzy, fields)
    for message in messages:
        lines.append("")
        lines += message_lines(message, translated=False, previous_context=None)
    return ("\n".join(lines) + "\n").encode("utf-8")
