"""The translation status page: per locale and article, a bar of translated / fuzzy / untranslated.

Rendered by ``pipeline stats --html FILE`` and served by ``pipeline serve`` at
``/__status``. The numbers are ``catalogs.stats``, the same as the terminal's
(counted and floored by :mod:`pipeline.catalogs.completion`, as the build counts them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pipeline.catalogs.glossary import catalog_glossary_findings, project_glossary
from pipeline.catalogs.model import PoCatalog
from pipeline.catalogs.stats import stats
from pipeline.checks import catalog_paths
from pipeline.errors import CatalogError
from pipeline.formats.po import read_catalog
from pipeline.names import SITE_DOMAIN
from pipeline.project import Project



@dataclass
class _Row:
    domain: str
    percent: str
    translated: int
    fuzzy: int
    untranslated: int
    refused: int
    derived: int
    translated_words: int
    words: int
    parts: list[dict[str, object]]
    href: str
    link_text: str
    published: bool
    is_site: bool


def _parts(stats) -> list[dict[str, object]]:
    """Widths (percent of source words) of the bar's parts, summing to 100."""
    total = stats.words or 1
    parts = []
    for kind, words in (
        ("translated", stats.translated_words),
        ("fuzzy", stats.fuzzy_words),
        ("untranslated", stats.untranslated_words),
        ("refused", stats.refused_words),
    ):
        if words:
            parts.append({"kind": kind, "width": round(100 * words / total, 2)})
    return parts


class _CatalogReads:
    """Each catalog read once, for its figures and its glossary breaks alike."""

    def __init__(self) -> None:
        self._read: dict[Path, PoCatalog | CatalogError] = {}

    def __call__(self, path: Path) -> PoCatalog:
        """The catalog at ``path``; its :class:`CatalogError` again when it could not be read."""
        if path not in self._read:
            try:
                self._read[path] = read_catalog(path)
            except CatalogError as exc:
                self._read[path] = exc
        found = self._read[path]
        if isinstance(found, CatalogError):
            raise found
        return found


def _glossary_breaks(project: Project, read: _CatalogReads) -> dict[str, list[dict[str, str]]]:
    """Per locale, each message that breaks the glossary: where it is, its text, the term it breaks.

    A catalog that cannot be read has none here: its locale's figures name its error.
    """
    glossary = project_glossary(project.locales_dir, project.settings.source_language)
    breaks: dict[str, list[dict[str, str]]] = {}
    if glossary is None:
        return breaks
    for path in catalog_paths(project.locales_dir, project.catalog_locales()):
        try:
            catalog = read(path)
        except CatalogError:
            continue
        for finding in catalog_glossary_findings(path, catalog, glossary):
            shown = finding.msgid if len(finding.msgid) <= 80 else finding.msgid[:77] + "..."
            where = f"{finding.path.relative_to(project.locales_dir).as_posix()}:{finding.line}"
            breaks.setdefault(path.parent.parent.name, []).append(
                {"where": where, "msgid": shown, "message": finding.problem.message}
            )
    return breaks


def _stats_by_locale(project: Project, read: _CatalogReads) -> list[tuple[str, list, str | None]]:
    """Each locale's catalog figures, or the error that keeps its catalogs from being read.

    Locale by locale, so one broken catalog (the moment a translator opens
    this page) names itself without taking the other locales' figures away.
    """
    found = []
    for locale in project.catalog_locales():
        try:
            found.append((locale, stats(project, [locale], read), None))
        except CatalogError as exc:
            found.append((locale, [], exc.message))
    return found


def render_stats_page(project: Project, link: Callable[[str, str, bool], str | None]) -> str:
    """The status page as HTML.

    ``link(tag, slug, published)`` gives the URL of an article's page in a
    locale, or None when there is no page to link to.
    """
    import jinja2

    from pipeline.formats.site import locale_info

    settings = project.settings
    read = _CatalogReads()
    glossary = _glossary_breaks(project, read)
    locales = []
    for locale, items, error in _stats_by_locale(project, read):
        info = locale_info(locale)
        threshold = settings.threshold_for(locale)
        locales.append(
            {
                "name": locale,
                "tag": info.tag,
                "threshold": f"{threshold:g}",
                "rows": [_row(item, locale, info.tag, threshold, link) for item in items],
                "error": error,
                "glossary": glossary.get(locale, []),
            }
        )
    articles = {row.domain for entry in locales for row in entry["rows"] if not row.is_site}
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("stats.html").render(
        locales=locales, articles=len(articles), site_name=settings.site_name
    )


def _row(item, locale: str, tag: str, threshold: float, link: Callable[[str, str, bool], str | None]) -> _Row:
    """One catalog's line of the page."""
    from pipeline.catalogs.completion import meets
    from pipeline.pseudo import is_pseudo_locale

    is_site = item.domain == SITE_DOMAIN
    published = not is_site and not is_pseudo_locale(locale) and meets(item.percent, threshold)
    href = None if is_site else link(tag, item.domain, published)
    return _Row(
        domain=item.domain,
        percent=f"{item.percent:.1f}",
        translated=item.translated,
        fuzzy=item.fuzzy,
        untranslated=item.untranslated,
        refused=item.refused,
        derived=item.derived,
        translated_words=item.translated_words,
        words=item.words,
        parts=_parts(item),
        href=href or "",
        link_text=f"{tag}/{item.domain}/",
        published=published,
        is_site=is_site,
    )


def write_stats_page(project: Project, path: Path) -> Path:
    """Write the status page to ``path``, linking the pages built in ``output/`` (published ones
    to ``base_url`` when it is set)."""
    from pipeline.formats.site import page_path
    from pipeline.fsutil import atomic_write_text

    path = Path(path).resolve()
    base_url = project.settings.base_url

    def link(tag: str, slug: str, published: bool) -> str | None:
        if published and base_url:
            return f"{base_url}/{tag}/{slug}/"
        built = project.output_dir / page_path(tag, slug)
        if not built.is_file():
            return None
        return Path(os.path.relpath(built, path.parent)).as_posix()

    atomic_write_text(path, render_stats_page(project, link))
    return path
