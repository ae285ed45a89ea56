"""What the reader's site pages (home pages, feeds) show of an article, kept in its manifest record.

A home page lists each article by its title, description and date in the
page's language; a feed needs the same, and a date for every entry. The build
keeps these in the article's record (``listing``), so that the site pages are
made from the manifest without reading any catalog, and a locale's entry is
worked out again only when the clean document or that locale's catalog
changed (their content hashes, which the record keeps).
"""

from __future__ import annotations

import datetime
import re
from typing import Callable

#: The header field of a catalog that says when its translation was last revised.
_REVISION_DATE = re.compile(rb'^"PO-Revision-Date: *([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}[+-][0-9]{4})', re.M)


def revision_time(catalog_path: str) -> str:
    """The catalog's ``PO-Revision-Date`` as an RFC 3339 time in UTC, or "" (missing, a template's placeholder)."""
    try:
        with open(catalog_path, "rb") as file:
            return header_revision_time(file.read(_HEADER_BYTES))
    except OSError:
        return ""


#: How much of a catalog is searched for its revision date: the header is at the top.
_HEADER_BYTES = 8192


def header_revision_time(data: bytes) -> str:
    """:func:`revision_time` of a catalog's bytes."""
    match = _REVISION_DATE.search(data, 0, _HEADER_BYTES)
    when = _revision_datetime(match.group(1).decode("ascii")) if match else None
    if when is None:
        return ""
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _revision_datetime(text: str) -> datetime.datetime | None:
    """``strptime(text, "%Y-%m-%d %H:%M%z")`` for the digits :data:`_REVISION_DATE` matched, None where it refuses them.

    Read by hand: strptime is slow, and its first call compiles its patterns. The date and time are
    checked by datetime itself; strptime also refuses an offset's minutes above 59, and an offset
    of a day or more (timezone refuses it).
    """
    offset_minutes = int(text[19:21])
    if offset_minutes > 59:
        return None
    offset = datetime.timedelta(hours=int(text[17:19]), minutes=offset_minutes)
    try:
        zone = datetime.timezone(-offset if text[16] == "-" else offset)
        return datetime.datetime(
            int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]), tzinfo=zone
        )
    except ValueError:
        return None


def article_listing(
    old_listing: dict | None,
    doc_hash: str,
    catalog_hashes: dict[str, str],
    locales: list[str],
    source: str,
    doc: Callable[[], object],
    translated_field: Callable[[str, str], str],
    revised: Callable[[str], str],
) -> dict:
    """The article's ``listing`` record: its dates and author, and per locale of ``locales`` its title and description.

    ``doc()`` gives the clean document and ``translated_field(locale, text)``
    a title's or description's usable translation ("" when there is none);
    both are called only for what changed since ``old_listing``, as is
    ``revised(locale)``, the :func:`revision_time` of the locale's catalog. A text with
    no usable translation is kept in the source language and flagged so
    (``title_lang``/``description_lang``), so the page marks it with ``lang``.
    """
    old = old_listing if isinstance(old_listing, dict) and old_listing.get("document") == doc_hash else {}
    old_locales = old.get("locales", {}) if isinstance(old.get("locales"), dict) else {}
    if old:
        dates = {key: old.get(key, "") for key in ("published", "modified", "author")}
    else:
        document = doc()
        dates = {"published": document.published, "modified": document.modified, "author": document.author}
    entries: dict[str, dict] = {}
    for locale in locales:
        catalog_hash = catalog_hashes.get(locale, "") if locale != source else ""
        previous = old_locales.get(locale)
        if isinstance(previous, dict) and previous.get("catalog") == catalog_hash:
            entries[locale] = previous
            continue
        document = doc()
        entry = {"catalog": catalog_hash, "title": document.title, "description": document.description}
        if locale != source:
            for field in ("title", "description"):
                translation = translated_field(locale, getattr(document, field)) if entry[field] else ""
                if translation:
                    entry[field] = translation
                elif entry[field]:
                    entry[f"{field}_lang"] = source  # shown in the source language
            entry["revised"] = revised(locale)
        entries[locale] = entry
    return {"document": doc_hash, **dates, "locales": entries}
