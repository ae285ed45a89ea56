"""How a catalog fits its template: an emptied template, a catalog of entries the template lacks.

* A template with no message (extracted from an article that lost its text)
  would make ``update`` mark every translation of its catalogs obsolete:
  :func:`template_has_messages` lets it refuse before writing anything.
* A catalog holding many entries its template does not have (obsolete ``#~``
  entries piling up, a catalog pasted from another project) slows every
  command that reads it and is most likely a mistake: past
  :data:`MAX_ENTRIES_NOT_IN_TEMPLATE` it is reported. An article's catalog
  holds tens to hundreds of messages, so the limit leaves room for years of
  edits.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog

from pipeline.catalogs.model import message_key, strings_of
from pipeline.errors import CatalogError
from pipeline.formats.po import messages, parse_catalog

MAX_ENTRIES_NOT_IN_TEMPLATE = 1000
#: A message's first line; the header is one too.
_MSGID_LINE = re.compile(rb"^msgid ", re.MULTILINE)


def template_has_messages(path: Path) -> bool:
    """Whether the template at ``path`` holds a message; True when it cannot be read (its reader says why)."""
    try:
        data = path.read_bytes()
    except OSError:
        return True
    if len(_MSGID_LINE.findall(data)) > 1:  # the header and at least one more: no need to parse
        return True
    try:
        return bool(messages(parse_catalog(data, str(path))))
    except CatalogError:
        return True


def has_translations(catalog: Catalog) -> bool:
    """Whether any message of ``catalog`` has a translation, fuzzy or not."""
    return any(any(strings_of(message)) for message in messages(catalog))


def entries_not_in_template(catalog: Catalog, template: Catalog) -> int:
    """How many entries of ``catalog``, obsolete ones included, its template does not have."""
    keys = {message_key(message) for message in messages(template)}
    active = sum(1 for message in messages(catalog) if message_key(message) not in keys)
    return active + sum(1 for message in catalog.obsolete.values() if message_key(message) not in keys)


def excess_entries_warning(count: int, template_path: Path) -> str:
    """What is said of a catalog past the limit (after its path)."""
    return (
        f"{count} entries that its template {template_path.name} does not have (more than "
        f"{MAX_ENTRIES_NOT_IN_TEMPLATE}): every command reading it is slowed; if they are old obsolete (#~) "
        "entries, `msgattrib --no-obsolete` removes them"
    )


def obsolete_excess(catalog: Catalog | None) -> int:
    """The number of obsolete entries of ``catalog`` when past the limit, else 0.

    For readers without the template at hand (the build): obsolete entries are
    by definition not in the template ``update`` last merged.
    """
    count = len(catalog.obsolete) if catalog is not None else 0
    return count if count > MAX_ENTRIES_NOT_IN_TEMPLATE else 0
