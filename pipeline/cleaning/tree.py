"""Small operations on lxml trees that the HTML cleaner's steps share.

Where an element sits (inside a container, its ancestors), how much of a
text is links, and edits that keep the text around what they remove.
"""

from __future__ import annotations

import re
from typing import Iterable

from lxml import etree

_SPACES = re.compile(r"\s+")


def collapse_unicode_space(text: str) -> str:
    """Runs of any Unicode white space (a no-break space too) as one space, trimmed."""
    return _SPACES.sub(" ", text or "").strip()


def inside(element: etree._Element, container: etree._Element) -> bool:
    """Is ``element`` the container or one of its descendants?"""
    node = element
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def words_in_links(elements: Iterable[etree._Element]) -> int:
    """How many words of these elements' text sit inside links."""
    return sum(len(a.text_content().split()) for element in elements for a in element.iter("a"))


def remove_keep_tail(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        _append_after(parent, element.getprevious(), element.tail)
    parent.remove(element)


def text_of(element: etree._Element) -> str:
    """The text of an element with inline content, as a reader sees it."""
    return collapse_unicode_space("".join(element.itertext()))


def ancestors(element: etree._Element) -> set[etree._Element]:
    """The element and all its ancestors."""
    found = set()
    node = element
    while node is not None:
        found.add(node)
        node = node.getparent()
    return found


def children_with_tails(element: etree._Element) -> list[object]:
    """An element's children, each followed by its tail text."""
    pieces: list[object] = []
    for child in element:
        if isinstance(child.tag, str):
            pieces.append(child)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def append_text(target: etree._Element, text: str) -> None:
    """Add text at the end of an element's content (its last child's tail, or its text)."""
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content, keeping its text and tail in place."""
    parent = element.getparent()
    index = parent.index(element)
    previous = element.getprevious()
    _append_after(parent, previous, element.text or "")
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    _append_after(parent, children[-1] if children else previous, element.tail or "")
    parent.remove(element)


def _append_after(parent: etree._Element, previous: etree._Element | None, text: str) -> None:
    """Put text where ``previous`` ends (its tail), or at the start of ``parent`` when there is none."""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
