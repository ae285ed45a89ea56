"""The project's glossary as files: ``locales/glossary.csv`` and ``locales/glossary.tbx``.

The CSV is what a team keeps in a spreadsheet: a header row ``term``, ``note``, then one column
per locale (``zh_CN``, ``zh_TW``...); a cell lists accepted translations separated by ``|``; an
empty cell sets no rule. A term whose note says ``do-not-translate`` must appear as written.

TBX is the TermBase eXchange format that CAT tools, Weblate and terminology tools import and
export. We read both the ISO 30042:2008 form (``martif``/``termEntry``/``langSet``/``tig``),
which most tools write, and the 2019 form (``tbx``/``conceptEntry``/``langSec``/``termSec``), and
write the 2008 form, which every one of them reads.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError

DO_NOT_TRANSLATE = "do-not-translate"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryError(PipelineError):
    """A glossary file that cannot be read; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Term:
    """One source term and what each locale accepts for it."""

    term: str
    note: str = ""
    translations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    line: int = 0

    @property
    def do_not_translate(self) -> bool:
        return DO_NOT_TRANSLATE in self.note.lower().replace(" ", "-").replace("_", "-")

    def accepted(self, locale: str) -> tuple[str, ...]:
        """What a translation into ``locale`` must contain (one of), or () for no rule."""
        if self.do_not_translate:
            return (self.term,)
        return self.translations.get(locale, ())


@dataclass(frozen=True)
class Glossary:
    path: Path
    source_language: str
    terms: tuple[Term, ...]

    @property
    def locales(self) -> list[str]:
        seen: dict[str, None] = {}
        for term in self.terms:
            seen.update(dict.fromkeys(term.translations))
        return list(seen)


def _variants(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _locale_from_tag(tag: str) -> str:
    """``zh-CN`` (BCP 47, as TBX writes it) -> ``zh_CN`` (the catalogs' folder name)."""
    return tag.replace("-", "_")


def _tag_from_locale(locale: str) -> str:
    return locale.replace("_", "-")


def read_csv(path: Path, source_language: str = "en") -> Glossary:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{path}: cannot read the glossary: {error}") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if not header or [cell.strip().lower() for cell in header[:2]] != ["term", "note"]:
        raise GlossaryError(f"{path}:1: the first row must be 'term,note,' then one column per locale")
    locales = [cell.strip() for cell in header[2:]]
    terms = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise GlossaryError(f"{path}:{line}: {len(row)} cells where the header names {len(header)} columns")
        cells = row + [""] * (len(header) - len(row))
        if not cells[0].strip():
            raise GlossaryError(f"{path}:{line}: a row without a term")
        translations = {locale: _variants(cell) for locale, cell in zip(locales, cells[2:]) if _variants(cell)}
        terms.append(Term(cells[0].strip(), cells[1].strip(), translations, line))
    return Glossary(path, source_language, tuple(terms))


def write_csv(glossary: Glossary) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    locales = glossary.locales
    writer.writerow(["term", "note", *locales])
    for term in glossary.terms:
        writer.writerow([term.term, term.note, *("|".join(term.translations.get(l, ())) for l in locales)])
    return out.getvalue().encode("utf-8")


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, *names: str):
    return [child for child in element if _local(child) in names]


def _tbx_terms(lang_set) -> tuple[str, ...]:
    found = []
    for holder in _children(lang_set, "tig", "ntig", "termSec"):
        for term in holder.iter():
            if _local(term) == "term" and (term.text or "").strip():
                found.append(term.text.strip())
    return tuple(found)


def read_tbx(path: Path, source_language: str = "en") -> Glossary:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise GlossaryError(f"{path}: not a TBX file: {error}") from None
    source = _locale_from_tag(root.get(XML_LANG) or source_language)
    terms = []
    for entry in root.iter():
        if _local(entry) not in ("termEntry", "conceptEntry"):
            continue
        notes = [(n.text or "").strip() for n in entry.iter() if _local(n) in ("note", "descrip")]
        by_locale: dict[str, tuple[str, ...]] = {}
        for lang_set in _children(entry, "langSet", "langSec"):
            locale = _locale_from_tag(lang_set.get(XML_LANG) or "")
            by_locale[locale] = by_locale.get(locale, ()) + _tbx_terms(lang_set)
        source_terms = by_locale.pop(source, ()) or by_locale.pop(source.split("_")[0], ())
        if not source_terms:
            raise GlossaryError(f"{path}:{entry.sourceline}: a term entry without a term in {source}")
        translations = {locale: variants for locale, variants in by_locale.items() if variants}
        terms.append(Term(source_terms[0], " ".join(n for n in notes if n), translations, entry.sourceline or 0))
    return Glossary(path, source, tuple(terms))


def write_tbx(glossary: Glossary) -> bytes:
    from lxml import etree

    root = etree.Element("martif", {"type": "TBX", XML_LANG: _tag_from_locale(glossary.source_language)})
    header = etree.SubElement(root, "martifHeader")
    source_desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(source_desc, "p").text = "Exported by pipeline glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(glossary.terms, start=1):
        entry = etree.SubElement(body, "termEntry", id=f"term-{number}")
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        languages = [(glossary.source_language, (term.term,))] + list(term.translations.items())
        for locale, variants in languages:
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: _tag_from_locale(locale)})
            for variant in variants:
                etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = variant
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_glossary(path: Path, source_language: str = "en") -> Glossary:
    if path.suffix.lower() == ".tbx":
        return read_tbx(path, source_language)
    return read_csv(path, source_language)


def glossary_path(locales_dir: Path) -> Path | None:
    """The project's glossary: ``glossary.csv`` if present, else ``glossary.tbx``, else None."""
    for name in ("glossary.csv", "glossary.tbx"):
        candidate = locales_dir / name
        if candidate.is_file():
            return candidate
    return None
