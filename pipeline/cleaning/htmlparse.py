"""Reading a saved page: parsing it, and removing what is never content.

Scripts, styles, embeds and hidden elements go before the page is cut into
units; they are reported briefly, and hidden paragraphs are remembered for the
loss check (text behind a ``display:none`` toggle may be the article's).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin

from lxml import etree, html

from pipeline.cleaning import htmlchrome, reconcile
from pipeline.cleaning.report import DroppedBlock
from pipeline.cleaning.tree import collapse_unicode_space, remove_keep_tail, words_in_links
from pipeline.errors import SnapshotError
from pipeline.formats.document import remove_forbidden_characters


def parse_page(text: str) -> etree._Element:
    if not text.strip():
        raise SnapshotError("the HTML snapshot is empty")
    # lxml refuses str input that declares an encoding; the text is decoded already.
    data = remove_forbidden_characters(text).encode("utf-8", "replace")
    parser = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    # Every element is a plain HtmlElement: lxml.html's own lookup (forms, inputs, labels
    # get their own classes, which the cleaner never uses) runs Python code for each
    # element the cleaner touches, a large share of the work on a long page.
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=html.HtmlElement, comment=html.HtmlComment))
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise SnapshotError(f"the HTML snapshot cannot be parsed: {exc}") from None
    return root


def page_base_url(root: etree._Element, url: str) -> str:
    base = root.find(".//base[@href]")
    if base is not None:
        return urljoin(url, base.get("href", "").strip())
    return url


def remove_never_content(body: etree._Element, hidden_prose: list[str]) -> list[DroppedBlock]:
    """Remove scripts, styles, embeds and hidden elements; report them briefly.

    The paragraphs of hidden elements go to ``hidden_prose``: text behind a
    ``display:none`` toggle may be the article's (the loss check weighs it).
    """
    counts: Counter[str] = Counter()
    dropped: list[DroppedBlock] = []
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            element.getparent().remove(element) if element.getparent() is not None else None
            continue
        tag = element.tag
        reason = htmlchrome.NEVER_CONTENT.get(tag, "")
        if tag in ("form", "button", "input", "select", "textarea"):
            continue  # some sites wrap the whole page in a <form>; judged later
        if not reason and _hidden(element):
            reason = "hidden"
        if not reason:
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if reason in ("script", "style"):
            counts[tag] += 1
        else:
            text = collapse_unicode_space(element.text_content())
            source = element.get("src") or element.get("data-src") or ""
            if text or source:
                detail = f"<{tag}>" + (f" {source}" if source else "")
                dropped.append(DroppedBlock(text, reason, detail))
            if reason == "hidden":
                hidden_prose.extend(_paragraph_texts(element))
        remove_keep_tail(element)
    summary = [
        DroppedBlock("", "script" if tag in ("script", "noscript", "template") else "style",
                     f"{count} <{tag}> element{'s' if count > 1 else ''}")
        for tag, count in sorted(counts.items())
    ]
    return summary + dropped


def _paragraph_texts(element: etree._Element) -> list[str]:
    """The texts of an element's paragraphs that are not mostly links (a hidden menu has none)."""
    found = []
    for paragraph in element.iter("p"):
        words = len(paragraph.text_content().split())
        if words and words_in_links([paragraph]) <= reconcile.PROSE_LINK_SHARE * words:
            found.append(collapse_unicode_space(paragraph.text_content()))
    return found


def _hidden(element: etree._Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )
