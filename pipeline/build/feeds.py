"""An Atom feed (RFC 4287) per language: the articles published in it, newest first.

Made with lxml from plain values, so the bytes depend only on them (the build
is reproducible). Every element RFC 4287 requires is there: the feed's and
each entry's ``id``, ``title`` and ``updated``, an ``author`` on the feed
(which entries inherit unless they name their own), and a
``link rel="alternate"`` to each page.

Links are absolute with a base URL; without one they are relative to the
feed and entry ids are provisional ``urn:uuid`` names (the build warns).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_NAME = "feed.xml"
#: ``updated`` of an entry whose article, translation and catalog give no date at all.
UNKNOWN_TIME = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    updated: str
    published: str = ""
    summary: str = ""
    author: str = ""
    #: The language of the title or summary when it is not the feed's (an untranslated one).
    title_lang: str = ""
    summary_lang: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    lang: str
    title: str
    author: str
    self_url: str
    home_url: str
    entries: tuple[FeedEntry, ...]


def provisional_id(site_name: str, path: str) -> str:
    """A stable ``urn:uuid`` for a site without a base URL (a name, not a place)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'pipeline:{site_name}:{path}')}"


def iso_day(value: str) -> str:
    """An ISO date (``2025-09-24``) from a document's date, or "" when it is not one."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat() if value else ""
    except ValueError:
        return ""


def day_time(day: str) -> str:
    """An ISO date (``2025-09-24``) as the RFC 3339 time Atom wants; "" when it is not one."""
    day = iso_day(day)
    return f"{day}T00:00:00Z" if day else ""


def feed_xml(feed: Feed) -> bytes:
    """The feed as UTF-8 XML."""
    from lxml import etree

    def add(parent, tag: str, text: str = "", lang: str = "", **attributes: str):
        element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: v for k, v in attributes.items() if v})
        if text:
            element.text = text
        if lang:
            element.set(XML_LANG, lang)
        return element

    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    root.set(XML_LANG, feed.lang)
    add(root, "id", feed.id)
    add(root, "title", feed.title)
    add(root, "updated", max((e.updated for e in feed.entries), default=UNKNOWN_TIME))
    add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    add(root, "link", rel="alternate", type="text/html", hreflang=feed.lang, href=feed.home_url)
    add(add(root, "author"), "name", feed.author)
    add(root, "generator", "pipeline")
    for item in feed.entries:
        entry = add(root, "entry")
        add(entry, "id", item.id)
        add(entry, "title", item.title, lang=item.title_lang)
        add(entry, "updated", item.updated)
        if item.published:
            add(entry, "published", item.published)
        add(entry, "link", rel="alternate", type="text/html", hreflang=feed.lang, href=item.url)
        if item.author:
            add(add(entry, "author"), "name", item.author)
        if item.summary:
            add(entry, "summary", item.summary, lang=item.summary_lang)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
