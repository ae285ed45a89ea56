"""The plan of a build: its options, what every article's work needs to know, and the work of each article."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.packaged import PACKAGE_TEMPLATES, code_fingerprint
from pipeline.build.results import BuildWarning, MissingDocumentError, PageResult, SkippedPage
from pipeline.build.state import FileHashes, Shard, combined_hash, folder_hash, page_key
from pipeline.errors import PipelineError
from pipeline.formats.site import LocaleInfo, locale_info, page_path
from pipeline.fsutil import write_if_changed
from pipeline.names import SITE_DOMAIN, validate_locale_name
from pipeline.project import Project

if TYPE_CHECKING:
    from pipeline.formats import document as document_format


def all_locales(project: Project) -> list[str]:
    """The source language first, then every locale with catalogs or in the settings."""
    source = project.settings.source_language
    others = sorted((set(project.catalog_locales()) | set(project.settings.locales)) - {source})
    return [source] + others


def read_document(
    project: Project, slug: str, warnings: list[BuildWarning] | None = None, data: bytes | None = None
) -> document_format.Document:
    """The article's clean document, sanitized; ``data``: its bytes, when they were read already (to hash them)."""
    from pipeline.formats import document as document_format
    from pipeline.sanitize import sanitize_document

    path = project.clean_document_path(slug)
    if data is not None:  # read from the file at this path: it was there
        document = document_format.parse(document_format.decode_text(data, path), str(path))
    elif path.is_file():
        document = document_format.read(path)
    else:
        has_snapshot = project.snapshot_path(slug) is not None
        hint = (
            f"run `pipeline clean {slug}` to make it from the snapshot"
            if has_snapshot
            else f"run `pipeline scrape URL` and then `pipeline clean {slug}`"
        )
        raise MissingDocumentError(f"no clean document {path}: {hint}, then build again")
    # people edit and review this file: it passes the same gate as clean's output
    removals = sanitize_document(document)
    if warnings is not None:
        warnings.extend(BuildWarning(f"left out of the pages: {removal}", path) for removal in removals)
    return document


def write_page_file(path: Path, data: bytes) -> bool:
    """Write a rendered page into the output unless it holds these bytes already; whether it was written.

    A page can be made again from the project's files: renamed into place, not fsynced.
    """
    return write_if_changed(path, data, durable=False)


@dataclass
class BuildPlan:
    """What every article's work needs to know about the build (sent to each worker process)."""

    project: Project
    locales: list[str]  # every known locale, the source first
    output: Path
    base_url: str
    include_drafts: bool
    preview: bool
    #: Hash of what every page depends on: tool version and code, settings, templates, stylesheet, flags.
    site_hash: str
    #: locale -> hash of its site.po.
    site_catalogs: dict[str, str]
    infos: dict[str, LocaleInfo] = field(default_factory=dict)
    #: When the build started (``time.time_ns()``), for :class:`pipeline.build.state.FileHashes`.
    started_ns: int = 0
    #: What is done with each rendered page's bytes at its path in the output: written
    #: there (the default), or kept by a Dask worker to send back (:mod:`pipeline.build.distributed`).
    page_writer: Callable[[Path, bytes], bool] = write_page_file

    @cached_property
    def checked_output(self) -> set[str]:
        """Folders of the output found to be no link out of it (see :func:`pipeline.project.confine`)."""
        return set()

    @cached_property
    def output_text(self) -> str:
        """The output folder as a string, to join page paths to."""
        return str(self.output)

    def page_file(self, locale: str, slug: str) -> str:
        """The article's page in the locale, in the output folder, as a string (as ``output / page_path``)."""
        return f"{self.output_text}/{page_path(self.infos[locale].tag, slug)}"

    @cached_property
    def folders(self) -> tuple[str, str]:
        """The project's ``source/`` and ``locales/`` folders, as strings."""
        return str(self.project.source_dir), str(self.project.locales_dir)


@dataclass
class ArticleWork:
    slug: str
    #: The locales whose pages this build makes for the article.
    wanted: list[str]
    #: The manifest's records of the article's pages and of its catalogs, from the last build.
    old_pages: dict[str, list]
    old_catalogs: dict[str, dict]
    old_article: dict | None
    #: The manifest's records of the article's input files (:class:`pipeline.build.state.FileHashes`).
    old_files: dict[str, list] = field(default_factory=dict)


@dataclass
class ArticleOutcome:
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


def input_paths(plan: BuildPlan, slug: str) -> tuple[str, dict[str, str]]:
    """The article's clean document and its catalogs (by locale), as strings.

    The same paths as :class:`Project` gives, made by joining strings: a
    large site has tens of thousands, and pathlib objects cost much more to make.
    """
    source_dir, locales_dir = plan.folders
    return f"{source_dir}/{slug}/article.html", {
        locale: f"{locales_dir}/{locale}/LC_MESSAGES/{slug}.po" for locale in plan.locales[1:]
    }


def site_hash_of(project: Project, base_url: str, include_drafts: bool, preview: bool, stylesheet: bytes) -> str:
    """What every page depends on besides its own article: a change here rebuilds all.

    The tool's version is in its code's fingerprint (``pipeline/__init__.py``); the packaged
    templates are in it too, and hashed again as they are now: ``serve`` rebuilds when they are edited.
    """
    return combined_hash(
        code_fingerprint(),
        project.settings.output_fingerprint(),
        base_url,
        include_drafts,
        preview,
        folder_hash([project.templates_dir, PACKAGE_TEMPLATES]),
        hashlib.sha256(stylesheet).hexdigest(),
    )


@dataclass(frozen=True)
class BuildOptions:
    """What a caller asks of a build; the defaults build every article in every locale into ``output/``.

    ``locales``, ``slugs``: only these pages (default all; the index and
    sitemap still cover every article and published locale). ``base_url``:
    the site's URL, None for the settings' one (:func:`site_base_url`).
    ``output_dir`` replaces ``output/`` (``serve`` and ``publish`` build
    elsewhere); ``preview`` adds the script of ``pipeline serve`` to the pages.
    ``jobs`` processes share the articles; None: one, or every CPU once enough
    pages need rendering (``--jobs auto``). ``shard`` builds only its share of
    the (article, locale) pages and leaves the index and sitemap to
    :func:`pipeline.build.index.merge_shards`. ``site_locales``: the locales the
    site is made of (``publish --locale``; default every known one), the others
    are left out of its pages, switchers, index and sitemap. ``scheduler``: the
    address of a Dask scheduler whose workers make the pages.
    """

    locales: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    include_drafts: bool = False
    base_url: str | None = None
    output_dir: Path | None = None
    preview: bool = False
    jobs: int | None = 1
    shard: Shard | None = None
    site_locales: tuple[str, ...] | None = None
    scheduler: str = ""

    def __post_init__(self) -> None:
        # callers pass lists or Click's tuples: kept as tuples, so the options stay what they were
        for name in ("locales", "slugs", "site_locales"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, tuple(value))
        if self.output_dir is not None:
            object.__setattr__(self, "output_dir", Path(self.output_dir))

    @property
    def whole_site(self) -> bool:
        """Every page of the site, in one folder: only then are the pages no longer built removed."""
        return not self.locales and not self.slugs and self.shard is None


def site_base_url(project: Project, base_url: str | None = None) -> str:
    """The site's URL without its trailing slash: ``base_url`` ("" for none: relative URLs), or the settings' one."""
    return (project.settings.base_url if base_url is None else base_url).rstrip("/")


def site_locales_of(project: Project, options: BuildOptions) -> tuple[list[str], list[str]]:
    """Every locale of the site (the source first), and those whose pages this build makes."""
    wanted = [validate_locale_name(loc) for loc in options.locales]
    known = all_locales(project)
    if options.site_locales is not None:
        kept = set(options.site_locales)
        known = [loc for position, loc in enumerate(known) if position == 0 or loc in kept]
    for locale in wanted:
        if locale not in known:
            raise PipelineError(
                f"no catalogs for locale {locale!r} under {project.locales_dir} "
                f"(known: {', '.join(known)}); run `pipeline init {locale}` first"
            )
    return known, [loc for loc in known if not wanted or loc in wanted]


def make_plan(
    project: Project, options: BuildOptions, known: list[str], hashes: FileHashes, stylesheet: bytes, started_ns: int
) -> BuildPlan:
    base_url = site_base_url(project, options.base_url)
    return BuildPlan(
        project=project,
        locales=known,
        output=project.output_dir if options.output_dir is None else Path(options.output_dir),
        base_url=base_url,
        include_drafts=options.include_drafts,
        preview=options.preview,
        site_hash=site_hash_of(project, base_url, options.include_drafts, options.preview, stylesheet),
        site_catalogs={loc: hashes.hash(project.catalog_path(loc, SITE_DOMAIN)) for loc in known[1:]},
        infos={loc: locale_info(loc) for loc in known},
        started_ns=started_ns,
    )


def article_works(
    plan: BuildPlan, options: BuildOptions, wanted_slugs: list[str], selected: list[str], manifest: dict,
    hashes: FileHashes, warnings: list[BuildWarning],
) -> list[ArticleWork]:
    """The work of each article: all of them (the index lists them), with the wanted locales of the wanted ones.

    An article without a clean document is left out, with a warning; one that
    was asked for by name stops the build (:class:`MissingDocumentError`).
    """
    project, shard = plan.project, options.shard
    owned = shard.select(
        (slug, locale)
        for slug in wanted_slugs
        if project.clean_document_path(slug).is_file()
        for locale in selected
    ) if shard is not None else set()
    wanted_set = set(wanted_slugs)
    works: list[ArticleWork] = []
    for slug in project.all_slugs() if options.slugs else wanted_slugs:  # wanted_slugs: all of them
        document_path, catalog_paths = input_paths(plan, slug)
        if not os.path.isfile(document_path):
            if slug in wanted_set:
                read_document(project, slug)  # raises MissingDocumentError, saying what to run
            warnings.append(
                BuildWarning(
                    f"article {slug!r} has no clean document yet and is left out of the index "
                    f"and the sitemap; run `pipeline clean {slug}`"
                )
            )
            continue
        wanted = selected if slug in wanted_set else []
        if shard is not None:
            wanted = [loc for loc in wanted if (slug, loc) in owned]
            if not wanted:
                continue
        works.append(_work_of(plan, slug, wanted, manifest, hashes, [document_path, *catalog_paths.values()]))
    return works


def _work_of(
    plan: BuildPlan, slug: str, wanted: list[str], manifest: dict, hashes: FileHashes, inputs: list[str]
) -> ArticleWork:
    """The article's work, with the last build's records of its pages, catalogs and input files."""
    return ArticleWork(
        slug,
        wanted,
        old_pages={k: v for k in (page_key(slug, loc) for loc in plan.locales) if (v := manifest["pages"].get(k))},
        old_catalogs=manifest["catalogs"].get(slug, {}),
        old_article=manifest["articles"].get(slug),
        old_files={key: record for key in map(hashes.key, inputs) if (record := manifest["files"].get(key))},
    )
