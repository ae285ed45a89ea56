"""``pipeline build``: render the site into ``output/``."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import lock_options, common_options, load_project, locale_option, slugs_argument


def _shown(path: Path, root: Path) -> str:
    """A path relative to the project when it is inside it (shorter, copy-pasteable)."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


@click.command()
@locale_option()
@click.option(
    "--all",
    "include_drafts",
    is_flag=True,
    help="Also build locales below the completion threshold, as unlinked drafts (noindex).",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Site URL (https://example.org) for absolute canonical, hreflang and sitemap URLs; "
    "overrides base_url in setup.cfg.",
)
@slugs_argument
@common_options
@lock_options
def build(project_dir, locales, include_drafts, base_url, slugs, reporter, lock):
    """Render the articles as HTML pages, one per language, into output/.

    \b
    Writes output/<language>/<slug>/index.html for the source language and
    every locale whose catalog is translated at least up to the threshold
    (threshold in setup.cfg, 80 percent by default), plus output/index.html,
    output/sitemap.xml and output/style.css. Untranslated blocks show the
    source text, marked with its language.
    """
    from pipeline.build import build_site

    project = load_project(project_dir, base_url=base_url)
    with lock.hold(project.root, reporter):
        result = build_site(
            project,
            locales=locales,
            slugs=slugs,
            include_drafts=include_drafts,
            base_url=project.settings.base_url,
        )
    root = project.root
    reporter.detail(f"base URL: {project.settings.base_url or '(none: relative URLs)'}")
    for page in result.pages:
        state = "draft (not published)" if page.draft else "published"
        detail = f"{page.locale}, {page.completion:.0f}% translated, {state}"
        if page.fallbacks:
            detail += f", {page.fallbacks} of {page.blocks} blocks in the source language"
        reporter.info(f"{_shown(page.path, root)}  ({detail})")
        reporter.detail(f"  {'written' if page.written else 'unchanged, not rewritten'}; {page.blocks} blocks")
    for skipped in result.skipped:
        if not skipped.has_catalog:
            reporter.info(
                f"skipped {skipped.locale}/{skipped.slug}: no catalog yet "
                f"(`pipeline init {skipped.locale}` makes one for translators)"
            )
            continue
        reporter.info(
            f"skipped {skipped.locale}/{skipped.slug}: {skipped.completion:.0f}% translated, "
            f"below the threshold of {skipped.threshold:g}% (pass --all to preview it as a draft)"
        )
    for removed in result.removed:
        reporter.detail(f"removed {_shown(removed, root)} (no longer published)")
    for path in (result.index_path, result.sitemap_path, result.stylesheet_path):
        if path is not None:
            reporter.info(_shown(path, root))
    for warning in result.warnings:
        reporter.warn(str(warning))
    published = sum(1 for p in result.pages if p.published)
    drafts = len(result.pages) - published
    summary = f"built {published} page{'s' if published != 1 else ''}"
    if drafts:
        summary += f" and {drafts} draft{'s' if drafts != 1 else ''}"
    reporter.info(summary + f" in {_shown(project.output_dir, root)}/")
