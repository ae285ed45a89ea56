"""Which locales ``publish`` puts out, and which catalog errors stop it.

An error stops only the locales it would reach readers in: a draft locale
(below its threshold, so its pages are not published) or one not asked for
with ``publish --locale`` is reported as a warning and the others go out.
Whether a locale is published is decided by :mod:`pipeline.catalogs.completion`, as
the build decides it, from the catalogs the check read. A catalog that cannot
be read gives no figure: its locale counts as published, so its error stops the publish unless
``--locale`` leaves the locale out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from pipeline.checks import ERROR, CatalogCheck, Finding, check_project
from pipeline.errors import PipelineError
from pipeline.names import SITE_DOMAIN, validate_locale_name
from pipeline.project import Project


@dataclass
class Readiness:
    #: The locales of the published site besides the source language.
    locales: list[str] = field(default_factory=list)
    #: Errors in catalogs of those locales: they stop the publish.
    blocking: list[Finding] = field(default_factory=list)
    #: Errors in catalogs of locales that are not published: said, not stopping.
    not_published: list[Finding] = field(default_factory=list)


def _reaches_threshold(project: Project, locale: str, catalogs: list[CatalogCheck]) -> bool:
    """Whether any article of ``locale`` is published; True when one of its catalogs cannot be read."""
    from pipeline.catalogs.completion import meets
    from pipeline.catalogs.stats import catalog_stats

    threshold = project.settings.threshold_for(locale)
    for checked in catalogs:
        domain = checked.path.stem
        if domain == SITE_DOMAIN:
            continue
        path = project.catalog_path(locale, domain)  # refuses a link out of the project, as the build does
        if checked.catalog is None:
            return True
        if meets(catalog_stats(checked.catalog, locale, domain, path, project.settings).percent, threshold):
            return True
    return False


def readiness(project: Project, asked: Iterable[str] = ()) -> Readiness:
    """What a publish of ``asked`` (every locale when empty) puts out, and the errors that matter."""
    from pipeline.pseudo import is_pseudo_locale

    known = project.catalog_locales()
    asked = [validate_locale_name(locale) for locale in asked]
    unknown = [locale for locale in asked if locale not in known]
    if unknown:
        raise PipelineError(
            f"no catalogs for locale {unknown[0]!r} under {project.locales_dir} (known: {', '.join(known) or 'none'})"
        )
    source = project.settings.source_language
    translated = [locale for locale in known if locale != source and not is_pseudo_locale(locale)]
    result = Readiness()
    if not translated:
        return result
    by_locale: dict[str, list[CatalogCheck]] = {}
    for checked in check_project(project, translated, glossary=False).catalogs:
        by_locale.setdefault(checked.locale, []).append(checked)
    for locale in translated:
        catalogs = by_locale.get(locale, [])
        published = (not asked or locale in asked) and _reaches_threshold(project, locale, catalogs)
        if published:
            result.locales.append(locale)
        errors = [f for checked in catalogs for f in checked.findings if f.problem.severity == ERROR]
        (result.blocking if published else result.not_published).extend(errors)
    return result
