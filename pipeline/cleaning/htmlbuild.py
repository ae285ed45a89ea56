"""The clean document's body: kept units rebuilt as semantic HTML5, in page order.

Lists, quotes and tables keep their structure; inline elements are kept
(with renames) or unwrapped; links and image sources are made absolute.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from pipeline.cleaning.htmlfigures import image_source
from pipeline.cleaning.htmlunits import BLOCKISH, HEADINGS, Unit
from pipeline.cleaning.tree import append_text, children_with_tails, collapse_unicode_space, inside, text_of
from pipeline.formats.document import new_article


#: Page elements rebuilt as containers in the clean document.
STRUCTURAL = frozenset("ul ol li dl blockquote details".split())


#: Leaf blocks that keep their own tag; any other leaf block becomes a ``<p>``.
LEAF_TAGS = HEADINGS | frozenset("p li dt dd pre summary".split())


#: Inline elements kept, with renames; any other inline element is unwrapped.
INLINE_TAGS = {
    "a": "a", "em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code",
    "kbd": "kbd", "samp": "samp", "var": "var", "sub": "sub", "sup": "sup", "abbr": "abbr",
    "q": "q", "cite": "cite", "time": "time", "small": "small", "mark": "mark", "s": "s",
    "del": "del", "ins": "ins", "dfn": "dfn", "br": "br", "img": "img", "tt": "code",
}


class _Builder:
    """Rebuild kept units in page order inside their lists, quotes and tables."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.article = new_article()
        #: (page element, clean element) of the containers now open.
        self.stack: list[tuple[etree._Element | None, etree._Element]] = [(None, self.article)]

    def _structure(self, unit: Unit) -> list[etree._Element]:
        """The unit's list/quote ancestors, outermost first."""
        chain = []
        node = unit.element if unit.kind == "run" else unit.element.getparent()
        if unit.kind == "block" and unit.element.tag == "blockquote":
            node = unit.element
        while node is not None:
            if isinstance(node.tag, str) and node.tag in STRUCTURAL:
                chain.append(node)
            node = node.getparent()
        return list(reversed(chain))

    def _open(self, chain: list[etree._Element]) -> etree._Element:
        depth = 1
        while depth < len(self.stack) and depth - 1 < len(chain) and self.stack[depth][0] is chain[depth - 1]:
            depth += 1
        del self.stack[depth:]
        for page_element in chain[depth - 1:]:
            parent = self.stack[-1][1]
            tag = page_element.tag
            if tag == "li" and parent.tag not in ("ul", "ol"):
                tag = "p"  # a stray <li> outside a list
            if tag in ("ul", "ol") and parent.tag in ("ul", "ol"):
                parent = self._list_item(parent)
            clean = etree.SubElement(parent, tag)
            self._copy_attributes(page_element, clean)
            self.stack.append((page_element, clean))
        return self.stack[-1][1]

    @staticmethod
    def _list_item(list_element: etree._Element) -> etree._Element:
        last = list_element[-1] if len(list_element) else None
        return last if last is not None and last.tag == "li" else etree.SubElement(list_element, "li")

    def add(self, unit: Unit) -> None:
        parent = self._open(self._structure(unit))
        if unit.kind == "table":
            parent.append(self._table(unit.element))
        elif unit.kind == "figure":
            figure = self._figure(unit.element)
            if figure is not None:
                parent.append(figure)
        elif unit.kind == "image":
            self._add_images(parent, unit)
        elif unit.kind == "run":
            self._add_run(parent, unit)
        else:
            self._add_block(parent, unit)

    def _add_images(self, parent: etree._Element, unit: Unit) -> None:
        """An image unit (an image with no text around it) becomes a ``<figure>``."""
        figure = etree.Element("figure")
        for node in unit.pieces or [unit.element]:
            if isinstance(node, str):
                continue
            for image in [node] if node.tag == "img" else node.iter("img"):
                clean = self._image(image)
                if clean is not None:
                    figure.append(clean)
        if len(figure):
            parent.append(figure)

    def _add_run(self, parent: etree._Element, unit: Unit) -> None:
        """A run is the text of its list item or term, else a paragraph of its own."""
        if parent.tag in ("li", "dd", "dt") and self.stack[-1][0] is unit.element:
            self._append_inline(parent, unit.pieces)
        else:
            self._append_inline(etree.SubElement(self._in_list(parent), "p"), unit.pieces)

    def _add_block(self, parent: etree._Element, unit: Unit) -> None:
        tag = unit.element.tag
        if tag == "pre":
            block = etree.SubElement(self._in_list(parent), "pre")
            block.text = "".join(unit.element.itertext()).strip("\n")
            return
        if tag == "li" and parent.tag in ("ul", "ol"):
            new_tag = "li"
        elif tag in LEAF_TAGS and tag != "li":
            new_tag = tag
        else:
            new_tag = "p"
        if new_tag != "li":
            parent = self._in_list(parent)
        block = etree.SubElement(parent, new_tag)
        self._copy_attributes(unit.element, block)
        self._append_inline(block, [unit.element.text or ""] + children_with_tails(unit.element))

    def _in_list(self, parent: etree._Element) -> etree._Element:
        """A non-item block directly in a list goes inside a list item."""
        return self._list_item(parent) if parent.tag in ("ul", "ol") else parent

    def _copy_attributes(self, source: etree._Element, target: etree._Element) -> None:
        for name in ("lang", "translate", "cite", "colspan", "rowspan", "id", "datetime"):
            value = source.get(name)
            if value is None:
                continue
            if name == "cite":
                value = self._absolute(value)
            if value.strip():
                target.set(name, value.strip())

    def _absolute(self, link: str) -> str:
        link = link.strip()
        if not link or link.startswith("#"):
            return link
        return urljoin(self.base_url, link) if self.base_url else link

    def _append_inline(self, target: etree._Element, pieces: list[object]) -> None:
        for piece in pieces:
            if isinstance(piece, str):
                append_text(target, piece)
            elif isinstance(piece.tag, str):
                self._append_element(target, piece)

    def _append_element(self, target: etree._Element, element: etree._Element) -> None:
        """Copy an inline element (without its tail), unwrapping unknown tags."""
        tag = element.tag
        if tag == "img":
            clean = self._image(element)
            if clean is not None:
                target.append(clean)
            return
        name = INLINE_TAGS.get(tag)
        if tag == "a":
            href = (element.get("href") or "").strip()
            if not href or href.lower().startswith(("javascript:", "data:")):
                name = None
        if tag in BLOCKISH and tag != "br":
            name = None
        if name is None:
            if tag in BLOCKISH and len(target) + len(target.text or ""):
                append_text(target, " ")
            self._append_inline(target, [element.text or ""] + children_with_tails(element))
            return
        clean = etree.SubElement(target, name)
        for attribute in ("href", "title", "lang", "translate", "datetime", "cite", "id"):
            value = element.get(attribute)
            if value is None:
                continue
            if attribute in ("href", "cite"):
                value = self._absolute(value)
            value = value.strip() if attribute != "title" else collapse_unicode_space(value)
            if value or attribute == "href":  # an empty title or lang says nothing
                clean.set(attribute, value)
        if name == "br":
            return
        self._append_inline(clean, [element.text or ""] + children_with_tails(element))

    def _image(self, image: etree._Element) -> etree._Element | None:
        source = image_source(image)
        if not source:
            return None
        clean = etree.Element("img")
        clean.set("src", self._absolute(source))
        clean.set("alt", collapse_unicode_space(image.get("alt", "")))
        title = collapse_unicode_space(image.get("title", ""))
        if title:
            clean.set("title", title)
        return clean

    def _figure(self, figure: etree._Element) -> etree._Element | None:
        clean = etree.Element("figure")
        caption = figure.find(".//figcaption")
        for image in figure.iter("img"):
            if caption is not None and inside(image, caption):
                continue  # it belongs to the caption
            clean_image = self._image(image)
            if clean_image is not None:
                clean.append(clean_image)
        if caption is not None and text_of(caption):
            clean_caption = etree.SubElement(clean, "figcaption")
            self._append_inline(clean_caption, [caption.text or ""] + children_with_tails(caption))
        if not len(clean):
            return None
        return clean

    def _table(self, table: etree._Element) -> etree._Element:
        clean = etree.Element("table")
        caption = table.find("caption")
        if caption is not None and text_of(caption):
            clean_caption = etree.SubElement(clean, "caption")
            self._append_inline(clean_caption, [caption.text or ""] + children_with_tails(caption))
        sections: dict[etree._Element, etree._Element] = {}
        for row in table.iter("tr"):
            parent_tag = row.getparent().tag
            holder = clean
            if parent_tag in ("thead", "tbody", "tfoot"):
                holder = sections.get(row.getparent())
                if holder is None:
                    holder = sections[row.getparent()] = etree.SubElement(clean, parent_tag)
            clean_row = etree.SubElement(holder, "tr")
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                clean_cell = etree.SubElement(clean_row, cell.tag)
                for name in ("colspan", "rowspan"):
                    if cell.get(name, "").strip() not in ("", "1"):
                        clean_cell.set(name, cell.get(name).strip())
                self._append_inline(clean_cell, [cell.text or ""] + children_with_tails(cell))
        return clean


def build_article(units: list[Unit], base_url: str) -> etree._Element:
    builder = _Builder(base_url)
    for unit in units:
        if unit.kept and not unit.is_title:
            builder.add(unit)
    return builder.article
