"""``extract``, ``init``, ``update``, ``check`` and ``stats``: the gettext catalogs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.cli.options import (
    ProjectCommand,
    Reporter,
    catalog_locales,
    common_options,
    load_project,
    locale_option,
    lock_options,
    shown_path,
    slugs_argument,
)
from pipeline.errors import PipelineError


@click.command(cls=ProjectCommand)
@slugs_argument
@common_options
@lock_options
def extract(slugs: tuple[str, ...], project_dir: Path, reporter: Reporter, lock) -> None:
    """Write the gettext templates: locales/SLUG.pot per article and locales/site.pot.

    Takes every article under source/ when no SLUG is given. One message per
    block of the clean document; unchanged templates are not rewritten.
    """
    from pipeline.extract import SITE_DOMAIN, extract as run_extract

    project = load_project(project_dir)
    chosen = project.resolve_slugs(slugs)
    if SITE_DOMAIN in chosen:
        raise PipelineError(f"an article may not be called {SITE_DOMAIN!r}: that name is the page templates' catalog")
    with lock.hold(project.root, reporter):
        result = run_extract(project, chosen)
    for template in result.templates:
        state = "wrote" if template.written else "unchanged"
        reporter.info(f"{state} {shown_path(template.path, project.root)} ({template.messages} messages)")
        if not reporter.verbose:  # the detail's path is worked out only when it is shown
            continue
        if template.domain == SITE_DOMAIN:
            reporter.detail("  from the page templates and the site settings")
        else:
            reporter.detail(f"  from {shown_path(project.clean_document_path(template.domain), project.root)}")
    for warning in result.warnings:
        reporter.warn(warning)


@click.command(cls=ProjectCommand)
@click.argument("locale", callback=catalog_locales)
@common_options
@lock_options
def init(locale: str, project_dir: Path, reporter: Reporter, lock) -> None:
    """Create the catalogs of LOCALE (for example zh_CN) from the templates.

    Existing catalogs are never overwritten; only missing ones are created.
    """
    from pipeline.catalogs.init import init as run_init
    from pipeline.settings import normalize_locale

    project = load_project(project_dir)
    source = project.settings.source_language
    if normalize_locale(locale) == normalize_locale(source):
        # Its pages are the articles themselves: catalogs of it would never be read, only counted as 0%.
        raise PipelineError(
            f"{locale} is the source language (source_language = {source} in setup.cfg): its text comes "
            "from the articles, so it has no catalogs; init a locale to translate into"
        )
    with lock.hold(project.root, reporter):
        result = run_init(project, locale)
        derived = _derive(project, (locale,)) if locale in project.settings.derived else None
    for path in result.created:
        reporter.info(f"created {shown_path(path, project.root)}")
        reporter.detail(f"  from the template {shown_path(project.template_path(path.stem), project.root)}")
    for path in result.existing:
        reporter.info(f"exists, left as it is: {shown_path(path, project.root)}")
    for msgid, msgstr in result.seeded:
        reporter.detail(f"seeded {msgid!r} -> {msgstr!r} from the site's own interface")
    if result.seeded:
        reporter.info(f"{len(result.seeded)} site messages filled from the site's own interface")
    if derived is not None:
        _report_derived(derived, project.root, reporter)


@click.command(cls=ProjectCommand)
@locale_option()
@common_options
@lock_options
def update(locales: tuple[str, ...], project_dir: Path, reporter: Reporter, lock) -> None:
    """Bring every catalog in step with the templates, keeping every translation.

    Changed messages keep their old translation marked fuzzy, removed ones
    become obsolete (#~) and come back if their text does; new messages are
    filled from the locale's other catalogs when possible.
    """
    from pipeline.catalogs.update import update as run_update

    project = load_project(project_dir)
    with lock.hold(project.root, reporter):
        result = run_update(project, locales)
        derived = _derive(project, locales)
    for item in result.files:
        state = "created" if item.created else ("updated" if item.written else "unchanged")
        reporter.info(
            f"{state} {shown_path(item.path, project.root)}: {item.new} new, {item.fuzzy} fuzzy, "
            f"{item.obsolete} obsolete, {item.unchanged} unchanged, {item.reused} reused"
        )
        reporter.detail(f"  against the template {shown_path(project.template_path(item.domain), project.root)}")
        if item.fuzzy:
            reporter.detail(f"  {item.fuzzy} fuzzy: their text changed; translators review them (#, fuzzy)")
    for warning in result.warnings:
        reporter.warn(warning)
    if derived is not None:
        _report_derived(derived, project.root, reporter)


def _derive(project, locales: tuple[str, ...]):
    """The derived locales brought in step, or None when the project has none (the derive
    stage and OpenCC are then not even imported: update starts faster)."""
    if not project.settings.derived:
        return None
    from pipeline.catalogs.derive import derive_project

    return derive_project(project, locales)


def _report_derived(result, root: Path, reporter: Reporter) -> None:
    for item in result.files:
        state = "derived" if item.written else "unchanged"
        reporter.info(
            f"{state} {shown_path(item.path, root)}: {item.derived} converted, {item.in_step} in step, "
            f"{item.reviewed_fuzzy} reviewed made fuzzy, {item.cleared} cleared"
        )
    for warning in result.warnings:
        reporter.warn(warning)


@click.command(cls=ProjectCommand)
@locale_option()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option(
    "--coverage",
    is_flag=True,
    help="Also build the pseudo-locale en_XA in a temporary folder and fail on any visible "
    "text of its pages that did not come from a catalog.",
)
@common_options
def check(locales: tuple[str, ...], as_json: bool, coverage: bool, project_dir: Path, reporter: Reporter) -> None:
    """Check the catalogs: syntax, markup, placeholders, numbers, URLs, plurals.

    Exits with 1 when there are errors; warnings (numbers, URLs) and
    information (fuzzy, untranslated) do not fail unless --strict is given.
    """
    from pipeline.checks import catalog_paths, check_project
    from pipeline.names import validate_locale_name

    project = load_project(project_dir)
    chosen = [validate_locale_name(l) for l in locales] or project.catalog_locales()
    paths = catalog_paths(project.locales_dir, chosen)
    if not paths and not coverage:
        raise PipelineError("no catalogs to check: create them with 'pipeline init LOCALE'")
    checked = check_project(project, chosen)
    findings = checked.findings
    errors = checked.errors
    if as_json:
        click.echo(json.dumps({"catalogs": [str(p) for p in paths], "findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            where = shown_path(finding.path, project.root) + (f":{finding.line}" if finding.line else "")
            shown = finding.msgid if len(finding.msgid) <= 60 else finding.msgid[:57] + "..."
            about = f" (msgid {shown!r})" if finding.msgid else ""
            message = finding.problem.message.replace(str(finding.path), shown_path(finding.path, project.root))
            line = f"{where}: {finding.problem.severity}: [{finding.problem.code}] {message}{about}"
            if finding.problem.severity == "info":
                reporter.detail(line)
            elif finding.problem.severity == "warning":
                reporter.warn(line, labelled=True)
            else:
                click.echo(line, err=True)
        counts = {s: sum(1 for f in findings if f.problem.severity == s) for s in ("error", "warning", "info")}
        reporter.info(
            f"checked {_count(len(paths), 'catalog')}: {_count(counts['error'], 'error')}, "
            f"{_count(counts['warning'], 'warning')}, "
            f"{counts['info']} fuzzy or untranslated (-v lists them)"
        )
    if coverage:
        _check_coverage(project, reporter)
    if errors:
        raise PipelineError(f"{_count(len(errors), 'error')} in the catalogs")


def _count(number: int, noun: str) -> str:
    """``1 error``, ``2 errors``: the summary line reads as English."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _check_coverage(project, reporter: Reporter) -> None:
    from pipeline.build.coverage import check_coverage

    result = check_coverage(project)
    for item in result.uncovered:
        click.echo(f"{item.page}: {item.where}: not from a catalog: {item.text!r}", err=True)
    for warning in result.warnings:
        reporter.warn(f"coverage build: {warning}")
    reporter.info(f"coverage: {len(result.pages)} en-XA pages, {len(result.uncovered)} texts not from a catalog")
    if result.uncovered:
        raise PipelineError(
            f"{len(result.uncovered)} visible text{'s' if len(result.uncovered) != 1 else ''} did not pass "
            "through a catalog: wrap template text in _() (or mark names translate=\"no\") and run `pipeline extract`"
        )


def _bar(percent: float, fuzzy_percent: float = 0.0, width: int = 20) -> str:
    """``#`` translated, ``~`` fuzzy, ``.`` untranslated (as the HTML page's bar)."""
    filled = int(percent / 100 * width)  # floored, as the figure is: a full bar is all of it
    fuzzy = min(width - filled, int(round(fuzzy_percent / 100 * width)))
    return "#" * filled + "~" * fuzzy + "." * (width - filled - fuzzy)


@click.command(cls=ProjectCommand)
@locale_option()
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the status as an HTML page, with bars and links to the built pages.",
)
@common_options
def stats(locales: tuple[str, ...], as_json: bool, html_file: Path | None, project_dir: Path, reporter: Reporter) -> None:
    """How far each locale and article is translated.

    Percent is of source words with a finished translation (not fuzzy, no
    error of `pipeline check`), floored to one decimal as every command
    shows it; Chinese, Japanese and Korean count by characters.
    """
    from pipeline.catalogs.stats import stats as run_stats

    project = load_project(project_dir)
    if html_file is not None:  # first: the page names an unreadable catalog, where the table below stops
        from pipeline.preview.statuspage import write_stats_page

        written = write_stats_page(project, html_file)
        reporter.info(f"wrote {written}")
    results = run_stats(project, locales)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
        return
    if not results:
        raise PipelineError("no catalogs: create them with 'pipeline init LOCALE'")
    reporter.detail(
        "words: source words of finished translations (not fuzzy, no error of check); Chinese, Japanese and Korean count characters"
    )
    for r in results:
        reporter.detail(f"{r.locale} {r.domain}: {shown_path(r.path, project.root)}")
    width = max([7] + [len(r.domain) for r in results])
    header = f"{'locale':<8} {'catalog':<{width}} {'done':>6}  {'bar':<20}  {'transl.':>7} {'fuzzy':>5} {'untr.':>5}  {'words':>11}"
    reporter.info(header)
    for r in results:
        reporter.info(
            f"{r.locale:<8} {r.domain:<{width}} {r.percent:>5.1f}%  {_bar(r.percent, 100.0 * r.fuzzy_words / r.words if r.words else 0.0)}  "
            f"{r.translated:>7} {r.fuzzy:>5} {r.untranslated:>5}  {r.translated_words:>5}/{r.words:<5}"
        )
        if r.derived:
            counted = "counted" if r.count_derived else "not counted (count_derived = no)"
            reporter.info(
                f"{'':<8} {'':<{width}} {r.derived} of the translated derived, not reviewed yet ({counted}); "
                f"{r.translated - r.derived} reviewed"
            )
        if r.refused:
            lines = ", ".join(f"{shown_path(r.path, project.root)}:{line}" for line in r.refused_lines[:5])
            reporter.info(
                f"{'':<8} {'':<{width}} {r.refused} translated but not counted: `pipeline check` finds errors at {lines}"
                + (" ..." if r.refused > 5 else "")
            )
