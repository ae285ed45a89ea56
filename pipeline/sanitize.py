"""What a clean document may hold, enforced on its parsed tree at two gates.

``clean`` applies :func:`sanitize_document` to the document it made from a
scraped page, and ``build`` applies it again to every ``article.html`` it
reads, since that file is edited by people and reviewed in diffs, before any
translation is put in. Translations themselves cannot bring markup in: they
reach the page through attribute-less tag placeholders
(:mod:`pipeline.formats.messages`).

Elements and attributes are cut to an allowlist by lxml_html_clean's
``Cleaner``, which works on the lxml tree we already hold (a sanitizer that
re-parses serialized HTML, as nh3 does with html5ever, would rebuild tables
and ``<pre>`` text its own way and change documents that were fine).
URL-bearing attributes and metadata are then parsed as URLs, the way a
browser reads them (leading and trailing controls and spaces stripped, tabs
and line breaks removed), and kept only when their scheme is on the allowlist:
no scheme (relative), http, https, mailto, tel; ``data:`` only for raster
images in image attributes. Each URL dropped is returned as a
:class:`Removal` for the stage to report as a warning.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

from lxml import etree

from pipeline.formats.document import Document

#: Elements a clean document may hold: what the cleaners make, and what a
#: person editing ``article.html`` may reasonably add. Others are unwrapped.
ALLOWED_TAGS = frozenset(
    "article section div aside details summary figure figcaption blockquote address "
    "p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd pre hr br wbr "
    "table caption colgroup col thead tbody tfoot tr th td "
    "a em strong i b u s code kbd samp var sub sup abbr q cite time small mark del ins dfn "
    "span bdi bdo data ruby rt rp img picture source video audio track".split()
)
#: Elements removed with everything inside them: their content is code, a
#: form, an embedded document or page machinery, never article text.
KILLED_TAGS = frozenset(
    "script style template iframe frame frameset object embed applet param svg math "
    "canvas form textarea select option button input head title meta link base "
    "noembed noframes xmp plaintext".split()
)
#: Attributes a clean document may hold, on any allowed element. ``aria-label``
#: is an element's accessible name (an icon link's, an image map's): text a
#: screen reader says, extracted and translated like ``title`` and ``alt``.
ALLOWED_ATTRIBUTES = frozenset(
    "id class lang dir translate title href hreflang src srcset sizes alt width height media "
    "type cite datetime colspan rowspan headers scope abbr span start reversed value open "
    "poster controls kind srclang label aria-label".split()
)
#: Allowed attributes whose value is a URL (``srcset``: a list of them).
URL_ATTRIBUTES = frozenset("href src srcset cite poster".split())
#: Where a raster ``data:`` image may stand; never SVG, which can hold script.
IMAGE_ATTRIBUTES = frozenset({("img", "src"), ("img", "srcset"), ("source", "srcset"), ("video", "poster")})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
#: Metadata names whose value is a URL (after the last ':' or '.').
URL_META_ENDINGS = ("url", "image", "video", "audio", "source", "canonical", "href", "uri")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_HTML_SPACE = " \t\n\r\f"


@dataclass(frozen=True)
class Removal:
    """Something hostile or unsupported taken out of a document."""

    #: Where it stood: "href of <a>", "dcterms.source", "<script> element".
    where: str
    #: The value dropped (a URL); "" for elements and attributes, counted in the reason.
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}: {self.text!r}" if self.text else f"{self.where}: {self.reason}"


def sanitize_document(document: Document) -> list[Removal]:
    """Cut ``document`` (changed in place) to what a clean document may hold; what was taken out."""
    body = document.body
    with_urls = _elements_with_urls_if_allowed(body)
    if with_urls is None:
        removals = _unsupported_markup(body)
        _cleaner()(body)
        with_urls = body.iter(etree.Element)
    else:
        removals = []
    removals += _drop_unsafe_urls(with_urls)
    removals += _drop_unsafe_metadata(document)
    return removals


def _elements_with_urls_if_allowed(body: etree._Element) -> list[etree._Element] | None:
    """The elements with a URL attribute when ``body`` holds only allowed markup, else None.

    The common shape, a document ``clean`` made or one edited within the
    allowlist, has nothing for the cleaner to take out: every node is an
    element (no comment or instruction) whose tag is allowed, so neither killed
    nor removed nor renamed by it, and whose attributes are allowed. On such a
    tree :func:`_unsupported_markup` finds nothing and the cleaner changes
    nothing, so both are skipped; anything else takes the general path.
    """
    with_urls = []
    for node in body.iter():
        if node.tag not in ALLOWED_TAGS:  # a comment's or an instruction's tag is a function: not in it
            return None
        names = node.keys()
        if names:
            if not ALLOWED_ATTRIBUTES.issuperset(names):
                return None
            if not URL_ATTRIBUTES.isdisjoint(names):
                with_urls.append(node)
    return with_urls


def unsafe_url_reason(value: str, image: bool = False) -> str:
    """Why the URL ``value`` must not stand in a page, or "" when it may."""
    url = value.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    if _plainly_allowed(url):
        return ""
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return "not a URL that can be read"
    if not scheme or scheme in LINK_SCHEMES:
        return ""
    if scheme == "data" and image:
        media_type = url[len("data:"):].split(",", 1)[0].split(";", 1)[0].strip().lower()
        if media_type in IMAGE_DATA_TYPES:
            return ""
        return f"a data: URL of type {media_type or 'text/plain'} is not an image a page may show"
    return f"a {scheme}: URL is not allowed"


#: The beginnings of most URLs of a page: a web address, a path or a fragment on the same site.
_WEB_PREFIXES = ("https://", "http://")
_RELATIVE_STARTS = ("/", "#", ".", "?")


def _plainly_allowed(url: str) -> bool:
    """Whether ``urlsplit`` would give ``url`` an allowed scheme (or none) without an error.

    An ASCII ``http://`` or ``https://`` address without brackets has that
    scheme, and ``urlsplit`` raises only for brackets in a host or a host not
    in ASCII; a URL starting with ``/`` (not ``//``), ``#``, ``.`` or ``?`` has
    no scheme (a scheme starts with a letter) and no host. Such URLs skip the
    parse, which is most of the cost of checking a page's links.
    """
    if url.startswith(_WEB_PREFIXES):
        return url.isascii() and "[" not in url and "]" not in url
    return url.startswith(_RELATIVE_STARTS) and not url.startswith("//")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` value, read as the HTML standard's srcset parser reads them."""
    urls: list[str] = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position] in _HTML_SPACE or value[position] == ","):
            position += 1
        start = position
        while position < end and value[position] not in _HTML_SPACE:
            position += 1
        url = value[start:position]
        if not url:
            break
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0  # skip the descriptors, up to a comma outside parentheses
        while position < end:
            character = value[position]
            position += 1
            if character == "(":
                depth += 1
            elif character == ")" and depth:
                depth -= 1
            elif character == "," and not depth:
                break
    return urls


@functools.cache  # one set of options: the cleaner keeps no state between documents
def _cleaner():
    from lxml_html_clean import Cleaner

    return Cleaner(
        scripts=True, javascript=False, comments=True, style=True, inline_style=True, links=True,
        meta=True, page_structure=False, processing_instructions=True, embedded=True, frames=True,
        forms=True, annoying_tags=True, remove_unknown_tags=False, allow_tags=ALLOWED_TAGS,
        kill_tags=KILLED_TAGS, safe_attrs_only=True, safe_attrs=ALLOWED_ATTRIBUTES, add_nofollow=False,
    )


def _unsupported_markup(body: etree._Element) -> list[Removal]:
    """What the cleaner is about to take out, counted by element and attribute name.

    What stands inside an element removed with its content is not counted again.
    """
    elements: Counter[str] = Counter()
    attributes: Counter[str] = Counter()
    pending = [body]
    while pending:
        element = pending.pop()
        if not isinstance(element.tag, str):
            elements["comment" if element.tag is etree.Comment else "processing instruction"] += 1
            continue
        if element.tag not in ALLOWED_TAGS:
            elements[f"<{element.tag}>"] += 1
        if element.tag not in KILLED_TAGS:
            attributes.update(name for name in element.attrib if name not in ALLOWED_ATTRIBUTES)
            pending.extend(element)
    removals = [
        Removal(f"{name} element", "", ("removed with its content" if name.strip("<>") in KILLED_TAGS
                                        else "removed, its text kept") + f" ({count} found)")
        for name, count in sorted(elements.items())
    ]
    removals += [Removal(f"{name}= attribute", "", f"removed ({count} found)") for name, count in sorted(attributes.items())]
    return removals


def _drop_unsafe_urls(elements: Iterable[etree._Element]) -> list[Removal]:
    removals = []
    for element in elements:
        for name in URL_ATTRIBUTES.intersection(element.attrib):
            value = element.get(name)
            image = (element.tag, name) in IMAGE_ATTRIBUTES
            urls = srcset_urls(value) if name == "srcset" else [value]
            reasons = [reason for reason in (unsafe_url_reason(url, image) for url in urls) if reason]
            if reasons:
                del element.attrib[name]
                removals.append(Removal(f"{name} of <{element.tag}>", value, reasons[0]))
    return removals


def _drop_unsafe_metadata(document: Document) -> list[Removal]:
    removals = []
    reason = unsafe_url_reason(document.source_url) if document.source_url else ""
    if reason:
        removals.append(Removal("dcterms.source", document.source_url, reason))
        document.source_url = ""
    for name, value in list(document.extra_meta.items()):
        ending = name.lower().replace(".", ":").rsplit(":", 1)[-1]
        reason = unsafe_url_reason(value) if ending.endswith(URL_META_ENDINGS) else ""
        if reason:
            removals.append(Removal(name, value, reason))
            del document.extra_meta[name]
    return removals
