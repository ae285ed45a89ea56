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

import bisect
import re
from typing import Callable, Iterator

from markupsafe import Markup, escape

OPEN, CLOSE = "\ufdd0", "\ufdd1"
NAME_OPEN, NAME_SPLIT, NAME_CLOSE = "\ufdd2", "\ufdd3", "\ufdd4"
_NAMES = re.compile(f"{NAME_OPEN}(.*?){NAME_SPLIT}(.*?){NAME_CLOSE}", re.S)
_SENTINEL_CHARACTERS = (OPEN, CLOSE, NAME_OPEN, NAME_SPLIT, NAME_CLOSE)
_SENTINELS = re.compile(f"[{''.join(_SENTINEL_CHARACTERS)}]")


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
        return Markup(f"{OPEN}{text}{CLOSE}")  # text is escaped: as Markup's own + would join them

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
    return Markup(f"{OPEN}{escape(text)}{CLOSE}")


#: Elements whose content is text, never elements (a span in them would show as "<span").
_RAW_TEXT = ("title", "script", "style", "textarea")


#: An opening ``<name`` or a closing ``</name>`` of a raw-text element (one ``<`` each: they never overlap).
_RAW_TEXT_TAG = re.compile("<(?:/({0})>|({0}))".format("|".join(_RAW_TEXT)))


class _ElementPlaces:
    """Whether an element can start at a place of one rendered page, asked in any order.

    The same answer as looking back from each place for the last ``<`` and ``>`` and
    the last opening and closing tag of each raw-text element; those tags are found
    in one pass over the page, not once per marked run, since each search would cross it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        #: the ends of the raw-text elements' tags, in order, and after each whether a raw-text
        #: element is open (its last tag is an opening one): as no two tags overlap, the order of
        #: their ends is the order of their starts, and a tag is before a place when it ends by it
        self.tag_ends: list[int] = []
        self.raw_text_open = [False]
        open_names: set[str] = set()
        for tag in _RAW_TEXT_TAG.finditer(text):
            closing = tag.group(1)
            if closing:
                open_names.discard(closing)
            else:
                open_names.add(tag.group(2))
            self.tag_ends.append(tag.end())
            self.raw_text_open.append(bool(open_names))

    def no_element_at(self, at: int) -> bool:
        if self.text.rfind("<", 0, at) > self.text.rfind(">", 0, at):
            return True
        return self.raw_text_open[bisect.bisect_right(self.tag_ends, at)]


def _names_resolved(text: str, group: str) -> str:
    return _NAMES.sub(group, text) if NAME_OPEN in text else text


def _runs_resolved(text: str, attributes: str) -> str:
    """Each marked run in a ``<span{attributes}>`` (or bare), the values given both ways resolved."""
    parts: list[str] = []
    position = 0
    places = _ElementPlaces(text)
    for start, end in _marked_runs(text):
        parts.append(_names_resolved(text[position:start], r"\1"))
        inside = _names_resolved(text[start + 1 : end - 1], r"\2")  # an untranslated sentence names the language in its own words
        parts.append(inside if places.no_element_at(start) else f"<span{attributes}>{inside}</span>")
        position = end
    parts.append(_names_resolved(text[position:], r"\1"))
    return "".join(parts)


def _marked_runs(text: str) -> Iterator[tuple[int, int]]:
    """Where each marked run starts and ends, as ``OPEN(.*?)CLOSE`` finds them (searching for the two characters
    is quicker than the pattern): a run ends at the first CLOSE after its OPEN, and once an OPEN has no CLOSE
    after it, no later one has."""
    start = text.find(OPEN)
    while start != -1:
        end = text.find(CLOSE, start + 1)
        if end == -1:
            return
        yield start, end + 1
        start = text.find(OPEN, end + 1)


def resolve(text: str, attributes: str) -> str:
    """The rendered page with each marked run in a ``<span{attributes}>`` (or bare where no element can go)."""
    if OPEN not in text and NAME_OPEN not in text:
        return text
    # a page whose template strings are all translated has no marked run, only values given both ways
    joined = _runs_resolved(text, attributes) if OPEN in text else _names_resolved(text, r"\1")
    # a sentinel is left only where a run was not closed: most pages have none to drop
    return _SENTINELS.sub("", joined) if any(sentinel in joined for sentinel in _SENTINEL_CHARACTERS) else joined
