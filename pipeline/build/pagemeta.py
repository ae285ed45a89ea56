"""What search engines and social networks read of an article page, in the page's language.

Open Graph (``og:*``, ``article:*``), Twitter card tags and a schema.org
``Article`` in JSON-LD, all made from the texts the page shows (its
translated title and description) and linking the page's translations to each
other: the source page names its translations (``workTranslation``), each
translation its original (``translationOfWork``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string

from pipeline.build.feeds import FEED_NAME
from pipeline.formats.site import LocaleInfo, page_url

#: JSON's own escapes for what would end or start markup inside ``<script>`` (none holds another's character).
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@dataclass(frozen=True)
class PageFacts:
    """What an article page says about itself (texts already in the page's language)."""

    slug: str
    title: str
    description: str
    author: str
    site_name: str
    published: str  # ISO dates, "" when unknown
    modified: str
    source_url: str
    draft: bool


@functools.lru_cache(maxsize=256)  # one entry per locale of the site
def og_locale(locale: str) -> str:
    """The ``language_TERRITORY`` form Open Graph wants: ``zh_CN``; ``en`` -> ``en_US`` (CLDR's likely territory)."""
    from babel.core import get_global

    parts = locale.partition("@")[0].replace("-", "_").split("_")
    territory = next((p.upper() for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), "")
    if not territory:
        likely = get_global("likely_subtags").get(parts[0].lower(), "").split("_")
        territory = likely[-1] if len(likely) > 1 and len(likely[-1]) in (2, 3) else ""
    return f"{parts[0].lower()}_{territory}" if territory else parts[0].lower()


def script_json(data: object) -> str:
    """JSON for a ``<script>`` element: no ``<``, ``>`` or ``&`` in it, so no text can end the element."""
    text = _indented_json(data, 0)
    for character, escaped in _SCRIPT_SAFE:  # str.translate looks up every character: slower
        text = text.replace(character, escaped)
    return text


def _indented_json(value: object, depth: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)``, written here for the strings, objects and arrays
    JSON-LD is made of: with an indent, json encodes in Python, and slower than this; anything
    else (a number, an object with keys that are not strings) is left to json itself."""
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        inner = "\n" + " " * (depth + 1)
        members = (f"{_json_string(key)}: {_indented_json(item, depth + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(members) + "\n" + " " * depth + "}"
    if isinstance(value, list) and value:
        inner = "\n" + " " * (depth + 1)
        return "[" + inner + ("," + inner).join(_indented_json(item, depth + 1) for item in value) + "\n" + " " * depth + "]"
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)  # JSON escapes newlines


def _work(info: LocaleInfo, url: str) -> dict[str, str]:
    return {"@type": "Article", "@id": url, "url": url, "inLanguage": info.tag}


def json_ld(facts: PageFacts, info: LocaleInfo, url: str, original: tuple[LocaleInfo, str] | None,
            translations: list[tuple[LocaleInfo, str]]) -> dict:
    """The schema.org ``Article`` of the page; ``original``: the source page, for a translation."""
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "Article"}
    if url:
        data.update({"@id": url, "url": url})
    data.update({"inLanguage": info.tag, "headline": facts.title})
    if facts.description:
        data["description"] = facts.description
    if facts.author:
        data["author"] = {"@type": "Person", "name": facts.author}
    if facts.published:
        data["datePublished"] = facts.published
    if facts.modified:
        data["dateModified"] = facts.modified
    if facts.site_name:
        data["publisher"] = {"@type": "Organization", "name": facts.site_name}
    if facts.source_url:
        data["isBasedOn"] = facts.source_url
    if original is not None:
        data["translationOfWork"] = _work(*original)
    elif translations:
        data["workTranslation"] = [_work(other, href) for other, href in translations]
    return data


def article_metadata(facts: PageFacts, locale: str, published: list[str], infos: dict[str, LocaleInfo],
                     source: str, base_url: str) -> dict[str, object]:
    """The template context of the page's metadata: ``meta_properties``, ``meta_names``, ``json_ld``, ``feed``."""
    from markupsafe import Markup

    info = infos[locale]
    url = "" if facts.draft else page_url(info.tag, facts.slug, base_url)
    others = [loc for loc in published if loc != locale]
    properties = [("og:type", "article"), ("og:title", facts.title)]
    if facts.description:
        properties.append(("og:description", facts.description))
    if url and base_url:  # Open Graph wants an absolute URL or none
        properties.append(("og:url", url))
    properties.append(("og:locale", og_locale(locale)))
    properties += [("og:locale:alternate", og_locale(loc)) for loc in others]
    if facts.site_name:
        properties.append(("og:site_name", facts.site_name))
    if facts.published:
        properties.append(("article:published_time", facts.published))
    if facts.modified:
        properties.append(("article:modified_time", facts.modified))
    names = [("twitter:card", "summary"), ("twitter:title", facts.title)]
    if facts.description:
        names.append(("twitter:description", facts.description))
    original = None
    if locale != source and source in published:
        original = (infos[source], page_url(infos[source].tag, facts.slug, base_url))
    translations = [(infos[loc], page_url(infos[loc].tag, facts.slug, base_url)) for loc in others if loc != source]
    data = json_ld(facts, info, url, original, translations if locale == source else [])
    return {
        "meta_properties": properties,
        "meta_names": names,
        "json_ld": Markup(script_json(data)),
        "home": "../index.html",
        "feed": {"href": f"{base_url}/{info.tag}/{FEED_NAME}" if base_url else f"../{FEED_NAME}", "hreflang": info.tag},
    }
