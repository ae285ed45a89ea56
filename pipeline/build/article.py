"""One article's pages in the wanted locales, rendered or taken from the manifest: the unit of work of ``--jobs`` and ``--scheduler``."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipeline.build.catalogs import read_article_catalog
from pipeline.build.listing import article_listing, header_revision_time, revision_time
from pipeline.build.page import Article, render_page
from pipeline.build.plan import ArticleOutcome, ArticleWork, BuildPlan, input_paths, read_document
from pipeline.build.rendering import Renderer, with_preview_script
from pipeline.build.results import BuildWarning, PageResult, SkippedPage
from pipeline.build.stale import remove_output_page
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
    FileHashes,
    combined_hash,
    page_key,
    page_record_usable,
)
from pipeline.catalogs.completion import meets
from pipeline.build.translation import ArticleBlocks, read_catalog_or_note, translated_field, usable_translations
from pipeline.project import Project, confine
from pipeline.pseudo import is_pseudo_locale

if TYPE_CHECKING:
    from pipeline.formats import document as document_format


class _LazyArticle:
    """An article's document and catalogs, each read only when a page needs it.

    A file whose bytes ``hashes`` read to hash it is made from those bytes,
    not read again: what a page is made of is what its recorded hash says.
    """

    def __init__(
        self,
        project: Project,
        slug: str,
        document_path: str,
        errors: list[str],
        hashes: FileHashes,
        preview: bool = False,
        page_of: Callable[[str], Path] | None = None,
        pages: int | None = None,
    ) -> None:
        self.project, self.slug, self.errors = project, slug, errors
        self.pages = pages  # how many pages at most are made from the document (see ArticleBlocks)
        #: The clean document's path as :func:`input_paths` gives it, which ``hashes`` reads.
        self.document_path = document_path
        self.hashes = hashes
        self.preview = preview
        self.page_of = page_of  # a locale's page file in the output, to tell whether a preview has one to keep
        self._doc: document_format.Document | None = None
        self._blocks: ArticleBlocks | None = None
        self.catalogs: dict[str, object] = {}
        self.doc_warnings: list[BuildWarning] = []

    @property
    def doc(self) -> document_format.Document:
        if self._doc is None:
            data = self.hashes.contents(self.document_path)
            self._doc = read_document(self.project, self.slug, self.doc_warnings, data)
        return self._doc

    @property
    def blocks(self) -> ArticleBlocks:
        if self._blocks is None:
            self._blocks = ArticleBlocks(self.doc.body, self.project.settings.skip_classes, self.pages)
        return self._blocks

    def catalog(self, locale: str):
        if locale not in self.catalogs:
            path = self.project.catalog_path(locale, self.slug)
            data = self.hashes.contents(path)
            self.catalogs[locale] = read_catalog_or_note(
                path, self.errors, self._unreadable_consequence(locale),
                read_article_catalog if data is None else functools.partial(read_article_catalog, data=data),
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
    from pipeline.catalogs.stats import completion_percent

    return float(completion_percent(catalog, locale, slug, path, settings))


def _counting_rule(settings, locale: str) -> str:
    """What besides the catalog's bytes its recorded completion depends on ("" for most locales)."""
    return "derived-not-counted" if locale in settings.derived and not settings.count_derived else ""


def build_article(plan: BuildPlan, work: ArticleWork, renderer: Renderer) -> ArticleOutcome:
    """Build the article's wanted pages whose inputs changed; report on all of them.

    Every catalog of the article is hashed (its completion decides which
    locales are published, and so every page's language switcher), but read
    only when its hash is new or one of its pages has to be rendered.
    """
    outcome = ArticleOutcome(work.slug)
    hashes = FileHashes(plan.project.root, work.old_files, plan.started_ns, keep_contents=True)
    document_path, catalog_paths = input_paths(plan, work.slug)
    article = _LazyArticle(
        plan.project,
        work.slug,
        document_path,
        outcome.errors,
        hashes,
        plan.preview,
        lambda locale: Path(plan.page_file(locale, work.slug)),
        len(work.wanted),
    )
    inputs = _article_inputs(plan, work, article, hashes, outcome, catalog_paths)
    outcome.file_records = hashes.records
    build = _ArticleBuild(plan, work, article, inputs, renderer, outcome)
    for locale in inputs.unreadable:  # a page never shows what its catalog no longer says
        _leave_out_unreadable(plan, work, locale, outcome)
    for locale in work.wanted:
        if locale not in inputs.unreadable:
            build.page(locale)
    build.keep_other_records()
    outcome.article_record = build.article_record()
    return outcome


@dataclass
class _ArticleInputs:
    """What this build found of an article's inputs: their hashes, each locale's completion, what is published."""

    document_hash: str
    catalog_paths: dict[str, str]
    #: locale -> hash of its catalog of the article ("" when it has none or it cannot be read).
    catalog_hashes: dict[str, str] = field(default_factory=dict)
    completion: dict[str, float] = field(default_factory=dict)
    #: The locales published, the source first.
    published: list[str] = field(default_factory=list)
    #: Locales whose catalog cannot be read.
    unreadable: list[str] = field(default_factory=list)
    #: Everything the article's pages are made from, in one hash: when the last
    #: build recorded the same key, each page record it kept was made from these
    #: very inputs, so a page needs no hash of its own, only a look at its file.
    key: str = ""

    def page_hash(self, plan: BuildPlan, locale: str, is_published: bool) -> str:
        return combined_hash(
            plan.site_hash,
            plan.site_catalogs.get(locale, ""),
            self.document_hash,
            self.catalog_hashes.get(locale, ""),
            self.published,
            is_published,
            self.completion[locale],
        )


def _article_inputs(
    plan: BuildPlan, work: ArticleWork, article: _LazyArticle, hashes: FileHashes, outcome: ArticleOutcome,
    catalog_paths: dict[str, str],
) -> _ArticleInputs:
    """The article's input hashes and each locale's completion, from the manifest's records where the catalog is unchanged."""
    settings = plan.project.settings
    source = plan.locales[0]
    inputs = _ArticleInputs(
        hashes.hash(article.document_path), catalog_paths, completion={source: 100.0}, published=[source]
    )
    for locale in plan.locales[1:]:
        digest = inputs.catalog_hashes[locale] = hashes.hash(catalog_paths[locale])
        if not digest:
            inputs.completion[locale] = 0.0
            continue
        rule = _counting_rule(settings, locale)
        cached = work.old_catalogs.get(locale)
        if cached and cached.get("sha256") == digest and cached.get("rule", "") == rule:
            inputs.completion[locale] = cached["completion"]
        else:
            catalog = article.catalog(locale)
            if catalog is None:
                inputs.completion[locale] = 0.0
                inputs.catalog_hashes[locale] = ""  # unreadable: no record, read again next time
                inputs.unreadable.append(locale)
                continue
            path = Path(catalog_paths[locale])
            inputs.completion[locale] = _completion_of(catalog, locale, work.slug, path, settings)
        record = {"sha256": digest, "completion": inputs.completion[locale], **({"rule": rule} if rule else {})}
        outcome.catalog_records[locale] = record
        if meets(inputs.completion[locale], settings.threshold_for(locale)) and not is_pseudo_locale(locale):
            inputs.published.append(locale)
    inputs.key = combined_hash(
        plan.site_hash, plan.site_catalogs, inputs.document_hash, inputs.catalog_hashes, inputs.published,
        inputs.completion,
    )
    return inputs


class _ArticleBuild:
    """One article's pages being built: each wanted page, then the article's record in the manifest."""

    def __init__(
        self, plan: BuildPlan, work: ArticleWork, article: _LazyArticle, inputs: _ArticleInputs, renderer: Renderer,
        outcome: ArticleOutcome,
    ) -> None:
        self.plan, self.work, self.article, self.inputs = plan, work, article, inputs
        self.renderer, self.outcome = renderer, outcome
        self.old_article = work.old_article or {}
        self.inputs_unchanged = self.old_article.get("key") == inputs.key
        #: locale -> the page's title, for the published pages looked at now.
        self.titles: dict[str, str] = {}

    def page(self, locale: str) -> None:
        """The locale's page: skipped below the threshold, taken from its record when up to date, else rendered."""
        plan, slug, inputs = self.plan, self.work.slug, self.inputs
        is_published = locale in inputs.published
        if not is_published and not plan.include_drafts:
            threshold = plan.project.settings.threshold_for(locale)
            has_catalog = bool(inputs.catalog_hashes.get(locale))
            self.outcome.skipped.append(
                SkippedPage(slug, locale, inputs.completion[locale], threshold, has_catalog=has_catalog)
            )
            return
        key = page_key(slug, locale)
        page_hash = None if self.inputs_unchanged else inputs.page_hash(plan, locale, is_published)
        page_file = plan.page_file(locale, slug)
        record = self.work.old_pages.get(key)
        if (
            page_record_usable(record)
            and (self.inputs_unchanged or record[HASH] == page_hash)
            and _page_intact(page_file, record)
        ):
            self._reuse(locale, key, page_file, record, is_published)
            return
        if page_hash is None:
            page_hash = inputs.page_hash(plan, locale, is_published)
        self._render(locale, key, page_file, page_hash, is_published)

    def _reuse(self, locale: str, key: str, page_file: str, record: list, is_published: bool) -> None:
        """An up-to-date page: its result and warnings from its record, not rendered again."""
        record_warnings = _record_warnings(record)
        tag = self.plan.infos[locale].tag
        self.outcome.pages.append(_page_from_record(self.work.slug, locale, tag, page_file, record, record_warnings))
        self.outcome.warnings.extend(record_warnings)
        self.outcome.page_records[key] = record
        if is_published:
            self.titles[locale] = record[TITLE]

    def _render(self, locale: str, key: str, page_file: str, page_hash: str, is_published: bool) -> None:
        """Render the page, write it when its bytes changed, and record it."""
        plan, article, inputs, outcome = self.plan, self.article, self.inputs, self.outcome
        page_warnings: list[BuildWarning] = []
        page_errors: list[str] = []
        if locale != plan.locales[0]:
            page_warnings += _oversized_catalog_warnings(plan.project, article.slug, locale, article.catalog(locale))
        view = Article(article.slug, article.doc, article.catalogs, inputs.completion, inputs.published, article.blocks)
        page_warnings.extend(article.doc_warnings)
        text, translated = render_page(
            plan.project, self.renderer, view, locale, plan.infos, plan.base_url, not is_published, page_warnings,
            page_errors,
        )
        if plan.preview:
            text = with_preview_script(text)
        data = text.encode("utf-8")
        # never written through a linked language or article folder that leads out of the output
        page_path_checked = confine(plan.output, Path(page_file), plan.checked_output, "the output folder")
        changed = plan.page_writer(page_path_checked, data)
        warnings = list(translated.warnings) + [w for w in page_warnings if w not in translated.warnings]
        outcome.warnings.extend(warnings)
        outcome.errors.extend(e for e in page_errors if e not in outcome.errors)
        page = PageResult(
            slug=article.slug,
            locale=locale,
            tag=plan.infos[locale].tag,
            file=page_file,
            completion=inputs.completion[locale],
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
            self.titles[locale] = translated.title
        if not page_errors:  # a page made around an unreadable catalog is made again next time
            outcome.page_records[key] = _page_record(page_hash, page, translated.title, warnings, len(data))

    def keep_other_records(self) -> None:
        """Pages not asked for this time keep their records for the next build."""
        work = self.work
        for locale in self.plan.locales:
            key = page_key(work.slug, locale)
            if locale not in work.wanted and locale not in self.inputs.unreadable and key in work.old_pages:
                self.outcome.page_records[key] = work.old_pages[key]

    def article_record(self) -> dict:
        """The article's record: what the index, the sitemap, the home pages and the feeds show of it."""
        plan, work, inputs, old_article = self.plan, self.work, self.inputs, self.old_article
        same_document = old_article.get("document") == inputs.document_hash
        titles = self._published_titles(old_article.get("titles", {}) if same_document else {})
        record = {
            "slug": work.slug,
            "document": inputs.document_hash,
            "modified": old_article.get("modified", "") if same_document else self.article.doc.modified,
            "published": inputs.published,
            "titles": {loc: titles[loc] for loc in inputs.published},
            "catalogs": {loc: h for loc, h in inputs.catalog_hashes.items() if h},
            # only when every page of the article was looked at now and is recorded as made from
            # these inputs (a partial build keeps older records of the pages it did not look at)
            "key": inputs.key if set(work.wanted) == set(plan.locales) and not self.outcome.errors else "",
        }
        listed = inputs.published + [loc for loc in plan.locales if plan.include_drafts and loc not in inputs.published]
        record["listing"] = article_listing(  # what the home pages and feeds show of it
            old_article.get("listing"), inputs.document_hash, inputs.catalog_hashes, listed, plan.locales[0],
            lambda: self.article.doc, self._translated_listing_text, self._revision_time,
        )
        return record

    def _published_titles(self, reusable: dict[str, str]) -> dict[str, str]:
        """The title of every published version, built now or not: the index lists them all."""
        titles = self.titles
        old_catalogs = self.old_article.get("catalogs", {})
        for locale in self.inputs.published:
            if locale in titles:
                continue
            if locale in reusable and old_catalogs.get(locale) == self.inputs.catalog_hashes.get(locale):
                titles[locale] = reusable[locale]
            elif locale == self.plan.locales[0]:
                titles[locale] = self.article.doc.title
            else:
                title = self.article.doc.title
                titles[locale] = translated_field(title, usable_translations(self.article.catalog(locale))) or title
        return titles

    def _revision_time(self, locale: str) -> str:
        """The locale's catalog's revision time (:func:`revision_time`), from the bytes hashed when they were read."""
        path = self.inputs.catalog_paths[locale]
        data = self.article.hashes.contents(path)
        return revision_time(path) if data is None else header_revision_time(data)

    def _translated_listing_text(self, locale: str, text: str) -> str:
        if not self.inputs.catalog_hashes.get(locale):
            return ""
        return translated_field(text, usable_translations(self.article.catalog(locale)))


def _rejected_at(warnings: list[BuildWarning]) -> list[str]:
    """``file:line`` of each translation a page refused."""
    return [f"{w.path}:{w.line}" for w in warnings if w.line and w.message.startswith("translation not used")]


def _leave_out_unreadable(plan: BuildPlan, work: ArticleWork, locale: str, outcome: ArticleOutcome) -> None:
    """The page of a locale whose catalog cannot be read: removed from the output, so no stale
    page stays there that the switcher, index and sitemap no longer list; the preview keeps it
    as last built, under its error banner, rather than turning it into the source language."""
    key = page_key(work.slug, locale)
    if plan.preview:
        if key in work.old_pages:
            outcome.page_records[key] = work.old_pages[key]
        return
    page = Path(plan.page_file(locale, work.slug))
    if remove_output_page(plan, page):
        outcome.removed.append(page)


def _page_record(page_hash: str, page: PageResult, title: str, warnings: list[BuildWarning], size: int) -> list:
    """The page's record in the manifest: the fields of :data:`pipeline.build.state.PAGE_FIELDS`, in order."""
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
