"""What counts as translated, and how much of a catalog is: one answer for every command.

``build`` (which locales are published, which blocks fall back), ``stats``,
the status page, ``serve`` and ``publish`` all ask here. A message counts as
translated when it is finished (:func:`pipeline.catalogs.model.is_finished`:
not fuzzy, every form has text) and ``check`` finds no error in it
(:func:`pipeline.checks.message_problems`): a translation the build would
refuse and show in the source language never counts.

Completion is the share of the source words of translated messages, floored
to :data:`DECIMALS` decimals and shown with exactly that many, so a figure
shown as 100 is all of it and a threshold compares the very figure shown.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.catalogs.model import is_translated
from pipeline.checks import CatalogShape, Problem, message_problems
from pipeline.pairchecks import translation_errors

#: Decimals of a completion figure, everywhere it is shown or compared.
DECIMALS = 1
TRANSLATED, FUZZY, UNTRANSLATED, REFUSED = "translated", "fuzzy", "untranslated", "refused"


def shape_of(catalog, domain: str) -> CatalogShape:
    return CatalogShape.of(catalog, domain)


#: The few-number forms of a singular message: none (its errors depend on no plural form).
_NO_FORMS: frozenset[int] = frozenset()


#: Cached, as is :func:`pair_errors`: the build asks for each translation when it
#: counts and again when it uses it, on the same page, so only a page's
#: translations need to stay; the bound keeps a large catalog's from growing it.
@lru_cache(maxsize=4096)
def _errors(ids: tuple[str, ...], strings: tuple[str, ...], few_number_forms: frozenset[int], formatted: bool) -> tuple[Problem, ...]:
    """Keyed by what of the catalog's :class:`CatalogShape` the errors depend on
    (not its language: one entry per translation), as values that hash in C, not a dataclass."""
    shape = CatalogShape(few_number_forms=few_number_forms, formatted=formatted)
    return tuple(message_problems(ids, strings, shape, errors_only=True))


def message_errors(message, shape: CatalogShape) -> tuple[Problem, ...]:
    """The errors ``check`` reports for the message's translation (none for an empty one)."""
    if isinstance(message.id, str) and not shape.formatted and not isinstance(message.string, (list, tuple)):
        return pair_errors(message.id, message.string or "")  # an article's message: the checks of one pair
    ids = tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string or "",)
    return _errors(ids, strings, shape.few_number_forms if len(ids) > 1 else _NO_FORMS, shape.formatted)


@lru_cache(maxsize=4096)
def pair_errors(msgid: str, msgstr: str) -> tuple[Problem, ...]:
    """The errors of an article's translation (a singular message, not formatted): :func:`message_problems`'s."""
    return tuple(translation_errors(msgid, msgstr))


def text_state(message) -> str:
    """:data:`UNTRANSLATED` (a form without text), :data:`FUZZY`, or :data:`TRANSLATED` before the checks."""
    if not is_translated(message):
        return UNTRANSLATED
    return FUZZY if message.fuzzy else TRANSLATED


def state(message, shape: CatalogShape) -> str:
    """:data:`TRANSLATED`, :data:`FUZZY`, :data:`UNTRANSLATED` or :data:`REFUSED` (``check`` finds errors)."""
    msgid, string = message.id, message.string
    if isinstance(msgid, str) and isinstance(string, str) and not shape.formatted:
        # An article's message: text_state's answer and the checks of the pair, without their lists.
        if not string:
            return UNTRANSLATED
        if message.fuzzy:
            return FUZZY
        return REFUSED if pair_errors(msgid, string) else TRANSLATED
    found = text_state(message)
    if found != TRANSLATED:
        return found
    return REFUSED if message_errors(message, shape) else TRANSLATED


def floored_percent(done: int, total: int) -> float:
    """``100 * done / total`` floored to :data:`DECIMALS` decimals; 100 for nothing to translate."""
    if not total:
        return 100.0
    scale = 10**DECIMALS
    return (100 * scale * done // total) / scale


def percent_text(percent: float) -> str:
    """A completion figure as every command shows it: ``99.5%``."""
    return f"{percent:.{DECIMALS}f}%"


def meets(percent: float, threshold: float) -> bool:
    """Whether a (floored) completion reaches the threshold: the same figure that is shown."""
    return percent >= threshold


def localized_percent_text(percent: float, formatting_locale: str) -> str:
    """:func:`percent_text` as ``formatting_locale`` writes percentages (``90,5 %`` in French)."""
    import copy

    from babel import Locale
    from babel.numbers import format_percent

    pattern = copy.copy(Locale.parse(formatting_locale).percent_formats[None])
    pattern.frac_prec = (DECIMALS, DECIMALS)
    return format_percent(percent / 100, format=pattern, locale=formatting_locale)
