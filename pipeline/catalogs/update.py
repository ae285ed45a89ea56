"""``init``, ``update`` and ``stats``: the translators' catalogs and their progress.

``update`` merges templates into catalogs as ``msgmerge --previous`` does (the
README's "msgmerge semantics"; ``tests/test_merge_msgmerge.py`` compares the
two), written here rather than with Babel's ``Catalog.update``, which does not reuse obsolete
messages (a paragraph that comes back would lose its translation), consumes an
old message on its first fuzzy match, offers no translation memory across
articles, and compares every new message with every old one.

Completion (:func:`completion`) is the share of the article's *source words*
that have a finished translation (not fuzzy, no error of ``check``: what counts
is decided by :mod:`pipeline.completion`, for every command): a one-word heading
should not weigh as much as a long paragraph when deciding whether a page is
fit to publish. Chinese, Japanese and Korean text counts one unit per
character, since it has no spaces between words.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from babel.messages.catalog import Catalog, Message

from pipeline.names import SITE_DOMAIN
from pipeline.errors import InvalidNameError, PipelineError
from pipeline.formats.messages import TOKEN
from pipeline.formats.po import messages, read_catalog, stored_header_fields, write_catalog
from pipeline.formats.po_header_order import settle_header, take_template_header
from pipeline.catalogs.fuzzy import CONTEXT_BONUS, FUZZY_THRESHOLD, MsgmergeIndex
from pipeline.formats.templatefit import (
    MAX_ENTRIES_NOT_IN_TEMPLATE,
    entries_not_in_template,
    excess_entries_warning,
    has_translations,
    template_has_messages,
)
from pipeline.project import Project
from pipeline.names import validate_locale_name
from pipeline.settings import Settings
from pipeline.build.labels import seeded_translation



# --------------------------------------------------------------------------
# Locales and templates
# --------------------------------------------------------------------------


def parse_locale(name: str):
    """Babel's Locale for ``name``; refuse names that are not locales, with one clear line."""
    from babel import Locale, UnknownLocaleError

    validate_locale_name(name)
    try:
        return Locale.parse(name, sep="-" if "-" in name else "_")
    except (UnknownLocaleError, ValueError):
        raise InvalidNameError(
            f"unknown locale {name!r}: it is not in the CLDR data Babel knows "
            "(expected something like 'zh_CN', 'fr' or 'pt_BR')"
        ) from None


def template_domains(project: Project) -> list[str]:
    """Domains that have a template, articles sorted, ``site`` last."""
    if not project.locales_dir.is_dir():
        return []
    return _site_last(sorted(p.stem for p in project.locales_dir.glob("*.pot") if p.is_file()))


def _site_last(domains: list[str]) -> list[str]:
    """``domains`` in their order, ``site`` moved last."""
    return [d for d in domains if d != SITE_DOMAIN] + ([SITE_DOMAIN] if SITE_DOMAIN in domains else [])


def _require_templates(project: Project) -> list[str]:
    domains = template_domains(project)
    if not domains:
        raise PipelineError(f"no templates in {project.locales_dir}: run 'pipeline extract' first")
    return domains


def _is_plural(message: Message) -> bool:
    return isinstance(message.id, (list, tuple))


def _singular(message: Message) -> str:
    return message.id[0] if _is_plural(message) else message.id


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return [s or "" for s in message.string]
    return [message.string or ""]


def is_translated(message: Message) -> bool:
    """Every form has a translation (fuzzy or not)."""
    strings = _strings(message)
    return bool(strings) and all(strings)


def _key(message: Message) -> tuple[str, str | None]:
    return (_singular(message), message.context)


# --------------------------------------------------------------------------
# init
# --------------------------------------------------------------------------


@dataclass
class InitResult:
    locale: str
    created: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)
    seeded: list[tuple[str, str]] = field(default_factory=list)


def _new_catalog(
    template: Catalog, locale: str, english_name: str, domain: str, with_messages: bool = True
) -> Catalog:
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    catalog = Catalog(
        locale=locale,  # kept exactly as given: the Language header is "zh_CN", not "zh_Hans_CN"
        project=template.project,
        version=template.version,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=now,
        last_translator="Automatically generated",
        language_team=f"{english_name}",
        charset="UTF-8",
        fuzzy=False,
    )
    catalog._header_comment = (  # raw: Babel's getter inserts the current year
        f"# {english_name} translation of {'the page templates' if domain == SITE_DOMAIN else 'the article ' + domain}.\n"
        "# Made by `pipeline init`; `pipeline update` keeps it in step with the source.\n"
        "#"
    )
    for message in template if with_messages else ():
        if not message.id:
            continue
        string = tuple("" for _ in range(catalog.num_plurals)) if _is_plural(message) else ""
        copy = Message(
            message.id, string, locations=message.locations, auto_comments=message.auto_comments,
            context=message.context,
        )
        copy.flags = {f for f in message.flags if f != "fuzzy"}
        catalog[message.id] = copy
    return catalog


def interface_labels(project: Project) -> list[dict]:
    """Interface labels ``clean`` recorded for every article (``clean-report.json``)."""
    labels: list[dict] = []
    for slug in project.all_slugs():
        path = project.clean_report_path(slug)
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            continue  # a damaged report only costs the seeding
        for item in report.get("interface", []) if isinstance(report, dict) else []:
            if isinstance(item, dict) and {"text", "role", "language"} <= set(item):
                labels.append(item)
    return labels


def _language_of(tag: str) -> str:
    return re.split(r"[-_@]", tag.strip())[0].lower()


def seed_site_catalog(catalog: Catalog, locale: str, labels: list[dict]) -> list[tuple[str, str]]:
    """Fill site messages with the site's own words for them, in the locale's language."""
    seeded: list[tuple[str, str]] = []
    for item in labels:
        if _language_of(str(item["language"])) != _language_of(locale):
            continue
        pair = seeded_translation(str(item["role"]), str(item["text"]), locale)
        if pair is None:
            continue
        msgid, msgstr = pair
        message = catalog.get(msgid)
        if message is None or is_translated(message):
            continue
        message.string = msgstr
        message.user_comments.append(
            f"Taken from the site's own interface (label \"{str(item['text']).strip()}\")."
        )
        seeded.append((msgid, msgstr))
    return seeded


def init(project: Project, locale: str) -> InitResult:
    """Create the missing catalogs of ``locale``; existing ones are never touched."""
    babel_locale = parse_locale(locale)
    result = InitResult(locale)
    labels = None
    for domain in _require_templates(project):
        path = project.catalog_path(locale, domain)
        if path.exists():
            result.existing.append(path)
            continue
        template = read_catalog(project.template_path(domain))
        catalog = _new_catalog(template, locale, babel_locale.english_name or locale, domain)
        if domain == SITE_DOMAIN and locale not in project.settings.derived:  # derived: from its source
            labels = interface_labels(project) if labels is None else labels
            result.seeded += seed_site_catalog(catalog, locale, labels)
        settle_header(catalog)
        write_catalog(path, catalog)
        result.created.append(path)
    return result


# --------------------------------------------------------------------------
# Fuzzy matching
# --------------------------------------------------------------------------


def _grams(text: str) -> set[str]:
    text = text.lower()
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


class FuzzyIndex:
    """Finds the most similar msgid of the translation memory.

    A catalog's own messages are searched as msgmerge searches them
    (:mod:`pipeline.msgmerge_fuzzy`); the memory of the locale's other catalogs
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
    #: Up to this many entries, every one is compared (rapidfuzz: about 1 us each).
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


# --------------------------------------------------------------------------
# update
# --------------------------------------------------------------------------


@dataclass
class FileUpdate:
    locale: str
    domain: str
    path: Path
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    unchanged: int = 0
    #: Messages filled from the locale's other catalogs or brought back from obsolete ones.
    reused: int = 0
    written: bool = False
    created: bool = False


@dataclass
class UpdateResult:
    files: list[FileUpdate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


# Parsed files an update keeps, so that a file is parsed once rather than once
# per use; bounded, so that a large site's memory stays flat (a parsed
# template takes about 30 kB, a parsed catalog 40 kB).
#: Templates kept for the next locales (merges never change a template).
KEPT_TEMPLATES = 1000
#: Catalogs the translation memory's reading hands on to the merge.
KEPT_CATALOGS = 200


def translation_memory(
    project: Project, locale: str, domains: list[str], kept: dict[str, Catalog] | None = None
) -> TranslationMemory:
    """Finished translations of every catalog of ``locale``, read one catalog at a time.

    The first :data:`KEPT_CATALOGS` catalogs read are put in ``kept`` (by domain)
    when it is given, for the merge to use instead of reading them again.
    """
    memory = TranslationMemory()
    for domain in domains:
        path = project.catalog_path(locale, domain)
        if not path.exists():
            continue
        catalog = read_catalog(path)
        for m in messages(catalog):
            if is_translated(m) and not m.fuzzy:
                memory.add(_singular(m), Remembered(m.id, m.string, domain))
        if kept is not None and len(kept) < KEPT_CATALOGS:
            kept[domain] = catalog
    return memory


def _definition_strings(definition: Message, reference: Message, nplurals: int | None) -> tuple[object, bool]:
    """The translation of ``definition`` shaped for ``reference``, as msgmerge does; True when reshaped.

    A singular translation becomes every form of a plural message, a plural
    translation gives its first form to a singular one; both are then fuzzy.
    """
    strings = _strings(definition)
    if _is_plural(reference) and not _is_plural(definition):
        return tuple(strings[:1] * (nplurals or 2)), True
    if not _is_plural(reference) and _is_plural(definition):
        return strings[0], True
    return (tuple(strings) if _is_plural(reference) else strings[0]), False


def _previous_of(message: Message) -> tuple[str | None, list[str]]:
    return getattr(message, "pipeline_previous_context", None), list(message.previous_id or [])


def _set_previous(message: Message, context: str | None, previous: list[str]) -> None:
    message.previous_id = previous
    message.pipeline_previous_context = context if previous else None


def _comments_of(message: Message, reference: Message, translator: Message) -> None:
    """The template's references and extracted comments, ``translator``'s comments, repeats kept.

    Set after construction: Babel's ``Message`` drops repeated comments, msgmerge keeps them.
    """
    message.locations = list(reference.locations)
    message.auto_comments = list(reference.auto_comments)
    message.user_comments = list(translator.user_comments)


def _merged(definition: Message, reference: Message, force_fuzzy: bool, nplurals: int | None) -> Message:
    """msgmerge's ``message_merge``: the template's message with the catalog's translation.

    The template gives the msgid, context, extracted comments, references and
    flags (format, wrapping); the catalog the translation, its translator
    comments and whether it is fuzzy. ``#|`` names the text the translation
    was made for: the catalog's msgid if it was finished, else its own ``#|``.
    """
    merged = Message(reference.id, "", context=reference.context)
    _comments_of(merged, reference, translator=definition)
    merged.string, reshaped = _definition_strings(definition, reference, nplurals)
    fuzzy = definition.fuzzy or force_fuzzy or reshaped or (
        _is_plural(reference) and reference.id[1] != definition.id[1]  # type: ignore[index]
    ) or not _range_within(_range_of(reference), _range_of(definition))
    merged.flags = {f for f in reference.flags if f != "fuzzy"} | ({"fuzzy"} if fuzzy else set())
    if is_translated_first(definition) and not definition.fuzzy:
        previous = list(definition.id) if _is_plural(definition) else [definition.id]  # type: ignore[arg-type]
        _set_previous(merged, definition.context, previous)
    else:
        _set_previous(merged, *_previous_of(definition))
    if not fuzzy or not is_translated_first(merged):
        _set_previous(merged, None, [])
    return merged


def _range_of(message: Message) -> tuple[int, int] | None:
    """The ``range: MIN..MAX`` flag's bounds, or None."""
    for flag in message.flags:
        found = re.fullmatch(r"range:\s*(\d+)\s*\.\.\s*(\d+)", flag)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def _range_within(new: tuple[int, int] | None, old: tuple[int, int] | None) -> bool:
    """msgmerge keeps a translation made for ``old``'s range only if ``new`` is the same or inside it."""
    return old is None or (new is not None and old[0] <= new[0] and new[1] <= old[1])


def is_translated_first(message: Message) -> bool:
    """msgmerge's test of a translation: its first form is not empty."""
    return bool(_strings(message)[0])


def _header_nplurals(catalog: Catalog) -> int | None:
    """``nplurals`` of the catalog's ``Plural-Forms`` as the file says it; None without one (msgmerge's view)."""
    for name, value in stored_header_fields(catalog):
        if name.lower() == "plural-forms":
            at = value.find("nplurals=")  # msgmerge's strstr: spaces after the "=" only
            found = re.match(r"\s*(\d+)", value[at + len("nplurals=") :]) if at >= 0 else None
            return int(found.group(1)) if found and int(found.group(1)) > 0 else None
    return None


def _untranslated(reference: Message, nplurals: int | None) -> Message:
    """A template message no translation fits, as msgmerge copies it (as many forms as the header says)."""
    forms = nplurals or len(_strings(reference))
    new = Message(reference.id, tuple("" for _ in range(forms)) if _is_plural(reference) else "", context=reference.context)
    _comments_of(new, reference, translator=reference)
    new.flags = {f for f in reference.flags if f != "fuzzy"}
    return new


def _from_memory(reference: Message, remembered: Remembered, fuzzy_of: str | None, nplurals: int | None) -> Message:
    """A template message filled from another catalog of the locale (fuzzy when not the same msgid)."""
    merged = _untranslated(reference, nplurals)
    source = Message(remembered.id, remembered.string)  # type: ignore[arg-type]
    merged.string, reshaped = _definition_strings(source, reference, nplurals)
    if reshaped or fuzzy_of is not None:
        merged.flags.add("fuzzy")
    if fuzzy_of is not None:
        _set_previous(merged, None, list(remembered.id) if isinstance(remembered.id, tuple) else [fuzzy_of])
    return merged


def _obsolete_copy(message: Message) -> Message:
    """An unused translation kept as an obsolete entry: no references, no extracted comments."""
    message.locations = []
    message.auto_comments = []
    return message


def merge(
    old: Catalog,
    template: Catalog,
    memory: TranslationMemory | None,
    counts: FileUpdate,
    domain: str = "",
) -> Catalog:
    """``old`` brought in step with ``template`` as ``msgmerge --previous`` does (mutates ``old``).

    Each template message takes the catalog's message of the same msgid and
    context (obsolete ones included), else the most similar translated one
    (msgmerge's fstrcmp above 0.6, same context preferred), marked fuzzy.
    With a ``memory`` (the locale's other catalogs), a message with neither
    first takes the same msgid's translation from another catalog, then the
    most similar one; without it the result is msgmerge's. Unused
    translations become obsolete entries, in the catalog's order.
    """
    definitions: list[Message] = messages(old) + list(old.obsolete.values())
    active_ids = {id(m) for m in messages(old)}
    exact = {}
    for message in definitions:
        exact.setdefault(_key(message), message)
    index = MsgmergeIndex(definitions)
    nplurals = _header_nplurals(old)
    used: set[int] = set()
    for message in messages(old):
        old.delete(message.id, message.context)
    old.obsolete = {}

    for reference in messages(template):
        definition = exact.get(_key(reference))
        if definition is not None:
            used.add(id(definition))
            merged = _merged(definition, reference, False, nplurals)
            if id(definition) in active_ids:
                counts.unchanged += 1
            else:
                counts.reused += 1
        elif memory is not None and reference.context is None and (
            remembered := memory.exact_match(_singular(reference), domain)
        ) is not None:
            merged = _from_memory(reference, remembered, None, nplurals)
            counts.reused += 1
        elif (definition := index.best(_singular(reference), reference.context)) is not None:
            used.add(id(definition))
            merged = _merged(definition, reference, True, nplurals)
            counts.fuzzy += 1
        elif memory is not None and (found := memory.fuzzy_match(_singular(reference), domain)) is not None:
            merged = _from_memory(reference, found[2], found[1], nplurals)  # type: ignore[arg-type]
            counts.fuzzy += 1
        else:
            merged = _untranslated(reference, nplurals)
            counts.new += 1
        old[reference.id] = merged

    for message in definitions:
        if id(message) in used or not is_translated_first(message):
            continue
        old.obsolete[old._key_for(message.id, message.context)] = _obsolete_copy(message)
        counts.obsolete += id(message) in active_ids
    take_template_header(old, template)
    return old


def content_of(catalog: Catalog) -> list[tuple]:
    """What the catalog says, message by message, whatever the file's wrapping or header order.

    ``update`` writes a catalog only when this changes: rewrapping or
    reordering what a translator's editor saved would make a diff in every
    commit, and a new ``POT-Creation-Date`` alone tells the translator nothing.
    """

    def entry(message: Message, obsolete: bool) -> tuple:
        translated = is_translated_first(message)
        flags = {f for f in message.flags if translated or f != "fuzzy"}
        if obsolete:
            flags = {f for f in flags if not f.startswith("range:")}
        return (
            message.id, message.context, message.string, sorted(flags), message.user_comments,
            [] if obsolete else message.auto_comments, [] if obsolete else message.locations,
            _previous_of(message), obsolete,
        )

    return [entry(m, False) for m in messages(catalog)] + [entry(m, True) for m in catalog.obsolete.values()]


def update_file(path: Path, template_path: Path, memory: TranslationMemory | None = None) -> FileUpdate:
    """Merge the template at ``template_path`` into the catalog at ``path``, as ``update`` does for each.

    Without a ``memory`` the merge is ``msgmerge --previous``'s; the file is
    written only when a message changes (:func:`content_of`).
    """
    counts = FileUpdate("", template_path.stem, path)
    catalog = read_catalog(path)
    before = content_of(catalog)
    merged = merge(catalog, read_catalog(template_path), memory, counts, template_path.stem)
    counts.written = before != content_of(merged) and write_catalog(path, merged)
    return counts


def _refuse_emptied_templates(project: Project, domains: list[str], locales: list[str]) -> None:
    """Stop before writing anything when a template without messages would make translations obsolete.

    An article that lost its text (a clean document emptied by mistake) gives
    an empty template; merging it would move every translation of the
    article's catalogs to obsolete entries.
    """
    for domain in domains:
        template = project.template_path(domain)
        if template_has_messages(template):
            continue
        for locale in locales:
            path = project.catalog_path(locale, domain)
            if path.is_file() and has_translations(read_catalog(path)):
                raise PipelineError(
                    f"{template} has no messages: updating {path} from it would make all its translations "
                    "obsolete; nothing was written. Give the source its text again and run `pipeline extract` "
                    "(or remove the template and its catalogs if the article is gone)"
                )


def update(project: Project, locales: list[str] | tuple[str, ...] = ()) -> UpdateResult:
    """Merge every template into every catalog of ``locales`` (all locales when empty)."""
    domains = _require_templates(project)
    result = UpdateResult()
    chosen = list(locales) or project.catalog_locales()
    if not chosen:
        raise PipelineError("no catalogs to update: create them with 'pipeline init LOCALE'")
    for locale in chosen:
        validate_locale_name(locale)
    _refuse_emptied_templates(project, domains, chosen)
    templates: dict[str, Catalog] = {}
    for locale in chosen:
        if not (project.locales_dir / locale / "LC_MESSAGES").is_dir():
            raise PipelineError(f"no catalogs for {locale!r}: create them with 'pipeline init {locale}'")
        already_read: dict[str, Catalog] = {}
        memory = translation_memory(project, locale, domains, already_read)
        for domain in domains:
            if domain in templates:
                template = templates[domain]
            else:
                template = read_catalog(project.template_path(domain))
                if len(templates) < KEPT_TEMPLATES:
                    templates[domain] = template
            path = project.catalog_path(locale, domain)
            counts = FileUpdate(locale, domain, path)
            if domain in already_read:
                catalog = already_read.pop(domain)
            elif path.exists():
                catalog = read_catalog(path)
            else:  # a new article: its catalog starts from the translation memory
                babel_locale = parse_locale(locale)
                catalog = _new_catalog(
                    template, locale, babel_locale.english_name or locale, domain, with_messages=False
                )
                counts.created = True
            result.warnings += [str(w) for w in getattr(catalog, "pipeline_read_warnings", ())]  # what the reader tolerated
            before = None if counts.created else content_of(catalog)
            catalog = merge(catalog, template, memory if project.settings.translation_memory else None, counts, domain)
            excess = entries_not_in_template(catalog, template)
            if excess > MAX_ENTRIES_NOT_IN_TEMPLATE:
                result.warnings.append(f"{path}: {excess_entries_warning(excess, project.template_path(domain))}")
            if counts.created and domain == SITE_DOMAIN and locale not in project.settings.derived:
                seed_site_catalog(catalog, locale, interface_labels(project))
            counts.written = before != content_of(catalog) and write_catalog(path, catalog)
            result.files.append(counts)
    return result


# --------------------------------------------------------------------------
# stats
# --------------------------------------------------------------------------

_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003fffd]"
)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def count_words(text: str) -> int:
    """Words of a message's text without its tags; CJK characters count one each."""
    text = TOKEN.sub(" ", text)
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text)
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
        """Percent of source words translated (:mod:`pipeline.completion`), floored; 100 for an empty catalog."""
        from pipeline.catalogs.completion import floored_percent

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
#: counting is two regular expressions over the text.
_msgid_words = lru_cache(maxsize=65536)(count_words)


def catalog_stats(
    catalog: Catalog, locale: str, domain: str, path: Path, settings: Settings | None = None
) -> CatalogStats:
    """How much of the catalog is translated, as :mod:`pipeline.completion` counts it.

    With ``settings``, the unreviewed text of a derived locale is counted apart, and left out of
    the percentage when ``count_derived`` is off.
    """
    from pipeline.catalogs import completion
    from pipeline.catalogs.derive import is_derived

    derivation = settings.derived.get(locale) if settings is not None else None
    stats = CatalogStats(locale, domain, path, count_derived=settings.count_derived if settings else True)
    shape = completion.shape_of(catalog, domain)
    for message in messages(catalog):  # not iter(catalog): Babel would format its header's dates
        words = _msgid_words(message.id if isinstance(message.id, str) else message.id[0])
        state = completion.state(message, shape)
        if state == completion.UNTRANSLATED:
            stats.untranslated += 1
            stats.untranslated_words += words
        elif state == completion.FUZZY:
            stats.fuzzy += 1
            stats.fuzzy_words += words
        elif state == completion.REFUSED:
            stats.refused += 1
            stats.refused_words += words
            stats.refused_lines.append(message.lineno or 0)
        else:
            stats.translated += 1
            stats.translated_words += words
            if derivation is not None and is_derived(message, derivation):
                stats.derived += 1
                stats.derived_words += words
    return stats


def stats(project: Project, locales: list[str] | tuple[str, ...] = ()) -> list[CatalogStats]:
    """Progress of every catalog of ``locales`` (all when empty), articles sorted, site last."""
    results = []
    for locale in list(locales) or project.catalog_locales():
        validate_locale_name(locale)
        folder = project.locales_dir / locale / "LC_MESSAGES"
        domains = _site_last(sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else [])
        for domain in domains:
            path = project.catalog_path(locale, domain)
            results.append(catalog_stats(read_catalog(path), locale, domain, path, project.settings))
    return results


def completion(project: Project, locale: str, slug: str) -> float:
    """Percent (0-100, floored) of the article's source words with a finished translation.

    Fuzzy, untranslated and refused messages count as not done. 0.0 when the catalog
    does not exist yet.
    """
    path = project.catalog_path(locale, slug)
    if not path.exists():
        return 0.0
    return catalog_stats(read_catalog(path), locale, slug, path, project.settings).percent
