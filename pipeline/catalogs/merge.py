"""A catalog merged with its template as ``msgmerge --previous`` does (the README's "msgmerge semantics").

Written here rather than with Babel's ``Catalog.update``, which does not reuse
obsolete messages (a paragraph that comes back would lose its translation),
consumes an old message on its first fuzzy match, offers no translation
memory across articles, and compares every new message with every old one.
``tests/catalogs/test_merge_msgmerge.py`` compares the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from babel.messages.catalog import Catalog, Message

from pipeline.catalogs.fuzzy import MsgmergeIndex
from pipeline.catalogs.memory import Remembered, TranslationMemory
from pipeline.catalogs.model import (
    PoMessage,
    has_translation,
    is_plural,
    message_key,
    messages,
    obsolete_key,
    previous_context,
    singular,
    strings_of,
)
from pipeline.formats.po import read_catalog, stored_header_fields, write_catalog
from pipeline.formats.po_header_order import take_template_header


@dataclass
class FileUpdate:
    """What the merge of one catalog did: how many messages of each kind, whether its file was written."""

    locale: str
    domain: str
    path: Path
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    unchanged: int = 0
    #: Messages filled from the locale's other catalogs or brought back from obsolete ones.
    reused: int = 0
    written: bool = False
    created: bool = False


def _definition_strings(definition: Message, reference: Message, nplurals: int | None) -> tuple[object, bool]:
    """The translation of ``definition`` shaped for ``reference``, as msgmerge does; True when reshaped.

    A singular translation becomes every form of a plural message, a plural
    translation gives its first form to a singular one; both are then fuzzy.
    """
    strings = strings_of(definition)
    if is_plural(reference) and not is_plural(definition):
        return tuple(strings[:1] * (nplurals or 2)), True
    if not is_plural(reference) and is_plural(definition):
        return strings[0], True
    return (tuple(strings) if is_plural(reference) else strings[0]), False


def _previous_of(message: Message) -> tuple[str | None, list[str]]:
    return previous_context(message), list(message.previous_id or [])


def _set_previous(message: PoMessage, context: str | None, previous: list[str]) -> None:
    message.previous_id = previous
    message.previous_context = context if previous else None


def _comments_of(message: Message, reference: Message, translator: Message) -> None:
    """The template's references and extracted comments, ``translator``'s comments, repeats kept.

    Set after construction: Babel's ``Message`` drops repeated comments, msgmerge keeps them.
    """
    message.locations = list(reference.locations)
    message.auto_comments = list(reference.auto_comments)
    message.user_comments = list(translator.user_comments)


def _merged(definition: Message, reference: Message, force_fuzzy: bool, nplurals: int | None) -> Message:
    """msgmerge's ``message_merge``: the template's message with the catalog's translation.

    The template gives the msgid, context, extracted comments, references and
    flags (format, wrapping); the catalog the translation, its translator
    comments and whether it is fuzzy. ``#|`` names the text the translation
    was made for: the catalog's msgid if it was finished, else its own ``#|``.
    """
    merged = PoMessage(reference.id, "", context=reference.context)
    _comments_of(merged, reference, translator=definition)
    if not (force_fuzzy or definition.fuzzy or is_plural(reference) or is_plural(definition)) and not (
        _has_range(reference) or _has_range(definition)
    ):
        # The common shape (a singular translation, not fuzzy, no range): nothing below could
        # make it fuzzy, so it keeps its translation and the template's flags, without #|.
        merged.string = strings_of(definition)[0]
        merged.flags = {f for f in reference.flags if f != "fuzzy"}
        _set_previous(merged, None, [])
        return merged
    merged.string, reshaped = _definition_strings(definition, reference, nplurals)
    fuzzy = definition.fuzzy or force_fuzzy or reshaped or (
        is_plural(reference) and reference.id[1] != definition.id[1]  # type: ignore[index]
    ) or not _range_within(_range_of(reference), _range_of(definition))
    merged.flags = {f for f in reference.flags if f != "fuzzy"} | ({"fuzzy"} if fuzzy else set())
    if has_translation(definition) and not definition.fuzzy:
        previous = list(definition.id) if is_plural(definition) else [definition.id]  # type: ignore[arg-type]
        _set_previous(merged, definition.context, previous)
    else:
        _set_previous(merged, *_previous_of(definition))
    if not fuzzy or not has_translation(merged):
        _set_previous(merged, None, [])
    return merged


def _range_of(message: Message) -> tuple[int, int] | None:
    """The ``range: MIN..MAX`` flag's bounds, or None."""
    for flag in message.flags:
        found = re.fullmatch(r"range:\s*(\d+)\s*\.\.\s*(\d+)", flag)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def _has_range(message: Message) -> bool:
    """Whether ``message`` may have a ``range:`` flag (:func:`_range_of` finds none otherwise)."""
    return any(flag.startswith("range:") for flag in message.flags)


def _range_within(new: tuple[int, int] | None, old: tuple[int, int] | None) -> bool:
    """msgmerge keeps a translation made for ``old``'s range only if ``new`` is the same or inside it."""
    return old is None or (new is not None and old[0] <= new[0] and new[1] <= old[1])


def _header_nplurals(catalog: Catalog) -> int | None:
    """``nplurals`` of the catalog's ``Plural-Forms`` as the file says it; None without one (msgmerge's view)."""
    for name, value in stored_header_fields(catalog):
        if name.lower() == "plural-forms":
            at = value.find("nplurals=")  # msgmerge's strstr: spaces after the "=" only
            found = re.match(r"\s*(\d+)", value[at + len("nplurals=") :]) if at >= 0 else None
            return int(found.group(1)) if found and int(found.group(1)) > 0 else None
    return None


def _untranslated(reference: Message, nplurals: int | None) -> Message:
    """A template message no translation fits, as msgmerge copies it (as many forms as the header says)."""
    forms = nplurals or len(strings_of(reference))
    new = PoMessage(reference.id, tuple("" for _ in range(forms)) if is_plural(reference) else "", context=reference.context)
    _comments_of(new, reference, translator=reference)
    new.flags = {f for f in reference.flags if f != "fuzzy"}
    return new


def _from_memory(reference: Message, remembered: Remembered, fuzzy_of: str | None, nplurals: int | None) -> Message:
    """A template message filled from another catalog of the locale (fuzzy when not the same msgid)."""
    merged = _untranslated(reference, nplurals)
    source = Message(remembered.id, remembered.string)  # type: ignore[arg-type]
    merged.string, reshaped = _definition_strings(source, reference, nplurals)
    if reshaped or fuzzy_of is not None:
        merged.flags.add("fuzzy")
    if fuzzy_of is not None:
        _set_previous(merged, None, list(remembered.id) if isinstance(remembered.id, tuple) else [fuzzy_of])
    return merged


def _obsolete_copy(message: Message) -> Message:
    """An unused translation kept as an obsolete entry: no references, no extracted comments."""
    message.locations = []
    message.auto_comments = []
    return message


def merge(
    old: Catalog,
    template: Catalog,
    memory: TranslationMemory | None,
    counts: FileUpdate,
    domain: str = "",
) -> Catalog:
    """``old`` brought in step with ``template`` as ``msgmerge --previous`` does (mutates ``old``).

    Each template message takes the catalog's message of the same msgid and
    context (obsolete ones included), else the most similar translated one
    (msgmerge's fstrcmp above 0.6, same context preferred), marked fuzzy.
    With a ``memory`` (the locale's other catalogs), a message with neither
    first takes the same msgid's translation from another catalog, then the
    most similar one; without it the result is msgmerge's. Unused
    translations become obsolete entries, in the catalog's order.
    """
    definitions = _Definitions(old, memory, counts, domain)
    for message in messages(old):
        old.delete(message.id, message.context)
    old.obsolete = {}
    for reference in messages(template):
        old[reference.id] = definitions.merged(reference)
    for message in definitions.unused():
        old.obsolete[obsolete_key(message.id, message.context)] = _obsolete_copy(message)
    take_template_header(old, template)
    return old


class _Definitions:
    """The translations a merge can give a template message: the catalog's own, then the memory's.

    Counts in ``counts`` what each template message got, and remembers which
    of the catalog's messages were used.
    """

    def __init__(self, old: Catalog, memory: TranslationMemory | None, counts: FileUpdate, domain: str) -> None:
        self.all: list[Message] = messages(old) + list(old.obsolete.values())
        self.active = {id(m) for m in messages(old)}
        self.exact: dict[tuple[str, str | None], Message] = {}
        for message in self.all:
            self.exact.setdefault(message_key(message), message)
        self.index = MsgmergeIndex(self.all)
        self.nplurals = _header_nplurals(old)
        self.memory, self.counts, self.domain = memory, counts, domain
        self.used: set[int] = set()

    def merged(self, reference: Message) -> Message:
        """The message of the merged catalog for the template's ``reference``."""
        memory, counts, nplurals = self.memory, self.counts, self.nplurals
        definition = self.exact.get(message_key(reference))
        if definition is not None:
            self.used.add(id(definition))
            if id(definition) in self.active:
                counts.unchanged += 1
            else:
                counts.reused += 1
            return _merged(definition, reference, False, nplurals)
        if memory is not None and reference.context is None and (
            remembered := memory.exact_match(singular(reference), self.domain)
        ) is not None:
            counts.reused += 1
            return _from_memory(reference, remembered, None, nplurals)
        if (definition := self.index.best(singular(reference), reference.context)) is not None:
            self.used.add(id(definition))
            counts.fuzzy += 1
            return _merged(definition, reference, True, nplurals)
        if memory is not None and (found := memory.fuzzy_match(singular(reference), self.domain)) is not None:
            counts.fuzzy += 1
            return _from_memory(reference, found[2], found[1], nplurals)  # type: ignore[arg-type]
        counts.new += 1
        return _untranslated(reference, nplurals)

    def unused(self) -> list[Message]:
        """The catalog's translations no template message took, in order (counted as made obsolete)."""
        unused = [m for m in self.all if id(m) not in self.used and has_translation(m)]
        self.counts.obsolete += sum(id(m) in self.active for m in unused)
        return unused


def content_of(catalog: Catalog) -> list[tuple]:
    """What the catalog says, message by message, whatever the file's wrapping or header order.

    ``update`` writes a catalog only when this changes: rewrapping or
    reordering what a translator's editor saved would make a diff in every
    commit, and a new ``POT-Creation-Date`` alone tells the translator nothing.
    """

    def entry(message: Message, obsolete: bool) -> tuple:
        translated = has_translation(message)
        flags = {f for f in message.flags if translated or f != "fuzzy"}
        if obsolete:
            flags = {f for f in flags if not f.startswith("range:")}
        return (
            message.id, message.context, message.string, sorted(flags), message.user_comments,
            [] if obsolete else message.auto_comments, [] if obsolete else message.locations,
            _previous_of(message), obsolete,
        )

    return [entry(m, False) for m in messages(catalog)] + [entry(m, True) for m in catalog.obsolete.values()]


def update_file(path: Path, template_path: Path, memory: TranslationMemory | None = None) -> FileUpdate:
    """Merge the template at ``template_path`` into the catalog at ``path``, as ``update`` does for each.

    Without a ``memory`` the merge is ``msgmerge --previous``'s; the file is
    written only when a message changes (:func:`content_of`).
    """
    counts = FileUpdate("", template_path.stem, path)
    merge_file(read_catalog(path), read_catalog(template_path), counts, memory)
    return counts


def merge_file(
    catalog: Catalog,
    template: Catalog,
    counts: FileUpdate,
    memory: TranslationMemory | None,
    fill: Callable[[Catalog], object] | None = None,
) -> Catalog:
    """Merge ``template`` into ``catalog``, ``fill`` the result, write it to ``counts.path`` if it changed."""
    before = None if counts.created else content_of(catalog)
    merged = merge(catalog, template, memory, counts, counts.domain)
    if fill is not None:
        fill(merged)
    counts.written = before != content_of(merged) and write_catalog(counts.path, merged)
    return merged
