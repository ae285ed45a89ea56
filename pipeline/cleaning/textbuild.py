"""The clean document of a text dump: kept blocks as elements, citations and URLs as links.

References become an ordered list with ids, so a citation ``[3]`` in the
text links to its source.
"""

from __future__ import annotations

import re

from lxml import html

from pipeline.cleaning.textblocks import NUMBERED, Kept, Reference
from pipeline.formats.document import new_article


CITATION = re.compile(r"\[(\d{1,3})\]")


URL = re.compile(r"https?://[^\s\"'<>]+[^\s\"'<>.,;:!?)]")


QUOTED_TITLE_WITH_URL = re.compile(
    r"(?P<open>[\"“])(?P<title>[^\"“”]+?),\s*(?P<url>https?://[^\s\"”]+?)[.,]?\s*(?P<close>[\"”])"
)


def _add_inline_text(element: html.HtmlElement, text: str, cited: set[str]) -> None:
    """Set ``text`` as the element's content, linking citations and bare URLs."""
    pattern = re.compile(rf"{CITATION.pattern}|{URL.pattern}")
    last: html.HtmlElement | None = None
    position = 0

    def add_text(chunk: str) -> None:
        if last is None:
            element.text = (element.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk

    for match in pattern.finditer(text):
        number = match.group(1)
        if number is not None and number not in cited:
            continue
        add_text(text[position : match.start()])
        link = html.Element("a")
        if number is not None:
            link.set("href", f"#ref-{number}")
        else:
            link.set("href", match.group(0))
        link.text = match.group(0)
        element.append(link)
        last = link
        position = match.end()
    add_text(text[position:])


def _reference_element(reference: Reference) -> html.HtmlElement:
    item = html.Element("li")
    item.set("id", f"ref-{reference.number}")
    titled = QUOTED_TITLE_WITH_URL.search(reference.text)
    if titled:
        item.text = reference.text[: titled.start()] + titled.group("open")
        link = html.Element("a")
        link.set("href", titled.group("url"))
        # A publication's title is cited as published: translators keep it and
        # may add a translation beside it.
        link.set("translate", "no")
        link.text = titled.group("title").strip()
        link.tail = "." + titled.group("close") + reference.text[titled.end() :]
        item.append(link)
    else:
        _add_inline_text(item, reference.text, set())
    return item


def build_body(title: str, kept: list[Kept], references: list[Reference]) -> html.HtmlElement:
    article = new_article()
    heading = html.Element("h1")
    heading.text = title
    article.append(heading)
    cited = {r.number for r in references}
    current_list: html.HtmlElement | None = None
    for item in kept:
        list_tag = {"li": "ul", "oli": "ol"}.get(item.kind)
        if list_tag:
            if current_list is None or current_list.tag != list_tag:
                current_list = html.Element(list_tag)
                article.append(current_list)
            element = html.Element("li")
            text = NUMBERED.sub(r"\g<text>", item.text) if item.kind == "oli" else item.text
            _add_inline_text(element, text, cited)
            current_list.append(element)
            continue
        current_list = None
        element = html.Element(item.kind)
        _add_inline_text(element, item.text, cited)
        article.append(element)
    if references:
        section = html.Element("section")
        section.set("id", "references")
        section.set("class", "references")
        ordered = html.Element("ol")
        for reference in references:
            entry = _reference_element(reference)
            if reference.number != str(len(ordered) + 1):
                entry.set("value", reference.number)
            ordered.append(entry)
        section.append(ordered)
        article.append(section)
    return article
