"""The catalog model: the one place that knows how a Babel message is shaped and when it is done.

Every command asks the same questions of a message, and asks them here:

* :func:`has_translation`: its first form has text. msgmerge's test (a fuzzy
  candidate, a translation kept as an obsolete entry) and the writer's (a
  ``fuzzy`` flag is written only on a message with a translation).
* :func:`is_translated`: every form has text, fuzzy or not. ``init`` seeds only
  messages that are not, and ``update`` keeps only such messages' flags as
  they are.
* :func:`is_finished`: translated and not fuzzy. What the build publishes,
  what the translation memory offers other catalogs, and the text rule of
  ``stats``, the status page, ``serve`` and ``publish``; those also leave out a
  finished message in which ``check`` finds an error
  (:func:`pipeline.catalogs.completion.state`).

A message's id is a string, or (singular, plural) for a plural message; its
string likewise a string, or one string per plural form.

Catalogs are :class:`PoCatalog`, Babel's ``Catalog`` with what a ``.po`` file
says verbatim. Babel models a header by its meaning (dates, a ``Locale``) and
rebuilds the text when asked: its ``header_comment`` puts the current year in,
and ``mime_headers`` reformats the dates and drops fields it does not model. A
translator's file must come back as it was, so a :class:`PoCatalog` also keeps
the header as the file (or the stage that made the catalog) wrote it, in its
own documented attributes, and its messages in order, so that walking them
does not build Babel's header entry each time; a :class:`PoMessage` keeps the
context of its previous msgid (``#| msgctxt``). As Babel's ``pofile`` sits on
its ``catalog``, :mod:`pipeline.formats.po` reads and writes this model. Babel
is used through its public API only (``Catalog``'s constructor, item
assignment, ``get``, ``delete``, ``obsolete``, ``mime_headers``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Callable

from babel.messages.catalog import Catalog, Message

from pipeline.errors import InvalidNameError, PipelineError
from pipeline.names import SITE_DOMAIN, validate_locale_name

if TYPE_CHECKING:
    from pipeline.project import Project


def is_plural(message: Message) -> bool:
    return isinstance(message.id, (list, tuple))


def singular(message: Message) -> str:
    """The msgid, or the singular msgid of a plural message."""
    return message.id[0] if is_plural(message) else message.id


def strings_of(message: Message) -> list[str]:
    """The translation, one string per form (a singular message has one), ``""`` for a missing one."""
    if isinstance(message.string, (list, tuple)):
        return [s or "" for s in message.string]
    return [message.string or ""]


def has_translation(message: Message) -> bool:
    """The first form has text (msgmerge's test of a translation)."""
    strings = strings_of(message)
    return bool(strings and strings[0])


def is_translated(message: Message) -> bool:
    """Every form has text, fuzzy or not."""
    strings = strings_of(message)
    return bool(strings) and all(strings)


def is_finished(message: Message) -> bool:
    """Every form has text and the message is not fuzzy: what the build publishes (see the module)."""
    return is_translated(message) and not message.fuzzy


def message_key(message: Message) -> tuple[str, str | None]:
    """What tells messages apart in a catalog: the (singular) msgid and the context."""
    return (singular(message), message.context)


class PoMessage(Message):
    """A Babel message that also keeps the context of its previous msgid (``#| msgctxt``), which Babel does not model."""

    #: The ``#| msgctxt`` of the previous msgid, or None.
    previous_context: str | None = None


def previous_context(message: Message) -> str | None:
    """The context of ``message``'s previous msgid (``#| msgctxt``), None for none."""
    return message.previous_context if isinstance(message, PoMessage) else None


def obsolete_key(msgid: object, context: str | None) -> object:
    """The key of an entry in ``Catalog.obsolete``, as Babel keys its messages."""
    key = msgid[0] if isinstance(msgid, (list, tuple)) else msgid
    return key if context is None else (key, context)


#: What Babel's ``mime_headers`` is made of: the attributes its getter reads, those its
#: setter and the ``locale`` property write, and the setter itself.
_HEADER_SOURCES = frozenset({
    "project", "version", "msgid_bugs_address", "creation_date", "revision_date", "last_translator",
    "language_team", "charset", "locale", "_locale", "_locale_identifier", "_num_plurals", "_plural_expr",
    "mime_headers",
})


class PoCatalog(Catalog):
    """A Babel catalog that also carries its header as written and its messages in order.

    ``raw_header_comment``: the header's comment lines, exactly (``#`` included).
    ``raw_header_fields``: the header fields as read or last set, or None to
    write Babel's; ``header_snapshot``: Babel's values when they were set, so
    that a field a stage changed since is written with its new value (see
    :func:`pipeline.formats.po.header_fields`); ``header_unchanged``: whether
    nothing Babel's values are made of was set since. ``read_warnings``: what
    the reader tolerated in the file.
    """

    def __init__(self, *args, header_comment: str = "", **kwargs) -> None:
        super().__init__(*args, header_comment=header_comment, **kwargs)
        self.raw_header_comment = header_comment
        self.raw_header_fields: list[tuple[str, str]] | None = None
        self._snapshot: dict[str, str] | None = {}
        self.read_warnings: list = []
        self._in_order: dict[object, Message] = {}

    def __setattr__(self, name: str, value: object) -> None:
        # Babel's values are formatted (its dates) only when a stage is about to change
        # what they are made of: most catalogs are read and written with their header as is.
        if name in _HEADER_SOURCES and self.__dict__.get("_snapshot", {}) is None:
            self.__dict__["_snapshot"] = dict(self.mime_headers)
        super().__setattr__(name, value)

    @property
    def header_snapshot(self) -> dict[str, str]:
        if self._snapshot is None:  # nothing changed since the fields were set: Babel's values are today's
            self.__dict__["_snapshot"] = dict(self.mime_headers)
        return self._snapshot  # type: ignore[return-value]

    @property
    def header_unchanged(self) -> bool:
        """Whether nothing Babel's header values are made of was set since :meth:`set_header_fields`."""
        return self._snapshot is None

    def __setitem__(self, id, message: Message) -> None:  # noqa: A002 - Babel's name
        super().__setitem__(id, message)
        if id != "":  # Babel takes a message without msgid as the header: not a message
            # Babel merges a message into the one of the same key: that one stays in place.
            self._in_order.setdefault(obsolete_key(id, message.context), message)

    def delete(self, id, context: str | None = None) -> None:  # noqa: A002 - Babel's name
        super().delete(id, context)
        self._in_order.pop(obsolete_key(id, context), None)

    def messages(self) -> list[Message]:
        """The messages without the header entry, in order."""
        return [m for m in self._in_order.values() if m.id]

    def set_header_fields(self, fields: list[tuple[str, str]]) -> None:
        """Make ``fields`` the header the writer writes, exactly, until a stage changes a value."""
        self.raw_header_fields = fields
        self._snapshot = None  # taken when a stage first changes Babel's values (see __setattr__)


def messages(catalog: Catalog) -> list[Message]:
    """The catalog's messages without its header entry, in order.

    Iterating a Babel catalog first builds its header message, formatting its
    dates, and ``update`` walks each catalog several times: a
    :class:`PoCatalog` keeps its messages in order itself.
    """
    if isinstance(catalog, PoCatalog):
        return catalog.messages()
    return [m for m in catalog if m.id]


def new_template(project: str, created: datetime.datetime, header_comment: str) -> PoCatalog:
    """An empty template (``.pot``) with the header every template of the project has."""
    return PoCatalog(
        project=project,
        version="1.0",
        msgid_bugs_address="",
        creation_date=created,
        fuzzy=True,
        charset="UTF-8",
        header_comment=header_comment,
    )


def untranslated_strings(message: Message, num_plurals: int) -> object:
    """The translation of a message nobody translated yet: one empty string per form."""
    return tuple("" for _ in range(num_plurals)) if is_plural(message) else ""


def new_catalog(
    template: Catalog,
    locale: str,
    header_comment: str,
    *,
    revision_date: datetime.datetime,
    last_translator: str,
    language_team: str,
    msgid_bugs_address: str | None = None,
    translate: Callable[[Message, int], object] | None = untranslated_strings,
) -> PoCatalog:
    """A catalog of ``locale`` for ``template``, its header made from the template's.

    Each message of the template is copied with the translation
    ``translate(message, num_plurals)`` gives (untranslated by default); with
    ``translate=None`` the catalog starts without messages.
    """
    catalog = PoCatalog(
        locale=locale,
        project=template.project,
        version=template.version,
        msgid_bugs_address=msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=revision_date,
        last_translator=last_translator,
        language_team=language_team,
        charset="UTF-8",
        fuzzy=False,
        header_comment=header_comment,
    )
    for message in messages(template) if translate is not None else ():
        copy = PoMessage(
            message.id, translate(message, catalog.num_plurals), locations=message.locations,
            auto_comments=message.auto_comments, context=message.context,
        )
        copy.flags = {f for f in message.flags if f != "fuzzy"}
        catalog[message.id] = copy
    return catalog


def parse_locale(name: str):
    """Babel's Locale for ``name``; refuse names that are not locales, with one clear line."""
    from babel import Locale, UnknownLocaleError

    validate_locale_name(name)
    try:
        return Locale.parse(name, sep="-" if "-" in name else "_")
    except (UnknownLocaleError, ValueError):
        raise InvalidNameError(
            f"unknown locale {name!r}: it is not in the CLDR data Babel knows "
            "(expected something like 'zh_CN', 'fr' or 'pt_BR')"
        ) from None


def require_templates(project: Project) -> list[str]:
    """:func:`template_domains`; a :class:`PipelineError` naming the remedy when there is none."""
    domains = template_domains(project)
    if not domains:
        raise PipelineError(f"no templates in {project.locales_dir}: run 'pipeline extract' first")
    return domains


def template_domains(project: Project) -> list[str]:
    """Domains that have a template, articles sorted, ``site`` last."""
    if not project.locales_dir.is_dir():
        return []
    return site_last(sorted(p.stem for p in project.locales_dir.glob("*.pot") if p.is_file()))


def site_last(domains: list[str]) -> list[str]:
    """``domains`` in their order, ``site`` moved last."""
    return [d for d in domains if d != SITE_DOMAIN] + ([SITE_DOMAIN] if SITE_DOMAIN in domains else [])
