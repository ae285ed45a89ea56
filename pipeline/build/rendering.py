"""Rendering: the Jinja environment, the templates' gettext from the locale's ``site.po``, the stylesheet."""

from __future__ import annotations

import copy
import io
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

from pipeline.build.results import BuildWarning
from pipeline.build.translation import read_catalog_or_note
from pipeline.names import SITE_DOMAIN
from pipeline.packaged import PACKAGE_TEMPLATES
from pipeline.project import Project


STYLESHEET = "style.css"


#: What a preview page (``pipeline serve``) loads to reload itself and show
#: catalog errors; served by the preview server only, never in a published page.
PREVIEW_SCRIPT = '<script src="/__pipeline/reload.js"></script>\n'


def site_translations(catalog, path: Path | None, warnings: list[BuildWarning]):
    """gettext translations for the templates, without the translations that would break them."""
    import gettext

    if catalog is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    from pipeline.catalogs.model import is_finished

    catalog = copy.deepcopy(catalog)
    # Untranslated and fuzzy messages leave the catalog: a .mo entry with an
    # empty plural form would show the singular for every number.
    for message in [m for m in catalog if m.id and not is_finished(m)]:
        catalog.delete(message.id, context=message.context)
    from pipeline.catalogs.completion import message_errors, shape_of

    shape = shape_of(catalog, SITE_DOMAIN)
    refused = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        problems = message_errors(message, shape)  # what `check` reports, no more, no less
        if problems:
            warnings.append(
                BuildWarning(f"template translation not used ({problems[0].message})", path, msgid, message.lineno or 0)
            )
            refused.append(message)
    for message in refused:  # out of the catalog, like an untranslated one: the source text is shown, marked
        catalog.delete(message.id, context=message.context)
    from pipeline.formats.plurals import plural_function
    from pipeline.formats.po_header import use_plural_forms

    plural = plural_function(catalog.plural_expr)  # checked by the reader, or made by Babel from CLDR
    # Python's gettext exec()s the .mo's own expression and refuses some msgfmt accepts: the .mo gets
    # a constant one (as Babel's header setter stores it), the templates the checked function above
    use_plural_forms(catalog, catalog.num_plurals, "0")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    translations = Translations(fp=buffer)
    translations.plural = plural
    return translations


def _escaping(func: Callable[..., str]) -> Callable[..., object]:
    """Wrap a gettext function so a translation is text, never markup.

    Jinja's new-style gettext marks what gettext returns as safe when
    autoescaping; escaping it first keeps a translator's ``<`` a character.
    """
    from markupsafe import escape

    def wrapped(*args: object) -> object:
        return escape(func(*args))

    return wrapped


def _environment(project: Project):
    """Templates from the project's ``templates/`` first, then the packaged ones.

    The same order as ``extract`` reads them, so the strings extracted are
    the strings shown. No ``trimmed`` policy: extraction does not trim either.
    The templates are compiled once per build; each page's locale installs its
    own gettext functions before rendering (:class:`Renderer`).
    """
    import gettext

    import jinja2

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(project.templates_dir)),
                jinja2.PackageLoader("pipeline", "templates"),
            ]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # one build renders from one version of the templates (an environment per build):
        # no need to look at their files again for every page
        auto_reload=False,
        # a plain dict, without an LRU's bookkeeping at each page and include: it holds the
        # templates found in the two folders, which one build loads
        cache_size=-1,
    )
    _install(env, gettext.NullTranslations())  # newstyle must be set before templates compile
    from pipeline.build.templatecache import packaged_templates_cache

    env.bytecode_cache = packaged_templates_cache(env)  # made with the options final: they name its files
    return env


def _install(env, translations, mark_untranslated: bool = False) -> None:
    """The locale's gettext functions; ``mark_untranslated``: strings without a translation come back
    marked, to be shown in the source language's ``lang`` and ``dir`` (:mod:`pipeline.build.sourcemarks`)."""
    if mark_untranslated:
        from pipeline.build.sourcemarks import has_translation, marking

        singular, plural = has_translation(translations)
        gettext, ngettext = marking(translations.gettext, singular), marking(translations.ngettext, plural)
    else:
        gettext, ngettext = _escaping(translations.gettext), _escaping(translations.ngettext)
    env.install_gettext_callables(gettext=_remembered(gettext, (str,)), ngettext=_remembered(ngettext, (str, str, int)),
                                  newstyle=True)
    env.globals["gettext"] = _answers_kept(env.globals["gettext"])


#: The answers a gettext function of :func:`_remembered` keeps: enough for the strings of a site's
#: templates; a template that translates its data (a string a page) finds the rest asked again.
_REMEMBERED_ANSWERS = 1024


def _remembered(func: Callable[..., object], types: tuple[type, ...]) -> Callable[..., object]:
    """``func`` (one locale's gettext, which answers a string the same at every page) with its answers kept,
    for arguments of exactly ``types`` (others may be unhashable; ``typed`` keeps ``True`` and ``1`` apart)."""
    kept = lru_cache(maxsize=_REMEMBERED_ANSWERS, typed=True)(func)

    def remembered(*args: object) -> object:
        return kept(*args) if tuple(map(type, args)) == types else func(*args)

    return remembered


def _answers_kept(newstyle_gettext: Callable[..., object]) -> Callable[..., object]:
    """Jinja's new-style ``gettext`` (``newstyle_gettext``, made for one locale) with its answers to strings asked
    without variables kept: under autoescaping such an answer is the locale's translation as Markup, %-formatted
    with no values, the same at every page (``_("Skip to content")``). A call with variables, with a string of
    another type or without autoescaping (``{% autoescape false %}``) is answered by Jinja's function itself."""
    from jinja2 import pass_context

    kept: dict[str, object] = {}

    @pass_context
    def gettext(__context, __string: object, **variables: object) -> object:
        if variables or type(__string) is not str or not __context.eval_ctx.autoescape:
            return newstyle_gettext(__context, __string, **variables)
        answer = kept.get(__string)
        if answer is None:
            answer = newstyle_gettext(__context, __string)
            if len(kept) < _REMEMBERED_ANSWERS:  # a template translating its data asks the rest again
                kept[__string] = answer
        return answer

    return gettext


#: The environment's globals :func:`_install` sets (Jinja's ``install_gettext_callables``).
_GETTEXT_GLOBALS = ("gettext", "ngettext", "pgettext", "npgettext")


class Renderer:
    """What the pages of one build (in one process) share.

    Compiling the templates costs more than rendering a page, and a locale's
    ``site.po`` is the same for all its pages: both are done once. Loaded
    templates see the environment's globals live, so installing a locale's
    gettext functions just before rendering gives that page its translations.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._site: dict[str, tuple[object, list[BuildWarning], list[str]]] = {}
        #: (translations, marking) -> the gettext globals :func:`_install` made for them: one entry
        #: per locale of :attr:`_site` (and per marking), made at its first page
        self._gettext_globals: dict[tuple[object, bool], dict[str, object]] = {}

    def site_translations(self, locale: str | None) -> tuple[object, list[BuildWarning], list[str]]:
        """(translations, warnings, errors) of the locale's ``site.po``; None: the source language."""
        if locale not in self._site:
            warnings: list[BuildWarning] = []
            errors: list[str] = []
            path = None if locale is None else self.project.catalog_path(locale, SITE_DOMAIN)
            catalog = (
                read_catalog_or_note(path, errors, "the page templates are shown in the source language")
                if path
                else None
            )
            self._site[locale] = (site_translations(catalog, path, warnings), warnings, errors)
        return self._site[locale]

    @cached_property
    def env(self):
        """Made at the first page to render: a build that renders nothing does not import Jinja."""
        return _environment(self.project)

    def render(self, template: str, translations, context: dict, source_marks: str = "") -> str:
        """``source_marks``: the attributes of source-language text on this page ("" on a source page)."""
        import jinja2

        self._install_gettext(translations, mark_untranslated=bool(source_marks))
        try:
            from pipeline.build.sourcemarks import resolve

            return resolve(self.env.get_template(template).render(context), source_marks)
        except (jinja2.TemplateError, UnicodeDecodeError) as exc:  # the project's own templates are edited by hand
            from pipeline.build.templateerrors import template_error

            raise template_error(exc, template, [self.project.templates_dir]) from None

    def _install_gettext(self, translations, mark_untranslated: bool) -> None:
        """The locale's gettext functions, made at its first page and installed again as they are at the others."""
        key = (translations, mark_untranslated)
        installed = self._gettext_globals.get(key)
        if installed is None:
            _install(self.env, translations, mark_untranslated)
            self._gettext_globals[key] = {name: self.env.globals[name] for name in _GETTEXT_GLOBALS}
        else:
            self.env.globals.update(installed)


def stylesheet_bytes(project: Project) -> bytes:
    """The project's own ``templates/style.css`` if it has one, else the packaged one."""
    own = project.templates_dir / STYLESHEET
    if own.is_file():
        return own.read_bytes()
    return (PACKAGE_TEMPLATES / STYLESHEET).read_bytes()


def with_preview_script(text: str) -> str:
    head, tail = text.rsplit("</body>", 1)
    return head + PREVIEW_SCRIPT + "</body>" + tail
