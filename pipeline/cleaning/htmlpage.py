"""Clean a saved web page (``snapshot.html``) into the article's clean document.

How, and why this way:

1. **Which text is the article** is decided by trafilatura, a maintained
   extractor whose precision/recall on real news pages beats what a page of
   hand-written heuristics reaches (see ``bench/README.md``).
2. **What the clean document looks like** comes from the page itself, not
   from the extractor's own output: trafilatura flattens figures, loses
   captions, table spans, ids and in-page links. So the page is cut into text
   units (paragraphs, headings, list items, tables, figures, the loose text of
   a ``<div>``) and each unit is kept when the extractor kept its text. Kept
   units are rebuilt as semantic HTML5 in page order with their structure
   (lists, quotes, tables, figures) and links made absolute.
3. **What was dropped and why** is every other unit, named by the signals of
   its container (tag, role, class, id): navigation, cookie banner, share
   widget, ... so the report can be reviewed like a diff.
4. The project's ``drop``/``keep`` rules (regular expressions matched against
   a unit's whole text) have the last word, so a user fixes a site's quirks
   without code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin

from lxml import etree, html

from pipeline.cleaning import budget, htmlbyline, htmlchrome, htmlfigures, htmlmeta, htmlwidgets, loss, reconcile, votes
from pipeline.cleaning.language import detect_language
from pipeline.cleaning.rules import first_match, matches_any
from pipeline.cleaning.report import CleanResult, CleanWarning, DroppedBlock, InterfaceText
from pipeline.errors import SnapshotError
from pipeline.formats.document import Document, new_article, remove_forbidden_characters
from pipeline.settings import CleanRules

#: Elements that start a new block of text when a browser renders a page.
BLOCKISH = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
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
#: Attributes worth keeping (``id`` only when a kept link points to it).
KEPT_ATTRIBUTES = frozenset(
    "href src alt title lang translate colspan rowspan datetime cite".split()
)
TABLE_TAGS = frozenset("table caption thead tbody tfoot tr th td".split())
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")
_WORD = re.compile(r"\w+", re.UNICODE)


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


#: A visible byline is looked for among the page's first units.
_BYLINE_UNITS = 200


def clean_html(text: str, rules: CleanRules, url: str = "", slug: str = "") -> CleanResult:
    """Clean the decoded text of a saved web page; see the module docstring.

    Raises :class:`SnapshotError` when the page holds no article text, is
    over the size cap or takes more than the time budget (``rules``).
    """
    budget.check_size(len(text.encode("utf-8", "replace")), rules.max_page_bytes)
    with budget.time_budget(rules.time_budget) as deadline:
        return _clean_html(text, rules, url, slug, deadline)


def _clean_html(text: str, rules: CleanRules, url: str, slug: str, deadline: budget.Deadline) -> CleanResult:
    root = _parse(text)
    body = root.find("body")
    if body is None or not htmlmeta.normalize_space(body.text_content()):
        raise SnapshotError("the HTML snapshot has no visible text (empty <body>)")
    meta = htmlmeta.page_meta(root)
    base_url = _base_url(root, url)
    htmlfigures.use_noscript_images(body, _image_source)
    hidden_prose: list[str] = []
    dropped: list[DroppedBlock] = _remove_never_content(body, hidden_prose)
    htmlfigures.promote_captioned_images(body)

    units = _collect_units(body)
    large = votes.too_large_for_second_opinions(len(text), sum(len(u.text) for u in units))
    opinions = votes.trafilatura_opinions(text, url, recall=not large)
    deadline.check()
    opinions += (votes.Opinion(reconcile.SECOND_OPINION) if large else votes.readability_opinion(text, url),)
    deadline.check()
    main = reconcile.choose(units, body, opinions)
    deadline.check()
    _keep_media_in(main, units)
    _drop_chrome(units, main)
    _drop_text_widgets(units)
    _drop_repeated_images(units)
    title = _choose_title(root, meta, units, main)
    title_warnings = []
    if not title:
        title, warning = _fallback_title(units, url, slug)
        title_warnings.append(warning)
    _apply_rules(units, rules)
    if not any(u.kept and u.text and not u.is_title for u in units):
        raise SnapshotError(
            "no article text found in the HTML snapshot: the page seems to hold only site "
            "navigation or a stub; add a [pipeline:clean] keep rule if it is wrongly dropped"
        )

    article = _build_article(units, base_url)
    _finish_article(article, title)
    dropped += _report_dropped(units, main)
    language, warnings = _article_language(meta.language, article)
    warnings = title_warnings + warnings
    if large:
        warnings.append(CleanWarning(
            text=large,
            kind="large-page",
            detail="only trafilatura's precision mode judged which text is the article (second opinions "
                   "are skipped on pages this large, to bound the time); review the report's dropped blocks",
            action="kept",
        ))
    warnings += loss.loss_warnings(" ".join(article.itertext()), _suspects(units, main, hidden_prose), opinions[-1])
    document = Document(
        title=title,
        language=language,
        body=article,
        description=meta.description,
        author=meta.author or _visible_author(units),
        source_url=url,
        published=meta.published,
        modified=meta.modified,
    )
    interface = _interface_texts(dropped, meta.language, language)
    return CleanResult(document, dropped, interface, warnings, source_format="html")


# --- reading the page ---------------------------------------------------------


def _parse(text: str) -> etree._Element:
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


def _base_url(root: etree._Element, url: str) -> str:
    base = root.find(".//base[@href]")
    if base is not None:
        return urljoin(url, base.get("href", "").strip())
    return url


def _remove_never_content(body: etree._Element, hidden_prose: list[str]) -> list[DroppedBlock]:
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
            text = htmlmeta.normalize_space(element.text_content())
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
        linked = sum(len(a.text_content().split()) for a in paragraph.iter("a"))
        if words and linked <= reconcile.PROSE_LINK_SHARE * words:
            found.append(htmlmeta.normalize_space(paragraph.text_content()))
    return found


def _hidden(element: etree._Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def remove_keep_tail(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- cutting the page into units ----------------------------------------------


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


def _collect_units(body: etree._Element) -> list[Unit]:
    has_block = _block_descendants(body)
    units: list[Unit] = []

    def visit(element: etree._Element) -> None:
        tag = element.tag
        if tag == "table" and _is_data_table(element):
            cells = [_text(cell) for cell in element.iter("td", "th", "caption")]
            units.append(Unit("table", element, text=" ".join(c for c in cells if c)))
            return
        if tag == "figure" or (tag == "pre"):
            kind = "figure" if tag == "figure" else "block"
            units.append(Unit(kind, element, text=_figure_text(element) if kind == "figure" else _text(element)))
            return
        if not has_block[element] and element is not body:
            unit = Unit("block", element, text=_text(element))
            if unit.text or element.find(".//img") is not None:
                if not unit.text:
                    unit.kind = "image"
                units.append(unit)
            return
        run: list[object] = []

        def flush() -> None:
            if run:
                texts = [p if isinstance(p, str) else p.text_content() for p in run]
                text = htmlmeta.normalize_space("".join(texts))
                has_image = any(not isinstance(p, str) and (p.tag == "img" or p.find(".//img") is not None) for p in run)
                if text or has_image:
                    units.append(Unit("run" if text else "image", element, pieces=list(run), text=text))
                run.clear()

        if element.text and element.text.strip():
            run.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in BLOCKISH or has_block[child]:
                flush()
                visit(child)
                if child.tail and child.tail.strip():
                    run.append(child.tail)
            else:
                run.append(child)
                if child.tail:
                    run.append(child.tail)
        flush()

    visit(body)
    return units


def _text(element: etree._Element) -> str:
    """The text of an element with inline content, as a reader sees it."""
    return htmlmeta.normalize_space("".join(element.itertext()))


def _figure_text(figure: etree._Element) -> str:
    caption = figure.find(".//figcaption")
    return _text(caption) if caption is not None else ""


# --- choosing what to keep ----------------------------------------------------


def _ancestors(element: etree._Element) -> set[etree._Element]:
    found = set()
    node = element
    while node is not None:
        found.add(node)
        node = node.getparent()
    return found


_inside = reconcile.inside


def _keep_media_in(main: etree._Element, units: list[Unit]) -> None:
    """Figures and images inside the article keep their place in it.

    The extractor judges text; an illustration has none of its own (its
    caption is short), so it is kept when it sits in the article's container
    and no container of its own says it is chrome (a thumbnail in a
    related-stories box is not).
    """
    for unit in units:
        if unit.kind not in ("figure", "image") or unit.kept:
            continue
        if not _inside(unit.element, main):
            continue
        reason, _ = htmlchrome.ancestor_reason(unit.element, stop=main)
        if reason or not _has_real_image(unit):
            continue
        unit.kept = True


def _drop_text_widgets(units: list[Unit]) -> None:
    """Quote tables, cookie notices and sign-ups that no container name gives away."""
    for unit in units:
        if not unit.kept:
            continue
        if unit.kind == "table" and htmlwidgets.is_quote_table(unit.element):
            unit.kept = False
            unit.reason, unit.detail = "market-data", "a table of live prices and changes"
            continue
        reason = htmlwidgets.text_widget(unit.text)
        if reason:
            unit.kept = False
            unit.reason, unit.detail = reason, "its text is a widget's"


def _drop_repeated_images(units: list[Unit]) -> None:
    """A figure is a duplicate only when the same image is already in the kept article.

    Galleries and "lightbox" copies repeat an article's photo; a caption that
    repeats text is no reason to drop its image.
    """
    seen: set[str] = set()
    for unit in units:
        if not unit.kept or unit.kind not in ("figure", "image"):
            continue
        nodes = [p for p in unit.pieces if not isinstance(p, str)] or [unit.element]
        sources = [s for node in nodes for s in htmlfigures.image_sources(node, _image_source)]
        if sources and all(s in seen for s in sources):
            unit.kept = False
            unit.reason, unit.detail = "duplicate", "the same image is already in the article"
        seen.update(sources)


def _has_real_image(unit: Unit) -> bool:
    nodes = [unit.element] if unit.kind != "image" or not unit.pieces else [p for p in unit.pieces if not isinstance(p, str)]
    for node in nodes:
        images = [node] if node.tag == "img" else node.iter("img")
        for image in images:
            if not _image_source(image):
                continue
            sizes = [image.get("width", ""), image.get("height", "")]
            if any(s.isdigit() and int(s) < 50 for s in sizes):
                continue  # icons and tracking pixels
            return True
    return False


def _drop_chrome(units: list[Unit], main: etree._Element) -> None:
    """Drop kept units that sit in an obvious widget (share bar, ad, form...).

    Only containers *below* the article's own container count: a page-wide
    wrapper named "page-with-sidebar" says nothing about the article in it.
    A container full of prose that two extractors kept is the article
    whatever its class says (see ``htmlchrome.holds_prose``); comments are
    prose too, and are never the article.
    """
    main_line = _ancestors(main)
    prose: dict[etree._Element, bool] = {}
    for unit in units:
        if not unit.kept:
            continue
        stop = unit.element
        while stop is not None and stop not in main_line:
            stop = stop.getparent()
        reason, node = htmlchrome.chrome_ancestor(unit.element, stop=stop)
        if reason not in htmlchrome.CHROME_REASONS:
            continue
        if reason != "comments" and reconcile.SECOND_OPINION in unit.votes and len(unit.votes) >= 2:
            if node not in prose:
                prose[node] = htmlchrome.holds_prose(node)
            if prose[node]:
                continue
        unit.kept = False
        unit.reason, unit.detail = reason, f"inside <{htmlchrome.describe(node)}>"


def _choose_title(root: etree._Element, meta: htmlmeta.PageMeta, units: list[Unit], main: etree._Element) -> str:
    """The article's title, preferring the visible headline; marks its unit."""
    declared = set(_WORD.findall(meta.title.lower()))
    best: Unit | None = None
    for unit in units:
        if unit.kind != "block" or unit.element.tag != "h1" or not unit.text:
            continue
        words = set(unit.tokens)
        if declared and len(words & declared) >= 0.6 * max(len(words), 1):
            best = unit
            break
        if best is None and _inside(unit.element, main):
            best = unit
    title = best.text if best is not None else meta.title
    if best is not None:
        best.is_title = True
        best.kept = False
    for unit in units:
        if unit.kept and unit.text == title and unit is not best:
            unit.kept = False
            unit.reason, unit.detail = "title", "repeats the title"
    return title


def _suspects(units: list[Unit], main: etree._Element, hidden_prose: list[str]) -> list[tuple[str, str]]:
    """Dropped text that may be the article's: hidden paragraphs, or in its container, or kept by an extractor."""
    found = [(text, "hidden") for text in hidden_prose]
    for unit in units:
        if unit.kept or unit.is_title or not unit.text:
            continue
        if unit.votes or _inside(unit.element, main):
            found.append((unit.text, unit.reason or "boilerplate"))
    return found


def _visible_author(units: list[Unit]) -> str:
    """The name in a visible byline: in a byline container first, else near the page's top."""
    top = units[:_BYLINE_UNITS]
    marked = [u.text for u in top if htmlchrome.ancestor_reason(u.element)[0] == "byline"]
    return htmlbyline.visible_author(marked + [u.text for u in top])


def _fallback_title(units: list[Unit], url: str, slug: str) -> tuple[str, CleanWarning]:
    """A page with no ``<title>``, ``<h1>`` or ``og:title``: its first heading, else its URL or slug."""
    headings = [u for u in units if u.kind == "block" and u.element.tag in HEADINGS and u.text]
    heading = next((u for u in headings if u.kept), headings[0] if headings else None)
    if heading is not None:
        heading.is_title, heading.kept = True, False
        title, source = heading.text, "its first heading"
    else:
        title, source = htmlbyline.title_from_url(url, slug), "its URL" if url else "the article's slug"
    if not title:
        raise SnapshotError("the HTML snapshot has no title (no <title>, heading, URL or slug to take one from)")
    warning = CleanWarning(
        text=title,
        kind="no-title",
        detail=f"the page has no <title>, <h1> or og:title; the title was taken from {source}",
        action="kept",
    )
    return title, warning


def _apply_rules(units: list[Unit], rules: CleanRules) -> None:
    """The user's keep rules rescue units; drop rules remove them. Keep wins."""
    for unit in units:
        if not unit.text or unit.is_title:
            continue
        if matches_any(rules.keep, unit.text):
            unit.kept = True
            unit.reason = ""
            continue
        pattern = first_match(rules.drop, unit.text) if unit.kept else None
        if pattern is not None:
            unit.kept = False
            unit.reason, unit.detail = "rule", f"drop rule {pattern!r}"


# --- building the clean article -----------------------------------------------


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
        tag = unit.element.tag
        if unit.kind == "table":
            parent.append(self._table(unit.element))
        elif unit.kind == "figure":
            figure = self._figure(unit.element)
            if figure is not None:
                parent.append(figure)
        elif unit.kind == "image":
            nodes = unit.pieces or [unit.element]
            figure = etree.Element("figure")
            for node in nodes:
                if isinstance(node, str):
                    continue
                for image in [node] if node.tag == "img" else node.iter("img"):
                    clean = self._image(image)
                    if clean is not None:
                        figure.append(clean)
            if len(figure):
                parent.append(figure)
        elif unit.kind == "run":
            if parent.tag in ("li", "dd", "dt") and self.stack[-1][0] is unit.element:
                target = parent
                self._append_inline(target, unit.pieces)
            else:
                target = etree.SubElement(self._in_list(parent), "p")
                self._append_inline(target, unit.pieces)
        else:
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
            if new_tag not in ("li",):
                parent = self._in_list(parent)
            block = etree.SubElement(parent, new_tag)
            self._copy_attributes(unit.element, block)
            self._append_inline(block, [unit.element.text or ""] + _children_with_tails(unit.element))

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
                _append_text(target, piece)
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
                _append_text(target, " ")
            self._append_inline(target, [element.text or ""] + _children_with_tails(element))
            return
        clean = etree.SubElement(target, name)
        for attribute in ("href", "title", "lang", "translate", "datetime", "cite", "id"):
            value = element.get(attribute)
            if value is None:
                continue
            if attribute in ("href", "cite"):
                value = self._absolute(value)
            value = value.strip() if attribute != "title" else htmlmeta.normalize_space(value)
            if value or attribute == "href":  # an empty title or lang says nothing
                clean.set(attribute, value)
        if name == "br":
            return
        self._append_inline(clean, [element.text or ""] + _children_with_tails(element))

    def _image(self, image: etree._Element) -> etree._Element | None:
        source = _image_source(image)
        if not source:
            return None
        clean = etree.Element("img")
        clean.set("src", self._absolute(source))
        clean.set("alt", htmlmeta.normalize_space(image.get("alt", "")))
        title = htmlmeta.normalize_space(image.get("title", ""))
        if title:
            clean.set("title", title)
        return clean

    def _figure(self, figure: etree._Element) -> etree._Element | None:
        clean = etree.Element("figure")
        for image in figure.iter("img"):
            if image.getparent() is not None and _inside(image, figure.find(".//figcaption") if figure.find(".//figcaption") is not None else etree.Element("x")):
                continue
            clean_image = self._image(image)
            if clean_image is not None:
                clean.append(clean_image)
        caption = figure.find(".//figcaption")
        if caption is not None and _text(caption):
            clean_caption = etree.SubElement(clean, "figcaption")
            self._append_inline(clean_caption, [caption.text or ""] + _children_with_tails(caption))
        if not len(clean):
            return None
        return clean

    def _table(self, table: etree._Element) -> etree._Element:
        clean = etree.Element("table")
        caption = table.find("caption")
        if caption is not None and _text(caption):
            clean_caption = etree.SubElement(clean, "caption")
            self._append_inline(clean_caption, [caption.text or ""] + _children_with_tails(caption))
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
                self._append_inline(clean_cell, [cell.text or ""] + _children_with_tails(cell))
        return clean


def _children_with_tails(element: etree._Element) -> list[object]:
    """An element's children, each followed by its tail text."""
    pieces: list[object] = []
    for child in element:
        if isinstance(child.tag, str):
            pieces.append(child)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def _append_text(target: etree._Element, text: str) -> None:
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def _image_source(image: etree._Element) -> str:
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


def _build_article(units: list[Unit], base_url: str) -> etree._Element:
    builder = _Builder(base_url)
    for unit in units:
        if unit.kept and not unit.is_title:
            if unit.kind == "run":
                # A run's tails belong to it; its inline elements are copied without tails.
                pass
            builder.add(unit)
    return builder.article


def _finish_article(article: etree._Element, title: str) -> None:
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
            _unwrap(link)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    previous = element.getprevious()
    text = element.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else previous
    tail = element.tail or ""
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- the report -----------------------------------------------------------------


def _report_dropped(units: list[Unit], main: etree._Element) -> list[DroppedBlock]:
    """Dropped units, one entry per container: a menu is one entry, not twenty."""
    main_line = _ancestors(main)
    entries: list[DroppedBlock] = []
    group: list[str] = []
    key: tuple[object, str, str] | None = None

    def flush() -> None:
        if group and key is not None:
            entries.append(DroppedBlock(" | ".join(group), key[1], key[2]))
        group.clear()

    for unit in units:
        if unit.kept or unit.is_title or not (unit.text or unit.kind in ("figure", "image")):
            continue
        reason, detail, container = _classify(unit, main, main_line)
        text = unit.text or _image_description(unit)
        if key is None or key[0] is not container or key[1] != reason:
            flush()
            key = (container, reason, detail)
        group.append(text)
    flush()
    return entries


def _classify(unit: Unit, main: etree._Element, main_line: set[etree._Element]) -> tuple[str, str, object]:
    if unit.reason:
        return unit.reason, unit.detail, unit.reason + unit.detail
    stop = unit.element
    while stop is not None and stop not in main_line:
        stop = stop.getparent()
    reason, node = _container_reason(unit.element, stop)
    if reason:
        return reason, f"inside <{htmlchrome.describe(node)}>", node
    if _inside(unit.element, main):
        parent = unit.element if unit.kind == "run" else unit.element.getparent()
        return "boilerplate", f"in the article's container, but {_judged(unit)}", parent
    return "boilerplate", f"outside the article's container <{htmlchrome.describe(main)}>; {_judged(unit)}", stop


def _judged(unit: Unit) -> str:
    """What the extractors said of a dropped unit, for the report."""
    if not unit.votes:
        return "no extractor kept it"
    names = {"precision": "trafilatura (precision)", "recall": "trafilatura (recall)", "readability": "readability-lxml"}
    return f"only {' and '.join(names.get(v, v) for v in sorted(unit.votes))} kept it, and it is not prose of the article"


_GENERIC_REASONS = frozenset({"form", "header", "navigation", "sidebar", "footer"})


def _container_reason(element: etree._Element, stop: etree._Element | None) -> tuple[str, etree._Element | None]:
    """The reason and the outermost container giving it, below ``stop``.

    The nearest signal wins, except that a generic one (a form, a menu) gives
    way to a specific container around it (the newsletter box holding the
    form). The outermost container with that reason groups the report: a
    comment section is one entry, not one per comment.
    """
    found, holder = "", None
    node: etree._Element | None = element
    while node is not None and node is not stop:
        reason = htmlchrome.own_reason(node)
        if reason:
            if not found:
                found, holder = reason, node
            elif reason == found:
                holder = node
            elif found in _GENERIC_REASONS and reason not in _GENERIC_REASONS:
                found, holder = reason, node
            else:
                break
        node = node.getparent()
    return found, holder


def _image_description(unit: Unit) -> str:
    for image in unit.element.iter("img"):
        return f"[image: {htmlmeta.normalize_space(image.get('alt', '')) or _image_source(image)}]"
    return "[image]"


def _article_language(declared: str, article: etree._Element) -> tuple[str, list[CleanWarning]]:
    """The declared language unless the article's text clearly reads otherwise."""
    text = " ".join(article.itertext())
    detected = detect_language(text)
    warnings: list[CleanWarning] = []
    if declared and detected and declared.split("-")[0] != detected:
        warnings.append(CleanWarning(
            text=f"the page declares language {declared!r} but the article reads as {detected!r}",
            kind="language-mismatch",
            detail="the site's interface is probably in another language than the article",
            action="kept",
        ))
        return detected, warnings
    if declared:
        return declared, warnings
    if detected:
        return detected, warnings
    warnings.append(CleanWarning(
        text="the article's language is not declared and could not be detected",
        kind="unknown-language",
        detail="set [pipeline] source_language in setup.cfg",
        action="kept",
    ))
    return "", warnings


_INTERFACE_REASONS = frozenset(
    {"navigation", "header", "footer", "sidebar", "share-widget", "newsletter", "cookie-banner",
     "comments", "related-articles", "form"}
)


def _interface_texts(dropped: list[DroppedBlock], declared: str, language: str) -> list[InterfaceText]:
    """Short labels of a site interface in another language than the article."""
    if not declared or not language or declared.split("-")[0] == language.split("-")[0]:
        return []
    found: dict[str, InterfaceText] = {}
    for block in dropped:
        if block.reason not in _INTERFACE_REASONS:
            continue
        for label in block.text.split(" | "):
            label = label.strip()
            if label and len(label.split()) <= 6 and label not in found:
                found[label] = InterfaceText(label, "interface", declared)
    return list(found.values())
