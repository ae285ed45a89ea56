"""Derived locales: a locale's catalogs kept filled from another locale's through OpenCC.

``[pipeline:derived]`` with ``zh_TW = zh_CN s2twp`` makes Traditional Chinese follow the reviewed
Simplified translation, converted with OpenCC's own phrase tables. The catalogs stay standard
gettext; who owns an entry is visible in it:

- a derived entry carries the translator comment ``derived from zh_CN (s2twp)``; while it does and
  its text is what the last conversion wrote, it follows zh_CN (a changed zh_CN text is converted
  again);
- an entry whose text a reviewer changed, or whose comment they removed, is theirs and never
  overwritten; when its zh_CN text changes it becomes fuzzy, with the new conversion shown in a
  ``new conversion:`` translator comment;
- fuzzy or untranslated zh_CN entries, and those `check` finds an error in, give no derived text.

What each entry was converted from and to is kept in ``locales/<locale>/derived.json`` (one
readable JSON file, committed with the catalogs): without it a reviewer's edit could not be told
apart from a change of the zh_CN text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.catalogs.completion import TRANSLATED, shape_of, state as completion_state
from pipeline.catalogs.derivation import Derivation, is_derived
from pipeline.catalogs.model import is_plural, messages, singular, strings_of, template_domains
from pipeline.errors import CatalogError, PipelineError
from pipeline.formats.po import read_catalog, write_catalog
from pipeline.fsutil import write_if_changed

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

STATE_FILE = "derived.json"
NEW_CONVERSION = "new conversion: "


class DerivationError(PipelineError):
    """A derived locale that cannot be made (unknown conversion, missing source locale)."""


@dataclass
class DerivedFile:
    locale: str
    domain: str
    path: Path
    derived: int = 0  # entries (re)written from the source locale
    in_step: int = 0  # derived entries already equal to the conversion
    reviewed_fuzzy: int = 0  # reviewed entries made fuzzy by a change of the source text
    cleared: int = 0  # derived entries emptied because their source is no longer usable
    written: bool = False


@dataclass
class DeriveResult:
    files: list[DerivedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def converter(conversion: str):
    """OpenCC's converter for ``conversion``; imported only when a project derives a locale."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        raise DerivationError("derived locales need OpenCC: pip install opencc") from None
    try:
        return opencc.OpenCC(conversion)
    except Exception as error:  # OpenCC raises its own types for an unknown configuration
        raise DerivationError(f"[pipeline:derived]: unknown OpenCC conversion {conversion!r} ({error})") from None


def convert(derivation: Derivation, text: str) -> str:
    return converter(derivation.conversion).convert(text) if text else text


def _set_strings(message: Message, strings: list[str]) -> None:
    message.string = tuple(strings) if is_plural(message) else strings[0]


def _key(message: Message) -> str:
    """The message's key in the derivation record (gettext's ``context\x04msgid`` of a .mo file)."""
    return f"{message.context}\x04{singular(message)}" if message.context else singular(message)


def _usable(message: Message | None, shape) -> bool:
    """A source entry to convert: translated as every command counts it (:func:`pipeline.catalogs.completion.state`).

    A translation ``check`` refuses counts as fuzzy does: converting it would
    copy one translator's error into a second locale and stop its publishing too.
    """
    return message is not None and completion_state(message, shape) == TRANSLATED


def _without_ours(comments: list[str], derivation: Derivation) -> list[str]:
    return [c for c in comments if c != derivation.comment and not c.startswith(NEW_CONVERSION)]


def _derive_message(
    message: Message, source: Message | None, derivation: Derivation, state: dict, counts: DerivedFile, shape
) -> None:
    """Bring one entry of the derived catalog in step with its source entry (see the module)."""
    key = _key(message)
    record = state.get(key)
    current = strings_of(message)
    ours = is_derived(message, derivation) and (record is None or record["derived"] == current)
    if not _usable(source, shape):
        if ours and any(current):
            _set_strings(message, [""] * len(current))
            message.user_comments = _without_ours(message.user_comments, derivation)
            message.flags.discard("fuzzy")
            state.pop(key, None)
            counts.cleared += 1
        return
    source_strings = strings_of(source)
    converted = [convert(derivation, s) for s in source_strings]
    if len(converted) != len(current):
        converted = (converted + [converted[-1]] * len(current))[: len(current)]
    if ours or not any(current):
        counts.in_step += converted == current and "fuzzy" not in message.flags
        counts.derived += converted != current or "fuzzy" in message.flags
        _set_strings(message, converted)
        message.flags.discard("fuzzy")
        message.previous_id = []  # GNU shows previous msgids on fuzzy entries only
        message.user_comments = _without_ours(message.user_comments, derivation) + [derivation.comment]
        state[key] = {"source": source_strings, "derived": converted}
        return
    # A reviewer's entry: theirs. Only a change of the source text is shown to them.
    message.user_comments = [c for c in message.user_comments if c != derivation.comment]
    if record is not None and record["source"] != source_strings:
        message.flags.add("fuzzy")
        shown = [NEW_CONVERSION + " | ".join(converted).replace("\n", " ")]
        message.user_comments = _without_ours(message.user_comments, derivation) + shown
        counts.reviewed_fuzzy += 1
    state[key] = {"source": source_strings, "derived": record["derived"] if record else None}


def derive_catalog(catalog: Catalog, source: Catalog, derivation: Derivation, state: dict, counts: DerivedFile) -> None:
    """Apply the derivation to every entry of ``catalog`` (changed in place); ``state`` too."""
    by_key = {_key(m): m for m in messages(source)}
    shape = shape_of(source, counts.domain)
    keys = set()
    for message in messages(catalog):
        keys.add(_key(message))
        _derive_message(message, by_key.get(_key(message)), derivation, state, counts, shape)
    for stale in set(state) - keys:
        del state[stale]


def read_state(locale_dir: Path) -> dict:
    path = locale_dir / STATE_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise DerivationError(f"{path}: not readable as the derivation record: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise DerivationError(f"{path}: not a derivation record (an object of domains)")
    return data


def state_bytes(state: dict) -> bytes:
    return (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def derive_locale(locales_dir: Path, derivation: Derivation, domains: list[str]) -> DeriveResult:
    """Fill ``derivation.locale``'s existing catalogs from ``derivation.source``'s; write what changed."""
    result = DeriveResult()
    locale_dir = locales_dir / derivation.locale
    state = read_state(locale_dir)
    for domain in domains:
        path = locale_dir / "LC_MESSAGES" / f"{domain}.po"
        source_path = locales_dir / derivation.source / "LC_MESSAGES" / f"{domain}.po"
        if not path.is_file():
            continue
        if not source_path.is_file():
            result.warnings.append(f"{source_path}: no catalog to derive {derivation.locale} from")
            continue
        try:
            catalog, source = read_catalog(path), read_catalog(source_path)
        except CatalogError as error:
            result.warnings.append(f"{error.message}: {derivation.locale}/{domain} not derived")
            continue
        counts = DerivedFile(derivation.locale, domain, path)
        derive_catalog(catalog, source, derivation, state.setdefault(domain, {}), counts)
        counts.written = write_catalog(path, catalog)
        result.files.append(counts)
    write_if_changed(locale_dir / STATE_FILE, state_bytes({d: s for d, s in state.items() if s}))
    return result


def derive_project(project, locales: list[str] | tuple[str, ...] = ()) -> DeriveResult:
    """Derive every ``[pipeline:derived]`` locale that has catalogs, after ``update`` or ``init``.

    With ``locales`` given, only derivations from or into one of them run.
    """
    result = DeriveResult()
    domains = template_domains(project)
    for derivation in project.settings.derived.values():
        if locales and derivation.locale not in locales and derivation.source not in locales:
            continue
        if not (project.locales_dir / derivation.locale / "LC_MESSAGES").is_dir():
            result.warnings.append(
                f"{derivation.locale} is derived from {derivation.source} but has no catalogs: "
                f"run 'pipeline init {derivation.locale}'"
            )
            continue
        part = derive_locale(project.locales_dir, derivation, domains)
        result.files += part.files
        result.warnings += part.warnings
    return result
