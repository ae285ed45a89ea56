"""The header entry as GNU gettext writes it: its fields in GNU's order.

``msgmerge`` (and ``msginit``) rebuild the header from the fields GNU knows,
in this order, followed by every other field (``Plural-Forms``,
``X-Generator``, ...) in the order the file had them. Poedit saves the same
order, so a catalog written this way is not reordered by the next tool that
touches it.
"""

from __future__ import annotations

from functools import lru_cache


from pipeline.catalogs.model import PoCatalog
from pipeline.formats.po import header_fields, stored_header_fields

#: The fields msgmerge puts first, in its order (gettext's ``known_fields``).
GNU_FIELD_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
#: The fields msgmerge takes from the template: they describe the source, not the translation.
FROM_TEMPLATE = ("Report-Msgid-Bugs-To", "POT-Creation-Date")

_RANK = {name.lower(): rank for rank, name in enumerate(GNU_FIELD_ORDER)}


def in_gnu_order(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``fields`` with GNU's known ones first, in its order; the others after, as they were."""
    known = sorted((f for f in fields if f[0].lower() in _RANK), key=lambda f: _RANK[f[0].lower()])
    return known + [f for f in fields if f[0].lower() not in _RANK]


def settle_header(catalog: PoCatalog) -> None:
    """Put the catalog's header fields in GNU's order (``init`` and ``update`` write them so)."""
    catalog.set_header_fields(in_gnu_order(header_fields(catalog)))


def take_template_header(catalog: PoCatalog, template: PoCatalog) -> None:
    """msgmerge's header merge: the template's ``FROM_TEMPLATE`` fields, the rest the catalog's, GNU's order."""
    fields = header_fields(catalog)
    for name, value in stored_header_fields(template):  # merges never change a template
        if name not in FROM_TEMPLATE:
            continue
        at = next((i for i, (n, _) in enumerate(fields) if n.lower() == name.lower()), None)
        if at is None:
            fields.append((name, value))
        else:
            fields[at] = (fields[at][0], value)
    names = [n.lower() for n, _ in fields]
    if "language" not in names and "language-team" in names:  # msgmerge adds the field after the team
        team = fields[names.index("language-team")][1]
        fields.insert(names.index("language-team") + 1, ("Language", _language_of_team(team)))
    catalog.set_header_fields(in_gnu_order(fields))


def _language_of_team(team: str) -> str:
    """The language code msgmerge infers from a team ``English name <address>`` ('' when it cannot)."""
    name, bracket, _ = team.partition(" <")
    return _languages_by_english_name().get(name.strip(), "") if bracket else ""


@lru_cache(maxsize=1)
def _languages_by_english_name() -> dict[str, str]:
    from babel import Locale
    from babel.localedata import locale_identifiers

    codes: dict[str, str] = {}
    for identifier in locale_identifiers():
        if "_" not in identifier:
            name = Locale.parse(identifier).english_name
            if name:
                codes.setdefault(name, identifier)
    return codes
