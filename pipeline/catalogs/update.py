"""``update``: every catalog brought in step with its template (:mod:`pipeline.catalogs.merge`).

A new article's catalog starts empty and, with ``translation_memory`` on, is
filled from the locale's other catalogs (:mod:`pipeline.catalogs.memory`); a
catalog is written only when what it says changes
(:func:`pipeline.catalogs.merge.content_of`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from pipeline.catalogs.init import interface_labels, locale_catalog, seed_site_catalog
from pipeline.catalogs.memory import read_locale_catalogs, translation_memory
from pipeline.catalogs.merge import FileUpdate, merge_file
from pipeline.catalogs.model import PoCatalog, messages, require_templates
from pipeline.errors import PipelineError
from pipeline.formats.po import read_catalog
from pipeline.formats.templatefit import (
    MAX_ENTRIES_NOT_IN_TEMPLATE,
    entries_not_in_template,
    excess_entries_warning,
    has_translations,
    template_has_messages,
)
from pipeline.names import SITE_DOMAIN, validate_locale_name

if TYPE_CHECKING:
    from pipeline.project import Project


@dataclass
class UpdateResult:
    files: list[FileUpdate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Parsed files an update keeps, so that a file is parsed once rather than once
# per use; bounded, so that a large site's memory stays flat (a parsed
# template or catalog takes tens of kilobytes).
#: Templates kept for the next locales (merges never change a template).
KEPT_TEMPLATES = 1000


def _refuse_emptied_templates(project: Project, domains: list[str], locales: list[str]) -> None:
    """Stop before writing anything when a template without messages would make translations obsolete.

    An article that lost its text (a clean document emptied by mistake) gives
    an empty template; merging it would move every translation of the
    article's catalogs to obsolete entries.
    """
    for domain in domains:
        template = project.template_path(domain)
        if template_has_messages(template):
            continue
        for locale in locales:
            path = project.catalog_path(locale, domain)
            if path.is_file() and has_translations(read_catalog(path)):
                raise PipelineError(
                    f"{template} has no messages: updating {path} from it would make all its translations "
                    "obsolete; nothing was written. Give the source its text again and run `pipeline extract` "
                    "(or remove the template and its catalogs if the article is gone)"
                )


def update(project: Project, locales: list[str] | tuple[str, ...] = ()) -> UpdateResult:
    """Merge every template into every catalog of ``locales`` (all locales when empty)."""
    domains = require_templates(project)
    chosen = list(locales) or project.catalog_locales()
    if not chosen:
        raise PipelineError("no catalogs to update: create them with 'pipeline init LOCALE'")
    for locale in chosen:
        validate_locale_name(locale)
    _refuse_emptied_templates(project, domains, chosen)
    result = UpdateResult()
    templates = _Templates(project)
    with _collector_paused():
        for number, locale in enumerate(chosen, start=1):
            templates.keeping = number < len(chosen)  # the last locale's merges need no template again
            _update_locale(project, locale, domains, templates, result)
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration (as it was before, after).

    An update holds a locale's parsed catalogs and the templates at once, and
    parsing and merging allocate enough to start collections that walk all
    of them again and again: parsed and merged catalogs hold no reference
    cycles, so those walks find next to nothing, and reference counting
    frees the catalogs as before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Templates:
    """The templates of an update, each read once for all locales (up to :data:`KEPT_TEMPLATES`).

    A template is kept only while ``keeping``: when no locale is left to merge,
    what is kept is dropped as it is used.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.kept: dict[str, PoCatalog] = {}
        self.keeping = True

    def get(self, domain: str) -> PoCatalog:
        if domain in self.kept:
            return self.kept[domain] if self.keeping else self.kept.pop(domain)
        template = read_catalog(self.project.template_path(domain))
        if self.keeping and len(self.kept) < KEPT_TEMPLATES:
            self.kept[domain] = template
        return template


def _update_locale(project: Project, locale: str, domains: list[str], templates: _Templates, result: UpdateResult) -> None:
    """Merge every template into ``locale``'s catalogs.

    All its catalogs are read before any is written, so that a broken one
    stops the locale's update with none of its files changed; the first ones
    read are kept for the merge.
    """
    if not (project.locales_dir / locale / "LC_MESSAGES").is_dir():
        raise PipelineError(f"no catalogs for {locale!r}: create them with 'pipeline init {locale}'")
    already_read: dict[str, PoCatalog] = {}
    memory = None
    if project.settings.translation_memory:
        memory = translation_memory(project, locale, domains, already_read)
    else:
        for _read in read_locale_catalogs(project, locale, domains, already_read):
            pass  # read for the check above; the kept ones are merged below
    for domain in domains:
        template = templates.get(domain)
        path = project.catalog_path(locale, domain)
        counts = FileUpdate(locale, domain, path)
        if domain in already_read:
            catalog = already_read.pop(domain)
        elif path.exists():
            catalog = read_catalog(path)
        else:  # a new article: its catalog starts from the translation memory
            catalog = locale_catalog(template, locale, domain, with_messages=False)
            counts.created = True
        result.warnings += [str(w) for w in catalog.read_warnings]  # what the reader tolerated
        seed = counts.created and domain == SITE_DOMAIN and locale not in project.settings.derived
        fill = (lambda merged: seed_site_catalog(merged, locale, interface_labels(project))) if seed else None
        catalog = merge_file(catalog, template, counts, memory, fill)
        if len(messages(catalog)) + len(catalog.obsolete) > MAX_ENTRIES_NOT_IN_TEMPLATE:  # else none can be past it
            excess = entries_not_in_template(catalog, template)
            if excess > MAX_ENTRIES_NOT_IN_TEMPLATE:
                result.warnings.append(f"{path}: {excess_entries_warning(excess, project.template_path(domain))}")
        result.files.append(counts)
