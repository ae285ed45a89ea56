"""``pipeline publish``: the publisher's last step."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import ProjectCommand, Reporter, base_url_option, common_options, load_project, locale_option, lock_options

#: Files listed one by one up to this many per kind; beyond, -v lists them.
LISTED = 20


@click.command(cls=ProjectCommand)
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@base_url_option("The site's URL (https://example.org); overrides base_url in setup.cfg. Required from one or the other.")
@click.option("--dry-run", is_flag=True, help="Only say what would be added, changed and removed; DEST is untouched.")
@click.option(
    "--force",
    is_flag=True,
    help="Publish into a folder that publish did not write before, replacing its files where the site has pages "
    "(its other files are kept).",
)
@locale_option(
    help="Publish only this locale (and the source language); repeat for more. Default: every locale at its threshold."
)
@common_options
@lock_options
def publish(
    dest: Path,
    base_url: str | None,
    dry_run: bool,
    force: bool,
    locales: tuple[str, ...],
    project_dir: Path,
    reporter: Reporter,
    lock,
) -> None:
    """Write the publishable site to DEST (a web root or a pages-branch checkout).

    \b
    Only locales at or above the threshold, absolute URLs from the base URL,
    no drafts, no preview script. Refuses when `pipeline check` finds errors
    in a locale it would publish; errors in the others (drafts, locales left
    out by --locale) are warnings.
    The new site is prepared beside DEST and swapped in at once, so readers
    and crashes never see half a site; pages no longer published disappear.
    DEST's dotfiles (.git, .nojekyll) and CNAME are kept, and so is every
    file publish did not write (it lists its own in DEST/.pipeline-published).
    Refuses a DEST that is, holds or lies in the project, or holds your home,
    and a non-empty folder it did not publish to before (unless --force).
    """
    from pipeline.publishing.publish import publish as run_publish

    project = load_project(project_dir)
    # The project lock keeps update or build from changing what is being published
    # half-way; DEST has its own lock (one publish to it at a time).
    with lock.hold(project.root, reporter):
        result = run_publish(project, dest, base_url=base_url, dry_run=dry_run, force=force, locales=locales)
    _report_notes(result, dry_run, reporter)
    _report_changes(result, dest, dry_run, reporter)


def _report_notes(result, dry_run: bool, reporter: Reporter) -> None:
    """What publish found on the way: a recovery, files left alone or replaced, warnings, skipped pages."""
    reporter.detail(f"base URL: {result.base_url}; built beside {result.dest} and swapped in at once")
    for line in result.recovered:
        reporter.info(line)
    for special in result.special:
        reporter.info(f"left alone, never read: {special}")
    for path in result.replaced_foreign:
        reporter.info(f"{'would replace' if dry_run else 'replaced'} (--force) a file publish did not write: {path}")
    for warning in result.warnings:
        reporter.warn(warning)
    for skipped in result.skipped:
        reporter.detail(f"not published (below the threshold): {skipped}")


def _report_changes(result, dest: Path, dry_run: bool, reporter: Reporter) -> None:
    """The files added, changed and removed (the first LISTED of each unless -v), and the summary line."""
    verb = "would be " if dry_run else ""
    for label, paths in (("added", result.added), ("changed", result.changed), ("removed", result.removed)):
        shown = paths if reporter.verbose else paths[:LISTED]
        for path in shown:
            reporter.info(f"{verb}{label}: {path}")
        if len(paths) > len(shown):
            reporter.info(f"... and {len(paths) - len(shown)} more {verb}{label} (-v lists all)")
    if result.kept:
        reporter.detail(f"kept in {dest}: {', '.join(result.kept)}")
    counts = f"{len(result.added)} added, {len(result.changed)} changed, {len(result.removed)} removed"
    if dry_run:
        reporter.info(f"dry run: {counts}; {dest} is untouched")
    else:
        reporter.info(f"published {result.pages} pages to {result.dest} ({counts}) for {result.base_url}/")
