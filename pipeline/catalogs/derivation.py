"""What a derived locale is (``[pipeline:derived]``), read by the settings; the deriving is :mod:`pipeline.catalogs.derive`.

Nothing here depends on the project or its settings, so the settings can parse
the section without importing the catalogs' stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Message


@dataclass(frozen=True)
class Derivation:
    locale: str
    source: str
    conversion: str  # an OpenCC configuration name: s2twp, s2hk, s2t...

    @property
    def comment(self) -> str:
        return f"derived from {self.source} ({self.conversion})"


@lru_cache(maxsize=1)
def opencc_conversions() -> frozenset[str]:
    """The conversion configurations OpenCC ships, found without importing it (settings stay cheap)."""
    import importlib.util

    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    found: set[str] = set()
    for folder in spec.submodule_search_locations:
        found.update(path.stem for path in Path(folder).rglob("*.json"))
    return frozenset(found)


def is_derived(message: Message, derivation: Derivation) -> bool:
    return derivation.comment in message.user_comments


def parse_derivations(section: dict[str, str], known_locale) -> tuple[dict[str, Derivation], list[str]]:
    """``[pipeline:derived]`` as written: ``LOCALE = SOURCE_LOCALE CONVERSION``; all problems at once."""
    derivations: dict[str, Derivation] = {}
    problems: list[str] = []
    for locale, value in section.items():
        parts = value.split()
        if len(parts) != 2:
            problems.append(f"[pipeline:derived] {locale}: expected 'SOURCE_LOCALE CONVERSION', got {value!r}")
            continue
        if not known_locale(locale) or not known_locale(parts[0]):
            problems.append(f"[pipeline:derived] {locale}: {locale!r} or {parts[0]!r} is not a locale name")
            continue
        conversion = parts[1].removesuffix(".json")
        if conversion not in opencc_conversions():
            known = ", ".join(sorted(opencc_conversions())) or "none: pip install opencc"
            problems.append(f"[pipeline:derived] {locale}: unknown OpenCC conversion {conversion!r} (known: {known})")
            continue
        derivations[locale] = Derivation(locale, parts[0], conversion)
    for derivation in derivations.values():
        if derivation.source in derivations:
            problems.append(f"[pipeline:derived] {derivation.locale}: derives from {derivation.source}, itself derived")
    return derivations, problems
