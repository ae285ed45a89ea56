"""Translation of one document: the usable translations of a catalog, and a copy of the article's tree with each block translated or marked as in the source language."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipeline.build.catalogs import ArticleCatalog, translation_table
from pipeline.build.results import BuildWarning
from pipeline.errors import CatalogError

if TYPE_CHECKING:
    # imported where used: it loads lxml, which a build that renders nothing does not need
    from pipeline.formats import document as document_format


def _read_babel_catalog(path: Path):
    from pipeline.formats.po import read_catalog

    return read_catalog(path)


def read_catalog_or_note(path: Path, errors: list[str], consequence: str, read: Callable[[Path], object] = _read_babel_catalog):
    """The catalog at ``path``, or None, noting the error, when it cannot be read.

    Decision: one translator's broken file must not stop the other locales'
    pages, and must not pass unnoticed either. The build goes on without it
    (that locale's pages of the article are left out, or its templates show
    the source language), writes every other page, keeps the pages an earlier
    build made, and then fails (exit 1) with the ``file:line`` of each
    unreadable catalog: :class:`UnreadableCatalogsError`.

    ``read``: Babel's model (the default), or :func:`pipeline.build.catalogs.read_article_catalog`.
    """
    if not path.is_file():
        return None
    try:
        return read(path)
    except CatalogError as exc:
        errors.append(f"{exc.message}; {consequence}")
        return None


def translation_errors(msgid: str, msgstr: str) -> list[str]:
    """What the shared checks find wrong enough to keep a translation out of a page (:mod:`pipeline.catalogs.completion`).

    The markup itself is checked again when the translation is applied
    (``MarkupMismatch``), so a bad tag never reaches a page whatever the checks say.
    """
    from pipeline.catalogs.completion import pair_errors

    return [p.message for p in pair_errors(msgid, msgstr)]


def usable_translations(catalog) -> dict[str, str]:
    """msgid -> msgstr for the singular messages that are translated and not fuzzy (errors are refused when used)."""
    if catalog is None:
        return {}
    if isinstance(catalog, ArticleCatalog):
        return catalog.translations  # made once for all its uses
    from pipeline.formats.po import messages

    return translation_table(messages(catalog))  # not iter(catalog): Babel would format its header's dates


@dataclass
class TranslatedArticle:
    body: object  # lxml element: a translated copy of <article>
    title: str
    description: str
    blocks: int = 0
    fallbacks: int = 0
    rejected: int = 0
    warnings: list[BuildWarning] = field(default_factory=list)


def _mark_run_language(run, language: str, direction: str = "") -> None:
    """Say that a run of inline content is in ``language`` (and, when it differs from the page's, ``direction``).

    A run that is its element's whole content puts ``lang`` on the element; a
    run beside block children (``<li>text<ul>…</ul></li>``) is wrapped in a
    ``<span lang>`` so the rest of the element keeps the page's language.
    """
    from lxml import html

    owner = run.owner
    block_children = [c for c in owner if isinstance(c.tag, str) and c not in run.children]
    marks = {"lang": language, **({"dir": direction} if direction else {})}
    if not block_children:
        for name, value in marks.items():
            owner.set(name, value)
        return
    span = html.Element("span", marks)
    if run.starts_with_text:
        span.text, owner.text = owner.text, None
        position = 0
    else:
        span.text, run.anchor.tail = run.anchor.tail, None
        position = owner.index(run.anchor) + 1
    trailing = run.children[-1].tail if run.children else None
    owner.insert(position, span)
    for child in run.children:
        span.append(child)  # moves the child, with its tail
    if run.children and trailing is not None and not trailing.strip():
        run.children[-1].tail = None
        span.tail = trailing


def _mark_untranslated_elements(body, source_language: str, direction: str = "") -> None:
    """Content kept as in the source (``translate="no"``) is in the source language.

    Saying so lets browsers, fonts and screen readers switch language for a
    title cited as published inside a translated sentence.
    """
    for element in _untranslated_without_language()(body):
        element.set("lang", source_language)
        if direction and not element.get("dir"):
            element.set("dir", direction)


@functools.cache  # one expression, compiled once (lxml is loaded only when a page is translated)
def _untranslated_without_language():
    """What finds, in document order, the elements (the root included) marked ``translate="no"``
    whose ``lang`` is missing or empty: libxml2 looks, not a Python loop over every element."""
    from lxml import etree

    return etree.XPath("descendant-or-self::*[@translate='no' and not(string(@lang))]")


class ArticleBlocks:
    """The blocks of an article, found once for all its locales.

    Finding the blocks (and making their messages) costs more than
    translating them; an article's pages in ten locales each start from a
    copy of the same document, whose blocks sit at the same places. So the
    blocks are found in the document once, remembered by the positions of
    their elements in document order, and found in each copy by position.

    ``pages``: how many pages at most are made from it, when the caller knows.
    The last of them is given the document's body itself, not a copy: no later
    page needs the pristine body, and a page made from the body is the page
    made from a copy of it. Without ``pages`` every page is given a copy.
    """

    def __init__(self, body, skip_classes: tuple[str, ...], pages: int | None = None) -> None:
        from pipeline.formats.messages import iter_blocks

        self.body = body
        self.blocks = iter_blocks(body, skip_classes)
        self._pages_left = pages
        self._places: list[tuple[int, int | None, list[int]]] | None = None  # found at the first copy

    def for_page(self):
        """The body and its blocks for one page to translate: a copy (:meth:`in_copy`), or the body
        itself for the last page of ``pages``."""
        if self._pages_left is not None:
            if self._pages_left <= 0:
                raise RuntimeError("more pages made from an article's blocks than it was told")
            self._pages_left -= 1
            if self._pages_left == 0:
                body, self.body = self.body, None  # changed by the page: never handed out again
                return body, self.blocks
        return self.in_copy()

    def in_copy(self):
        """A deep copy of the body and its blocks (same messages, the copy's elements)."""
        from pipeline.formats.messages import Block, Run

        if self.body is None:
            raise RuntimeError("the article's body was given to its last page already")
        if self._places is None:
            self._places = self._positions()
        body = copy.deepcopy(self.body)
        elements = list(body.iter())  # the same order as the original's: the copy has its shape
        blocks = []
        for block, (owner, anchor, children) in zip(self.blocks, self._places):
            if block.run is None:
                blocks.append(Block(message=block.message, element=elements[owner], attribute=block.attribute))
                continue
            run = Run(
                elements[owner],
                block.run.starts_with_text,
                elements[anchor] if anchor is not None else None,
                [elements[child] for child in children],
            )
            blocks.append(Block(message=block.message, run=run))
        return body, blocks

    def _positions(self) -> list[tuple[int, int | None, list[int]]]:
        """Where each block's elements stand in the body, in document order: its owner (or attribute's
        element), its run's anchor and its run's children."""
        position = {element: index for index, element in enumerate(self.body.iter())}
        return [
            (
                position[block.run.owner] if block.run is not None else position[block.element],
                position[block.run.anchor] if block.run is not None and block.run.anchor is not None else None,
                [position[child] for child in block.run.children] if block.run is not None else [],
            )
            for block in self.blocks
        ]


def translate_article(
    doc: document_format.Document,
    translations: dict[str, str],
    source_language: str,
    skip_classes: tuple[str, ...],
    translate: bool = True,
    article_blocks: ArticleBlocks | None = None,
    source_direction: str = "",
) -> TranslatedArticle:
    """The article with each block translated, or marked as in the source language.

    Its body is a copy of the document's, or the document's own for the last page
    ``article_blocks`` was told of. Refused translations' warnings name no file:
    the caller knows the catalog they came from.

    ``source_direction``: the source's ``dir`` (``ltr``) when the page's differs
    (an Arabic page of an English article), set with ``lang`` on source text, so
    that its punctuation and its runs of numbers are laid out as in the source.

    ``article_blocks``: the document's blocks found already (for the same
    ``skip_classes``), when several locales are made from one document.
    """
    if article_blocks is None:
        article_blocks = ArticleBlocks(doc.body, skip_classes)
    body, blocks = article_blocks.for_page()
    result = TranslatedArticle(body=body, title=doc.title, description=doc.description)
    result.blocks = len(blocks)
    if not translate:
        return result

    def reject(msgid: str, reason: str) -> None:
        result.rejected += 1
        result.warnings.append(
            BuildWarning(f"translation not used ({reason}); the source text is shown", None, msgid)
        )

    def fall_back(block) -> None:
        result.fallbacks += 1
        if block.run is not None:
            _mark_run_language(block.run, source_language, source_direction)
        # An attribute cannot carry its own language; it stays in the source text.

    _translate_blocks(blocks, translations, reject, fall_back)

    _mark_untranslated_elements(body, source_language, source_direction)
    for attribute in ("title", "description"):
        msgstr = translated_field(getattr(doc, attribute), translations)
        if msgstr:
            setattr(result, attribute, msgstr)
    return result


def _translate_blocks(
    blocks: list, translations: dict[str, str], reject: Callable[[str, str], None], fall_back: Callable[[object], None]
) -> None:
    """Put each block's translation into it, or, when there is none or it is refused, ``fall_back`` on the block.

    The modules are imported once here, not for each block: an import
    statement costs as much as the rest of a block's work.
    """
    from pipeline.catalogs.completion import pair_errors
    from pipeline.formats.messages import MarkupMismatch
    from pipeline.formats.rebuild import apply_to_run

    # The source children of each run rebuilt from its translation, with what finds the
    # elements built in their place: an attribute block of an element inside such a run
    # comes after the run's block (iter_blocks' order) and belongs on the built element.
    rebuilt: dict = {}
    for block in blocks:
        msgid = block.message.text
        msgstr = translations.get(msgid)
        if msgstr is None:
            fall_back(block)
            continue
        errors = pair_errors(msgid, msgstr)  # what translation_errors gives, as Problems
        if errors:
            reject(msgid, "; ".join(problem.message for problem in errors))
            fall_back(block)
        elif block.run is None:
            _shown_element(block.element, rebuilt).set(block.attribute, msgstr)
        else:
            try:
                replaced = apply_to_run(block.run, msgstr, block.message)
            except MarkupMismatch as exc:
                reject(msgid, str(exc))
                fall_back(block)
            else:
                if replaced is not None:
                    rebuilt.update(dict.fromkeys(replaced.source, replaced))


def _shown_element(element, rebuilt: dict):
    """The element the page shows in place of ``element``: the one built for it when it was inside a
    run rebuilt from its translation (``rebuilt``: that run's source children), else itself."""
    holder = element
    while rebuilt and holder is not None:
        replaced = rebuilt.get(holder)
        if replaced is not None:
            counterpart = replaced.counterpart(element)
            return element if counterpart is None else counterpart
        holder = holder.getparent()
    return element


def translated_field(text: str, translations: dict[str, str]) -> str:
    """The translation of a title or description, when it is usable as plain text."""
    from pipeline.formats.messages import normalize_space

    text = normalize_space(text)
    msgstr = translations.get(text) if text else None
    if msgstr and not translation_errors(text, msgstr) and "<" not in msgstr:
        return msgstr
    return ""
