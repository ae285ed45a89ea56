"""What a built site is made of besides its pages: locale facts, URLs, the sitemap.

Kept apart from the build stage so that ``serve``/``publish`` and the tests can
compute the same URLs and language tags without rendering anything.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from functools import cached_property

#: gettext ``@modifier`` values that name a script, as BCP 47 writes it.
SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "devanagari": "Deva"}

#: Languages written right to left, for locales Babel does not know.
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def language_tag(locale: str) -> str:
    """The BCP 47 tag of a gettext locale name: ``zh_CN`` -> ``zh-CN``, ``sr_RS@latin`` -> ``sr-Latn-RS``.

    Built from the name as written, not from Babel's parse, which adds likely
    subtags (``zh_CN`` would become ``zh-Hans-CN``) that hreflang consumers do
    not expect.
    """
    name, _, modifier = locale.partition("@")
    parts = name.replace("-", "_").split("_")
    parts[0] = parts[0].lower()
    for index in range(1, len(parts)):
        part = parts[index]
        if len(part) == 4 and part.isalpha():
            parts[index] = part.title()  # script: Hans, Latn
        elif len(part) in (2, 3):
            parts[index] = part.upper()  # region: CN, 419
    script = SCRIPT_MODIFIERS.get(modifier.lower()) if modifier else None
    if script and not any(len(p) == 4 and p.isalpha() for p in parts[1:]):
        parts.insert(1, script)
    return "-".join(parts)


@dataclass(frozen=True)
class LocaleInfo:
    """How a locale shows on a page: its tag, writing direction and own name.

    Only the tag is computed at once: the rest comes from Babel's CLDR data,
    loaded when a page is rendered (a build that renders nothing, the common
    case of an incremental build, does not load it: half a second).
    """

    #: The gettext name used for folders and catalogs (``zh_CN``).
    name: str
    #: The BCP 47 tag used in ``lang``, ``hreflang`` and output folders (``zh-CN``).
    tag: str
    #: The formatting locale used when Babel does not know the locale.
    fallback_formatting: str = "en"

    @cached_property
    def _facts(self) -> tuple[str, str, str]:
        return _babel_facts(self.name, self.tag, self.fallback_formatting)

    @property
    def direction(self) -> str:
        """``ltr`` or ``rtl``."""
        return self._facts[0]

    @property
    def native_name(self) -> str:
        """The language's name in itself (``中文 (简体, 中国)``)."""
        return self._facts[1]

    @property
    def formatting_locale(self) -> str:
        """The Babel locale used to format dates and numbers (a near one when Babel
        does not know the exact locale, e.g. a pseudo-locale)."""
        return self._facts[2]


def native_language_name(locale) -> str:
    """How speakers name their language in a menu: 简体中文, português europeu, English.

    CLDR's own name for the whole identifier comes first (it has the forms
    people use, such as 简体中文 for Chinese in Simplified script); the generic
    "language (script, territory)" form is the last resort.
    """
    from babel.core import get_global

    languages = locale.languages
    if locale.territory and str(locale) in languages:
        return languages[str(locale)]
    likely = get_global("likely_subtags").get(str(locale), "").split("_")  # zh_CN -> zh_Hans_CN
    script = locale.script or (likely[1] if len(likely) == 3 else "")
    if script and f"{locale.language}_{script}" in languages:
        return languages[f"{locale.language}_{script}"]
    return locale.get_display_name(locale) or ""


def locale_info(name: str, fallback_formatting: str = "en") -> LocaleInfo:
    """Facts about a locale from Babel's CLDR data, with safe fallbacks for unknown ones."""
    return LocaleInfo(name=name, tag=language_tag(name), fallback_formatting=fallback_formatting)


def _babel_facts(name: str, tag: str, fallback_formatting: str) -> tuple[str, str, str]:
    """(direction, native name, formatting locale) of a locale."""
    from babel import Locale, UnknownLocaleError

    babel_locale = None
    language_only = name.split("_")[0].split("-")[0].split("@")[0]
    # the tag first: it carries the script a modifier names (sr_RS@latin is sr-Latn-RS)
    for candidate in (tag, name.partition("@")[0], language_only):
        try:
            babel_locale = Locale.parse(candidate.replace("-", "_"))
            break
        except (UnknownLocaleError, ValueError):
            continue
    whole = candidate != language_only or language_only == name
    if babel_locale is None:
        language = tag.split("-")[0]
        return ("rtl" if language in RTL_LANGUAGES else "ltr", tag, fallback_formatting)
    direction = "rtl" if babel_locale.character_order == "right-to-left" else "ltr"
    native = native_language_name(babel_locale) or tag
    region = "" if whole else _region_name(name, babel_locale)
    if region:
        native = f"{native} ({region})"
    # CLDR gives lowercase names for some languages ("français"); a menu entry starts a line.
    native = native[:1].upper() + native[1:]
    return (direction, native, str(babel_locale))


def _region_name(name: str, language) -> str:
    """The region of an identifier Babel does not know as a whole, named in its language.

    Without it the pseudo-locale ar_XB would be named العربية, as ar is, and a reader's
    language chooser would offer two of them; CLDR names the pseudo-regions (XA
    Pseudo-Accents, XB Pseudo-Bidi) as it names countries.
    """
    for part in re.split(r"[_-]", name.partition("@")[0])[1:]:
        if (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            return language.territories.get(part.upper(), "")
    return ""


def page_path(tag: str, slug: str) -> str:
    """A page's path under the output folder, with ``/`` separators."""
    return f"{tag}/{slug}/index.html"


def page_url(tag: str, slug: str, base_url: str, from_page: bool = True) -> str:
    """The URL of a page as canonical, hreflang and the sitemap write it.

    With a base URL it is absolute (``https://example.org/zh-CN/slug/``);
    without one it is relative to a page (``../../zh-CN/slug/``) or to the site
    root (``zh-CN/slug/``).
    """
    if base_url:
        return f"{base_url.rstrip('/')}/{tag}/{slug}/"
    return f"{'../../' if from_page else ''}{tag}/{slug}/"


# The sitemap's escaping is xml.sax.saxutils' escape and quoteattr, written out: importing
# that module loads urllib.request, and with it http, ssl and email, into every build.


def xml_text(data: str) -> str:
    """``data`` escaped for XML text, as ``xml.sax.saxutils.escape(data)`` gives it."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def xml_attribute(data: str) -> str:
    """``data`` escaped and quoted for an XML attribute, as ``xml.sax.saxutils.quoteattr(data)`` gives it."""
    data = xml_text(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


@dataclass(frozen=True)
class SitemapEntry:
    """One published page and its language alternates ((hreflang, url), ...)."""

    loc: str
    alternates: tuple[tuple[str, str], ...]
    lastmod: str = ""


def sitemap_xml(entries: list[SitemapEntry]) -> str:
    """A sitemap with ``xhtml:link`` alternates, as search engines document it.

    Written by hand rather than through an XML library so that the bytes are
    stable across library versions (the build must be reproducible).
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    links: dict[tuple[tuple[str, str], ...], list[str]] = {}  # an article's pages share their alternates
    for entry in entries:
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_text(entry.loc)}</loc>")
        if entry.lastmod:
            lines.append(f"    <lastmod>{xml_text(entry.lastmod)}</lastmod>")
        if entry.alternates not in links:
            links[entry.alternates] = [
                f'    <xhtml:link rel="alternate" hreflang={xml_attribute(hreflang)} href={xml_attribute(href)}/>'
                for hreflang, href in entry.alternates
            ]
        lines.extend(links[entry.alternates])
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
