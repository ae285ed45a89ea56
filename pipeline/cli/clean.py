"""``pipeline clean``: raw snapshots -> clean source documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.options import ProjectCommand, lock_options, Reporter, common_options, load_project, shown_path, slugs_argument

if TYPE_CHECKING:
    from pipeline.cleaning.report import CleanWarning


def warning_line(slug: str, warning: CleanWarning) -> str:
    """How a warning of clean is said, by ``pipeline clean`` and by ``pipeline scrape`` after its clean."""
    return f"{slug}: {warning.detail} ({warning.action}): {warning.text!r}"


@click.command(cls=ProjectCommand, short_help="Keep the article and only the article: snapshot -> clean document.")
@slugs_argument
@common_options
@lock_options
def clean(slugs: tuple[str, ...], project_dir: Path, reporter: Reporter, lock) -> None:
    """Clean the raw snapshot of each article (all when no SLUG is given).

    Writes source/<slug>/article.html, the clean source document, and
    source/<slug>/clean-report.json, which lists every block dropped with its
    text and the reason.
    """
    from pipeline.clean import clean_articles

    project = load_project(project_dir)
    with lock.hold(project.root, reporter):
        outcomes = clean_articles(project, slugs)
    for outcome in outcomes:
        state = "written" if outcome.written else "unchanged"
        reporter.info(f"{shown_path(outcome.document_path, project.root)}: {state} ({outcome.source_format} snapshot)")
        reasons = Counter(d.reason for d in outcome.dropped)
        summary = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        reporter.info(f"  dropped {len(outcome.dropped)} block(s): {summary or 'none'}")
        for dropped in outcome.dropped:
            reporter.detail(f"    - [{dropped.reason}] {dropped.text[:100]}")
        labels = sorted({f"{i.role}={i.text[:20]} ({i.language})" for i in outcome.interface})
        if labels:
            reporter.info(f"  interface text recorded: {', '.join(labels)}")
        for warning in outcome.warnings:
            reporter.warn(warning_line(outcome.slug, warning))
        reporter.info(f"  report: {shown_path(outcome.report_path, project.root)}")
