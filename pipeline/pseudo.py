"""Pseudo-localization: machine-made catalogs that show what a real translation would break.

Two pseudo-locales, as Android and Chromium name them:

* ``en_XA`` (page ``lang="en-XA"``): every letter accented (``Ŵĥåţ îš``), each
  message lengthened by about a third and put between ``⟦`` and ``⟧``. Text
  that is too long for its box, an encoding that loses accents, and text that
  never went through a catalog (it has no brackets) all show at a glance.
* ``ar_XB`` (page ``lang="ar-XB" dir="rtl"``): each run of text is mirrored with
  the right-to-left override (U+202E ... U+202C) and the page is laid out right
  to left (``ar`` is a right-to-left language, and ``formats.site.locale_info``
  takes the direction from the language when Babel does not know the locale).

Markup (``<a1>``, ``</a1>``, ``<br/>``), placeholders (``%(name)s``, ``%s``,
``{name}``), entities and URLs are copied unchanged, so pseudo translations
pass ``pipeline check``. Pseudo-locales are never published: ``build`` treats
them as drafts whatever their completion (:func:`pipeline.build.article.build_article`).

Pseudo catalogs are regenerated from the templates on every run (nobody edits
them), so ``pipeline pseudo`` is also their ``update``.

:func:`pipeline.build.coverage.check_coverage` builds ``en_XA`` into a temporary copy of the
project and reports every visible text on its pages that is not inside the brackets,
i.e. that did not pass through a catalog. Deliberate exceptions (data, not
messages) are:

* elements marked ``translate="no"`` (HTML's own mark for "do not translate")
  or with a class in the ``skip_classes`` setting, with everything inside them;
* text whose ``lang`` is a third language, neither the page's nor the source
  language (a quotation, a title in its own language);
* links to another language version named in that language (``<a hreflang="zh-CN"
  lang="zh-CN">中文</a>``): the language switcher names each language in itself;
* text without letters (numbers, dates in digits, punctuation);
* values put into a message through a placeholder (the author's name, a date
  written by Babel from CLDR data): they sit inside the message's brackets.

A block marked as shown in the source language (``lang="en"`` from a build
fallback) is never exempt: that is exactly text that missed its catalog.
The site index is rendered in the source language only and is not checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: Pseudo-locale -> the language whose plural rules and direction it takes.
PSEUDO_LOCALES = {"en_XA": "en", "ar_XB": "ar"}
OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧: never in ordinary text, unlike [ ] ("[1]")
RLO, PDF = "\u202e", "\u202c"
#: Share of a message's length added to it: German or Finnish run about a third longer than English.
LENGTHEN = 0.35

_ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
    )
)
_TABLE = str.maketrans(_ACCENTED)
_FILLER = "ļöŕéɱ îþšûɱ ðöļöŕ šîţ åɱéţ çöñšéçţéţûŕ åðîþîšçîñĝ éļîţ šéð ðö éîûšɱöð ţéɱþöŕ"

#: What a pseudo translation copies unchanged: the message's tags, printf and
#: brace placeholders, character references and URLs.
PROTECTED = re.compile(
    r"</?[A-Za-z][\w-]*/?>"
    r"|%(?:\([A-Za-z_]\w*\))?[-#0+ ]*\d*(?:\.\d+)?[sdifrxXeEgGcou]|%%"
    r"|\{\{|\}\}|\{(?:[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}"
    r"|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
    r"|(?:https?://|www\.)[^\s<>\"']+"
)


def is_pseudo_locale(locale: str) -> bool:
    """``en_XA``, ``ar_XB`` and their ``-`` spellings."""
    return locale.replace("-", "_") in PSEUDO_LOCALES


def _segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_protected) in order."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in PROTECTED.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def accented(text: str) -> str:
    """The ``en_XA`` form of one message."""
    if not text:
        return text
    pieces = _segments(text)
    body = "".join(piece if protected else piece.translate(_TABLE) for piece, protected in pieces)
    visible = sum(len(piece) for piece, protected in pieces if not protected)
    extra = int(visible * LENGTHEN + 0.5)
    padding = (_FILLER * (1 + extra // len(_FILLER)))[:extra].strip()
    return f"{OPEN}{body}{' ' + padding if padding else ''}{CLOSE}"


def mirrored(text: str) -> str:
    """The ``ar_XB`` form of one message: each run of text shown right to left."""
    if not text:
        return text
    parts = []
    for piece, protected in _segments(text):
        if protected or not piece.strip():
            parts.append(piece)
        else:
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            parts.append(f"{lead}{RLO}{piece.strip()}{PDF}{trail}")
    return f"{OPEN}{''.join(parts)}{CLOSE}"


TRANSFORMS = {"en_XA": accented, "ar_XB": mirrored}


def pseudo_translate(locale: str, text: str) -> str:
    return TRANSFORMS[locale.replace("-", "_")](text)


# ---------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------


@dataclass
class PseudoFile:
    path: Path
    messages: int
    written: bool


@dataclass
class PseudoResult:
    files: list[PseudoFile] = field(default_factory=list)


def pseudo_catalog(template, locale: str):
    """A catalog of ``locale`` with every message of ``template`` pseudo-translated."""
    from pipeline.catalogs.model import new_catalog

    def translate(message, num_plurals: int) -> object:
        if not isinstance(message.id, (list, tuple)):
            return pseudo_translate(locale, message.id)
        singular, plural = message.id[0], message.id[1]
        forms = [pseudo_translate(locale, plural)] * num_plurals
        if num_plurals == 2:
            forms[0] = pseudo_translate(locale, singular)
        return tuple(forms)

    catalog = new_catalog(
        template,
        PSEUDO_LOCALES[locale],  # Babel does not know en_XA: take the plural rules of its language
        f"# Pseudo-translation ({locale}) made by `pipeline pseudo`; do not edit, it is remade.\n#",
        revision_date=template.creation_date,
        last_translator="pipeline pseudo",
        language_team=f"Pseudo-locale {locale}",
        translate=translate,
    )
    # The formats.po writer keeps raw header fields it was given: say the real locale name.
    generated = [(n, v) for n, v in catalog.mime_headers if n != "Generated-By"]
    catalog.set_header_fields([(n, locale if n == "Language" else v) for n, v in generated])
    return catalog


def make_pseudo_catalogs(project, locales: list[str] | tuple[str, ...] = ()) -> PseudoResult:
    """Write ``locales/<pseudo>/LC_MESSAGES/<domain>.po`` for every template; both pseudo-locales by default."""
    from pipeline.catalogs.model import template_domains
    from pipeline.errors import InvalidNameError, PipelineError
    from pipeline.formats.po import read_catalog, write_catalog

    chosen = [loc.replace("-", "_") for loc in locales] or list(PSEUDO_LOCALES)
    for locale in chosen:
        if locale not in PSEUDO_LOCALES:
            raise InvalidNameError(
                f"{locale!r} is not a pseudo-locale; choose from {', '.join(PSEUDO_LOCALES)}"
            )
    domains = template_domains(project)
    if not domains:
        raise PipelineError(f"no templates in {project.locales_dir}: run 'pipeline extract' first")
    result = PseudoResult()
    for domain in domains:
        template = read_catalog(project.template_path(domain))
        for locale in chosen:
            path = project.catalog_path(locale, domain)
            catalog = pseudo_catalog(template, locale)
            written = write_catalog(path, catalog)
            result.files.append(PseudoFile(path, sum(1 for m in catalog if m.id), written))
    return result


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------

COVERAGE_LOCALE = "en_XA"
#: Attributes whose text a reader sees or hears.
CHECKED_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
SKIPPED_ELEMENTS = frozenset({"script", "style", "template"})


@dataclass(frozen=True)
class UncoveredText:
    """Visible text on a pseudo-locale page that did not come from a catalog."""

    page: str  # path under the built site, e.g. en-XA/slug/index.html
    where: str  # "text in <footer>", "alt of <img>"
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.where}: {self.text!r}"


@dataclass
class CoverageResult:
    pages: list[str] = field(default_factory=list)
    uncovered: list[UncoveredText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _uncovered_letters(text: str, depth: int) -> tuple[bool, int]:
    """Whether ``text`` has a letter outside the brackets, and the bracket depth after it."""
    found = False
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char.isalpha() and not unicodedata.category(char).startswith("M"):
            found = True
    return found, depth


def _describe(element) -> str:
    name = element.tag
    if element.get("class"):
        name += "." + element.get("class").split()[0]
    return f"<{name}>"


class _PageScan:
    """Walks one page in document order, keeping the bracket depth across text nodes."""

    def __init__(
        self, page: str, page_lang: str, source_lang: str, skip_classes: tuple[str, ...], names: tuple[str, ...]
    ):
        self.page, self.page_lang, self.source_lang = page, page_lang, source_lang
        self.names = tuple(n for n in names if n)
        self.skip_classes = set(skip_classes)
        self.depth = 0
        self.found: list[UncoveredText] = []

    def exempt(self, element) -> bool:
        if element.get("translate", "").lower() == "no":
            return True
        if self.skip_classes & set((element.get("class") or "").split()):
            return True
        lang = element.get("lang")
        if lang is not None and lang not in (self.page_lang, self.source_lang):
            return True
        hreflang = element.get("hreflang")
        return element.tag == "a" and lang is not None and hreflang == lang

    def text(self, text: str | None, owner, exempt: bool) -> None:
        if not text:
            return
        for name in self.names:
            text = text.replace(name, " ")
        found, self.depth = _uncovered_letters(text, self.depth)
        if found and not exempt:
            self.found.append(UncoveredText(self.page, f"text in {_describe(owner)}", " ".join(text.split())))

    def attribute(self, element, name: str) -> None:
        value = element.get(name)
        if value and _uncovered_letters(value, 0)[0]:
            self.found.append(UncoveredText(self.page, f"{name} of {_describe(element)}", value))

    def walk(self, element, exempt: bool = False) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIPPED_ELEMENTS:
            return
        exempt = exempt or self.exempt(element)
        if not exempt:
            for name in CHECKED_ATTRIBUTES:
                self.attribute(element, name)
        self.text(element.text, element, exempt)
        for child in element:
            self.walk(child, exempt)
            self.text(child.tail, element, exempt)


def scan_page(
    path: Path, page: str, source_tag: str, skip_classes: tuple[str, ...], names: tuple[str, ...] = ()
) -> list[UncoveredText]:
    """Every visible text of one built page that lacks the pseudo brackets."""
    from lxml import html

    tree = html.fromstring(path.read_bytes())
    scan = _PageScan(page, tree.get("lang", ""), source_tag, skip_classes, names)
    title = tree.find(".//head/title")
    if title is not None:
        scan.text(title.text_content(), title, False)
        scan.depth = 0
    for meta in tree.xpath('//head/meta[@name="description"]'):
        scan.attribute(meta, "content")
    body = tree.find("body")
    if body is not None:
        scan.walk(body)
    return scan.found


