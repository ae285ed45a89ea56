"""Checks of translations: what a translator must fix before a page is built.

:mod:`pipeline.pairchecks` looks at one translation (markup, placeholders,
numbers, URLs); :func:`check_catalog` reads a whole catalog and adds syntax, plural,
fuzzy and untranslated findings, each with its file and line;
:func:`check_project` is what ``pipeline check`` reports: every catalog's
findings and the glossary's, from one read of each catalog (``publish`` asks it
too, and reuses the catalogs it read). The build calls :func:`check_pair` to
decide whether a translation can be used.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from pipeline.catalogs.model import PoCatalog
from pipeline.names import SITE_DOMAIN, validate_locale_name
from pipeline.errors import CatalogError
from pipeline.findings import ERROR, INFO, WARNING, Finding, Problem
from pipeline.pairchecks import check_characters, check_markup, check_pair, placeholders, translation_errors

if TYPE_CHECKING:
    from pipeline.project import Project

def _catalog_error_finding(path: Path, error: CatalogError) -> Finding:
    text = error.message
    match = re.match(r"^(.*?):(\d+): (.*)$", text, re.S)
    line, message = (int(match.group(2)), match.group(3)) if match else (0, text)
    message = message.removeprefix(f"{path}: ")  # "PATH: cannot read: ...": the finding names the path already
    return Finding(path, line, "", Problem(ERROR, error.code, message))


def check_catalog(path: Path, source_language: str = "en") -> list[Finding]:
    """Every problem of one catalog, in file order; syntax errors are findings, never exceptions.

    ``source_language``: the project's, in which the msgids' numbers and dates are written.
    """
    return _read_and_check(Path(path), source_language)[1]


def _read_and_check(path: Path, source_language: str) -> tuple[PoCatalog | None, list[Finding]]:
    """The catalog as read (None when it cannot be read) and its findings."""
    from pipeline.formats.po import read_catalog

    try:
        catalog = read_catalog(path)
    except CatalogError as error:
        return None, [_catalog_error_finding(path, error)]
    findings = [  # what the reader tolerated: an unusual charset or header
        Finding(path, w.line, "", Problem(WARNING, w.code, w.message)) for w in catalog.read_warnings
    ]
    if path.suffix == ".pot":
        return catalog, findings  # a template's messages have no translation to check
    findings += _entries_not_in_template(path, catalog)
    if not catalog.locale_identifier:
        findings.append(Finding(path, 1, "", Problem(WARNING, "header", "the header has no Language field")))
    findings += _message_findings(path, catalog, source_language)
    return catalog, findings


def _message_findings(path: Path, catalog: PoCatalog, source_language: str) -> list[Finding]:
    """The findings of each message's translation, in file order."""
    from pipeline.formats.po import messages

    findings: list[Finding] = []
    nplurals = catalog.num_plurals
    shape = CatalogShape.of(catalog, path.stem)
    for message in messages(catalog):  # not iter(catalog): Babel would format its header's dates
        line = message.lineno or 0
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]

        def add(problem: Problem) -> None:
            findings.append(Finding(path, line, msgid, problem))

        if isinstance(message.id, (list, tuple)) and len(strings) != nplurals:
            add(Problem(ERROR, "plural", f"{len(strings)} plural forms where the Plural-Forms header says {nplurals}"))
        if not any(strings) or not all(strings):
            add(Problem(INFO, "untranslated", "not translated yet"))
            if not any(strings):
                continue
        if message.fuzzy:
            add(Problem(INFO, "fuzzy", "marked fuzzy: review the translation and remove the fuzzy mark"))
            continue  # not used until reviewed; checked again then
        ids = tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)
        for problem in message_problems(ids, tuple(strings), shape, source_language):
            add(problem)
    return findings


def _entries_not_in_template(path: Path, catalog) -> list[Finding]:
    """A warning when the catalog holds far more entries than its template knows (see :mod:`pipeline.formats.templatefit`)."""
    from pipeline.formats.po import messages, read_catalog
    from pipeline.formats.templatefit import MAX_ENTRIES_NOT_IN_TEMPLATE, entries_not_in_template, excess_entries_warning

    if len(messages(catalog)) + len(catalog.obsolete) <= MAX_ENTRIES_NOT_IN_TEMPLATE:
        return []  # too few entries to be past the limit, whatever the template holds
    template_path = path.parent.parent.parent / f"{path.stem}.pot"  # locales/<locale>/LC_MESSAGES/<domain>.po
    try:
        template = read_catalog(template_path)
    except CatalogError:
        return []  # no template to compare with: check reports catalogs, extract makes templates
    count = entries_not_in_template(catalog, template)
    if count <= MAX_ENTRIES_NOT_IN_TEMPLATE:
        return []
    return [Finding(path, 1, "", Problem(WARNING, "template", excess_entries_warning(count, template_path)))]


_NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
_BARE_PERCENT = re.compile(r"%(?!\(\w+\)[sdif]|%)")


@dataclass(frozen=True)
class CatalogShape:
    """What the checks of a message need to know of its catalog."""

    #: The catalog's language (its numbers may be written its way).
    language: str = ""
    #: Plural forms that only a few numbers take (Arabic's 0, 1 and 2; English's singular).
    few_number_forms: frozenset[int] = frozenset()
    #: Translations the build formats with ``%`` (the page templates' catalog).
    formatted: bool = False

    @classmethod
    def of(cls, catalog, domain: str) -> "CatalogShape":
        return cls(
            language=catalog.locale_identifier or "",
            few_number_forms=few_number_forms(catalog.plural_expr),
            formatted=domain == SITE_DOMAIN,
        )


#: msgfmt -c compares a plural form strictly with msgid_plural when at least this many
#: numbers of 0..1000 take it (found by trying msgfmt: 4 numbers are "few", 5 are not).
MANY_NUMBERS = 5


@lru_cache(maxsize=64)
def few_number_forms(expression: str) -> frozenset[int]:
    """The forms that fewer than :data:`MANY_NUMBERS` numbers of 0..1000 take, as msgfmt counts them.

    GNU msgfmt lets such a form leave out a named placeholder (Arabic writes
    "قراءة دقيقتين", "a two-minute read", without the 2; French "une
    minute" for 0 and 1): the form itself says which number it is.
    """
    from pipeline.formats.plurals import CHECKED_NUMBERS, PluralFormsError, plural_function

    try:
        form_of = plural_function(expression or "0")
    except PluralFormsError:
        return frozenset()  # the reader reports the header itself
    counts = Counter(form_of(n) for n in CHECKED_NUMBERS)
    return frozenset(form for form in range(max(counts, default=0) + 1) if counts[form] < MANY_NUMBERS)


def check_template_format(msgids: tuple[str, ...], msgstr: str) -> list[Problem]:
    """Why a page template's translation would break the page when its variables are filled in."""
    names = {name for text in msgids for name in _NAMED_PLACEHOLDER.findall(text)} | {"num"}
    unknown = sorted(set(_NAMED_PLACEHOLDER.findall(msgstr)) - names)
    if unknown:
        return [Problem(ERROR, "placeholder", "unknown placeholder " + ", ".join(f"%({n})s" for n in unknown))]
    if _BARE_PERCENT.search(msgstr):
        return [Problem(ERROR, "placeholder", "a lone % sign; write %% for a literal percent sign")]
    try:
        msgstr % {name: "" for name in names}
    except (KeyError, ValueError, TypeError) as exc:
        return [Problem(ERROR, "placeholder", f"cannot be formatted: {exc}")]
    return []


def _named(placeholders: Counter[str]) -> set[str]:
    return {p for p in placeholders if p.startswith("%(") or (p.startswith("{") and not p[1:2].isdigit() and p != "{}")}


def _check_plural(plural: str, strings: list[str], few_numbers: frozenset[int]) -> list[Problem]:
    """Plural forms, as GNU msgfmt -c compares them with ``msgid_plural``.

    Named placeholders may be left out of a form only a few numbers take; a
    form may bring in none of its own; unnamed ones (``%d``) are kept in
    every form, since their order says which value each one is.
    """
    problems: list[Problem] = []
    source = placeholders(plural)
    source_named = _named(source)
    source_unnamed = Counter({p: c for p, c in source.items() if p not in source_named})
    for form, string in enumerate(strings):
        if not string:
            continue
        problems += check_characters(plural, string) + check_markup(plural, string)
        found = placeholders(string)
        named = _named(found)
        unnamed = Counter({p: c for p, c in found.items() if p not in named})
        extra = sorted(named - source_named) + sorted((unnamed - source_unnamed).elements())
        missing = sorted(source_named - named) if form not in few_numbers else []
        missing += sorted((source_unnamed - unnamed).elements())
        if extra:
            problems.append(Problem(ERROR, "placeholder", f"placeholders not in the source: {', '.join(extra)}; copy them unchanged"))
        elif missing:
            problems.append(Problem(ERROR, "placeholder", f"plural form {form} lacks {', '.join(missing)} (only a form that a few numbers take, like Arabic's 0, 1 and 2, may leave a name out); copy it unchanged"))
    return problems


def message_problems(
    ids: tuple[str, ...], strings: tuple[str, ...], shape: CatalogShape, source_language: str = "en", errors_only: bool = False
) -> list[Problem]:
    """The problems of a message's translation (``ids``: msgid and any msgid_plural; ``strings``: its forms).

    What ``check`` reports; its errors are what the build refuses
    (:mod:`pipeline.catalogs.completion`).
    """
    if len(ids) > 1:
        problems = _check_plural(ids[1], strings, shape.few_number_forms)
    elif errors_only:
        problems = translation_errors(ids[0], strings[0])
    else:
        problems = check_pair(ids[0], strings[0], source_language, shape.language)
    if shape.formatted and not any(p.code == "placeholder" for p in problems):
        problems += [p for string in strings if string for p in check_template_format(ids, string)][:1]
    return [p for p in problems if p.severity == ERROR] if errors_only else problems


def catalog_paths(locales_dir: Path, locales: list[str]) -> list[Path]:
    """The ``.po`` files of ``locales``, sorted."""
    paths: list[Path] = []
    for locale in locales:
        folder = locales_dir / locale / "LC_MESSAGES"
        paths += sorted(folder.glob("*.po")) if folder.is_dir() else []
    return paths


@dataclass(frozen=True)
class CatalogCheck:
    """One catalog as ``check`` read it."""

    path: Path
    #: The catalog as read, for figures that need it too; None when it cannot be read.
    catalog: PoCatalog | None
    findings: list[Finding]
    #: The glossary's warnings.
    glossary: list[Finding]

    @property
    def locale(self) -> str:
        return self.path.parent.parent.name  # locales/<locale>/LC_MESSAGES/<domain>.po


@dataclass(frozen=True)
class ProjectCheck:
    catalogs: list[CatalogCheck]

    @property
    def paths(self) -> list[Path]:
        return [checked.path for checked in self.catalogs]

    @property
    def findings(self) -> list[Finding]:
        """Every catalog's findings, then the glossary's, as ``check`` lists them."""
        return [f for checked in self.catalogs for f in checked.findings] + [
            f for checked in self.catalogs for f in checked.glossary
        ]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.problem.severity == ERROR]


def check_project(project: Project, locales: Sequence[str] = (), glossary: bool = True) -> ProjectCheck:
    """What ``pipeline check`` reports for the catalogs of ``locales`` (every locale when empty).

    With ``glossary``, the glossary's warnings too (a glossary that cannot be
    read raises its error); each catalog is read once for both.
    """
    # Imported here: the build's checks do not need the glossary.
    from pipeline.catalogs.glossary import catalog_glossary_findings, project_glossary

    chosen = [validate_locale_name(locale) for locale in locales] or project.catalog_locales()
    paths = catalog_paths(project.locales_dir, chosen)
    source_language = project.settings.source_language
    terms = project_glossary(project.locales_dir, source_language) if glossary else None
    checked = []
    for path in paths:
        catalog, findings = _read_and_check(path, source_language)
        breaks = catalog_glossary_findings(path, catalog, terms) if terms is not None and catalog is not None else []
        checked.append(CatalogCheck(path, catalog, findings, breaks))
    return ProjectCheck(checked)
