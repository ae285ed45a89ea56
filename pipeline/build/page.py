"""One article page: the template context made from the translated article, and its rendering."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from pipeline.build.catalogs import ArticleCatalog
from pipeline.build.rendering import Renderer
from pipeline.build.results import BuildWarning
from pipeline.build.translation import ArticleBlocks, TranslatedArticle, translate_article, usable_translations
from pipeline.formats.site import LocaleInfo, page_path, page_url
from pipeline.project import Project

if TYPE_CHECKING:
    from pipeline.formats import document as document_format


#: Reading speeds for the "N minutes read" line: words a minute for
#: space-separated scripts, characters a minute for Chinese, Japanese, Korean.
WORDS_PER_MINUTE = 230


CJK_CHARACTERS_PER_MINUTE = 400


_CJK_CHARACTERS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


_LETTER = r"[^\W\d_]"
_WORD_CHARACTER = r"[\w'’-]"
_WORD = re.compile(f"{_LETTER}{_WORD_CHARACTER}*", re.UNICODE)
_IN_WORD = re.compile(_WORD_CHARACTER, re.UNICODE)


def _word_part(character: str) -> str:
    """A character's part in :data:`_WORD`: "a" a letter, where a word may start; "" another character a word
    takes; " " one that ends a word."""
    if _WORD.fullmatch(character):
        return "a"
    return "" if _IN_WORD.fullmatch(character) else " "


#: Each ASCII character as its part in :data:`_WORD` (:func:`_word_part`): the letters' and the spaces' table,
#: and the other characters of a word, deleted.
_ASCII_WORD_PARTS = bytes(ord(_word_part(chr(code)) or " ") for code in range(128)) + b" " * 128
_ASCII_IN_WORD = bytes(code for code in range(128) if not _word_part(chr(code)))
_ASCII = bytes(range(128))


@dataclass
class Article:
    slug: str
    doc: document_format.Document
    catalogs: dict[str, object]  # locale -> Catalog or None
    completion: dict[str, float]
    published: list[str]  # locales published (source first)
    blocks: ArticleBlocks | None = None


def _reindent(element, depth: int, containers: frozenset[str] | set[str]) -> None:
    """Lay ``containers`` out one child a line, as the clean document does, whatever translation did."""
    if element.tag not in containers:
        return
    children = [c for c in element if isinstance(c.tag, str)]
    if not children or (element.text or "").strip() or any((c.tail or "").strip() for c in element):
        return
    element.text = "\n" + "  " * (depth + 1)
    for child in element:
        _reindent(child, depth + 1, containers)
        child.tail = "\n" + "  " * (depth + 1)
    element[-1].tail = "\n" + "  " * depth


def _inner_html(elements: Iterable) -> str:
    """The elements laid out (:func:`_reindent`), serialized one by one and joined by newlines."""
    from pipeline.formats.document import CONTAINER_TAGS

    elements = list(elements)
    for element in elements:
        _reindent(element, 0, CONTAINER_TAGS)
    return _joined_html(elements)


def _joined_html(elements: list) -> str:
    from lxml import html

    return "\n".join(html.tostring(element, encoding="unicode", method="html", with_tail=False) for element in elements)


#: A noncharacter that ends each group of the body's children when the body is serialized in one call
#: (:func:`_serialized_groups`); a body whose text holds one is serialized element by element.
_GROUP_END = "\ufdd5"


def _serialized_groups(body, groups: list[list]) -> list[str] | None:
    """:func:`_joined_html` of each group of ``body``'s children (all of them, in order), in one call.

    The body's text and its children's tails are set for the call (a newline between two elements of a
    group, :data:`_GROUP_END` after the body's start tag and after each group) and put back. An element
    is written the same inside its parent as alone (the serializer, and lxml.html's removal of a
    Content-Type meta, work within the element), so each piece between two ends is the group's
    :func:`_joined_html`. None when the body has children that are not elements (they would be written
    too) or its text holds :data:`_GROUP_END` (there are more pieces than groups).
    """
    from lxml import html

    filled = [group for group in groups if group]
    if sum(len(group) for group in filled) != len(body):
        return None
    text, tails = body.text, [child.tail for child in body]
    body.text = _GROUP_END
    for group in filled:
        for element in group:
            element.tail = "\n"
        group[-1].tail = _GROUP_END
    try:
        parts = html.tostring(body, encoding="unicode", method="html", with_tail=False).split(_GROUP_END)
    finally:
        body.text = text
        for child, tail in zip(body, tails):
            child.tail = tail
    if len(parts) != len(filled) + 2:
        return None
    pieces = iter(parts[1:-1])
    return [next(pieces) if group else "" for group in groups]


def _split_article(body) -> dict[str, object]:
    """The article's heading, its text, and its sources section, for the template."""
    from pipeline.formats.document import CONTAINER_TAGS

    children = [c for c in body if isinstance(c.tag, str)]
    heading = children[0] if children and children[0].tag == "h1" else None
    if heading is not None:
        children = children[1:]
    references = next(
        (c for c in children if c.tag == "section" and c.get("id") == "references"), None
    )
    before, after = children, []
    references_html = ""
    references_attrs: dict[str, str] = {}
    if references is not None:
        at = children.index(references)
        before, after = children[:at], children[at + 1 :]
        references_attrs = dict(references.attrib)
        references_html = _inner_html(c for c in references if isinstance(c.tag, str))
    for element in before + after:
        _reindent(element, 0, CONTAINER_TAGS)
    groups = [[heading] if heading is not None else [], before, [references] if references is not None else [], after]
    heading_html, body_html, _, after_html = _serialized_groups(body, groups) or [_joined_html(g) for g in groups]
    return {
        "heading_html": heading_html,
        "body_html": body_html,
        "after_html": after_html,
        "has_references": references is not None,
        "references_html": references_html,
        "references_attrs": references_attrs,
    }


def reading_minutes(body) -> int:
    """Minutes to read an article: words for spaced scripts, characters for CJK."""
    text = " ".join(_text_nodes()(body))
    data = text.encode("utf-8", "surrogatepass")
    beyond_ascii = _characters_beyond_ascii(data)
    cjk = 0
    # every character of _CJK_CHARACTERS is in U+3000-U+FFFF; their pattern is slow to compile
    # (it is compiled for the first text that may have some)
    if any("\u3000" <= character <= "\uffff" for character in beyond_ascii):
        # each character of the pattern's one class is a match: as many replaced as found
        text, cjk = _cjk_pattern().subn(" ", text)
        if cjk:
            data = text.encode("utf-8", "surrogatepass")
            beyond_ascii = _characters_beyond_ascii(data)
    minutes = _count_words(text, beyond_ascii) / WORDS_PER_MINUTE + cjk / CJK_CHARACTERS_PER_MINUTE
    return max(1, int(minutes + 0.5))


@lru_cache(maxsize=1)  # compiled once per process
def _text_nodes():
    """The text nodes under an element, in document order, as plain strings: what ``itertext()`` gives.

    The path expression walks the tree in libxml2 and makes no element objects (lxml.html's cost a
    lookup each). Each text node of an element or a tail is one string, as itertext's; the two differ
    where two text nodes stand side by side (only ``etree.strip_tags`` leaves them) or on entity
    references (never in a parsed HTML tree): the build makes neither.
    """
    from lxml import etree

    return etree.XPath("descendant::text()", smart_strings=False)


def _characters_beyond_ascii(data: bytes) -> set[str]:
    """The distinct characters beyond ASCII of a text's UTF-8 ``data``: what is left once the ASCII bytes are deleted."""
    rest = data.translate(None, _ASCII)
    return set(rest.decode("utf-8", "surrogatepass")) if rest else set()


def _count_words(text: str, beyond_ascii: set[str]) -> int:
    """``len(_WORD.findall(text))``, without the list of words (``beyond_ascii``: its characters beyond ASCII).

    A word starts at the first letter of a run of characters a word takes and takes the rest of the
    run, so there are as many words as runs holding a letter. Each character becomes its part
    (:func:`_word_part`: a letter "a", another character of a word nothing, any other a space),
    those beyond ASCII by replacing each of the few distinct ones; a run holding a letter is then
    an "a" at the start or after a space.
    """
    for character in beyond_ascii:
        text = text.replace(character, _known_word_part(character))
    parts = text.encode("ascii").translate(_ASCII_WORD_PARTS, _ASCII_IN_WORD)
    return parts.count(b" a") + parts.startswith(b"a")


@lru_cache(maxsize=4096)  # characters beyond ASCII of a site's languages: letters and punctuation of a few scripts
def _known_word_part(character: str) -> str:
    return _word_part(character)


@lru_cache(maxsize=1)  # the one pattern, compiled once per process
def _cjk_pattern() -> re.Pattern[str]:
    return re.compile(_CJK_CHARACTERS)


def iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _in_language(text: str, marks: str):
    """Data shown as it is in the source (a name) marked with its language (``marks``) on other pages."""
    from markupsafe import Markup, escape

    if not text or not marks:
        return text
    return Markup(f"<span{marks}>{escape(text)}</span>")  # what Markup.format gives, without its Formatter


def _date_context(value: str, info: LocaleInfo, source: LocaleInfo) -> dict[str, str] | None:
    """The date as the page writes it, or as the source does inside an untranslated sentence."""
    from pipeline.build.sourcemarks import page_or_source

    day = iso_date(value) if value else None
    if day is None:
        return None
    text = long_date(day, info.formatting_locale)
    if source.formatting_locale != info.formatting_locale:
        text = page_or_source(text, long_date(day, source.formatting_locale))
    return {"iso": day.isoformat(), "text": text}


def _languages_menu(
    article: Article, current: str, infos: dict[str, LocaleInfo], include_current: bool
) -> list[dict[str, object]]:
    locales = list(article.published)
    if include_current and current not in locales:
        locales.append(current)
    menu = []
    for locale in locales:
        info = infos[locale]
        menu.append(
            {
                "tag": info.tag,
                "name": info.native_name,
                "href": f"../../{page_path(info.tag, article.slug)}",
                "current": locale == current,
            }
        )
    return menu


def render_page(
    project: Project,
    renderer: Renderer,
    article: Article,
    locale: str,
    infos: dict[str, LocaleInfo],
    base_url: str,
    draft: bool,
    warnings: list[BuildWarning],
    errors: list[str] | None = None,
) -> tuple[str, TranslatedArticle]:
    """The page's HTML and the translated article it shows; the site catalog's warnings and errors are added."""
    from pipeline.build.sourcemarks import source_attributes

    errors = [] if errors is None else errors
    source, info = infos[project.settings.source_language], infos[locale]
    is_source = locale == project.settings.source_language
    translated = _translated(project, article, locale, source, info, is_source)
    marks = "" if is_source else source_attributes(source.tag, source.direction, info.direction)
    translations, site_warnings, site_errors = renderer.site_translations(None if is_source else locale)
    warnings.extend(site_warnings)
    errors.extend(site_errors)
    site_name = project.settings.site_name
    site_name_translated = translations.gettext(site_name) if site_name else ""
    context = {
        **_heading_context(site_name, site_name_translated, article, translated, source, marks, is_source),
        **_facts_context(article, translated, info, source, marks),
        **_links_context(project.settings, article, locale, translated, infos, base_url, draft),
        **_split_article(translated.body),
        **_page_metadata(article, locale, translated, site_name_translated, infos, base_url, draft),
    }
    text = renderer.render("article.html", translations, context, marks)
    return text, translated


def _translated(
    project: Project, article: Article, locale: str, source: LocaleInfo, info: LocaleInfo, is_source: bool
) -> TranslatedArticle:
    """The article in the locale, its refused translations' warnings with the catalog's path and their lines in it."""
    import dataclasses

    translated = translate_article(
        article.doc,
        usable_translations(article.catalogs.get(locale)),
        source.tag,
        project.settings.skip_classes,
        translate=not is_source,
        article_blocks=article.blocks,
        source_direction=source.direction if source.direction != info.direction else "",
    )
    if translated.rejected:  # (never on the source's page: nothing is translated there)
        # the catalog's path, made only for a page that has warnings
        path = project.catalog_path(locale, article.slug)
        warnings = [dataclasses.replace(warning, path=path) for warning in translated.warnings]
        translated.warnings = _with_lines(warnings, article.catalogs.get(locale))
    return translated


def _heading_context(
    site_name: str, site_name_translated: str, article: Article, translated: TranslatedArticle, source: LocaleInfo,
    marks: str, is_source: bool,
) -> dict[str, object]:
    """The site's name, the title and the lead, each marked when it shows the source text."""
    from markupsafe import Markup

    from pipeline.build.sourcemarks import marked_source_text

    untranslated_name = site_name_translated == site_name
    return {
        "site_name": marked_source_text(site_name_translated) if marks and untranslated_name else site_name_translated,
        "site_name_lang": source.tag if site_name and untranslated_name and not is_source else "",
        "root": "../../",
        "title": translated.title,
        "description": translated.description,
        # the lead paragraph and a heading made from the title, when they show the source text
        "title_attrs": Markup(marks) if marks and translated.title == article.doc.title else "",
        "description_attrs": Markup(marks) if marks and translated.description == article.doc.description else "",
    }


def _facts_context(
    article: Article, translated: TranslatedArticle, info: LocaleInfo, source: LocaleInfo, marks: str
) -> dict[str, object]:
    """The author, the dates and the reading time, written as the page's locale writes them."""
    from pipeline.build.sourcemarks import page_or_source

    minutes = reading_minutes(translated.body)
    return {
        "page": info,
        "source": source,
        "author": _in_language(article.doc.author, marks),
        "author_name": article.doc.author,
        "source_url": article.doc.source_url,
        "updated": _date_context(article.doc.modified, info, source),
        "published_date": _date_context(article.doc.published, info, source),
        "reading_minutes": minutes,
        "reading_minutes_text": page_or_source(
            _number_text(minutes, info.formatting_locale), _number_text(minutes, source.formatting_locale)
        ),
    }


def _links_context(
    settings, article: Article, locale: str, translated: TranslatedArticle, infos: dict[str, LocaleInfo],
    base_url: str, draft: bool,
) -> dict[str, object]:
    """The page's own URL and its other language versions, and what the page says of its translation."""
    from pipeline.build.sourcemarks import page_or_source

    info, source = infos[locale], infos[settings.source_language]
    alternates: list[tuple[str, str]] = []
    if not draft:
        alternates = [(infos[loc].tag, page_url(infos[loc].tag, article.slug, base_url)) for loc in article.published]
        alternates.append(("x-default", page_url(source.tag, article.slug, base_url)))
    return {
        "canonical": "" if draft else page_url(info.tag, article.slug, base_url),
        "alternates": alternates,
        "languages": _languages_menu(article, locale, infos, include_current=True),
        "draft": draft,
        "completion_text": _percent_text(article.completion[locale], info.formatting_locale),
        "partial": translated.fallbacks > 0,
        "derived_from": _derived_notice(settings, article.catalogs.get(locale), locale, article.slug, infos),
        "source_language_name": page_or_source(
            _language_name(source.formatting_locale, info.formatting_locale, source.native_name), source.native_name
        ),
    }


def _page_metadata(article: Article, locale: str, translated, site_name: str, infos, base_url: str, draft: bool) -> dict:
    """Open Graph, Twitter card and JSON-LD of the page, and its links to the home page and feed (:mod:`pipeline.build.pagemeta`)."""
    from pipeline.build.pagemeta import PageFacts, article_metadata

    doc = article.doc
    published, modified = (iso_date(value) if value else None for value in (doc.published, doc.modified))
    facts = PageFacts(
        article.slug, translated.title, translated.description, doc.author, site_name,
        published.isoformat() if published else "", modified.isoformat() if modified else "", doc.source_url, draft,
    )
    return article_metadata(facts, locale, article.published, infos, article.published[0], base_url)


def _with_lines(warnings: list[BuildWarning], catalog: ArticleCatalog | None) -> list[BuildWarning]:
    """The warnings, each with the line of its message in the catalog (a translator goes to file:line)."""
    import dataclasses

    if catalog is None:
        return warnings
    lines = catalog.lines
    return [dataclasses.replace(w, line=lines.get(w.msgid, 0)) if w.msgid and not w.line else w for w in warnings]


def _derived_notice(settings, catalog, locale: str, slug: str, infos: dict[str, LocaleInfo]) -> str:
    """The name of the locale a derived page was converted from, while any of it is unreviewed; else ""."""
    derivation = settings.derived.get(locale)
    if derivation is None or catalog is None or derivation.source not in infos:
        return ""
    from pipeline.catalogs.stats import catalog_stats
    from pipeline.catalogs.derive import convert

    if not catalog_stats(catalog, locale, slug, Path(slug), settings).derived:  # counted as stats counts it
        return ""
    return convert(derivation, infos[derivation.source].native_name)  # 简体中文 -> 簡體中文, in the page's script


# What depends only on a locale (and a number or a day that many pages share) is
# formatted once per process: Babel parses the locale's CLDR data at every call.


@lru_cache(maxsize=4096)
def long_date(day: datetime.date, formatting_locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=formatting_locale)


@lru_cache(maxsize=4096)
def _number_text(number: int, formatting_locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=formatting_locale)


@lru_cache(maxsize=4096)
def _percent_text(percent: float, formatting_locale: str) -> str:
    from pipeline.catalogs.completion import localized_percent_text

    return localized_percent_text(percent, formatting_locale)


@lru_cache(maxsize=256)
def _language_name(language: str, in_locale: str, native_name: str) -> str:
    """The name of the language of formatting locale ``language`` in the words of ``in_locale`` (English -> 英语);
    ``native_name`` when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).get_display_name(in_locale)
    except (UnknownLocaleError, ValueError):
        return native_name
