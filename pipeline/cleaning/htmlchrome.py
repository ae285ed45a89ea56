"""Why a part of a web page is not article content: its container's signals.

A page's chrome (menus, banners, share buttons, ...) is recognised by the tag,
``role``, ``class`` and ``id`` of the element holding it. These signals name
the reason a block was dropped in the cleaning report, so a person reviewing
it can tell a dropped menu from a dropped paragraph at a glance.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from pipeline.cleaning.tree import words_in_links

#: Elements that are never content, with the reason reported for them.
NEVER_CONTENT = {
    "script": "script",
    "noscript": "script",
    "template": "script",
    "style": "style",
    "link": "style",
    "iframe": "iframe",
    "object": "iframe",
    "embed": "iframe",
    "frame": "iframe",
    "form": "form",
    "button": "form",
    "input": "form",
    "select": "form",
    "textarea": "form",
    "svg": "image",
    "canvas": "image",
    "audio": "media",
    "video": "media",
}

#: Class/id words, most specific first: the first reason found wins, so a
#: newsletter box inside a sidebar is reported as "newsletter".
_WORD_SIGNALS: tuple[tuple[str, str], ...] = (
    ("cookie-banner", r"cookie\w*|consent|gdpr|cmp|onetrust|privacy-banner"),
    ("newsletter", r"newsletter\w*|subscri\w*|sign-?up|mailing-?list|optin|opt-in"),
    ("share-widget", r"share\w*|sharing|social\w*|sociable|addthis|sharethis|follow-us"),
    ("comments", r"comments?|comment-\w+|disqus\w*|discussion|respond|replies|reply"),
    ("related-articles", r"related\w*|recommend\w*|more-stories|more-news|read-more|"
     r"readmore|also-read|read-next|up-next|trending|popular|most-read|taboola\w*|outbrain\w*"),
    ("advertising", r"ad|ads|adv|advert\w*|adsense|adslot|ad-\w+|\w+-ad|sponsor\w*|promo\w*|"
     r"dfp|gpt|banner-ad|commercial|billboard|affiliate"),
    ("market-data", r"ticker\w*|stock-?quotes?|quote-?table|quotes-?table|market-?data|market-?summary|"
     r"markets-?bar|stock-?prices?|live-?quotes?"),
    ("navigation", r"nav|navbar|navigation|menu\w*|breadcrumbs?|pagination|pager|skip-link|toc"),
    ("header", r"header|masthead|site-header|topbar|top-bar|branding"),
    ("footer", r"footer|site-footer|colophon|copyright"),
    ("sidebar", r"sidebar\w*|side-bar|aside|rail|widget\w*|right-col|left-col"),
    ("author-bio", r"author-bio|about-author|author-box|bio"),
    ("byline", r"byline\w*|dateline|post-meta|entry-meta|article-meta|meta-info|signature|"
     r"author|authors|published|timestamp|post-date|entry-date"),
    ("tags", r"tags|post-tags|tag-list|tag-links|keywords|categories|cat-links"),
)
_WORD_PATTERNS = tuple(
    (reason, re.compile(rf"(?:^|[\s_])(?:{words})(?:$|[\s_])", re.IGNORECASE))
    for reason, words in _WORD_SIGNALS
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

_TAG_REASONS = {
    "nav": "navigation",
    "header": "header",
    "footer": "footer",
    "aside": "sidebar",
    "menu": "navigation",
}
_ROLE_REASONS = {
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
    "search": "form",
    "dialog": "popup",
    "alertdialog": "popup",
}

#: Reasons strong enough to drop a block even when the extractor kept it.
CHROME_REASONS = frozenset(
    {"market-data", "cookie-banner", "newsletter", "share-widget", "comments", "related-articles", "advertising",
     "navigation", "form", "script", "style", "iframe"}
)


#: An id of this many dash-separated words is an anchor made from a heading
#: ("sharing-with-a-single-developer" on a documentation page), not a widget name.
_SLUG_WORDS = 4


def class_words(element: etree._Element) -> str:
    """The element's class and id as words separated by spaces and dashes."""
    return _class_words(element.get("class", ""), element.get("id", ""))


#: Pages repeat a few class names over thousands of elements, and every
#: kept unit's ancestors are looked at: the answers are remembered by name.
_NAMES_REMEMBERED = 8192


@functools.lru_cache(maxsize=_NAMES_REMEMBERED)
def _class_words(classes: str, identifier: str) -> str:
    if len(re.split(r"[-_]", identifier)) >= _SLUG_WORDS:
        identifier = ""
    raw = f"{classes} {identifier}"
    raw = _CAMEL.sub("-", raw)
    # "article__share-bar" -> "article share-bar": a BEM separator splits words.
    return re.sub(r"__+|\s+", " ", raw).lower()


def own_reason(element: etree._Element) -> str:
    """The reason this element alone (not its ancestors) marks chrome, or ""."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return _own_reason(tag, element.get("role") or "", element.get("class", ""), element.get("id", ""))


@functools.lru_cache(maxsize=_NAMES_REMEMBERED)
def _own_reason(tag: str, role: str, classes: str, identifier: str) -> str:
    if tag in NEVER_CONTENT:
        return NEVER_CONTENT[tag]
    role = role.strip().lower()
    words = _class_words(classes, identifier)
    for reason, pattern in _WORD_PATTERNS:
        # Dashes stay inside words for the multi-word signals, and also
        # separate words so that "post-share-bar" finds "share".
        if pattern.search(words) or pattern.search(words.replace("-", " ")):
            return reason
    if role in _ROLE_REASONS:
        return _ROLE_REASONS[role]
    return _TAG_REASONS.get(tag, "")


def ancestor_reason(element: etree._Element, stop: etree._Element | None = None) -> tuple[str, str]:
    """The nearest chrome reason of ``element`` or an ancestor below ``stop``.

    Returns ``(reason, where)`` with ``where`` describing the container, e.g.
    ``<div class="share-bar">``, or ``("", "")``.
    """
    reason, node = chrome_ancestor(element, stop)
    return reason, describe(node) if node is not None else ""


def chrome_ancestor(element: etree._Element, stop: etree._Element | None = None) -> tuple[str, etree._Element | None]:
    """Like :func:`ancestor_reason`, with the container itself."""
    node: etree._Element | None = element
    while node is not None and node is not stop:
        reason = own_reason(node)
        if reason:
            return reason, node
        node = node.getparent()
    return "", None


#: A container with this many words of text, nearly none in links, holds prose.
PROSE_CONTAINER_WORDS = 150
PROSE_CONTAINER_LINK_SHARE = 0.2


def holds_prose(element: etree._Element) -> bool:
    """Does this container hold an article's worth of prose rather than a widget's labels?

    A "read more" toggle (``<div id="read-more">`` around the second half of
    a story) or a section whose class happens to say "social" is article
    text; a share bar, a list of related links or a sign-up box never is.
    """
    total = len(element.text_content().split())
    if total < PROSE_CONTAINER_WORDS:
        return False
    return words_in_links([element]) <= PROSE_CONTAINER_LINK_SHARE * total


def describe(element: etree._Element) -> str:
    """A short CSS-like description of an element for the report."""
    text = element.tag if isinstance(element.tag, str) else "node"
    if element.get("id"):
        text += "#" + element.get("id", "").strip()
    classes = (element.get("class") or "").split()
    if classes:
        text += "." + ".".join(classes[:3])
    role = element.get("role")
    if role:
        text += f'[role="{role}"]'
    return text
