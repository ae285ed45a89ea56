"""What the extractors judge to be the article, to look the page's units up in.

One extractor's choice is one opinion: trafilatura in precision mode leaves
out whole sections it is unsure of, its recall mode and readability-lxml (the
Python port of the algorithm behind Firefox's reader view) keep more, and each
errs on other page shapes. The cleaner asks all three and reconciles them
unit by unit (see ``reconcile``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

_WORD = re.compile(r"\w+", re.UNICODE)
#: A unit shorter than this (in words) is kept only when the extractor kept
#: exactly that text as a block: a lone "Share" must not ride on a match.
SHORT_UNIT = 3
#: Matches a text of at least ``SHORT_UNIT`` words, without splitting all of a long one.
_SHORT_UNIT_LONGER = re.compile(r"\W*" + r"\w+\W+" * (SHORT_UNIT - 1) + r"\w", re.UNICODE)
#: Share of a unit's word trigrams that the extractor must have kept.
KEPT_SHARE = 0.5

#: Three words joined by a space: a string caches its hash, so a unit's
#: trigrams cost one hash each however many opinions look them up.
Trigram = str


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def trigrams(tokens: list[str]) -> list[Trigram]:
    return [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:])]


@dataclass
class Opinion:
    """The text one extractor kept: its blocks and the multiset of its word trigrams."""

    name: str
    blocks: set[str] = field(default_factory=set)
    grams: Counter[Trigram] = field(default_factory=Counter)

    @classmethod
    def of_tree(cls, name: str, body: etree._Element | None, block_tags: tuple[str, ...]) -> "Opinion":
        opinion = cls(name)
        if body is None:
            return opinion
        for element in body.iter(*block_tags):
            opinion._add_block("".join(element.itertext()))
        for element in body.iter():
            if element.tail and element.tail.strip():  # loose text between blocks
                opinion._add_block(element.tail)
        opinion.grams = Counter(trigrams(words(" ".join(body.itertext()))))
        return opinion

    def _add_block(self, text: str) -> None:
        """Remember a block's words when it is short: only short units are looked up by block (``keeps``)."""
        lowered = text.lower()
        if not _SHORT_UNIT_LONGER.match(lowered):
            self.blocks.add(" ".join(_WORD.findall(lowered)))

    def __bool__(self) -> bool:
        return bool(self.grams or self.blocks)

    def keeps(self, tokens: list[str], grams: list[Trigram] | None = None) -> bool:
        """Did this extractor keep (most of) the text of these tokens (whose trigrams ``grams`` are)?"""
        if not tokens:
            return False
        if len(tokens) < SHORT_UNIT:
            return " ".join(tokens) in self.blocks
        grams = trigrams(tokens) if grams is None else grams
        found = sum(map(self.grams.__contains__, grams))
        return found >= KEPT_SHARE * len(grams)


_TRAFILATURA_BLOCKS = ("p", "head", "item", "cell", "quote", "code", "row")


#: Above this many characters a page gets one opinion: trafilatura's precision
#: mode (its recall mode when that finds nothing). The second opinions would
#: triple the cost of a page that already takes tens of seconds.
SECOND_OPINIONS_MAX_CHARS = 3_000_000
#: The same above this many characters of visible text, however light the
#: markup: a book-length page (a whole book or manual on one page, an endless
#: comment thread) holds ten times a long encyclopaedia article, and each
#: extractor's time grows with its text.
SECOND_OPINIONS_MAX_TEXT_CHARS = 1_000_000


def too_large_for_second_opinions(page_chars: int, text_chars: int) -> str:
    """Why a page gets one opinion only (its size, said for a warning), or "" when it gets three."""
    if page_chars > SECOND_OPINIONS_MAX_CHARS:
        return f"the page is {page_chars / 1e6:.1f} million characters"
    if text_chars > SECOND_OPINIONS_MAX_TEXT_CHARS:
        return f"the page holds {text_chars / 1e6:.1f} million characters of text"
    return ""


def trafilatura_opinions(page: str, url: str, recall: bool = True) -> tuple[Opinion, Opinion]:
    """trafilatura's precision-mode and recall-mode choices (recall only as a fallback unless ``recall``).

    Without ``recall`` (a page too large for second opinions) trafilatura's
    own fallback is skipped too (``fast``): comparing its choice with its
    bundled readability and jusText is a second opinion inside it, over the
    whole page, and costs as much as its main extraction.
    """
    import trafilatura  # heavy: imported only when a page is cleaned

    options = dict(
        url=url or None,
        fast=not recall,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
        deduplicate=False,
    )
    found = []
    for mode in ("favor_precision", "favor_recall"):
        if mode == "favor_recall" and not recall and found[0]:
            found.append(Opinion("recall"))
            break
        result = trafilatura.bare_extraction(page, **{mode: True}, **options)
        body = None if result is None else result.body
        found.append(Opinion.of_tree(mode.split("_")[1], body, _TRAFILATURA_BLOCKS))
    return found[0], found[1]


_READABILITY_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "pre", "blockquote", "dd", "dt")


def readability_opinion(page: str, url: str) -> Opinion:
    """readability-lxml's choice; an empty opinion when it finds nothing."""
    from lxml import html
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(page, url=url or None).summary(html_partial=True)
    except (Unparseable, ValueError, etree.ParserError):
        return Opinion("readability")
    if not summary.strip():
        return Opinion("readability")
    try:
        tree = html.fromstring(summary)
    except (etree.ParserError, ValueError):
        return Opinion("readability")
    return Opinion.of_tree("readability", tree, _READABILITY_BLOCKS)
