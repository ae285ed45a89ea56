"""Rendering: the Jinja environment, the templates' gettext from the locale's ``site.po``, the stylesheet."""

from __future__ import annotations

import copy
import io
import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner as _escape_text  # MarkupSafe 3: escape() is Python around it
except ImportError:  # MarkupSafe 2: escape() is the compiled function
    _escape_text = escape

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

    env = _page_environment_class()(
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
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)
    env.globals.update(_template_gettext(gettext, ngettext))


#: The answers one locale's template gettext keeps: enough for the strings of a site's templates; a template
#: that translates its data (a string a page) finds the rest asked again.
_KEPT_ANSWERS = 1024


def _template_gettext(translate: Callable[..., object], ntranslate: Callable[..., object]) -> dict[str, object]:
    """Jinja's new-style ``gettext``, ``ngettext`` and ``_`` over one locale's ``translate`` and ``ntranslate``
    (escaping or marking), which answer a string the same at every page: those answers are kept, in one table.
    A string's translation is kept under its arguments (``(msgid,)``, ``(singular, plural, n)``), when they are of
    exactly these types (others may not hash; ``True`` and ``1`` are kept apart); the text shown for a string asked
    without variables under autoescaping (``_("Skip to content")``), under the string itself."""
    from jinja2 import pass_context

    kept: dict[object, object] = {}

    def translation(func: Callable[..., object], args: tuple) -> object:
        answer = kept.get(args)
        if answer is None:
            answer = func(*args)
            if len(kept) < _KEPT_ANSWERS:  # a template translating its data asks the rest again
                kept[args] = answer
        return answer

    @pass_context
    def gettext(__context, __string: object, **variables: object) -> object:
        if type(__string) is not str:
            answer = translate(__string)
        elif variables or not __context.eval_ctx.autoescape:
            answer = translation(translate, (__string,))
        else:
            shown = kept.get(__string)
            if shown is None:
                shown = Markup(translation(translate, (__string,))) % variables
                if len(kept) < _KEPT_ANSWERS:
                    kept[__string] = shown
            return shown
        if __context.eval_ctx.autoescape:
            return _formatted(Markup(answer), variables)
        return answer % variables  # a format string even without variables, as Jinja's

    @pass_context
    def ngettext(__context, __singular: object, __plural: object, __num: object, **variables: object) -> object:
        variables.setdefault("num", __num)
        typed = type(__singular) is str and type(__plural) is str and type(__num) is int
        answer = (translation if typed else _called)(ntranslate, (__singular, __plural, __num))
        if __context.eval_ctx.autoescape:
            return _formatted(Markup(answer), variables)
        return answer % variables

    @pass_context
    def alias(__context, *args: object, **kwargs: object) -> object:
        """Jinja's ``_``: the context's ``gettext``, called as the context would (without its ``call`` for ours)."""
        if __context.resolve_or_missing("gettext") is gettext:
            return gettext(__context, *args, **kwargs)
        return __context.call(__context.resolve("gettext"), *args, **kwargs)

    return {"gettext": gettext, "ngettext": ngettext, "_": alias}


def _called(func: Callable[..., object], args: tuple) -> object:
    return func(*args)


#: A ``%`` of a format string: ``%(name)s`` or ``%%``; a translation made of no other is formatted by :func:`_formatted`.
_NAMED_TEXT = re.compile(r"%(?:\(([^()]*)\)s|%)")


@lru_cache(maxsize=_KEPT_ANSWERS)  # the translations of a site's templates
def _named_texts(text: str) -> tuple[str, ...] | None:
    """The names of ``text``'s ``%(name)s``, in order; None when it has another kind of ``%``."""
    if "%" in _NAMED_TEXT.sub("", text):
        return None
    return tuple(found.group(1) for found in _NAMED_TEXT.finditer(text) if found.group(1) is not None)


def _formatted(text: Markup, variables: dict) -> Markup:
    """``text % variables``, as Markup formats (each value escaped), without its helper object for every value."""
    names = _named_texts(text)
    if names is None:
        return text % variables
    return str.__new__(Markup, str.__mod__(text, {name: _escape(variables[name]) for name in names}))


#: The environment's globals :func:`_install` sets (Jinja's ``install_gettext_callables`` and ours).
_GETTEXT_GLOBALS = ("gettext", "ngettext", "pgettext", "npgettext", "_")


@lru_cache(maxsize=1)  # one class per process, made when Jinja is first needed
def _page_environment_class():
    """Jinja's environment, with the compiled templates' escaping and their attribute lookups on dicts
    made quicker; they answer as Jinja's own (:func:`_escape`, :meth:`getattr`)."""
    import jinja2

    class PageTemplate(jinja2.Template):
        @classmethod
        def from_code(cls, environment, code, globals, uptodate=None):
            template = super().from_code(environment, code, globals, uptodate)
            template.root_render_func.__globals__["escape"] = _escape  # the name every {{ value }} calls
            return template

    class PageEnvironment(jinja2.Environment):
        template_class = PageTemplate

        def getattr(self, obj, attribute):
            """Jinja's: the attribute, else the item. A dict's attribute can only be one of its class's
            (``items``): for any other name, the item, without the AttributeError Jinja asks for first."""
            if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            return jinja2.Environment.getattr(self, obj, attribute)

    return PageEnvironment


#: The names ``getattr`` finds on a dict (its class's, none of its own).
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escape(value: object) -> object:
    """``markupsafe.escape``, without its Python ``Markup.__new__`` for text and its copy of markup."""
    if type(value) is str:
        return str.__new__(Markup, _escape_text(value))
    if type(value) is Markup:
        return value
    return escape(value)


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
