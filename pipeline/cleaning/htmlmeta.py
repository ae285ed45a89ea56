"""What a web page says about its article: title, language, author, dates.

Read from the page's own declarations, best first: JSON-LD (schema.org
``Article``), Open Graph and ``<meta>`` tags, then the visible page. Only the
declared language is read here; ``language`` tells it from the article's text
(when the page declares none, or its interface is in another language).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import etree

from pipeline.cleaning.tree import collapse_unicode_space

_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|WebPage|CreativeWork", re.IGNORECASE)


@dataclass
class PageMeta:
    title: str = ""
    language: str = ""
    description: str = ""
    author: str = ""
    published: str = ""
    modified: str = ""
    site_name: str = ""


def _meta_values(root: etree._Element) -> dict[str, str]:
    """``<meta name|property|itemprop=... content=...>``, first value wins."""
    values: dict[str, str] = {}
    for element in root.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        key = key.strip().lower()
        content = collapse_unicode_space(element.get("content", ""))
        if key and content and key not in values:
            values[key] = content
    return values


def _json_ld_objects(root: etree._Element) -> list[dict]:
    """Every JSON-LD object on the page, ``@graph`` members flattened."""
    found: list[dict] = []

    def collect(value: object) -> None:
        if isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            found.append(value)
            if "@graph" in value:
                collect(value["@graph"])

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            collect(json.loads(script.text or ""))
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the other sources still apply
    return found


def _person_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [collapse_unicode_space(value)] if value.strip() else []
    if isinstance(value, list):
        return [name for item in value for name in _person_names(item)]
    if isinstance(value, dict):
        return _person_names(value.get("name", ""))
    return []


def _date(value: str) -> str:
    """An ISO date or date-time as the page gives it, trimmed to the date."""
    match = re.match(r"\d{4}-\d{2}-\d{2}", (value or "").strip())
    return match.group(0) if match else ""


def _article_ld(root: etree._Element) -> dict:
    objects = _json_ld_objects(root)
    for obj in objects:
        kind = obj.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and re.search(r"Article|BlogPosting|Report", k) for k in kinds):
            return obj
    for obj in objects:
        kind = obj.get("@type", "")
        if isinstance(kind, str) and _ARTICLE_TYPES.search(kind):
            return obj
    return {}


def _clean_title(title: str, site_name: str) -> str:
    """``"Title | Site"`` -> ``"Title"`` when the suffix is the site's name."""
    if site_name:
        for separator in (" | ", " - ", " — ", " – ", " :: ", " · "):
            suffix = separator + site_name
            if title.endswith(suffix):
                return title[: -len(suffix)].strip()
    # "Headline - Site": a short last part after a separator is the site's name.
    parts = re.split(r"\s+[|\-–—·]\s+", title)
    if len(parts) >= 2 and len(parts[-1].split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3:
        return title[: title.rindex(parts[-1])].rstrip(" |-–—·")
    return title


def page_meta(root: etree._Element) -> PageMeta:
    """Metadata declared by the page (the language comes from ``lang`` only)."""
    meta = _meta_values(root)
    ld = _article_ld(root)
    site_name = meta.get("og:site_name", "")
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else ""
    title_element = root.find(".//title")
    html_title = collapse_unicode_space(title_element.text_content()) if title_element is not None else ""
    title = collapse_unicode_space(headline or meta.get("og:title") or meta.get("twitter:title") or "")
    title = _clean_title(title or html_title, site_name)
    authors = _person_names(ld.get("author"))
    author = ", ".join(dict.fromkeys(a for a in authors if a)) or meta.get("author", "")
    if re.match(r"https?://", author):
        author = ""  # Facebook profile URLs in article:author are not names
    description = ld.get("description") if isinstance(ld.get("description"), str) else ""
    description = collapse_unicode_space(
        meta.get("description") or meta.get("og:description") or description or ""
    )
    published = _date(
        str(ld.get("datePublished") or "")
        or meta.get("article:published_time", "")
        or meta.get("datepublished", "")
        or meta.get("date", "")
    )
    modified = _date(
        str(ld.get("dateModified") or "")
        or meta.get("article:modified_time", "")
        or meta.get("og:updated_time", "")
        or meta.get("datemodified", "")
    )
    if not published:
        time_element = root.find(".//time[@datetime]")
        if time_element is not None:
            published = _date(time_element.get("datetime", ""))
    return PageMeta(
        title=title,
        language=declared_language(root, meta, ld),
        description=description,
        author=author,
        published=published,
        modified=modified if modified != published else "",
        site_name=site_name,
    )


def _language_tag(value: str) -> str:
    """``"en_US"``/``"en-us"`` -> ``"en-US"``; "" when it is not a language tag."""
    value = (value or "").strip().replace("_", "-")
    match = re.match(r"^([A-Za-z]{2,3})(?:-([A-Za-z]{2}|\d{3}|[A-Za-z]{4}))?\b", value)
    if not match:
        return ""
    language, region = match.group(1).lower(), match.group(2)
    if region:
        region = region.upper() if len(region) == 2 else region.title()
        return f"{language}-{region}"
    return language


def declared_language(root: etree._Element, meta: dict[str, str], ld: dict) -> str:
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else "",
        meta.get("content-language"),
        meta.get("og:locale"),
        meta.get("language"),
    ):
        tag = _language_tag(value or "")
        if tag:
            return tag
    for element in root.iter("meta"):
        if (element.get("http-equiv") or "").lower() == "content-language":
            tag = _language_tag(element.get("content", ""))
            if tag:
                return tag
    return ""
