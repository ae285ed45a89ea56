"""The translation memory: a locale's finished translations, offered to the merge of its other catalogs.

A catalog's own messages are searched as msgmerge searches them
(:mod:`pipeline.catalogs.fuzzy`); the memory is searched after them, for the
best match rather than msgmerge's. It is built only when the project's
``translation_memory`` setting is on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from pipeline.catalogs.fuzzy import CONTEXT_BONUS, FUZZY_THRESHOLD
from pipeline.catalogs.model import PoCatalog, is_finished, messages, singular
from pipeline.formats.po import read_catalog

if TYPE_CHECKING:
    from pipeline.project import Project


def _grams(text: str) -> set[str]:
    text = text.lower()
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


class FuzzyIndex:
    """Finds the most similar msgid of the translation memory.

    A catalog's own messages are searched as msgmerge searches them
    (:mod:`pipeline.catalogs.fuzzy`); the memory of the locale's other catalogs
    is searched here, for the best match rather than msgmerge's. Similarity is
    msgmerge's fstrcmp: twice the longest common subsequence over the total
    length (the insert/delete edit distance), computed by rapidfuzz's
    ``Indel`` in C++. A small set (the memory of a small site) is compared
    whole, which finds the true best match. A large
    one (the memory of a thousand articles) is first narrowed to the entries
    sharing the most rare character trigrams; that index is built on the
    first search only, since most merges find their matches in their own
    catalog and never search the memory.
    """

    CANDIDATES = 40
    #: Up to this many entries, every one is compared (rapidfuzz compares in C++).
    EXHAUSTIVE = 2000

    def __init__(self) -> None:
        self.msgids: list[str] = []
        self.payloads: list[object] = []
        self._postings: dict[str, list[int]] | None = None
        self._by_length: dict[int, list[int]] = {}

    def add(self, msgid: str, payload: object) -> None:
        self.msgids.append(msgid)
        self.payloads.append(payload)
        self._postings = None  # rebuilt on the next search that needs it

    def __len__(self) -> int:
        return len(self.msgids)

    def _trigram_index(self) -> dict[str, list[int]]:
        if self._postings is None:
            self._postings, self._by_length = {}, {}
            for index, msgid in enumerate(self.msgids):
                for gram in _grams(msgid):
                    self._postings.setdefault(gram, []).append(index)
                self._by_length.setdefault(len(msgid), []).append(index)
        return self._postings

    def _candidates(self, text: str, threshold: float) -> list[int]:
        """Entries worth comparing with ``text``: all of a small set, the likeliest of a large one."""
        if len(self.msgids) <= self.EXHAUSTIVE:
            return list(range(len(self.msgids)))
        postings = self._trigram_index()
        limit = max(100, len(self.msgids) // 50)
        shared: Counter[int] = Counter()
        for gram in _grams(text):
            posting = postings.get(gram)
            if posting and len(posting) <= limit:
                shared.update(posting)
        if len(text) < 24:  # short texts may share no rare trigram: look at all of similar length
            low, high = int(len(text) * threshold / (2 - threshold)), int(len(text) * (2 - threshold) / threshold) + 1
            for length in range(low, high + 1):
                for index in self._by_length.get(length, ()):
                    shared.setdefault(index, 0)
        return [i for i, _ in shared.most_common(self.CANDIDATES * 5)]

    def best(
        self,
        text: str,
        threshold: float = FUZZY_THRESHOLD,
        exclude: Callable[[object], bool] | None = None,
        bonus: Callable[[object], float] | None = None,
    ) -> tuple[float, str, object] | None:
        """(weight, msgid, payload) of the most similar msgid, ignoring payloads ``exclude`` refuses.

        The weight is the similarity plus ``bonus`` of the payload (msgmerge's
        advantage for the same context), and must be above ``threshold`` (as
        in msgmerge, a plain similarity of exactly the threshold with a bonus
        is enough). Of equal weights, the first added wins.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        if not self.msgids or not text:
            return None
        candidates = self._candidates(text, threshold)
        found = process.extract(
            text, [self.msgids[i] for i in candidates], scorer=Indel.normalized_similarity,
            score_cutoff=threshold, limit=None,
        )
        weighted = [
            (ratio + (bonus(self.payloads[candidates[position]]) if bonus else 0.0), candidates[position])
            for _, ratio, position in found
        ]
        for weight, index in sorted(weighted, key=lambda hit: (-hit[0], hit[1])):
            if weight <= threshold:
                break
            if exclude is None or not exclude(self.payloads[index]):
                return (weight, self.msgids[index], self.payloads[index])
        return None


@dataclass(frozen=True)
class Remembered:
    """A finished translation of another catalog of the locale: only what a merge reuses.

    Kept instead of the Message so that a locale's memory of a thousand
    articles stays small.
    """

    id: object  # str, or (singular, plural)
    string: object  # str, or a tuple of plural forms
    domain: str


class TranslationMemory:
    """Every finished translation of a locale's catalogs, indexed once for all its merges.

    Exact matches come from a dict; fuzzy ones from one :class:`FuzzyIndex`,
    whose hits from the catalog being merged are skipped (that catalog is
    searched first, on its own).
    """

    def __init__(self) -> None:
        self.exact: dict[str, list[Remembered]] = {}
        self.index = FuzzyIndex()

    def add(self, msgid: str, entry: Remembered) -> None:
        self.exact.setdefault(msgid, []).append(entry)
        self.index.add(msgid, entry)

    def exact_match(self, msgid: str, domain: str) -> Remembered | None:
        return next((e for e in self.exact.get(msgid, ()) if e.domain != domain), None)

    def fuzzy_match(self, msgid: str, domain: str) -> tuple[float, str, object] | None:
        return self.index.best(msgid, exclude=lambda entry: entry.domain == domain, bonus=lambda entry: CONTEXT_BONUS)


#: Catalogs the translation memory's reading hands on to the merge, as many as
#: the templates an update keeps (:data:`pipeline.catalogs.update.KEPT_TEMPLATES`):
#: the merge drops each catalog as it takes its template, so a site of up to that
#: many articles parses each file once, and a larger one re-reads the rest.
KEPT_CATALOGS = 1000


def read_locale_catalogs(
    project: Project, locale: str, domains: list[str], kept: dict[str, PoCatalog] | None = None
) -> Iterator[tuple[str, PoCatalog]]:
    """(domain, catalog) of every existing catalog of ``locale``, read one at a time.

    The first :data:`KEPT_CATALOGS` catalogs read are put in ``kept`` (by domain)
    when it is given, for the merge to use instead of reading them again.
    """
    for domain in domains:
        path = project.catalog_path(locale, domain)
        if not path.exists():
            continue
        catalog = read_catalog(path)
        yield domain, catalog
        if kept is not None and len(kept) < KEPT_CATALOGS:
            kept[domain] = catalog


def translation_memory(
    project: Project, locale: str, domains: list[str], kept: dict[str, PoCatalog] | None = None
) -> TranslationMemory:
    """Finished translations of every catalog of ``locale`` (:func:`read_locale_catalogs`)."""
    memory = TranslationMemory()
    for domain, catalog in read_locale_catalogs(project, locale, domains, kept):
        for m in messages(catalog):
            if is_finished(m):
                memory.add(singular(m), Remembered(m.id, m.string, domain))
    return memory
