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
import re
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
    text = _plain_feed_xml(feed)
    return _feed_tree_xml(feed) if text is None else text.encode("utf-8")


#: Text lxml writes as it is, but for ``&``, ``<``, ``>`` (and ``"`` in an attribute): no control
#: character (lxml refuses most and writes line breaks and tabs in attributes as references), no
#: C1 control, no lone surrogate and no noncharacter U+FFFE or U+FFFF.
_PLAIN_TEXT = re.compile("[ -~\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _plain_feed_xml(feed: Feed) -> str | None:
    """:func:`_feed_tree_xml`'s text, written directly, when every value is plain text (:data:`_PLAIN_TEXT`); else None.

    The elements, attributes and indentation are those the tree gets (an element
    without text closed as ``<name/>``, an attribute left out when empty), so the
    bytes are the same; any other value takes the tree, which also refuses what
    XML cannot hold as lxml does.
    """
    values = [feed.id, feed.lang, feed.title, feed.author, feed.self_url, feed.home_url]
    for item in feed.entries:
        values += (item.id, item.title, item.url, item.updated, item.published, item.summary, item.author,
                   item.title_lang, item.summary_lang)
    if not _PLAIN_TEXT.fullmatch("".join(values)):  # one character class: the whole matches when each part does
        return None
    hreflang = _attribute(" hreflang", feed.lang)
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<feed xmlns="{ATOM_NS}" xml:lang="{_attribute_text(feed.lang)}">',
        _leaf("  ", "id", feed.id),
        _leaf("  ", "title", feed.title),
        _leaf("  ", "updated", max((e.updated for e in feed.entries), default=UNKNOWN_TIME)),
        f'  <link rel="self" type="application/atom+xml"{_attribute(" href", feed.self_url)}/>',
        f'  <link rel="alternate" type="text/html"{hreflang}{_attribute(" href", feed.home_url)}/>',
        "  <author>", _leaf("    ", "name", feed.author), "  </author>",
        "  <generator>pipeline</generator>",
    ]
    for item in feed.entries:
        lines += ("  <entry>", _leaf("    ", "id", item.id),
                  _leaf("    ", "title", item.title, _attribute(" xml:lang", item.title_lang)),
                  _leaf("    ", "updated", item.updated))
        if item.published:
            lines.append(_leaf("    ", "published", item.published))
        lines.append(f'    <link rel="alternate" type="text/html"{hreflang}{_attribute(" href", item.url)}/>')
        if item.author:
            lines += ("    <author>", _leaf("      ", "name", item.author), "    </author>")
        if item.summary:
            lines.append(_leaf("    ", "summary", item.summary, _attribute(" xml:lang", item.summary_lang)))
        lines.append("  </entry>")
    lines.append("</feed>\n")
    return "\n".join(lines)


def _leaf(indent: str, tag: str, text: str, attributes: str = "") -> str:
    """An element without children as lxml writes it (``attributes``: written already, each after a space)."""
    if not text:
        return f"{indent}<{tag}{attributes}/>"
    return f"{indent}<{tag}{attributes}>{_element_text(text)}</{tag}>"


def _attribute(name: str, value: str) -> str:
    """`` name="value"``, or "" for an empty value (:func:`_feed_tree_xml` leaves it out)."""
    return f'{name}="{_attribute_text(value)}"' if value else ""


def _element_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute_text(text: str) -> str:
    return _element_text(text).replace('"', "&quot;")


def _feed_tree_xml(feed: Feed) -> bytes:
    """The feed made as an lxml tree and serialized."""
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
