"""Glossary checks: a source term in a msgid wants one of the locale's agreed translations.

Matching is on whole words, case-insensitive, with simple English plurals (``model`` matches
``models``, ``library`` matches ``libraries``), after the message's short tags are taken out, so
``<a1>machine learning</a1>`` still names the term. The translation is searched for any of the
locale's variants; a do-not-translate term must appear exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.catalogs.model import messages, singular, strings_of
from pipeline.findings import WARNING, Finding, Problem
from pipeline.formats.glossary import Glossary, Term

_TAG = re.compile(r"</?[A-Za-z][\w-]*\d*\s*/?>")


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in term.split()]
    last = words[-1]
    if re.search(r"[^aeiou]y$", term, re.I):
        last = f"(?:{last}|{re.escape(term.split()[-1][:-1])}ies)"
    else:
        last = f"{last}(?:s|es)?"
    body = r"\s+".join(words[:-1] + [last])
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def _plain(text: str) -> str:
    return _TAG.sub(" ", text)


def mentions(term: Term, msgid: str) -> bool:
    return _term_pattern(term.term).search(_plain(msgid)) is not None


def honours(term: Term, locale: str, msgstr: str) -> bool:
    """Whether ``msgstr`` contains one of the translations ``term`` accepts in ``locale``."""
    accepted = term.accepted(locale)
    if not accepted:
        return True
    text = _plain(msgstr)
    if term.do_not_translate:
        return any(variant in text for variant in accepted)
    folded = text.casefold()
    return any(variant.casefold() in folded for variant in accepted)


def broken_terms(glossary: Glossary, locale: str, msgid: str, msgstr: str) -> list[Term]:
    """The glossary terms that ``msgid`` names and its translation ``msgstr`` does not honour."""
    if not msgstr:
        return []
    return [t for t in glossary.terms if t.accepted(locale) and mentions(t, msgid) and not honours(t, locale, msgstr)]


def describe(term: Term, locale: str) -> str:
    wanted = " | ".join(term.accepted(locale))
    if term.do_not_translate:
        return f"'{term.term}' is not translated: keep it as written"
    return f"'{term.term}' should be translated as {wanted}"


@dataclass(frozen=True)
class _Translated:
    line: int
    msgid: str
    msgstr: str


def _translated_messages(catalog) -> list[_Translated]:
    found = []
    for message in messages(catalog):
        if message.fuzzy:
            continue
        for index, string in enumerate(strings_of(message)):
            if string:
                msgid = singular(message) if index == 0 else message.id[-1]  # later forms: the plural msgid
                found.append(_Translated(message.lineno or 0, msgid, string))
    return found


def catalog_glossary_findings(path: Path, catalog, glossary: Glossary) -> list[Finding]:
    """``[glossary]`` warnings for ``catalog``, read from ``path`` (under ``locales/<LOCALE>/LC_MESSAGES/``),
    with the line of each message."""
    locale = path.parent.parent.name
    findings = []
    for item in _translated_messages(catalog):
        for term in broken_terms(glossary, locale, item.msgid, item.msgstr):
            findings.append(Finding(path, item.line, item.msgid, Problem(WARNING, "glossary", describe(term, locale))))
    return findings


def project_glossary(locales_dir: Path, source_language: str) -> Glossary | None:
    """The project's glossary; None when it has none. A glossary that cannot be read is an error of its own."""
    from pipeline.formats.glossary import glossary_path, read_glossary

    path = glossary_path(locales_dir)
    return None if path is None else read_glossary(path, source_language)


def project_glossary_findings(locales_dir: Path, source_language: str, catalogs: list[Path]) -> list[Finding]:
    """``[glossary]`` warnings for ``catalogs``, each read here (see :func:`project_glossary`).

    A catalog that cannot be read gives no finding here: the catalog check reports it.
    """
    from pipeline.errors import CatalogError
    from pipeline.formats.po import read_catalog

    glossary = project_glossary(locales_dir, source_language)
    if glossary is None:
        return []
    findings = []
    for path in catalogs:
        try:
            catalog = read_catalog(path)
        except CatalogError:
            continue
        findings += catalog_glossary_findings(path, catalog, glossary)
    return findings
