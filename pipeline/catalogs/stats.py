"""``stats``: how much of each catalog is translated, as :mod:`pipeline.catalogs.completion` counts it.

Completion (:attr:`CatalogStats.percent`) is the share of the article's *source words*
that have a finished translation (not fuzzy, no error of ``check``): a
one-word heading should not weigh as much as a long paragraph when deciding
whether a page is fit to publish. Chinese, Japanese and Korean text counts one
unit per character, since it has no spaces between words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from babel.messages.catalog import Catalog, Message

from pipeline.catalogs import completion
from pipeline.catalogs.completion import floored_percent
from pipeline.catalogs.derivation import Derivation, is_derived
from pipeline.catalogs.model import messages, singular, site_last
from pipeline.formats.messages import TOKEN
from pipeline.formats.po import read_catalog
from pipeline.names import validate_locale_name

if TYPE_CHECKING:
    from pipeline.project import Project
    from pipeline.settings import Settings


_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003fffd]"
)


#: What joins two runs of letters or digits into one word ("l'homme", "e.g.", "state-of-the-art").
_JOINING_MARKS = "'’.-"
_WORD = re.compile(rf"[^\W_]+(?:[{_JOINING_MARKS}][^\W_]+)*", re.UNICODE)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)
#: Each Windows-1252 byte as its character's part in ``_WORD``: a letter or digit
#: "a", a joining mark "'", anything else " " (asked of ``_WORD``'s own classes).
_WORD_PARTS = bytes(
    ord("a") if _LETTER_OR_DIGIT.match(char) else ord("'") if char in _JOINING_MARKS else ord(" ")
    for char in (bytes([byte]).decode("cp1252", errors="replace") for byte in range(256))
)


def _windows_1252_words(data: bytes) -> int:
    """``len(_WORD.findall(text))`` for text encoded as Windows-1252, counted without a regular expression.

    Windows-1252 holds Western European letters and the typographic punctuation
    of English prose (curly quotes, dashes, the ellipsis, the no-break space),
    and no CJK character. A word starts at a letter or digit that follows
    neither a letter or digit nor a joining mark that follows one: after a
    space, or after a mark that follows a space or another mark (the text is
    read as starting with a space).
    """
    parts = b" " + data.translate(_WORD_PARTS)
    return parts.count(b" a") + parts.count(b" 'a") + parts.count(b"''a")


#: Typographic punctuation of English prose, as ASCII that counts the same: the
#: apostrophe joins words as "'" does, the others separate them as a space does
#: (replacing them is quicker than encoding as Windows-1252, which also holds them).
_TYPOGRAPHIC = (("’", "'"), ("“", " "), ("”", " "), ("‘", " "), ("—", " "), ("–", " "), ("…", " "), ("\u00a0", " "))


def count_words(text: str) -> int:
    """Words of a message's text without its tags; CJK characters count one each."""
    if "<" in text:  # every tag has one
        text = TOKEN.sub(" ", text)
    if not text.isascii():
        for typographic, ascii_equivalent in _TYPOGRAPHIC:
            text = text.replace(typographic, ascii_equivalent)
    if text.isascii():  # ASCII is Windows-1252, encoded quicker
        return _windows_1252_words(text.encode("ascii"))
    try:  # Western letters
        return _windows_1252_words(text.encode("cp1252"))
    except UnicodeEncodeError:  # beyond Windows-1252: CJK characters may be among them
        pass
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text) if cjk else text
    return cjk + len(_WORD.findall(rest))


@dataclass
class CatalogStats:
    locale: str
    domain: str
    path: Path
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    #: Translated, but with an error of ``check``: the build shows the source text instead.
    refused: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    refused_words: int = 0
    #: Line numbers of the refused messages.
    refused_lines: list[int] = field(default_factory=list)
    #: Of the translated: still the machine conversion of a derived locale (not reviewed yet).
    derived: int = 0
    derived_words: int = 0
    #: Whether derived text counts toward :attr:`percent` (``count_derived`` in the settings).
    count_derived: bool = True

    @property
    def messages(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.refused

    @property
    def words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words + self.refused_words

    @property
    def percent(self) -> float:
        """Percent of source words translated (:mod:`pipeline.catalogs.completion`), floored; 100 for an empty catalog."""
        done = self.translated_words - (0 if self.count_derived else self.derived_words)
        return floored_percent(done, self.words)

    def as_dict(self) -> dict:
        return {
            "locale": self.locale,
            "domain": self.domain,
            "path": str(self.path),
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "translated_words": self.translated_words,
            "fuzzy_words": self.fuzzy_words,
            "untranslated_words": self.untranslated_words,
            "refused": self.refused,
            "refused_words": self.refused_words,
            "derived_unreviewed": self.derived,
            "derived_unreviewed_words": self.derived_words,
            "words": self.words,
            "percent": self.percent,
        }


#: The words of a msgid, counted once for all locales: a build or ``stats`` looks
#: at each article's msgids once per locale (ten times on a ten-locale site), and
#: counting goes over the whole text several times.
_msgid_words = lru_cache(maxsize=65536)(count_words)


def catalog_stats(
    catalog: Catalog, locale: str, domain: str, path: Path, settings: Settings | None = None
) -> CatalogStats:
    """How much of the catalog is translated, as :mod:`pipeline.catalogs.completion` counts it.

    With ``settings``, the unreviewed text of a derived locale is counted apart, and left out of
    the percentage when ``count_derived`` is off.
    """
    return _tallied(_message_states(catalog, domain), *_empty_stats(locale, domain, path, settings))


def completion_percent(
    catalog: Catalog, locale: str, domain: str, path: Path, settings: Settings | None = None
) -> float:
    """``catalog_stats(...).percent``, without counting words when every message is translated.

    Then the translated words are all the words, whatever their number, so
    the share is 100 (also of no words), unless the derived text is left out
    of it: that share is counted.
    """
    states = _message_states(catalog, domain)
    stats, derivation = _empty_stats(locale, domain, path, settings)
    if (stats.count_derived or derivation is None) and all(state == completion.TRANSLATED for _, state in states):
        return 100.0  # floored_percent(words, words), for any number of words
    return _tallied(states, stats, derivation).percent


def _message_states(catalog: Catalog, domain: str) -> list[tuple[Message, str]]:
    """Each message of the catalog with its :func:`pipeline.catalogs.completion.state`."""
    shape = completion.shape_of(catalog, domain)
    state_of = completion.state
    # not iter(catalog): Babel would format its header's dates
    return [(message, state_of(message, shape)) for message in messages(catalog)]


def _empty_stats(locale: str, domain: str, path: Path, settings: Settings | None) -> tuple[CatalogStats, Derivation | None]:
    """Stats of nothing yet, counting as ``settings`` say, and how the locale is derived (None: it is not)."""
    derivation = settings.derived.get(locale) if settings is not None else None
    return CatalogStats(locale, domain, path, count_derived=settings.count_derived if settings else True), derivation


def _tallied(states: list[tuple[Message, str]], stats: CatalogStats, derivation: Derivation | None) -> CatalogStats:
    """``stats`` with the messages and words of each state added."""
    translated = completion.TRANSLATED
    for message, state in states:
        words = _msgid_words(message.id if isinstance(message.id, str) else singular(message))
        if state == translated:
            stats.translated += 1
            stats.translated_words += words
            if derivation is not None and is_derived(message, derivation):
                stats.derived += 1
                stats.derived_words += words
        elif state == completion.UNTRANSLATED:
            stats.untranslated += 1
            stats.untranslated_words += words
        elif state == completion.FUZZY:
            stats.fuzzy += 1
            stats.fuzzy_words += words
        else:
            stats.refused += 1
            stats.refused_words += words
            stats.refused_lines.append(message.lineno or 0)
    return stats


def stats(
    project: Project, locales: list[str] | tuple[str, ...] = (), read: Callable[[Path], Catalog] = read_catalog
) -> list[CatalogStats]:
    """Progress of every catalog of ``locales`` (all when empty), articles sorted, site last.

    ``read``: how a catalog is read (the status page reads each once for this and its glossary).
    """
    results = []
    for locale in list(locales) or project.catalog_locales():
        validate_locale_name(locale)
        folder = project.locales_dir / locale / "LC_MESSAGES"
        domains = site_last(sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else [])
        for domain in domains:
            path = project.catalog_path(locale, domain)
            results.append(catalog_stats(read(path), locale, domain, path, project.settings))
    return results
