"""Text of a translated page that is still in the source language, marked as such.

The article's blocks are marked where they fall back (``pipeline.build.translation``); the
page templates' own strings are marked here. A template string without a
translation comes out of gettext between two sentinels (noncharacters, which
no catalog text uses); once the page is rendered, :func:`resolve` turns each
marked run into ``<span lang dir>`` in text, and drops the sentinels where no
element can go (inside a tag's attributes, in ``<title>``).

A value shown inside a template string (the fallback notice's "shown in
English", a date, the minutes of "3 min read") is given both ways,
:func:`page_or_source`: inside an untranslated sentence as the source writes
it, elsewhere as the page does, so a sentence is never half in one language.
"""

from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup, escape

OPEN, CLOSE = "\ufdd0", "\ufdd1"
NAME_OPEN, NAME_SPLIT, NAME_CLOSE = "\ufdd2", "\ufdd3", "\ufdd4"
_MARKED = re.compile(f"{OPEN}(.*?){CLOSE}", re.S)
_NAMES = re.compile(f"{NAME_OPEN}(.*?){NAME_SPLIT}(.*?){NAME_CLOSE}", re.S)
_SENTINELS = re.compile(f"[{OPEN}{CLOSE}{NAME_OPEN}{NAME_SPLIT}{NAME_CLOSE}]")


def source_attributes(source_tag: str, source_direction: str, page_direction: str) -> str:
    """The attributes that mark text in the source language: ``lang``, and ``dir`` where the directions differ."""
    direction = f' dir="{source_direction}"' if source_direction != page_direction else ""
    return f' lang="{source_tag}"{direction}'


def marking(func: Callable[..., str], has_translation: Callable[..., bool]) -> Callable[..., object]:
    """A gettext function whose untranslated strings come back marked (and escaped, like the rest)."""

    def wrapped(*args: object) -> object:
        text = escape(func(*args))
        if has_translation(*args):
            return text
        return Markup(OPEN) + text + Markup(CLOSE)

    return wrapped


def has_translation(translations) -> tuple[Callable[[str], bool], Callable[[str, str, int], bool]]:
    """For ``gettext`` and ``ngettext``: whether the locale's compiled catalog holds the string."""
    catalog = getattr(translations, "_catalog", {})  # gettext.GNUTranslations' table (NullTranslations: none)

    def singular(msgid: str) -> bool:
        return msgid in catalog

    def plural(singular_id: str, plural_id: str, n: int) -> bool:
        return (singular_id, 0) in catalog

    return singular, plural


def page_or_source(page_text: str, source_text: str) -> str:
    """A value shown inside template strings (a language's name, a date, a number) as the page
    writes it and as the source does; :func:`resolve` takes the source's inside an untranslated string."""
    if page_text == source_text:
        return page_text
    return f"{NAME_OPEN}{page_text}{NAME_SPLIT}{source_text}{NAME_CLOSE}"


def marked_source_text(text: str) -> Markup:
    """Text given in the source language (the site's name without a translation), marked like an untranslated string."""
    return Markup(OPEN) + escape(text) + Markup(CLOSE)


#: Elements whose content is text, never elements (a span in them would show as "<span").
_RAW_TEXT = ("title", "script", "style", "textarea")


def _no_element_here(text: str, at: int) -> bool:
    if text.rfind("<", 0, at) > text.rfind(">", 0, at):
        return True
    return any(text.rfind(f"<{name}", 0, at) > text.rfind(f"</{name}>", 0, at) for name in _RAW_TEXT)


def resolve(text: str, attributes: str) -> str:
    """The rendered page with each marked run in a ``<span{attributes}>`` (or bare where no element can go)."""
    if OPEN not in text and NAME_OPEN not in text:
        return text
    parts: list[str] = []
    position = 0
    for match in _MARKED.finditer(text):
        parts.append(_NAMES.sub(r"\1", text[position : match.start()]))
        inside = _NAMES.sub(r"\2", match.group(1))  # an untranslated sentence names the language in its own words
        parts.append(inside if _no_element_here(text, match.start()) else f"<span{attributes}>{inside}</span>")
        position = match.end()
    parts.append(_NAMES.sub(r"\1", text[position:]))
    return _SENTINELS.sub("", "".join(parts))
