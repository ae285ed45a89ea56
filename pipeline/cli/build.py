"""``pipeline build``: render the site into ``output/``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.options import (
    ProjectCommand,
    Reporter,
    base_url_option,
    common_options,
    checked_jobs,
    checked_scheduler,
    load_project,
    locale_option,
    lock_options,
    shown_path,
    slugs_argument,
)

if TYPE_CHECKING:  # the build is imported when the command runs, not for --help
    from pipeline.build.results import BuildResult, PageResult


def _language_name(language: str) -> str:
    """The source language's English name (the terminal speaks English)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).english_name or language
    except (UnknownLocaleError, ValueError):
        return language


def _fallbacks_text(page: PageResult, source_name: str) -> str:
    """How many blocks show the source text, and where the refused translations are."""
    text = f"{page.fallbacks} of {page.blocks} block{'s' if page.blocks != 1 else ''} in {source_name}"
    if page.rejected_at:
        shown = ", ".join(page.rejected_at[:5]) + (f" and {len(page.rejected_at) - 5} more" if len(page.rejected_at) > 5 else "")
        text += f" ({page.rejected} with errors at {shown}; `pipeline check` says what to fix)"
    return text


@click.command(cls=ProjectCommand)
@locale_option()
@click.option(
    "--all",
    "include_drafts",
    is_flag=True,
    help="Also build locales below the completion threshold, as unlinked drafts (noindex).",
)
@base_url_option(
    "Site URL (https://example.org) for absolute canonical, hreflang and sitemap URLs; overrides base_url in setup.cfg."
)
@click.option(
    "-j",
    "--jobs",
    metavar="N|auto",
    default=None,
    help="Build the articles in N processes. auto (the default, or jobs in [pipeline] of setup.cfg): "
    "one process, and one per CPU once enough pages need rendering to pay for starting them (a "
    "build after a few saved catalogs stays in one process); --jobs 1 forces one process.",
)
@click.option(
    "--shard",
    metavar="K/N",
    default=None,
    help="Build only shard K of N of the (article, locale) pages, for a job array; the index and "
    "sitemap are left to --merge-shards once every shard's output is copied into one folder.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Make the pages on the workers of a Dask cluster (tcp://HOST:8786, or scheduler in [pipeline] "
    "of setup.cfg; --scheduler '' builds here); each task carries its inputs, no shared file system "
    "needed. Needs pip install 'pipeline[dask]'.",
)
@click.option(
    "--merge-shards",
    is_flag=True,
    help="Write the index and sitemap of a site built with --shard (run after copying every "
    "shard's output into output/).",
)
@slugs_argument
@common_options
@lock_options
def build(project_dir, locales, include_drafts, base_url, jobs, shard, scheduler, merge_shards, slugs, reporter, lock):
    """Render the articles as HTML pages, one per language, into output/.

    \b
    Writes output/<language>/<slug>/index.html for the source language and
    every locale whose catalog is translated at least up to the threshold
    (threshold in setup.cfg, 80 percent by default), plus per language a
    home page, an Atom feed and a 404 page (output/<language>/index.html,
    feed.xml, 404.html), the root language chooser output/index.html and
    output/404.html, output/sitemap.xml, output/robots.txt and
    output/style.css. Untranslated blocks show the source text, marked with
    its language.
    """
    from pipeline.build.index import merge_shards as merge
    from pipeline.build.site import BuildOptions, build_site
    from pipeline.build.state import Shard

    try:
        chosen_shard = Shard.parse(shard) if shard else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    if merge_shards and (shard or slugs or locales):
        raise click.UsageError("--merge-shards takes no --shard, locale or article: it writes the whole index")
    jobs, scheduler = checked_jobs(jobs), checked_scheduler(scheduler)
    project = load_project(project_dir)
    with lock.hold(project.root, reporter):
        if merge_shards:
            result = merge(project, base_url=base_url)
        else:
            options = BuildOptions(
                locales=locales, slugs=slugs, include_drafts=include_drafts, base_url=base_url, jobs=jobs,
                shard=chosen_shard, scheduler=scheduler,
            )
            result = build_site(project, options)
    reporter.detail(f"base URL: {base_url or '(none: relative URLs)'}")
    _report_pages(result, project.root, _language_name(project.settings.source_language), reporter)
    _report_site(result, project.root, reporter)
    reporter.info(_summary(result) + f" in {shown_path(project.output_dir, project.root)}/")


def _report_pages(result: BuildResult, root: Path, source_name: str, reporter: Reporter) -> None:
    """A line for each page rendered (and, with --verbose, each up to date) and each page skipped."""
    from pipeline.catalogs.completion import percent_text

    listed_up_to_date = reporter.verbose and not reporter.quiet  # a large site has thousands
    for page in result.pages:
        if not page.rendered and not listed_up_to_date:
            continue
        state = "draft (not published)" if page.draft else "published"
        detail = f"{page.locale}, {percent_text(page.completion)} translated, {state}"
        if page.fallbacks:
            detail += f", {_fallbacks_text(page, source_name)}"
        if not page.rendered:  # up to date: a large site would print thousands of lines
            reporter.detail(f"{shown_path(page.path, root)}  ({detail}; up to date)")
            continue
        reporter.info(f"{shown_path(page.path, root)}  ({detail})")
        reporter.detail(f"  {'written' if page.written else 'unchanged, not rewritten'}; {page.blocks} blocks")
    for skipped in result.skipped:
        if not skipped.has_catalog:
            reporter.info(
                f"skipped {skipped.locale}/{skipped.slug}: no catalog yet "
                f"(`pipeline init {skipped.locale}` makes one for translators)"
            )
            continue
        reporter.info(
            f"skipped {skipped.locale}/{skipped.slug}: {percent_text(skipped.completion)} translated, "
            f"below the threshold of {skipped.threshold:g}% (pass --all to preview it as a draft)"
        )
    for removed in result.removed:
        reporter.detail(f"removed {shown_path(removed, root)} (no longer published)")


def _report_site(result: BuildResult, root: Path, reporter: Reporter) -> None:
    """The whole-site files, then the build's warnings."""
    for path in (result.index_path, result.sitemap_path, result.stylesheet_path):
        if path is not None:
            reporter.info(shown_path(path, root))
    if result.site_pages:
        rendered = set(result.site_pages_rendered)
        reporter.info(
            f"{len(result.site_pages)} site pages (home pages, feeds, 404 pages, robots.txt), "
            f"{len(rendered)} of them written"
        )
        for path in result.site_pages:
            reporter.detail(f"  {shown_path(path, root)}{'' if path in rendered else ' (up to date)'}")
    for warning in result.warnings:
        reporter.warn(str(warning))


def _summary(result: BuildResult) -> str:
    """built N pages and M drafts (K up to date, not rebuilt)"""
    published = sum(1 for p in result.pages if p.published)
    drafts = len(result.pages) - published
    summary = f"built {published} page{'s' if published != 1 else ''}"
    if drafts:
        summary += f" and {drafts} draft{'s' if drafts != 1 else ''}"
    up_to_date = sum(1 for p in result.pages if not p.rendered)
    if up_to_date:
        summary += f" ({up_to_date} up to date, not rebuilt)"
    return summary
