"""The page cut into units: the pieces of text that are kept or dropped whole.

A unit is a leaf block (paragraph, heading, list item), the loose inline text
of a container (a "run"), a data table, a figure or an image.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from pipeline.cleaning import votes
from pipeline.cleaning.tree import collapse_unicode_space, text_of


#: Elements that start a new block of text when a browser renders a page.
BLOCKISH = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)


HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())


@dataclass
class Unit:
    """A piece of the page that is kept or dropped as a whole."""

    #: "block" (leaf block element), "run" (loose inline content of a
    #: container), "table" (data table), "figure", "image".
    kind: str
    #: The element itself, or for a run its parent.
    element: etree._Element
    #: For a run: its text and inline elements in order.
    pieces: list[object] = field(default_factory=list)
    text: str = ""
    kept: bool = False
    is_title: bool = False
    reason: str = ""
    detail: str = ""
    container: etree._Element | None = None
    #: The extractors that kept this unit's text (see ``votes``).
    votes: frozenset[str] = frozenset()

    @cached_property
    def tokens(self) -> list[str]:
        """The unit's words, lower-cased (its text is set once, when the page is cut)."""
        return votes.words(self.text)

    @cached_property
    def grams(self) -> list[votes.Trigram]:
        return votes.trigrams(self.tokens)


def _block_descendants(body: etree._Element) -> dict[etree._Element, bool]:
    """For each element: does it contain a block-level element?"""
    has_block: dict[etree._Element, bool] = {}
    for element in reversed(list(body.iter())):
        has_block[element] = any(
            isinstance(child.tag, str) and (child.tag in BLOCKISH or has_block.get(child, False))
            for child in element
        )
    return has_block


def _is_data_table(table: etree._Element) -> bool:
    """A table of data (kept whole), not a table used for page layout."""
    if table.find(".//table") is not None:
        return False
    if any(table.find(f".//{tag}") is not None for tag in ("p", "h1", "h2", "h3", "ul", "ol", "blockquote")):
        return False
    rows = table.findall(".//tr")
    return len(rows) >= 1 and max((len(r.findall("td")) + len(r.findall("th")) for r in rows), default=0) >= 2


def collect_units(body: etree._Element) -> list[Unit]:
    """The page's units in page order."""
    cutter = _Cutter(body)
    cutter.visit(body)
    return cutter.units


class _Cutter:
    """A depth-first walk: a leaf block is one unit, a container's loose inline content between its blocks a run."""

    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self.has_block = _block_descendants(body)
        self.units: list[Unit] = []

    def visit(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == "table" and _is_data_table(element):
            cells = [text_of(cell) for cell in element.iter("td", "th", "caption")]
            self.units.append(Unit("table", element, text=" ".join(c for c in cells if c)))
        elif tag == "figure":
            self.units.append(Unit("figure", element, text=_figure_text(element)))
        elif tag == "pre":
            self.units.append(Unit("block", element, text=text_of(element)))
        elif not self.has_block[element] and element is not self.body:
            self._add_leaf(element)
        else:
            self._visit_container(element)

    def _add_leaf(self, element: etree._Element) -> None:
        unit = Unit("block", element, text=text_of(element))
        if unit.text or element.find(".//img") is not None:
            if not unit.text:
                unit.kind = "image"
            self.units.append(unit)

    def _visit_container(self, element: etree._Element) -> None:
        run: list[object] = []
        if element.text and element.text.strip():
            run.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in BLOCKISH or self.has_block[child]:
                self._add_run(element, run)
                run = []
                self.visit(child)
                if child.tail and child.tail.strip():
                    run.append(child.tail)
            else:
                run.append(child)
                if child.tail:
                    run.append(child.tail)
        self._add_run(element, run)

    def _add_run(self, container: etree._Element, run: list[object]) -> None:
        """The run's inline pieces as a unit, when they hold text or an image."""
        if not run:
            return
        text = collapse_unicode_space("".join(p if isinstance(p, str) else p.text_content() for p in run))
        has_image = any(not isinstance(p, str) and (p.tag == "img" or p.find(".//img") is not None) for p in run)
        if text or has_image:
            self.units.append(Unit("run" if text else "image", container, pieces=list(run), text=text))


def _figure_text(figure: etree._Element) -> str:
    caption = figure.find(".//figcaption")
    return text_of(caption) if caption is not None else ""
