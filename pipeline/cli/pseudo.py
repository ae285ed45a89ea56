"""``pipeline pseudo``: pseudo-locale catalogs for testing layouts and catalog coverage."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import ProjectCommand, lock_options, Reporter, common_options, load_project, shown_path


@click.command(cls=ProjectCommand)
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    type=click.Choice(["en_XA", "ar_XB"]),
    help="Only this pseudo-locale (repeatable); both when not given.",
)
@common_options
@lock_options
def pseudo(locales: tuple[str, ...], project_dir: Path, reporter: Reporter, lock) -> None:
    """Fill the catalogs of the pseudo-locales en_XA and ar_XB from the templates.

    \b
    en_XA: accented letters, text a third longer, each message in ⟦ ⟧;
           shows text too long for its box and text that skipped the catalogs.
    ar_XB: every message mirrored right to left; the page is laid out RTL.
    Tags, placeholders and entities stay intact. Pseudo-locales are built as
    drafts (`pipeline build --all`, `pipeline serve`) and never published.
    `pipeline check --coverage` uses en_XA to find text outside the catalogs.
    """
    from pipeline.pseudo import make_pseudo_catalogs

    project = load_project(project_dir)
    with lock.hold(project.root, reporter):
        result = make_pseudo_catalogs(project, locales)
    for item in result.files:
        state = "wrote" if item.written else "unchanged"
        reporter.info(f"{state} {shown_path(item.path, project.root)} ({item.messages} messages)")
        reporter.detail(f"  from the template locales/{item.path.stem}.pot")
