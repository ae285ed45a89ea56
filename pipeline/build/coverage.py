"""``pipeline check --coverage``: the pseudo-locale ``en_XA`` built into a temporary copy of the project, and its pages scanned for text that missed the catalogs (:mod:`pipeline.pseudo` says what counts)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipeline.build.plan import BuildOptions
from pipeline.build.site import build_site
from pipeline.extract import extract
from pipeline.formats.site import locale_info
from pipeline.project import Project
from pipeline.pseudo import COVERAGE_LOCALE, CoverageResult, make_pseudo_catalogs, scan_page


def _copy_project(project, destination: Path) -> None:
    """What a build reads: settings, sources, project templates, catalogs."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("setup.cfg", "babel.cfg"):
        if (project.root / name).is_file():
            shutil.copy2(project.root / name, destination / name)
    for name in ("source", "templates", "locales"):
        if (project.root / name).is_dir():
            shutil.copytree(project.root / name, destination / name, symlinks=True)


def check_coverage(project) -> CoverageResult:
    """Build ``en_XA`` from fresh templates in a temporary copy and find text that missed the catalogs.

    The templates are extracted again first, so a message added to a page
    template since the last ``pipeline extract`` counts as covered: what is
    reported is text that no extraction can reach (a literal outside ``_()``).
    """

    result = CoverageResult()
    with tempfile.TemporaryDirectory(prefix="pipeline-coverage-") as temp:
        copy_root = Path(temp) / "project"
        _copy_project(project, copy_root)
        copy = Project.load(copy_root)
        extract(copy, copy.resolve_slugs([]))
        make_pseudo_catalogs(copy, [COVERAGE_LOCALE])
        output = Path(temp) / "site"
        built = build_site(
            copy, BuildOptions(locales=(COVERAGE_LOCALE,), include_drafts=True, base_url="", output_dir=output)
        )
        result.warnings = [str(w) for w in built.warnings if "no base URL" not in w.message]
        source_tag = locale_info(project.settings.source_language).tag
        for page in built.pages:
            relative = page.path.relative_to(output).as_posix()
            result.pages.append(relative)
            result.uncovered += scan_page(
                page.path, relative, source_tag, project.settings.skip_classes, ()
            )
    return result
