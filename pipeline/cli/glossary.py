"""``pipeline glossary``: show the project's glossary, or export it as TBX or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.options import ProjectCommand, Reporter, common_options, load_project
from pipeline.errors import PipelineError


@click.command(cls=ProjectCommand)
@click.option(
    "--export",
    "export_format",
    type=click.Choice(["tbx", "csv"]),
    default=None,
    help="Write the glossary in this format (TBX for CAT tools, Poedit and Weblate; CSV for a spreadsheet).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the export (default: locales/glossary.tbx or .csv).",
)
@click.option("--force", is_flag=True, help="Replace an existing file at the export's place.")
@common_options
def glossary(export_format: str | None, output: Path | None, force: bool, project_dir: Path, reporter: Reporter) -> None:
    """The glossary (locales/glossary.csv or locales/glossary.tbx): list it, or export it.

    `pipeline check` warns [glossary] where a translation does not use a term's agreed
    translation; --strict makes that fail.
    """
    from pipeline.formats.glossary import glossary_path, read_glossary, write_csv, write_tbx
    from pipeline.fsutil import atomic_write_bytes

    project = load_project(project_dir)
    path = glossary_path(project.locales_dir)
    if path is None:
        raise PipelineError(f"no glossary: create {project.locales_dir / 'glossary.csv'} (columns term,note,LOCALE...)")
    terms = read_glossary(path, project.settings.source_language)
    listed = reporter.info if export_format is None else reporter.detail
    for term in terms.terms:
        rules = "; ".join(f"{locale}: {' | '.join(v)}" for locale, v in term.translations.items())
        note = f" ({term.note})" if term.note else ""
        listed(f"{term.term}{note}: {rules or 'as written'}")
    if export_format is None:
        reporter.info(f"{len(terms.terms)} terms in {path.name}")
        return
    target = output or project.locales_dir / f"glossary.{export_format}"
    if target.resolve() == path.resolve():
        raise click.UsageError(f"{path.name} is the glossary itself: export to the other format or give --output")
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists: give --force to replace it, or --output for another file")
    atomic_write_bytes(target, write_tbx(terms) if export_format == "tbx" else write_csv(terms))
    reporter.info(f"wrote {target} ({len(terms.terms)} terms)")
    # With both files in locales/ the CSV wins: say which one edits must go to.
    read_now = glossary_path(project.locales_dir)
    if read_now is not None and read_now.resolve() == target.resolve():
        reporter.info(f"check and serve now read {target.name}, not {path.name}: edit that one from now on")
    elif target.parent.resolve() == project.locales_dir.resolve() and target.name.startswith("glossary."):
        reporter.info(f"check and serve still read {path.name}: edit that one, or delete it to use {target.name}")
