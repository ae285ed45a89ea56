"""Images and their captions, as a reader sees them together.

Many sites do not write ``<figure>``: an image sits in a ``<div>`` next to a
``<div class="caption">`` (or ``wp-caption-text``, ``cutline``, ``credit``).
Judged on its own such a caption is a short paragraph the extractor may drop
as boilerplate, leaving an image with neither caption nor alt text; so the
pair is made a ``<figure>`` with its ``<figcaption>`` before the page is cut
into units, and the two are kept or dropped together.

Lazy-loading pages put the real image in ``<noscript>`` next to a placeholder;
that image replaces the placeholder (Readability does the same).
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.cleaning.htmlchrome import class_words
from pipeline.cleaning.tree import inside, remove_keep_tail

_CAPTION = re.compile(
    r"(?:^|[\s_-])(?:caption|captions|figcaption|cutline|credit|credits|photo-credit|image-credit|"
    r"wp-caption-text|legend)(?:$|[\s_-])",
    re.IGNORECASE,
)
#: How far up from a caption an image may sit and still be its image.
_FIGURE_LEVELS = 3
_NEVER_FIGURES = frozenset("body html article main section table tr".split())
_TEXT_BLOCKS = frozenset("p h2 h3 ul ol figure".split())
#: Words outside the caption that a figure-like container may hold (a credit, "Enlarge").
_FIGURE_OTHER_WORDS = 6


def is_caption(element: etree._Element) -> bool:
    return element.tag == "figcaption" or bool(_CAPTION.search(class_words(element)))


def promote_captioned_images(body: etree._Element) -> None:
    """Make each image-and-caption container a ``<figure>`` with a ``<figcaption>``."""
    for caption in [e for e in body.iter() if isinstance(e.tag, str) and is_caption(e)]:
        if caption.getparent() is None or any(a.tag == "figcaption" for a in caption.iterancestors()):
            continue
        holder = _figure_holder(caption)
        if holder is None:
            continue
        if holder.tag != "figure":
            holder.tag = "figure"
        if caption.tag != "figcaption":
            caption.tag = "figcaption"


def _figure_holder(caption: etree._Element) -> etree._Element | None:
    """The nearest ancestor holding one image and, besides the caption, next to no text."""
    caption_words = len(caption.text_content().split())
    node = caption.getparent()
    for _ in range(_FIGURE_LEVELS):
        if node is None or node.tag in _NEVER_FIGURES:
            return None
        outside = [e for e in node.iter() if e is not node and not inside(e, caption)]
        images = [e for e in outside if e.tag == "img"]
        if images:
            other_words = len(node.text_content().split()) - caption_words
            if len(images) > 1 or other_words > _FIGURE_OTHER_WORDS:
                return None
            if any(e.tag in _TEXT_BLOCKS for e in outside):
                return None  # a paragraph beside the image: a section, not a figure
            return node
        node = node.getparent()
    return None


def use_noscript_images(body: etree._Element) -> None:
    """Replace a lazy-loading placeholder by the image its ``<noscript>`` holds."""
    for noscript in list(body.iter("noscript")):
        images = list(noscript.iter("img"))
        if len(images) != 1 or noscript.text_content().strip():
            continue
        image = images[0]
        previous = noscript.getprevious()
        placeholder = None
        if previous is not None:
            placeholder = previous if previous.tag == "img" else next(previous.iter("img"), None)
        if placeholder is not None and image_source(placeholder) and not _is_placeholder(placeholder):
            continue  # the page shows a real image already
        if placeholder is not None:
            image.tail = placeholder.tail
            placeholder.getparent().replace(placeholder, image)
            remove_keep_tail(noscript)
        else:
            image.tail = noscript.tail
            noscript.getparent().replace(noscript, image)


def _is_placeholder(image: etree._Element) -> bool:
    source = (image.get("src") or "").strip().lower()
    return not source or source.startswith("data:") or bool(re.search(r"(?:blank|spacer|placeholder|pixel|lazy)\.\w+$", source))


def image_sources(element: etree._Element) -> list[str]:
    images = [element] if element.tag == "img" else list(element.iter("img"))
    return [s for s in (image_source(i) for i in images) if s]


_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")


def image_source(image: etree._Element) -> str:
    source = (image.get("src") or "").strip()
    if not source or source.startswith("data:"):
        for name in _LAZY_SRC:
            if image.get(name):
                return image.get(name, "").strip()
        srcset = (image.get("srcset") or image.get("data-srcset") or "").strip()
        if srcset:
            return srcset.split(",")[0].split()[0]
        return ""
    return source
