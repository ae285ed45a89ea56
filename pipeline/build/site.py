"""The ``build`` stage: one HTML page per article and locale, an index and a sitemap.

Each page is the clean document (``source/<slug>/article.html``) with every
block replaced by its translation from ``locales/<locale>/LC_MESSAGES/<slug>.po``,
put into the page templates, whose own words come from the locale's
``site.po``. What is not translated (or fails the checks) shows in the source
language and says so with ``lang``, so that browsers, fonts and screen readers
switch language for it.

A locale is published for an article when its catalog is complete enough
(``settings.threshold_for``); below that its page is built only on request, as
a draft nobody links to. Output is deterministic: the same inputs give the same
bytes, so a deploy diff shows only real changes.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import os
import re
import stat
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from pipeline.names import SITE_DOMAIN
from pipeline.build.state import (  # the fields of a page's record in the manifest
    BLOCKS,
    COMPLETION,
    FALLBACKS,
    HASH,
    PUBLISHED,
    REJECTED,
    SIZE,
    TITLE,
    WARNINGS,
)
from pipeline.errors import CatalogError, PipelineError
from pipeline.formats.site import (
    LocaleInfo,
    SitemapEntry,
    locale_info,
    page_path,
    page_url,
    sitemap_xml,
)
from pipeline.fsutil import write_if_changed
from pipeline.project import Project, confine
from pipeline.names import validate_locale_name
from pipeline.pseudo import is_pseudo_locale
from pipeline.build.listing import article_listing

if TYPE_CHECKING:
    from pipeline.build.state import Shard
    # imported where used: it loads lxml, which a build that renders nothing does not need
    from pipeline.formats import document as document_format

STYLESHEET = "style.css"
#: Reading speeds for the "N minutes read" line: words a minute for
#: space-separated scripts, characters a minute for Chinese, Japanese, Korean.
WORDS_PER_MINUTE = 230
CJK_CHARACTERS_PER_MINUTE = 400
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
#: What a preview page (``pipeline serve``) loads to reload itself and show
#: catalog errors; served by the preview server only, never in a published page.
PREVIEW_SCRIPT = '<script src="/__pipeline/reload.js"></script>\n'


class MissingDocumentError(PipelineError):
    """An article has no clean document to build from."""


class UnreadableCatalogsError(CatalogError):
    """Catalogs that could not be read; every other page was built."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:  # one line, starting with file:line, as editors and serve expect
            super().__init__(
                f"{problems[0]} (every other page was built; fix the catalog and build again)"
            )
            return
        super().__init__(
            f"{len(problems)} catalogs could not be read; every other page was built:\n"
            + "\n".join(f"  {p}" for p in problems)
            + "\nfix them (`pipeline check` lists every problem) and build again"
        )


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildWarning:
    """Something the build worked around; the page is still written."""

    message: str
    #: The file that holds the cause (a catalog), when there is one.
    path: Path | None = None
    msgid: str = ""
    #: The message's line in ``path``, when known.
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        what = f"msgid {self.msgid!r}: " if self.msgid else ""
        return f"{where}{what}{self.message}"


@dataclass
class PageResult:
    """One page written (or skipped) for a locale and an article."""

    slug: str
    locale: str
    tag: str
    #: The page's file, as a string: a large site has tens of thousands of pages,
    #: most of them up to date and never looked at again (see :attr:`path`).
    file: str
    #: Percent of the article catalog translated (100 for the source language).
    completion: float
    published: bool
    draft: bool = False
    #: Blocks of the article, and how many of them show the source text.
    blocks: int = 0
    fallbacks: int = 0
    #: Translations refused by the checks (also counted in ``fallbacks``).
    rejected: int = 0
    #: Where the refused translations are (``file:line``).
    rejected_at: list[str] = field(default_factory=list)
    written: bool = True
    #: False when the page was up to date and not rendered again (incremental build).
    rendered: bool = True

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass
class SkippedPage:
    """A page not built because its locale is below the threshold."""

    slug: str
    locale: str
    completion: float
    threshold: float
    #: False when the locale has no catalog for the article at all.
    has_catalog: bool = True


@dataclass
class BuildResult:
    pages: list[PageResult] = field(default_factory=list)
    skipped: list[SkippedPage] = field(default_factory=list)
    #: The root language chooser (see :mod:`pipeline.sitepages`).
    index_path: Path | None = None
    sitemap_path: Path | None = None
    #: Home pages, feeds, 404 pages, robots.txt; and those this build wrote (the others were up to date).
    site_pages: list[Path] = field(default_factory=list)
    site_pages_rendered: list[Path] = field(default_factory=list)
    stylesheet_path: Path | None = None
    #: Pages of an earlier build that this one no longer publishes, removed.
    removed: list[Path] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
    #: Catalogs that could not be read (``file:line: reason; consequence``).
    errors: list[str] = field(default_factory=list)

    @property
    def rendered(self) -> list[tuple[str, str]]:
        """(slug, locale) of the pages rendered by this build; the others were up to date."""
        return [(p.slug, p.locale) for p in self.pages if p.rendered]


# ---------------------------------------------------------------------------
# Catalogs (private seams: the catalogs layer replaces these bodies)
# ---------------------------------------------------------------------------


def _read_catalog(path: Path):
    """The catalog at ``path`` (a babel Catalog), or None when there is none."""
    if not path.is_file():
        return None
    from pipeline.formats.po import read_catalog

    return read_catalog(path)


def _read_catalog_or_note(path: Path, errors: list[str], consequence: str):
    """The catalog at ``path``, or None, noting the error, when it cannot be read.

    Decision: one translator's broken file must not stop the other locales'
    pages, and must not pass unnoticed either. The build goes on without it
    (that locale's pages of the article are left out, or its templates show
    the source language), writes every other page, keeps the pages an earlier
    build made, and then fails (exit 1) with the ``file:line`` of each
    unreadable catalog: :class:`UnreadableCatalogsError`.
    """
    try:
        return _read_catalog(path)
    except CatalogError as exc:
        errors.append(f"{exc.message}; {consequence}")
        return None


def _translation_errors(msgid: str, msgstr: str) -> list[str]:
    """What the shared checks find wrong enough to keep a translation out of a page (:mod:`pipeline.completion`).

    The markup itself is checked again when the translation is applied
    (``MarkupMismatch``), so a bad tag never reaches a page whatever the checks say.
    """
    from pipeline.catalogs.completion import pair_errors

    return [p.message for p in pair_errors(msgid, msgstr)]


def _is_finished(message) -> bool:
    """Not fuzzy, every form has text: worth trying (the checks then decide, :mod:`pipeline.completion`)."""
    from pipeline.catalogs.completion import FUZZY, UNTRANSLATED, text_state

    return text_state(message) not in (FUZZY, UNTRANSLATED)


def _usable_translations(catalog) -> dict[str, str]:
    """msgid -> msgstr for the singular messages that are translated and not fuzzy (errors are refused when used)."""
    table: dict[str, str] = {}
    if catalog is None:
        return table
    from pipeline.formats.po import messages

    for message in messages(catalog):  # not iter(catalog): Babel would format its header's dates
        if not isinstance(message.id, str) or not _is_finished(message):
            continue
        if message.context and message.id in table:
            continue  # the context-free entry wins; articles do not use contexts
        table[message.id] = message.string
    return table


# ---------------------------------------------------------------------------
# Translating the article
# ---------------------------------------------------------------------------


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
    for element in body.iter():
        if isinstance(element.tag, str) and element.get("translate") == "no" and not element.get("lang"):
            element.set("lang", source_language)
            if direction and not element.get("dir"):
                element.set("dir", direction)


class ArticleBlocks:
    """The blocks of an article, found once for all its locales.

    Finding the blocks (and making their messages) costs more than
    translating them; an article's pages in ten locales each start from a
    copy of the same document, whose blocks sit at the same places. So the
    blocks are found in the document once, remembered by the positions of
    their elements in document order, and found in each copy by position.
    """

    def __init__(self, body, skip_classes: tuple[str, ...]) -> None:
        from pipeline.formats.messages import iter_blocks

        self.body = body
        self.blocks = list(iter_blocks(body, skip_classes))
        position = {element: index for index, element in enumerate(body.iter())}
        self._places = [
            (
                position[block.run.owner] if block.run is not None else position[block.element],
                position[block.run.anchor] if block.run is not None and block.run.anchor is not None else None,
                [position[child] for child in block.run.children] if block.run is not None else [],
            )
            for block in self.blocks
        ]

    def in_copy(self):
        """A deep copy of the body and its blocks (same messages, the copy's elements)."""
        from pipeline.formats.messages import Block, Run

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


def translate_article(
    doc: document_format.Document,
    translations: dict[str, str],
    source_language: str,
    skip_classes: tuple[str, ...],
    catalog_path: Path | None,
    translate: bool = True,
    article_blocks: ArticleBlocks | None = None,
    source_direction: str = "",
) -> TranslatedArticle:
    """A copy of the article with each block translated, or marked as in the source language.

    ``source_direction``: the source's ``dir`` (``ltr``) when the page's differs
    (an Arabic page of an English article), set with ``lang`` on source text, so
    that its punctuation and its runs of numbers are laid out as in the source.

    ``article_blocks``: the document's blocks found already (for the same
    ``skip_classes``), when several locales are made from one document.
    """
    from pipeline.formats.messages import MarkupMismatch, apply_to_run, normalize_space

    if article_blocks is None:
        article_blocks = ArticleBlocks(doc.body, skip_classes)
    body, blocks = article_blocks.in_copy()
    result = TranslatedArticle(body=body, title=doc.title, description=doc.description)
    result.blocks = len(blocks)
    if not translate:
        return result

    def reject(msgid: str, reason: str) -> None:
        result.rejected += 1
        result.warnings.append(
            BuildWarning(f"translation not used ({reason}); the source text is shown", catalog_path, msgid)
        )

    for block in blocks:
        msgid = block.message.text
        msgstr = translations.get(msgid)
        if msgstr is not None:
            errors = _translation_errors(msgid, msgstr)
            if errors:
                reject(msgid, "; ".join(errors))
                msgstr = None
        if msgstr is not None:
            if block.run is not None:
                try:
                    apply_to_run(block.run, msgstr, block.message)
                    continue
                except MarkupMismatch as exc:
                    reject(msgid, str(exc))
            else:
                block.element.set(block.attribute, msgstr)
                continue
        result.fallbacks += 1
        if block.run is not None:
            _mark_run_language(block.run, source_language, source_direction)
        # An attribute cannot carry its own language; it stays in the source text.

    _mark_untranslated_elements(body, source_language, source_direction)
    for attribute in ("title", "description"):
        text = normalize_space(getattr(doc, attribute))
        msgstr = translations.get(text) if text else None
        if msgstr and not _translation_errors(text, msgstr) and "<" not in msgstr:
            setattr(result, attribute, msgstr)
    return result


# ---------------------------------------------------------------------------
# Template strings: the locale's site.po, compiled in memory
# ---------------------------------------------------------------------------


def site_translations(catalog, path: Path | None, warnings: list[BuildWarning]):
    """gettext translations for the templates, without the translations that would break them."""
    import gettext

    if catalog is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    catalog = copy.deepcopy(catalog)
    # Untranslated and fuzzy messages leave the catalog: a .mo entry with an
    # empty plural form would show the singular for every number.
    for message in [m for m in catalog if m.id and not _is_finished(m)]:
        catalog.delete(message.id, context=message.context)
    from pipeline.catalogs.completion import message_errors, shape_of

    shape = shape_of(catalog, SITE_DOMAIN)
    refused = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        problems = message_errors(message, shape)  # what `check` reports, no more, no less
        if problems:
            warnings.append(
                BuildWarning(f"template translation not used ({problems[0].message})", path, msgid, message.lineno or 0)
            )
            refused.append(message)
    for message in refused:  # out of the catalog, like an untranslated one: the source text is shown, marked
        catalog.delete(message.id, context=message.context)
    from pipeline.formats.plurals import plural_function

    plural = plural_function(catalog.plural_expr)  # checked by the reader, or made by Babel from CLDR
    catalog._plural_expr = "0"  # Python's gettext exec()s the .mo's own and refuses some msgfmt accepts
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    translations = Translations(fp=buffer)
    translations.plural = plural
    return translations


def _escaping(func: Callable[..., str]) -> Callable[..., object]:
    """Wrap a gettext function so a translation is text, never markup.

    Jinja's new-style gettext marks what gettext returns as safe when
    autoescaping; escaping it first keeps a translator's ``<`` a character.
    """
    from markupsafe import escape

    def wrapped(*args: object) -> object:
        return escape(func(*args))

    return wrapped


def _environment(project: Project):
    """Templates from the project's ``templates/`` first, then the packaged ones.

    The same order as ``extract`` reads them, so the strings extracted are
    the strings shown. No ``trimmed`` policy: extraction does not trim either.
    The templates are compiled once per build; each page's locale installs its
    own gettext functions before rendering (:class:`_Renderer`).
    """
    import gettext

    import jinja2

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(project.templates_dir)),
                jinja2.PackageLoader("pipeline", "templates"),
            ]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # one build renders from one version of the templates (an environment per build):
        # no need to look at their files again for every page
        auto_reload=False,
    )
    _install(env, gettext.NullTranslations())  # newstyle must be set before templates compile
    return env


def _install(env, translations, mark_untranslated: bool = False) -> None:
    """The locale's gettext functions; ``mark_untranslated``: strings without a translation come back
    marked, to be shown in the source language's ``lang`` and ``dir`` (:mod:`pipeline.sourcemarks`)."""
    if mark_untranslated:
        from pipeline.build.sourcemarks import has_translation, marking

        singular, plural = has_translation(translations)
        gettext, ngettext = marking(translations.gettext, singular), marking(translations.ngettext, plural)
    else:
        gettext, ngettext = _escaping(translations.gettext), _escaping(translations.ngettext)
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)


class _Renderer:
    """What the pages of one build (in one process) share.

    Compiling the templates costs more than rendering a page, and a locale's
    ``site.po`` is the same for all its pages: both are done once. Loaded
    templates see the environment's globals live, so installing a locale's
    gettext functions just before rendering gives that page its translations.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._site: dict[str, tuple[object, list[BuildWarning], list[str]]] = {}

    def site_translations(self, locale: str | None) -> tuple[object, list[BuildWarning], list[str]]:
        """(translations, warnings, errors) of the locale's ``site.po``; None: the source language."""
        if locale not in self._site:
            warnings: list[BuildWarning] = []
            errors: list[str] = []
            path = None if locale is None else self.project.catalog_path(locale, SITE_DOMAIN)
            catalog = (
                _read_catalog_or_note(path, errors, "the page templates are shown in the source language")
                if path
                else None
            )
            self._site[locale] = (site_translations(catalog, path, warnings), warnings, errors)
        return self._site[locale]

    @cached_property
    def env(self):
        """Made at the first page to render: a build that renders nothing does not import Jinja."""
        return _environment(self.project)

    def render(self, template: str, translations, context: dict, source_marks: str = "") -> str:
        """``source_marks``: the attributes of source-language text on this page ("" on a source page)."""
        import jinja2

        _install(self.env, translations, mark_untranslated=bool(source_marks))
        try:
            from pipeline.build.sourcemarks import resolve

            return resolve(self.env.get_template(template).render(context), source_marks)
        except (jinja2.TemplateError, UnicodeDecodeError) as exc:  # the project's own templates are edited by hand
            from pipeline.build.templateerrors import template_error

            raise template_error(exc, template, [self.project.templates_dir]) from None


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass
class _Article:
    slug: str
    doc: document_format.Document
    catalogs: dict[str, object]  # locale -> Catalog or None
    completion: dict[str, float]
    published: list[str]  # locales published (source first)
    blocks: ArticleBlocks | None = None


def _reindent(element, depth: int, containers: frozenset[str] | set[str]) -> None:
    """Lay ``containers`` out one child a line, as the clean document does, whatever translation did."""
    children = [c for c in element if isinstance(c.tag, str)]
    if (
        element.tag not in containers
        or not children
        or (element.text or "").strip()
        or any((c.tail or "").strip() for c in element)
    ):
        return
    element.text = "\n" + "  " * (depth + 1)
    for child in element:
        _reindent(child, depth + 1, containers)
        child.tail = "\n" + "  " * (depth + 1)
    element[-1].tail = "\n" + "  " * depth


def _inner_html(elements: Iterable) -> str:
    from lxml import html

    from pipeline.formats.document import CONTAINER_TAGS

    parts = []
    for element in elements:
        _reindent(element, 0, CONTAINER_TAGS)
        parts.append(html.tostring(element, encoding="unicode", method="html", with_tail=False))
    return "\n".join(parts)


def _split_article(body) -> dict[str, object]:
    """The article's heading, its text, and its sources section, for the template."""
    from lxml import html

    children = [c for c in body if isinstance(c.tag, str)]
    heading = children[0] if children and children[0].tag == "h1" else None
    if heading is not None:
        children = children[1:]
    references = next(
        (c for c in children if c.tag == "section" and c.get("id") == "references"), None
    )
    before, after = children, []
    references_html = ""
    references_attrs: dict[str, str] = {}
    if references is not None:
        at = children.index(references)
        before, after = children[:at], children[at + 1 :]
        references_attrs = dict(references.attrib)
        references_html = _inner_html(c for c in references if isinstance(c.tag, str))
    return {
        "heading_html": html.tostring(heading, encoding="unicode", method="html", with_tail=False)
        if heading is not None
        else "",
        "body_html": _inner_html(before),
        "after_html": _inner_html(after),
        "has_references": references is not None,
        "references_html": references_html,
        "references_attrs": references_attrs,
    }


def reading_minutes(body) -> int:
    """Minutes to read an article: words for spaced scripts, characters for CJK."""
    text = " ".join(body.itertext())
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text) if cjk else text))
    minutes = words / WORDS_PER_MINUTE + cjk / CJK_CHARACTERS_PER_MINUTE
    return max(1, int(minutes + 0.5))


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _in_language(text: str, marks: str):
    """Data shown as it is in the source (a name) marked with its language (``marks``) on other pages."""
    from markupsafe import Markup

    if not text or not marks:
        return text
    return Markup("<span{}>{}</span>").format(Markup(marks), text)


def _date_context(value: str, info: LocaleInfo, source: LocaleInfo) -> dict[str, str] | None:
    """The date as the page writes it, or as the source does inside an untranslated sentence."""
    from babel.dates import format_date

    from pipeline.build.sourcemarks import page_or_source

    day = _iso_date(value) if value else None
    if day is None:
        return None
    text = format_date(day, format="long", locale=info.formatting_locale)
    if source.formatting_locale != info.formatting_locale:
        text = page_or_source(text, format_date(day, format="long", locale=source.formatting_locale))
    return {"iso": day.isoformat(), "text": text}


def _languages_menu(
    article: _Article, current: str, infos: dict[str, LocaleInfo], include_current: bool
) -> list[dict[str, object]]:
    locales = list(article.published)
    if include_current and current not in locales:
        locales.append(current)
    menu = []
    for locale in locales:
        info = infos[locale]
        menu.append(
            {
                "tag": info.tag,
                "name": info.native_name,
                "href": f"../../{page_path(info.tag, article.slug)}",
                "current": locale == current,
            }
        )
    return menu


def _render_page(
    project: Project,
    renderer: _Renderer,
    article: _Article,
    locale: str,
    infos: dict[str, LocaleInfo],
    base_url: str,
    draft: bool,
    warnings: list[BuildWarning],
    errors: list[str] | None = None,
) -> tuple[str, TranslatedArticle]:
    from babel.numbers import format_decimal
    from markupsafe import Markup

    from pipeline.catalogs.completion import localized_percent_text
    from pipeline.build.sourcemarks import marked_source_text, page_or_source, source_attributes

    settings = project.settings
    errors = [] if errors is None else errors
    source = settings.source_language
    info = infos[locale]
    is_source = locale == source
    catalog_path = None if is_source else project.catalog_path(locale, article.slug)
    translated = translate_article(
        article.doc,
        _usable_translations(article.catalogs.get(locale)),
        infos[source].tag,
        settings.skip_classes,
        catalog_path,
        translate=not is_source,
        article_blocks=article.blocks,
        source_direction=infos[source].direction if infos[source].direction != info.direction else "",
    )
    marks = "" if is_source else source_attributes(infos[source].tag, infos[source].direction, info.direction)
    if translated.rejected:
        translated.warnings = _with_lines(translated.warnings, article.catalogs.get(locale))
    translations, site_warnings, site_errors = renderer.site_translations(None if is_source else locale)
    warnings.extend(site_warnings)
    errors.extend(site_errors)

    site_name = settings.site_name
    site_name_translated = translations.gettext(site_name) if site_name else ""
    minutes = reading_minutes(translated.body)
    alternates: list[tuple[str, str]] = []
    if not draft:
        alternates = [
            (infos[loc].tag, page_url(infos[loc].tag, article.slug, base_url)) for loc in article.published
        ]
        alternates.append(("x-default", page_url(infos[source].tag, article.slug, base_url)))
    context = {
        "page": info,
        "source": infos[source],
        "site_name": marked_source_text(site_name_translated) if marks and site_name_translated == site_name else site_name_translated,
        "site_name_lang": infos[source].tag
        if site_name and site_name_translated == site_name and not is_source
        else "",
        "root": "../../",
        "title": translated.title,
        "description": translated.description,
        # the lead paragraph and a heading made from the title, when they show the source text
        "title_attrs": Markup(marks) if marks and translated.title == article.doc.title else "",
        "description_attrs": Markup(marks) if marks and translated.description == article.doc.description else "",
        "author": _in_language(article.doc.author, marks),
        "author_name": article.doc.author,
        "source_url": article.doc.source_url,
        "updated": _date_context(article.doc.modified, info, infos[source]),
        "published_date": _date_context(article.doc.published, info, infos[source]),
        "reading_minutes": minutes,
        "reading_minutes_text": page_or_source(
            format_decimal(minutes, locale=info.formatting_locale), format_decimal(minutes, locale=infos[source].formatting_locale)
        ),
        "canonical": "" if draft else page_url(info.tag, article.slug, base_url),
        "alternates": alternates,
        "languages": _languages_menu(article, locale, infos, include_current=True),
        "draft": draft,
        "completion_text": localized_percent_text(article.completion[locale], info.formatting_locale),
        "partial": translated.fallbacks > 0,
        "derived_from": _derived_notice(settings, article.catalogs.get(locale), locale, article.slug, infos),
        "source_language_name": page_or_source(_language_name(infos[source], info), infos[source].native_name),
        **_split_article(translated.body),
        **_page_metadata(article, locale, translated, site_name_translated, infos, base_url, draft),
    }
    text = renderer.render("article.html", translations, context, marks)
    return text, translated


def _page_metadata(article: _Article, locale: str, translated, site_name: str, infos, base_url: str, draft: bool) -> dict:
    """Open Graph, Twitter card and JSON-LD of the page, and its links to the home page and feed (:mod:`pipeline.pagemeta`)."""
    from pipeline.build.pagemeta import PageFacts, article_metadata

    doc = article.doc
    published, modified = (_iso_date(value) if value else None for value in (doc.published, doc.modified))
    facts = PageFacts(
        article.slug, translated.title, translated.description, doc.author, site_name,
        published.isoformat() if published else "", modified.isoformat() if modified else "", doc.source_url, draft,
    )
    return article_metadata(facts, locale, article.published, infos, article.published[0], base_url)


def _with_lines(warnings: list[BuildWarning], catalog) -> list[BuildWarning]:
    """The warnings, each with the line of its message in the catalog (a translator goes to file:line)."""
    import dataclasses

    from pipeline.formats.po import messages

    if catalog is None:
        return warnings
    lines = {m.id: m.lineno or 0 for m in messages(catalog) if isinstance(m.id, str)}
    return [dataclasses.replace(w, line=lines.get(w.msgid, 0)) if w.msgid and not w.line else w for w in warnings]


def _derived_notice(settings, catalog, locale: str, slug: str, infos: dict[str, LocaleInfo]) -> str:
    """The name of the locale a derived page was converted from, while any of it is unreviewed; else ""."""
    derivation = settings.derived.get(locale)
    if derivation is None or catalog is None or derivation.source not in infos:
        return ""
    from pipeline.catalogs.update import catalog_stats
    from pipeline.catalogs.derive import convert

    if not catalog_stats(catalog, locale, slug, Path(slug), settings).derived:  # counted as stats counts it
        return ""
    return convert(derivation, infos[derivation.source].native_name)  # 简体中文 -> 簡體中文, in the page's script


def _language_name(language: LocaleInfo, in_locale: LocaleInfo) -> str:
    """``language``'s name in the words of ``in_locale`` (English -> 英语)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.formatting_locale).get_display_name(in_locale.formatting_locale)
    except (UnknownLocaleError, ValueError):
        return language.native_name


def _sitemap(articles: list[dict], infos: dict[str, LocaleInfo], source: str, base_url: str) -> str:
    entries = []
    for record in articles:
        slug = record["slug"]
        alternates = tuple(
            (infos[loc].tag, page_url(infos[loc].tag, slug, base_url, from_page=False))
            for loc in record["published"]
        ) + (("x-default", page_url(infos[source].tag, slug, base_url, from_page=False)),)
        lastmod = _iso_date(record["modified"]) if record["modified"] else None
        for locale in record["published"]:
            entries.append(
                SitemapEntry(
                    loc=page_url(infos[locale].tag, slug, base_url, from_page=False),
                    alternates=alternates,
                    lastmod=lastmod.isoformat() if lastmod else "",
                )
            )
    return sitemap_xml(entries)


# ---------------------------------------------------------------------------
# One article: its pages in the wanted locales (the unit of work of --jobs)
# ---------------------------------------------------------------------------


def all_locales(project: Project) -> list[str]:
    """The source language first, then every locale with catalogs or in the settings."""
    source = project.settings.source_language
    others = sorted((set(project.catalog_locales()) | set(project.settings.locales)) - {source})
    return [source] + others


def _read_document(
    project: Project, slug: str, warnings: list[BuildWarning] | None = None
) -> document_format.Document:
    from pipeline.formats import document as document_format
    from pipeline.sanitize import sanitize_document

    path = project.clean_document_path(slug)
    if not path.is_file():
        has_snapshot = project.snapshot_path(slug) is not None
        hint = (
            f"run `pipeline clean {slug}` to make it from the snapshot"
            if has_snapshot
            else f"run `pipeline scrape URL` and then `pipeline clean {slug}`"
        )
        raise MissingDocumentError(f"no clean document {path}: {hint}, then build again")
    document = document_format.read(path)
    # people edit and review this file: it passes the same gate as clean's output
    removals = sanitize_document(document)
    if warnings is not None:
        warnings.extend(BuildWarning(f"left out of the pages: {removal}", path) for removal in removals)
    return document


@dataclass
class _BuildPlan:
    """What every article's work needs to know about the build (sent to each worker process)."""

    project: Project
    locales: list[str]  # every known locale, the source first
    output: Path
    base_url: str
    include_drafts: bool
    preview: bool
    #: Hash of what every page depends on: tool version, settings, templates, stylesheet, flags.
    site_hash: str
    #: locale -> hash of its site.po.
    site_catalogs: dict[str, str]
    infos: dict[str, LocaleInfo] = field(default_factory=dict)
    #: When the build started (``time.time_ns()``), for :class:`pipeline.buildstate.FileHashes`.
    started_ns: int = 0

    @cached_property
    def checked_output(self) -> set[str]:
        """Folders of the output found to be no link out of it (see :func:`pipeline.project.confine`)."""
        return set()

    @cached_property
    def output_text(self) -> str:
        """The output folder as a string, to join page paths to."""
        return str(self.output)

    @cached_property
    def folders(self) -> tuple[str, str]:
        """The project's ``source/`` and ``locales/`` folders, as strings."""
        return str(self.project.source_dir), str(self.project.locales_dir)


@dataclass
class _ArticleWork:
    slug: str
    #: The locales whose pages this build makes for the article.
    wanted: list[str]
    #: The manifest's records of the article's pages and of its catalogs, from the last build.
    old_pages: dict[str, list]
    old_catalogs: dict[str, dict]
    old_article: dict | None
    #: The manifest's records of the article's input files (:class:`pipeline.buildstate.FileHashes`).
    old_files: dict[str, list] = field(default_factory=dict)


@dataclass
class _ArticleOutcome:
    slug: str
    pages: list[PageResult] = field(default_factory=list)
    skipped: list[SkippedPage] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: New manifest records: pages and catalogs (by key), and the article's own.
    page_records: dict[str, list] = field(default_factory=dict)
    catalog_records: dict[str, dict] = field(default_factory=dict)
    article_record: dict = field(default_factory=dict)
    file_records: dict[str, list] = field(default_factory=dict)
    #: Pages removed because their catalog cannot be read.
    removed: list[Path] = field(default_factory=list)


def _translated_field(text: str, translations: dict[str, str]) -> str:
    """The translation of a title or description, when it is usable as plain text."""
    from pipeline.formats.messages import normalize_space

    text = normalize_space(text)
    msgstr = translations.get(text) if text else None
    if msgstr and not _translation_errors(text, msgstr) and "<" not in msgstr:
        return msgstr
    return ""


class _LazyArticle:
    """An article's document and catalogs, each read only when a page needs it."""

    def __init__(
        self,
        project: Project,
        slug: str,
        errors: list[str],
        preview: bool = False,
        page_of: Callable[[str], Path] | None = None,
    ) -> None:
        self.project, self.slug, self.errors = project, slug, errors
        self.preview = preview
        self.page_of = page_of  # a locale's page file in the output, to tell whether a preview has one to keep
        self._doc: document_format.Document | None = None
        self._blocks: ArticleBlocks | None = None
        self.catalogs: dict[str, object] = {}
        self.doc_warnings: list[BuildWarning] = []

    @property
    def doc(self) -> document_format.Document:
        if self._doc is None:
            self._doc = _read_document(self.project, self.slug, self.doc_warnings)
        return self._doc

    @property
    def blocks(self) -> ArticleBlocks:
        if self._blocks is None:
            self._blocks = ArticleBlocks(self.doc.body, self.project.settings.skip_classes)
        return self._blocks

    def catalog(self, locale: str):
        if locale not in self.catalogs:
            self.catalogs[locale] = _read_catalog_or_note(
                self.project.catalog_path(locale, self.slug), self.errors, self._unreadable_consequence(locale)
            )
        return self.catalogs[locale]

    def _unreadable_consequence(self, locale: str) -> str:
        """What happens to the locale's page while its catalog cannot be read, as the error says it."""
        if not self.preview:
            return f"the {locale} page of {self.slug!r} is removed from the output until the catalog is fixed"
        if self.page_of is not None and not self.page_of(locale).is_file():  # serve started on a broken catalog
            return f"the preview has no {locale} page of {self.slug!r} until the catalog is fixed"
        return f"the preview keeps the last good {locale} page of {self.slug!r}"


def _oversized_catalog_warnings(project: Project, slug: str, locale: str, catalog) -> list[BuildWarning]:
    """A warning when the catalog holds more obsolete entries than :mod:`pipeline.formats.templatefit` allows."""
    from pipeline.formats.templatefit import excess_entries_warning, obsolete_excess

    excess = obsolete_excess(catalog)
    if not excess:
        return []
    message = excess_entries_warning(excess, project.template_path(slug))
    return [BuildWarning(message, project.catalog_path(locale, slug))]


def _completion_of(catalog, locale: str, slug: str, path: Path, settings) -> float:
    from pipeline.catalogs.update import catalog_stats

    return float(catalog_stats(catalog, locale, slug, path, settings).percent)


def _counting_rule(settings, locale: str) -> str:
    """What besides the catalog's bytes its recorded completion depends on ("" for most locales)."""
    return "derived-not-counted" if locale in settings.derived and not settings.count_derived else ""


def _build_article(plan: _BuildPlan, work: _ArticleWork, renderer: _Renderer) -> _ArticleOutcome:
    """Build the article's wanted pages whose inputs changed; report on all of them.

    Every catalog of the article is hashed (its completion decides which
    locales are published, and so every page's language switcher), but read
    only when its hash is new or one of its pages has to be rendered.
    """
    from pipeline.build.state import FileHashes, combined_hash, page_key, page_record_usable
    from pipeline.catalogs.completion import meets

    project, slug = plan.project, work.slug
    settings = project.settings
    source = plan.locales[0]
    outcome = _ArticleOutcome(slug)
    article = _LazyArticle(
        project,
        slug,
        outcome.errors,
        plan.preview,
        lambda locale: Path(f"{plan.output_text}/{page_path(plan.infos[locale].tag, slug)}"),
    )
    hashes = FileHashes(project.root, work.old_files, plan.started_ns)
    document_path, catalog_paths = _input_paths(plan, slug)
    doc_hash = hashes.hash(document_path)
    catalog_hashes: dict[str, str] = {}
    completion: dict[str, float] = {source: 100.0}
    published = [source]
    unreadable: list[str] = []
    for locale in plan.locales[1:]:
        digest = catalog_hashes[locale] = hashes.hash(catalog_paths[locale])
        cached = work.old_catalogs.get(locale)
        if not digest:
            completion[locale] = 0.0
            continue
        rule = _counting_rule(settings, locale)
        if cached and cached.get("sha256") == digest and cached.get("rule", "") == rule:
            completion[locale] = cached["completion"]
        else:
            catalog = article.catalog(locale)
            path = Path(catalog_paths[locale])
            completion[locale] = _completion_of(catalog, locale, slug, path, settings) if catalog is not None else 0.0
            if catalog is None:
                catalog_hashes[locale] = ""  # unreadable: no record, read again next time
                unreadable.append(locale)
                continue
        outcome.catalog_records[locale] = {"sha256": digest, "completion": completion[locale], **({"rule": rule} if rule else {})}
        if meets(completion[locale], settings.threshold_for(locale)) and not is_pseudo_locale(locale):
            published.append(locale)

    outcome.file_records = hashes.records
    old_article = work.old_article or {}
    # Everything the article's pages are made from, in one hash: when the last
    # build recorded the same key, each page record it kept was made from these
    # very inputs, so a page needs no hash of its own, only a look at its file
    # (11,000 hashes of a no-change build of 1,000 x 11 pages).
    article_key = combined_hash(plan.site_hash, plan.site_catalogs, doc_hash, catalog_hashes, published, completion)
    inputs_unchanged = old_article.get("key") == article_key

    def page_hash_of(locale: str, is_published: bool) -> str:
        return combined_hash(
            plan.site_hash,
            plan.site_catalogs.get(locale, ""),
            doc_hash,
            catalog_hashes.get(locale, ""),
            published,
            is_published,
            completion[locale],
        )
    reusable_titles = old_article.get("titles", {}) if old_article.get("document") == doc_hash else {}
    titles: dict[str, str] = {}
    infos = plan.infos
    for locale in unreadable:  # a page never shows what its catalog no longer says
        _leave_out_unreadable(plan, work, locale, outcome)
    for locale in work.wanted:
        if locale in unreadable:
            continue
        threshold = settings.threshold_for(locale)
        is_published = locale in published
        if not is_published and not plan.include_drafts:
            outcome.skipped.append(
                SkippedPage(slug, locale, completion[locale], threshold, has_catalog=bool(catalog_hashes.get(locale)))
            )
            continue
        key = page_key(slug, locale)
        page_hash = None if inputs_unchanged else page_hash_of(locale, is_published)
        page_file = f"{plan.output_text}/{page_path(infos[locale].tag, slug)}"  # as plan.output / page_path
        record = work.old_pages.get(key)
        if (
            page_record_usable(record)
            and (inputs_unchanged or record[HASH] == page_hash)
            and _page_intact(page_file, record)
        ):
            record_warnings = _record_warnings(record)
            outcome.pages.append(_page_from_record(slug, locale, infos[locale].tag, page_file, record, record_warnings))
            outcome.warnings.extend(record_warnings)
            outcome.page_records[key] = record
            if is_published:
                titles[locale] = record[TITLE]
            continue
        if page_hash is None:
            page_hash = page_hash_of(locale, is_published)
        page_warnings: list[BuildWarning] = []
        page_errors: list[str] = []
        if locale != source:
            page_warnings += _oversized_catalog_warnings(project, slug, locale, article.catalog(locale))
        lazy = _Article(slug, article.doc, article.catalogs, completion, published, article.blocks)
        page_warnings.extend(article.doc_warnings)
        text, translated = _render_page(
            project, renderer, lazy, locale, infos, plan.base_url, not is_published, page_warnings, page_errors
        )
        if plan.preview:
            text = _with_preview_script(text)
        # a page can be made again from the project's files: renamed into place, not fsynced
        data = text.encode("utf-8")
        # never written through a linked language or article folder that leads out of the output
        page_path_checked = confine(plan.output, Path(page_file), plan.checked_output, "the output folder")
        changed = write_if_changed(page_path_checked, data, durable=False)
        warnings = list(translated.warnings) + [w for w in page_warnings if w not in translated.warnings]
        outcome.warnings.extend(warnings)
        outcome.errors.extend(e for e in page_errors if e not in outcome.errors)
        page = PageResult(
            slug=slug,
            locale=locale,
            tag=infos[locale].tag,
            file=page_file,
            completion=completion[locale],
            published=is_published,
            draft=not is_published,
            blocks=translated.blocks,
            fallbacks=translated.fallbacks,
            rejected=translated.rejected,
            rejected_at=_rejected_at(translated.warnings),
            written=changed,
            rendered=True,
        )
        outcome.pages.append(page)
        if is_published:
            titles[locale] = translated.title
        if not page_errors:  # a page made around an unreadable catalog is made again next time
            outcome.page_records[key] = _page_record(page_hash, page, translated.title, warnings, len(data))

    for locale in plan.locales:  # pages not asked for this time keep their records for the next build
        key = page_key(slug, locale)
        if locale not in work.wanted and locale not in unreadable and key in work.old_pages:
            outcome.page_records[key] = work.old_pages[key]
    for locale in published:  # the index lists every published version, built now or not
        if locale in titles:
            continue
        if locale in reusable_titles and old_article.get("catalogs", {}).get(locale) == catalog_hashes.get(locale):
            titles[locale] = reusable_titles[locale]
        elif locale == source:
            titles[locale] = article.doc.title
        else:
            titles[locale] = _translated_field(article.doc.title, _usable_translations(article.catalog(locale))) or article.doc.title
    modified = old_article.get("modified", "") if old_article.get("document") == doc_hash else article.doc.modified
    outcome.article_record = {
        "slug": slug,
        "document": doc_hash,
        "modified": modified,
        "published": published,
        "titles": {loc: titles[loc] for loc in published},
        "catalogs": {loc: h for loc, h in catalog_hashes.items() if h},
        # only when every page of the article was looked at now and is recorded as made from
        # these inputs (a partial build keeps older records of the pages it did not look at)
        "key": article_key if set(work.wanted) == set(plan.locales) and not outcome.errors else "",
    }
    listed = published + [loc for loc in plan.locales if plan.include_drafts and loc not in published]
    outcome.article_record["listing"] = article_listing(  # what the home pages and feeds show of it
        old_article.get("listing"), doc_hash, catalog_hashes, listed, source, lambda: article.doc,
        lambda loc, text: _translated_field(text, _usable_translations(article.catalog(loc))) if catalog_hashes.get(loc) else "",
        catalog_paths,
    )
    return outcome


def _rejected_at(warnings: list[BuildWarning]) -> list[str]:
    """``file:line`` of each translation a page refused."""
    return [f"{w.path}:{w.line}" for w in warnings if w.line and w.message.startswith("translation not used")]


def _leave_out_unreadable(plan: _BuildPlan, work: _ArticleWork, locale: str, outcome: _ArticleOutcome) -> None:
    """The page of a locale whose catalog cannot be read: removed from the output, so no stale
    page stays there that the switcher, index and sitemap no longer list; the preview keeps it
    as last built, under its error banner, rather than turning it into the source language."""
    from pipeline.build.state import page_key

    key = page_key(work.slug, locale)
    if plan.preview:
        if key in work.old_pages:
            outcome.page_records[key] = work.old_pages[key]
        return
    page = Path(f"{plan.output_text}/{page_path(plan.infos[locale].tag, work.slug)}")
    if remove_output_page(plan, page):
        outcome.removed.append(page)


def remove_output_page(plan: _BuildPlan, page: Path) -> bool:
    """Remove an article's page from the output, never through a link out of it; whether there was one."""
    if not os.path.lexists(page):
        return False
    page = confine(plan.output, page, plan.checked_output, "the output folder")
    if not page.is_file():
        return False
    page.unlink()
    _remove_emptied_folders(plan.output, page)
    return True


def _remove_emptied_folders(output: Path, page: Path) -> None:
    """The article's and the language's folders of a removed page, once they hold nothing else."""
    for folder in (page.parent, page.parent.parent):
        if folder != output and not any(folder.iterdir()):
            folder.rmdir()


def _page_record(page_hash: str, page: PageResult, title: str, warnings: list[BuildWarning], size: int) -> list:
    """The page's record in the manifest: the fields of :data:`pipeline.buildstate.PAGE_FIELDS`, in order."""
    return [
        page_hash,
        size,
        page.completion,
        page.published,
        page.blocks,
        page.fallbacks,
        page.rejected,
        title,
        [[w.message, str(w.path) if w.path else "", w.msgid, *([w.line] if w.line else [])] for w in warnings],
    ]


def _page_intact(path: str, record: list) -> bool:
    """Whether the page an earlier build wrote is still there, whole.

    Pages are not fsynced (:func:`pipeline.fsutil.atomic_write_bytes`): after
    a power cut one could be empty or cut short; its recorded size finds it.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return False
    # records of older builds have no size
    return stat.S_ISREG(status.st_mode) and record[SIZE] in (None, status.st_size)


def _input_paths(plan: _BuildPlan, slug: str) -> tuple[str, dict[str, str]]:
    """The article's clean document and its catalogs (by locale), as strings.

    The same paths as :class:`Project` gives, made by joining strings: a
    large site has tens of thousands, and pathlib objects cost ten times more.
    """
    source_dir, locales_dir = plan.folders
    return f"{source_dir}/{slug}/article.html", {
        locale: f"{locales_dir}/{locale}/LC_MESSAGES/{slug}.po" for locale in plan.locales[1:]
    }


def _record_warnings(record: list) -> list[BuildWarning]:
    """The warnings a page record keeps (see :func:`_page_record`)."""
    return [BuildWarning(m, Path(p) if p else None, i, *line) for m, p, i, *line in record[WARNINGS]]


def _page_from_record(
    slug: str, locale: str, tag: str, file: str, record: list, warnings: list[BuildWarning]
) -> PageResult:
    return PageResult(
        slug=slug,
        locale=locale,
        tag=tag,
        file=file,
        completion=record[COMPLETION],
        published=record[PUBLISHED],
        draft=not record[PUBLISHED],
        blocks=record[BLOCKS],
        fallbacks=record[FALLBACKS],
        rejected=record[REJECTED],
        rejected_at=_rejected_at(warnings),
        written=False,
        rendered=False,
    )


#: The renderer of a worker process of ``--jobs``: templates compiled once per process.
_worker_renderer: _Renderer | None = None


def _build_article_in_worker(plan: _BuildPlan, work: _ArticleWork) -> _ArticleOutcome:
    global _worker_renderer
    if _worker_renderer is None or _worker_renderer.project != plan.project:
        _worker_renderer = _Renderer(plan.project)
    return _build_article(plan, work, _worker_renderer)


# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------


def _stylesheet(project: Project) -> bytes:
    """The project's own ``templates/style.css`` if it has one, else the packaged one."""
    from importlib.resources import files

    own = project.templates_dir / STYLESHEET
    if own.is_file():
        return own.read_bytes()
    return (files("pipeline") / "templates" / STYLESHEET).read_bytes()


def _with_preview_script(text: str) -> str:
    head, tail = text.rsplit("</body>", 1)
    return head + PREVIEW_SCRIPT + "</body>" + tail


def _stale_pages(output: Path, written_names: set[str]) -> list[Path]:
    """``<tag>/<slug>/index.html`` files of an earlier build that this build did not write (``written_names``)."""
    if not output.is_dir():
        return []
    # os.scandir, not Path.glob: a site of 10,000 pages took half a second to glob
    stale = []
    for language in os.scandir(output):
        if not language.is_dir(follow_symlinks=False):  # never delete through a link
            continue
        for article in os.scandir(language.path):
            if not article.is_dir(follow_symlinks=False):
                continue
            page = os.path.join(article.path, "index.html")
            if page not in written_names and os.path.isfile(page):
                stale.append(Path(page))
    return sorted(stale)


def _site_hash(project: Project, base_url: str, include_drafts: bool, preview: bool, stylesheet: bytes) -> str:
    """What every page depends on besides its own article: a change here rebuilds all."""
    from pipeline import __version__
    from pipeline.build.state import combined_hash, folder_hash

    package_templates = Path(__file__).resolve().parent / "templates"
    return combined_hash(
        __version__,
        repr(project.settings),
        base_url,
        include_drafts,
        preview,
        folder_hash([project.templates_dir, package_templates]),
        hashlib.sha256(stylesheet).hexdigest(),
    )


#: ``--jobs auto``: the articles go to a pool of processes once this process has
#: rendered this many pages and at least :data:`AUTO_POOL_MIN_ARTICLES` articles
#: are left. A pool costs its start-up and sends every article's work and
#: outcome between processes; a build after one saved catalog renders a page or
#: two and must not pay that, a cold build of hundreds of pages gains from it.
AUTO_POOL_AFTER_PAGES = 22
AUTO_POOL_MIN_ARTICLES = 8


def available_cpus() -> int:
    """The CPUs this process may run on (a container or ``taskset`` can allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_works(plan: _BuildPlan, works: list[_ArticleWork], jobs: int | None, renderer: _Renderer, scheduler: str = ""):
    """Each article's outcome, in order; in ``jobs`` processes (None: decided as it goes, see above),
    or on the Dask cluster whose scheduler is at ``scheduler`` (:mod:`pipeline.distributed`)."""
    if scheduler:
        from pipeline.build.distributed import run_on_cluster

        yield from run_on_cluster(plan, works, scheduler)
        return
    processes = available_cpus() if jobs is None else jobs
    rendered = 0
    for position, work in enumerate(works):
        left = works[position:]
        # the first article is always built here, so the workers start with what it loaded
        if processes > 1 and position >= 1 and len(left) >= 2:
            if jobs is not None or (rendered >= AUTO_POOL_AFTER_PAGES and len(left) >= AUTO_POOL_MIN_ARTICLES):
                yield from _run_in_pool(plan, left, processes, renderer)
                return
        outcome = _build_article(plan, work, renderer)
        rendered += sum(1 for page in outcome.pages if page.rendered)
        yield outcome


def _run_in_pool(plan: _BuildPlan, works: list[_ArticleWork], processes: int, renderer: _Renderer):
    global _worker_renderer
    from pipeline.workers import worker_pool

    # Forked workers (Linux) start with this process's renderer: templates compiled,
    # site catalogs read, locale data loaded by the pages rendered so far.
    _worker_renderer = renderer
    try:
        with worker_pool(processes) as pool:  # workers that die with this process
            # chunks: fewer round trips; map keeps the order, so the output does not depend on jobs
            yield from pool.map(
                _build_article_in_worker,
                [plan] * len(works),
                works,
                chunksize=max(1, min(16, len(works) // (processes * 4))),
            )
    finally:
        _worker_renderer = None


def build_site(
    project: Project,
    locales: Iterable[str] = (),
    slugs: Iterable[str] = (),
    include_drafts: bool = False,
    base_url: str | None = None,
    output_dir: Path | None = None,
    preview: bool = False,
    jobs: int | None = 1,
    shard: "Shard | None" = None,
    site_locales: Iterable[str] | None = None,
    scheduler: str = "",
) -> BuildResult:
    """Render the pages of ``slugs`` (all articles) in ``locales`` (all), the index and the sitemap.

    The index and the sitemap always cover every article and every published
    locale, whatever was selected, so a partial build never shrinks them.

    Incremental: a page whose inputs have the same content hashes as when it
    was last built is not rendered again (``output/.build-manifest.json``, see
    :mod:`pipeline.buildstate`). ``output_dir`` replaces ``output/`` (``serve``
    and ``publish`` build elsewhere); ``preview`` adds the script of
    ``pipeline serve`` to the pages. ``jobs`` processes share the articles;
    None: one, or every CPU once enough pages need rendering (``--jobs auto``).
    ``shard`` builds only its share of the (article, locale) pages and leaves
    the index and sitemap to :func:`merge_shards`. ``site_locales``: the
    locales the site is made of (``publish --locale``; default: every known
    one), the others are left out of its pages, switchers, index and sitemap.
    ``scheduler``: the address of a Dask scheduler whose workers make the pages.
    The caller holds the project lock (the CLI, or ``serve`` around each rebuild).
    """
    from pipeline.build.state import (
        MANIFEST_NAME,
        MANIFEST_VERSION,
        SHARDS_FOLDER,
        FileHashes,
        combined_hash,
        manifest_bytes,
        page_key,
        read_manifest,
    )

    started_ns = time.time_ns()  # before any input is looked at (FileHashes)
    wanted_locales = [validate_locale_name(loc) for loc in locales]
    wanted_slugs = project.resolve_slugs(list(slugs))
    base_url = (project.settings.base_url if base_url is None else base_url).rstrip("/")
    known = all_locales(project)
    if site_locales is not None:
        kept = set(site_locales)
        known = [loc for position, loc in enumerate(known) if position == 0 or loc in kept]
    for locale in wanted_locales:
        if locale not in known:
            raise PipelineError(
                f"no catalogs for locale {locale!r} under {project.locales_dir} "
                f"(known: {', '.join(known)}); run `pipeline init {locale}` first"
            )
    selected_locales = [loc for loc in known if not wanted_locales or loc in wanted_locales]
    result = BuildResult()
    infos = {loc: locale_info(loc) for loc in known}
    output = project.output_dir if output_dir is None else Path(output_dir)
    manifest_path = output / (f"{SHARDS_FOLDER}/{shard.file_name}" if shard else MANIFEST_NAME)
    manifest = read_manifest(manifest_path)
    hashes = FileHashes(project.root, manifest["files"], started_ns)
    stylesheet = _stylesheet(project)
    plan = _BuildPlan(
        project=project,
        locales=known,
        output=output,
        base_url=base_url,
        include_drafts=include_drafts,
        preview=preview,
        site_hash=_site_hash(project, base_url, include_drafts, preview, stylesheet),
        site_catalogs={loc: hashes.hash(project.catalog_path(loc, SITE_DOMAIN)) for loc in known[1:]},
        infos=infos,
        started_ns=started_ns,
    )

    works: list[_ArticleWork] = []
    owned = shard.select(
        (slug, locale)
        for slug in wanted_slugs
        if project.clean_document_path(slug).is_file()
        for locale in selected_locales
    ) if shard is not None else set()
    wanted_set = set(wanted_slugs)
    for slug in project.all_slugs() if slugs else wanted_slugs:  # wanted_slugs: all of them
        document_path, catalog_paths = _input_paths(plan, slug)
        if not os.path.isfile(document_path):
            if slug in wanted_set:
                _read_document(project, slug)  # raises MissingDocumentError, saying what to run
            result.warnings.append(
                BuildWarning(
                    f"article {slug!r} has no clean document yet and is left out of the index "
                    f"and the sitemap; run `pipeline clean {slug}`"
                )
            )
            continue
        wanted = selected_locales if slug in wanted_set else []
        if shard is not None:
            wanted = [loc for loc in wanted if (slug, loc) in owned]
            if not wanted:
                continue
        works.append(
            _ArticleWork(
                slug,
                wanted,
                old_pages={k: v for k in (page_key(slug, loc) for loc in known) if (v := manifest["pages"].get(k))},
                old_catalogs=manifest["catalogs"].get(slug, {}),
                old_article=manifest["articles"].get(slug),
                old_files={
                    key: record
                    for key in map(hashes.key, [document_path, *catalog_paths.values()])
                    if (record := manifest["files"].get(key))
                },
            )
        )
    new_manifest = {
        "version": MANIFEST_VERSION, "pages": {}, "catalogs": {}, "articles": {}, "index": "",
        "files": dict(hashes.records), "site": {},
    }
    written: set[str] = set()
    # one renderer for the pages and the index: the templates are compiled once
    renderer = _Renderer(project)
    for outcome in _run_works(plan, works, jobs, renderer, scheduler):
        result.pages.extend(outcome.pages)
        result.skipped.extend(outcome.skipped)
        result.warnings.extend(w for w in outcome.warnings if w not in result.warnings)
        result.errors.extend(e for e in outcome.errors if e not in result.errors)
        result.removed.extend(outcome.removed)
        written.update(p.file for p in outcome.pages)
        new_manifest["pages"].update(outcome.page_records)
        new_manifest["catalogs"][outcome.slug] = outcome.catalog_records
        new_manifest["articles"][outcome.slug] = outcome.article_record
        new_manifest["files"].update(outcome.file_records)
    result.stylesheet_path = output / STYLESHEET
    write_if_changed(result.stylesheet_path, stylesheet, durable=False)
    if shard is None:
        articles = [new_manifest["articles"][w.slug] for w in works]
        # the index and sitemap of a thousand articles take seconds: made only when what they show changed
        # over what they show only: a catalog saved again must not remake them (3 s at 1,000 x 11)
        new_manifest["index"] = combined_hash(
            plan.site_hash, [{key: article[key] for key in _INDEX_FIELDS} for article in articles]
        )
        up_to_date = new_manifest["index"] == manifest["index"] and (output / "sitemap.xml").is_file()
        new_manifest["site"] = _write_index_and_sitemap(
            project, plan, articles, infos, result, renderer, render=not up_to_date, old_site=manifest["site"]
        )
    # publish/pseudo build once into a new folder; a manifest read back equal needs no new bytes
    if (output_dir is None or preview or shard is not None) and (
        new_manifest != manifest or not manifest_path.is_file()
    ):
        write_if_changed(manifest_path, manifest_bytes(new_manifest))
    if not wanted_locales and not list(slugs) and not result.errors and shard is None:
        for stale in _stale_pages(output, written):
            stale.unlink()
            result.removed.append(stale)
            _remove_emptied_folders(output, stale)
    if result.errors:
        raise UnreadableCatalogsError(result.errors)
    return result


#: What the index and the sitemap show of an article's record.
_INDEX_FIELDS = ("slug", "published", "titles", "modified")


def _write_index_and_sitemap(
    project: Project,
    plan: _BuildPlan,
    articles: list[dict],
    infos: dict[str, LocaleInfo],
    result: BuildResult,
    renderer: _Renderer,
    render: bool = True,
    old_site: dict | None = None,
) -> dict[str, str]:
    """Write the sitemap (when ``render``) and the site pages that changed; return the site pages' hashes."""
    result.index_path = plan.output / "index.html"
    result.sitemap_path = plan.output / "sitemap.xml"
    if render:
        write_if_changed(
            result.sitemap_path,
            _sitemap(articles, infos, project.settings.source_language, plan.base_url).encode("utf-8"),
            durable=False,
        )
    site_hashes = _write_site_pages(plan, articles, infos, result, renderer, old_site or {})
    if not plan.base_url:
        result.warnings.append(
            BuildWarning(
                f"no base URL: {result.sitemap_path} lists relative URLs, which search engines "
                "do not accept, robots.txt cannot name it, and the feeds link their pages relatively "
                "with provisional entry ids; set base_url in [pipeline] of setup.cfg or pass --base-url"
            )
        )
    return site_hashes


def _write_site_pages(
    plan: _BuildPlan, articles: list[dict], infos: dict[str, LocaleInfo], result: BuildResult, renderer: _Renderer,
    old_hashes: dict,
) -> dict[str, str]:
    """Home pages, feeds, the language chooser, 404 pages, robots.txt (:mod:`pipeline.sitepages`)."""
    from pipeline.build.sitepages import SiteInputs, write_site_pages

    inputs = SiteInputs(
        plan.output, plan.base_url, plan.project.settings.site_name, plan.locales, infos, plan.site_hash,
        plan.site_catalogs, plan.include_drafts, PREVIEW_SCRIPT if plan.preview else "", plan.checked_output,
    )
    site = write_site_pages(inputs, renderer, articles, old_hashes)
    result.site_pages, result.site_pages_rendered = site.paths, site.rendered
    result.removed.extend(site.removed)
    result.warnings.extend(w for w in site.warnings if w not in result.warnings)  # the renderer's BuildWarnings
    result.errors.extend(e for e in site.errors if e not in result.errors)
    return site.hashes


def merge_shards(project: Project, base_url: str | None = None, output_dir: Path | None = None) -> BuildResult:
    """Write the index and the sitemap of a site built in shards, once their outputs are in one folder.

    Each shard left its records in ``.build-shards/K-of-N.json``; together they
    know every article's published locales and titles, as a full build does.
    """
    import json

    from pipeline.build.state import SHARDS_FOLDER

    output = project.output_dir if output_dir is None else Path(output_dir)
    fragments = sorted((output / SHARDS_FOLDER).glob("*-of-*.json"))
    if not fragments:
        raise PipelineError(
            f"no shard records in {output / SHARDS_FOLDER}: build with --shard K/N first and copy every "
            "shard's output into this folder"
        )
    records: dict[str, dict] = {}
    for fragment in fragments:
        records.update(json.loads(fragment.read_text(encoding="utf-8")).get("articles", {}))
    base_url = (project.settings.base_url if base_url is None else base_url).rstrip("/")
    known = all_locales(project)
    infos = {loc: locale_info(loc) for loc in known}
    plan = _BuildPlan(project, known, output, base_url, False, False, "", {})
    result = BuildResult()
    articles = [records[slug] for slug in sorted(records)]
    _write_index_and_sitemap(project, plan, articles, infos, result, _Renderer(project))
    return result
