"""Which locales ``publish`` puts out, and which catalog errors stop it.

An error stops only the locales it would reach readers in: a draft locale
(below its threshold, so its pages are not published) or one not asked for
with ``publish --locale`` is reported as a warning and the others go out.
Whether a locale is published is decided by :mod:`pipeline.completion`, as
the build decides it. A catalog that cannot be read gives no figure: its
locale counts as published, so its error stops the publish unless
``--locale`` leaves the locale out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from pipeline.names import SITE_DOMAIN
from pipeline.checks import ERROR, Finding
from pipeline.errors import CatalogError, PipelineError
from pipeline.project import Project
from pipeline.names import validate_locale_name



@dataclass
class Readiness:
    #: The locales of the published site besides the source language.
    locales: list[str] = field(default_factory=list)
    #: Errors in catalogs of those locales: they stop the publish.
    blocking: list[Finding] = field(default_factory=list)
    #: Errors in catalogs of locales that are not published: said, not stopping.
    not_published: list[Finding] = field(default_factory=list)


def _reaches_threshold(project: Project, locale: str) -> bool:
    """Whether any article of ``locale`` is published; True when one of its catalogs cannot be read."""
    from pipeline.catalogs.update import completion
    from pipeline.catalogs.completion import meets

    folder = project.locales_dir / locale / "LC_MESSAGES"
    threshold = project.settings.threshold_for(locale)
    for path in sorted(folder.glob("*.po")):
        if path.stem == SITE_DOMAIN:
            continue
        try:
            if meets(completion(project, locale, path.stem), threshold):
                return True
        except CatalogError:
            return True
    return False


def readiness(project: Project, asked: Iterable[str] = ()) -> Readiness:
    """What a publish of ``asked`` (every locale when empty) puts out, and the errors that matter."""
    from pipeline.checks import catalog_paths, check_catalog
    from pipeline.pseudo import is_pseudo_locale

    known = project.catalog_locales()
    asked = [validate_locale_name(locale) for locale in asked]
    unknown = [locale for locale in asked if locale not in known]
    if unknown:
        raise PipelineError(
            f"no catalogs for locale {unknown[0]!r} under {project.locales_dir} (known: {', '.join(known) or 'none'})"
        )
    result = Readiness()
    source = project.settings.source_language
    for locale in known:
        if locale == source or is_pseudo_locale(locale):
            continue
        published = (not asked or locale in asked) and _reaches_threshold(project, locale)
        if published:
            result.locales.append(locale)
        for path in catalog_paths(project.locales_dir, [locale]):
            errors = [f for f in check_catalog(path, source) if f.problem.severity == ERROR]
            (result.blocking if published else result.not_published).extend(errors)
    return result
