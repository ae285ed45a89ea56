"""The reader's site around the article pages: a home page and a feed per language, the root
language chooser, 404 pages and ``robots.txt``.

Made from the articles' manifest records (their ``listing``, see
:mod:`pipeline.build.listing`), never from the catalogs. Each file is remade only
when what it shows changed: its hash over exactly that (the site's settings
and templates, its locale's ``site.po``, the titles, descriptions and dates it
lists) is kept in the manifest's ``site`` table, so a saved catalog remakes
only the home page and feed of its own language, and only when it changed a
title or a description. A file this build no longer makes (a language with
nothing published any more) is removed.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from pipeline.build.page import long_date
from pipeline.build.state import combined_hash
from pipeline.build.feeds import FEED_NAME, UNKNOWN_TIME, Feed, FeedEntry, day_time, feed_xml, iso_day, provisional_id
from pipeline.formats.site import LocaleInfo
from pipeline.fsutil import write_if_changed
from pipeline.project import confine
from pipeline.build.sourcemarks import source_attributes

HOME_NAME = "index.html"
NOT_FOUND_NAME = "404.html"
ROBOTS_NAME = "robots.txt"


@dataclass(frozen=True)
class SiteInputs:
    """What the site pages depend on besides the article records."""

    output: Path
    base_url: str
    site_name: str
    #: Every locale of the site, the source first.
    locales: list[str]
    infos: dict[str, LocaleInfo]
    #: Hash of the settings, templates, tool version and flags (the build's site hash).
    site_hash: str
    #: locale -> hash of its ``site.po``.
    site_catalogs: dict[str, str]
    include_drafts: bool
    #: Put before ``</body>`` of the HTML pages (``pipeline serve``'s reload script), or "".
    preview_script: str = ""
    checked_output: set[str] = field(default_factory=set)


@dataclass
class SitePages:
    #: Path under the output -> hash of what the file shows (the manifest's ``site`` table).
    hashes: dict[str, str] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    rendered: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    #: The warnings of reading a locale's site.po (the build's own objects).
    warnings: list[object] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _listing(record: dict) -> dict:
    listing = record.get("listing")
    return listing if isinstance(listing, dict) else {}


def home_locales(inputs: SiteInputs, articles: list[dict]) -> list[str]:
    """The languages with a home page: the source, and every other one that lists an article."""
    listed = {loc for record in articles for loc in _listing(record).get("locales", {})}
    return [loc for position, loc in enumerate(inputs.locales) if position == 0 or loc in listed]


def _entries(articles: list[dict], locale: str, drafts: bool) -> list[dict]:
    """The articles a locale's home page (``drafts``) or feed lists, newest first (then by slug)."""
    entries = []
    for record in sorted(articles, key=lambda r: r["slug"]):
        listing = _listing(record)
        entry = listing.get("locales", {}).get(locale)
        is_draft = locale not in record.get("published", [])
        if not isinstance(entry, dict) or (is_draft and not drafts):
            continue
        # "" when neither is a date: such an entry sorts last
        day = iso_day(listing.get("published", "")) or iso_day(listing.get("modified", ""))
        entries.append(
            {"slug": record["slug"], "draft": is_draft, "day": day, "modified": listing.get("modified", ""),
             "published": listing.get("published", ""), "author": listing.get("author", ""),
             **{key: value for key, value in entry.items() if key != "catalog"}}  # shown: not the catalog's hash
        )
    entries.sort(key=lambda e: e["day"], reverse=True)  # stable: equal days keep the slug order
    return entries


def _url(inputs: SiteInputs, path: str, relative: str) -> str:
    """``path`` under the base URL, or ``relative`` (to the page that links) without one."""
    return f"{inputs.base_url}/{path}" if inputs.base_url else relative


def _language_links(inputs: SiteInputs, locales: list[str], prefix: str, current: str = "") -> list[dict]:
    return [
        {"tag": inputs.infos[loc].tag, "name": inputs.infos[loc].native_name, "dir": inputs.infos[loc].direction,
         "href": f"{prefix}{inputs.infos[loc].tag}/{HOME_NAME}", "current": loc == current}
        for loc in locales
    ]


def _date(day: str, info: LocaleInfo) -> dict[str, str] | None:
    if not day:
        return None
    return {"iso": day, "text": long_date(datetime.date.fromisoformat(day), info.formatting_locale)}


class _Writer:
    """Writes each site file whose hash changed, and records every hash."""

    def __init__(self, inputs: SiteInputs, old_hashes: dict, result: SitePages) -> None:
        self.inputs, self.old, self.result = inputs, old_hashes if isinstance(old_hashes, dict) else {}, result

    def file(self, name: str, shown: object, make: Callable[[], bytes]) -> None:
        digest = combined_hash(self.inputs.site_hash, name, shown)
        path = self.inputs.output / name
        self.result.hashes[name] = digest
        self.result.paths.append(path)
        if self.old.get(name) == digest and path.is_file():
            return
        checked = confine(self.inputs.output, path, self.inputs.checked_output, "the output folder")
        write_if_changed(checked, make(), durable=False)
        self.result.rendered.append(path)

    def html(self, text: str) -> bytes:
        if self.inputs.preview_script:
            head, tail = text.rsplit("</body>", 1)
            text = head + self.inputs.preview_script + "</body>" + tail
        return text.encode("utf-8")

    def remove_others(self) -> None:
        for name in sorted(set(self.old) - set(self.result.hashes)):
            path = self.inputs.output / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
                self.result.removed.append(path)
                if path.parent != self.inputs.output and not any(path.parent.iterdir()):
                    path.parent.rmdir()


def write_site_pages(inputs: SiteInputs, renderer, articles: list[dict], old_hashes: dict) -> SitePages:
    """Write the site pages that changed; ``renderer`` is the build's (templates and ``site.po`` loaded once)."""
    result = SitePages()
    writer = _Writer(inputs, old_hashes, result)
    locales = home_locales(inputs, articles)
    for locale in locales:
        _locale_pages(inputs, renderer, writer, articles, locale, locales)
    _root_pages(inputs, renderer, writer, locales)
    writer.remove_others()
    return result


def _site_text(inputs: SiteInputs, renderer, locale: str | None, result: SitePages):
    translations, warnings, errors = renderer.site_translations(locale)
    result.warnings.extend(w for w in warnings if w not in result.warnings)
    result.errors.extend(e for e in errors if e not in result.errors)
    name = translations.gettext(inputs.site_name) if inputs.site_name else ""
    return translations, name, name or translations.gettext("Articles")


def _base_context(inputs: SiteInputs, info: LocaleInfo, site_name: str, root: str, home: str, is_source: bool) -> dict:
    return {
        "page": info,
        "site_name": site_name,
        "site_name_lang": inputs.infos[inputs.locales[0]].tag
        if inputs.site_name and site_name == inputs.site_name and not is_source else "",
        "root": root,
        "home": home,
    }


def _locale_pages(inputs: SiteInputs, renderer, writer: _Writer, articles: list[dict], locale: str,
                  locales: list[str]) -> None:
    """The locale's home page, feed and 404 page."""
    info = inputs.infos[locale]
    is_source = locale == inputs.locales[0]
    source = inputs.infos[inputs.locales[0]]
    # how text left in the source language is marked on this page (see pipeline.build.sourcemarks)
    marks = "" if is_source else source_attributes(source.tag, source.direction, info.direction)
    catalog = inputs.site_catalogs.get(locale, "")
    home_entries = _entries(articles, locale, inputs.include_drafts)
    # read (the locale's site.po) only when a page is made: an up-to-date site reads no catalog
    texts = functools.cache(lambda: _site_text(inputs, renderer, None if is_source else locale, writer.result))

    def home() -> bytes:
        translations, site_name, _ = texts()
        context = _base_context(inputs, info, site_name, "../", HOME_NAME, is_source)
        context["source_marks"] = Markup(marks)
        context.update(
            canonical=_url(inputs, f"{info.tag}/", ""),
            alternates=[(inputs.infos[loc].tag, _url(inputs, f"{inputs.infos[loc].tag}/", f"../{inputs.infos[loc].tag}/"))
                        for loc in locales] + [("x-default", _url(inputs, "", "../"))],
            languages=_language_links(inputs, locales, "../", current=locale),
            feed={"href": _url(inputs, f"{info.tag}/{FEED_NAME}", FEED_NAME), "hreflang": info.tag},
            entries=[
                {"title_lang": "", "description_lang": "", **entry, "href": f"{entry['slug']}/{HOME_NAME}",
                 "date": _date(entry["day"], info)}
                for entry in home_entries
            ],
        )
        return writer.html(renderer.render("home.html", translations, context, source_marks=marks))

    writer.file(f"{info.tag}/{HOME_NAME}", [catalog, locales, home_entries], home)
    feed_entries = [entry for entry in home_entries if not entry["draft"]]
    writer.file(f"{info.tag}/{FEED_NAME}", [catalog, feed_entries],
                lambda: feed_xml(_feed(inputs, info, texts()[2], feed_entries)))

    def not_found() -> bytes:
        translations, site_name, _ = texts()
        root = f"{inputs.base_url}/" if inputs.base_url else "/"  # served at any address: no relative links
        context = _base_context(inputs, info, site_name, root, f"{root}{info.tag}/{HOME_NAME}", is_source)
        context.update(languages=[], chooser_href=f"{root}{HOME_NAME}")
        return writer.html(renderer.render("404.html", translations, context, source_marks=marks))

    writer.file(f"{info.tag}/{NOT_FOUND_NAME}", [catalog], not_found)


def _feed(inputs: SiteInputs, info: LocaleInfo, title: str, entries: list[dict]) -> Feed:
    def entry_id(path: str, url: str) -> str:
        return url if inputs.base_url else provisional_id(inputs.site_name, path)

    items = []
    for entry in entries:
        path = f"{info.tag}/{entry['slug']}/"
        url = _url(inputs, path, f"{entry['slug']}/")
        items.append(
            FeedEntry(
                id=entry_id(path, url),
                title=entry["title"],
                url=url,
                updated=day_time(entry["modified"]) or day_time(entry["published"]) or entry.get("revised") or UNKNOWN_TIME,
                published=day_time(entry["published"]),
                summary=entry.get("description", ""),
                author=entry["author"],
                title_lang=entry.get("title_lang", ""),
                summary_lang=entry.get("description_lang", ""),
            )
        )
    home_url = _url(inputs, f"{info.tag}/", "./")
    return Feed(
        id=entry_id(f"{info.tag}/", home_url),
        lang=info.tag,
        title=title,
        author=title,
        self_url=_url(inputs, f"{info.tag}/{FEED_NAME}", FEED_NAME),
        home_url=home_url,
        entries=tuple(items),
    )


def _root_pages(inputs: SiteInputs, renderer, writer: _Writer, locales: list[str]) -> None:
    """The language chooser, the root 404 page and ``robots.txt``."""
    source = inputs.locales[0]
    info = inputs.infos[source]
    texts = functools.cache(lambda: _site_text(inputs, renderer, None, writer.result))

    def chooser() -> bytes:
        translations, site_name, _ = texts()
        context = _base_context(inputs, info, site_name, "", HOME_NAME, True)
        context.update(
            canonical=_url(inputs, "", ""),
            alternates=[(inputs.infos[loc].tag, _url(inputs, f"{inputs.infos[loc].tag}/", f"{inputs.infos[loc].tag}/"))
                        for loc in locales] + [("x-default", _url(inputs, "", "./"))],
            languages=_language_links(inputs, locales, ""),
        )
        return writer.html(renderer.render("chooser.html", translations, context))

    writer.file(HOME_NAME, [locales], chooser)

    def not_found() -> bytes:
        translations, site_name, _ = texts()
        root = f"{inputs.base_url}/" if inputs.base_url else "/"
        context = _base_context(inputs, info, site_name, root, f"{root}{HOME_NAME}", True)
        context.update(languages=_language_links(inputs, locales, root), chooser_href=f"{root}{HOME_NAME}")
        return writer.html(renderer.render("404.html", translations, context))

    writer.file(NOT_FOUND_NAME, [locales], not_found)
    writer.file(ROBOTS_NAME, [], lambda: robots_txt(inputs.base_url).encode("utf-8"))


def robots_txt(base_url: str) -> str:
    """Everything may be crawled; the sitemap is named when its absolute URL is known."""
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines += ["", f"Sitemap: {base_url}/sitemap.xml"]
    return "\n".join(lines) + "\n"

