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

This module is the orchestrator (what is built where, in which order); the
model of a build is in :mod:`pipeline.build.plan`, one article's pages in
:mod:`pipeline.build.article`, the whole-site pages in :mod:`pipeline.build.index`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from pipeline.build.index import index_key, write_index_and_sitemap
from pipeline.build.plan import (
    ArticleOutcome,
    BuildOptions,
    BuildPlan,
    article_works,
    make_plan,
    site_base_url,
    site_locales_of,
)
from pipeline.build.pool import run_works
from pipeline.build.rendering import STYLESHEET, Renderer, stylesheet_bytes
from pipeline.build.results import BuildResult, UnreadableCatalogsError
from pipeline.build.stale import remove_stale_pages
from pipeline.build.state import (
    MANIFEST_NAME,
    MANIFEST_VERSION,
    SHARDS_FOLDER,
    FileHashes,
    manifest_bytes,
    read_manifest,
)
from pipeline.fsutil import write_if_changed
from pipeline.project import Project

__all__ = ["BuildOptions", "build_site", "site_base_url"]


def build_site(project: Project, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Render the pages ``options`` asks for, the stylesheet, the index, the sitemap and the site pages.

    The index and the sitemap always cover every article and every published
    locale, whatever was selected, so a partial build never shrinks them.
    Incremental: a page whose inputs have the same content hashes as when it
    was last built is not rendered again (``output/.build-manifest.json``, see
    :mod:`pipeline.build.state`). The caller holds the project lock (the CLI,
    or ``serve`` around each rebuild).
    """
    started_ns = time.time_ns()  # before any input is looked at (FileHashes)
    known, selected = site_locales_of(project, options)
    wanted_slugs = project.resolve_slugs(list(options.slugs))
    output = project.output_dir if options.output_dir is None else options.output_dir
    manifest_path = output / (f"{SHARDS_FOLDER}/{options.shard.file_name}" if options.shard else MANIFEST_NAME)
    manifest = read_manifest(manifest_path)
    hashes = FileHashes(project.root, manifest["files"], started_ns)
    stylesheet = stylesheet_bytes(project)
    plan = make_plan(project, options, known, hashes, stylesheet, started_ns)
    result = BuildResult()
    works = article_works(plan, options, wanted_slugs, selected, manifest, hashes, result.warnings)
    new_manifest = {
        "version": MANIFEST_VERSION, "pages": {}, "catalogs": {}, "articles": {}, "index": "",
        "files": dict(hashes.records), "site": {},
    }
    renderer = Renderer(project)  # one for the pages and the index: the templates are compiled once
    written: set[str] = set()
    warned = set(result.warnings)  # the warnings in result.warnings: each outcome's are looked up, not searched for
    for outcome in run_works(plan, works, options.jobs, renderer, options.scheduler):
        _take_outcome(outcome, result, new_manifest, written, warned)
    result.stylesheet_path = plan.output / STYLESHEET
    write_if_changed(result.stylesheet_path, stylesheet, durable=False)
    if options.shard is None:
        _write_whole_site_pages(plan, [w.slug for w in works], result, renderer, manifest, new_manifest)
    # publish/pseudo build once into a new folder; a manifest read back equal needs no new bytes
    if (options.output_dir is None or options.preview or options.shard is not None) and (
        new_manifest != manifest or not manifest_path.is_file()
    ):
        write_if_changed(manifest_path, manifest_bytes(new_manifest))
    if options.whole_site and not result.errors:
        result.removed.extend(remove_stale_pages(plan.output, written))
    if result.errors:
        raise UnreadableCatalogsError(result.errors)
    return result


def _take_outcome(
    outcome: ArticleOutcome, result: BuildResult, new_manifest: dict, written: set[str], warned: set
) -> None:
    """One article's pages and messages into the result (each warning once: ``warned`` holds those
    already there), its records into the new manifest."""
    result.pages.extend(outcome.pages)
    result.skipped.extend(outcome.skipped)
    for warning in outcome.warnings:
        if warning not in warned:
            warned.add(warning)
            result.warnings.append(warning)
    result.errors.extend(e for e in outcome.errors if e not in result.errors)
    result.removed.extend(outcome.removed)
    written.update(p.file for p in outcome.pages)
    new_manifest["pages"].update(outcome.page_records)
    new_manifest["catalogs"][outcome.slug] = outcome.catalog_records
    new_manifest["articles"][outcome.slug] = outcome.article_record
    new_manifest["files"].update(outcome.file_records)


def _write_whole_site_pages(
    plan: BuildPlan, slugs: Iterable[str], result: BuildResult, renderer: Renderer, manifest: dict, new_manifest: dict
) -> None:
    """The index, sitemap and site pages, remade only when what they show of the articles changed
    (those of a large site take seconds, and a catalog saved again must not remake them)."""
    articles = [new_manifest["articles"][slug] for slug in slugs]
    new_manifest["index"] = index_key(plan.site_hash, articles)
    up_to_date = new_manifest["index"] == manifest["index"] and (plan.output / "sitemap.xml").is_file()
    new_manifest["site"] = write_index_and_sitemap(
        plan, articles, result, renderer, render=not up_to_date, old_site=manifest["site"]
    )
