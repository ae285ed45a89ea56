"""The built article made tidy: the title on top, one paragraph per block, no stray space.

Whitespace is normalised outside ``<pre>``, empty wrappers go, and an ``id`` or
an in-page link stays only where a link in the article leads.
"""

from __future__ import annotations

import re

from lxml import etree, html

from pipeline.cleaning.htmlbuild import INLINE_TAGS
from pipeline.cleaning.tree import remove_keep_tail, unwrap


def finish_article(article: etree._Element, title: str) -> None:
    """Title first, headings below it, tidy whitespace, links only where they lead."""
    for heading in article.iter("h1"):
        heading.tag = "h2"  # one h1 per document: the title
    heading = etree.Element("h1")
    heading.text = title
    article.insert(0, heading)
    _split_at_double_breaks(article)
    _normalize_whitespace(article)
    _remove_empty(article)
    _keep_linked_ids(article)


_DOUBLE_BREAK = re.compile(r"(?:<br>\s*){2,}")


def _split_at_double_breaks(article: etree._Element) -> None:
    """``text<br><br>text`` is how many sites write paragraphs: make them ``<p>``s.

    One paragraph per block keeps diffs and translation units small.
    """
    for paragraph in list(article.iter("p")):
        if paragraph.find("br") is None:
            continue
        markup = html.tostring(paragraph, encoding="unicode", method="html", with_tail=False)
        inner = markup[markup.index(">") + 1 : markup.rindex("</p>")]
        parts = [part for part in _DOUBLE_BREAK.split(inner) if part.strip()]
        if len(parts) < 2:
            continue
        parent = paragraph.getparent()
        index = parent.index(paragraph)
        for offset, part in enumerate(parts):
            new = html.fragment_fromstring(f"<p>{part}</p>")
            parent.insert(index + offset, new)
        parent.remove(paragraph)


_BLOCK_OUT = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd td th caption figcaption summary".split()
)


_SPACES = re.compile(r"\s+")


def _normalize_whitespace(article: etree._Element) -> None:
    preformatted = {e for pre in article.iter("pre") for e in pre.iter()}
    for element in article.iter():
        if not isinstance(element.tag, str) or element in preformatted:
            continue
        if element.text:
            element.text = _SPACES.sub(" ", element.text)
        if element.tail:
            element.tail = _SPACES.sub(" ", element.tail)
    for element in article.iter(*_BLOCK_OUT):
        _strip_edges(element)
    for element in article.iter():
        if isinstance(element.tag, str) and element.tag not in _BLOCK_OUT and element.tag not in INLINE_TAGS.values():
            # containers: whitespace between blocks is the serializer's job
            if element.text and not element.text.strip():
                element.text = None
            for child in element:
                if child.tail and not child.tail.strip() and (child.tag not in INLINE_TAGS.values()):
                    child.tail = None
        if element.tag == "br":
            if element.tail:
                element.tail = element.tail.lstrip()


def _strip_edges(block: etree._Element) -> None:
    """No space at a block's start or end, and no line break there either."""
    while len(block) and block[0].tag == "br" and not (block.text or "").strip():
        remove_keep_tail(block[0])
    while len(block) and block[-1].tag == "br" and not (block[-1].tail or "").strip():
        block.remove(block[-1])
    if block.text:
        block.text = block.text.lstrip()
    node = block
    while len(node):
        node = node[-1]
        if (node.tail or "").strip():
            node.tail = node.tail.rstrip()
            return
        node.tail = None
        if node.tag == "img":
            return
    if node is block:
        if block.text:
            block.text = block.text.rstrip()
    elif node.text:
        node.text = node.text.rstrip()


def _remove_empty(article: etree._Element) -> None:
    """Drop inline wrappers and blocks left without text or image."""
    for element in reversed(list(article.iter())):
        if element is article or element.tag in ("img", "br"):
            continue
        if element.tag == "td" or element.tag == "th":
            continue  # empty cells keep a table's shape
        # Stop at the first text: a container's whole text would be joined once per level of nesting.
        if any(text.strip() for text in element.itertext()) or element.find(".//img") is not None:
            continue
        remove_keep_tail(element)


def _keep_linked_ids(article: etree._Element) -> None:
    """Keep an ``id`` only when a link in the article points to it."""
    targets = {a.get("href", "")[1:] for a in article.iter("a") if a.get("href", "").startswith("#")}
    for element in article.iter():
        if element.get("id") is not None and element.get("id") not in targets:
            del element.attrib["id"]
    ids = {e.get("id") for e in article.iter() if e.get("id")}
    for link in list(article.iter("a")):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            # A link to a part of the page that is not in the article leads nowhere.
            unwrap(link)
