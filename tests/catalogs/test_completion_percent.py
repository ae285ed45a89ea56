"""``completion_percent`` (the build's completion, which skips counting words when every message is translated) is ``catalog_stats(...).percent``.

Over the shipped fixtures and random catalogs of every state (translated,
fuzzy, untranslated, refused, plural, derived), read by the lean reader and by
:func:`pipeline.formats.po.read_catalog`, with and without derived text counted.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.build.catalogs import read_article_catalog
from pipeline.catalogs.derivation import Derivation
from pipeline.catalogs.stats import catalog_stats, completion_percent
from pipeline.errors import CatalogError
from pipeline.formats.po import read_catalog
from pipeline.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DERIVATION = Derivation("zh_TW", "zh_CN", "s2twp")
SETTINGS = [
    None,
    Settings(),
    Settings(derived={"zh_TW": DERIVATION}),
    Settings(derived={"zh_TW": DERIVATION}, count_derived=False),
]
HEADER = 'msgid ""\nmsgstr ""\n"Language: zh_TW\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
#: A message in each state; every one is translated but the last four.
ENTRIES = [
    'msgid "Read the report"\nmsgstr "Lisez le rapport"\n',
    'msgid "Read the <a1>first report</a1>."\nmsgstr "Lisez le <a1>premier rapport</a1>."\n',
    f'# {DERIVATION.comment}\nmsgid "A derived sentence of five words"\nmsgstr "Une phrase"\n',
    'msgid "one day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "un jour"\nmsgstr[1] "%(n)s jours"\n',
    'msgid ""\n"Text on "\n"two lines"\nmsgstr "Texte"\n',
    'msgid "Not yet"\nmsgstr ""\n',
    '#, fuzzy\nmsgid "Fuzzy words here"\nmsgstr "Mots flous"\n',
    'msgid "Refused because of markup"\nmsgstr "Refusé <script>x</script>"\n',
    'msgid "one thing"\nmsgid_plural "%(n)s things"\nmsgstr[0] "une chose"\nmsgstr[1] ""\n',
]
TRANSLATED = 5


def _same_percent(path: Path, locale: str) -> None:
    for read in (read_article_catalog, read_catalog):
        try:
            catalog = read(path)
        except CatalogError:
            continue
        for settings in SETTINGS:
            expected = catalog_stats(catalog, locale, path.stem, path, settings).percent
            assert completion_percent(catalog, locale, path.stem, path, settings) == expected, (path, read, settings)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.po")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures_give_the_percent_of_their_stats(path: Path) -> None:
    _same_percent(path, path.parent.parent.name)


def test_catalogs_of_every_state_give_the_percent_of_their_stats(tmp_path: Path) -> None:
    rng = random.Random(16)
    for number in range(300):
        # Half of them wholly translated (the shortcut), the others with any message.
        pool = ENTRIES[:TRANSLATED] if number % 2 else ENTRIES
        chosen = rng.sample(pool, rng.randint(0, len(pool)))
        path = tmp_path / f"catalog-{number}.po"
        path.write_text(HEADER + "\n".join(chosen), encoding="utf-8")
        for locale in ("zh_TW", "fr"):
            _same_percent(path, locale)


def test_derived_text_left_out_is_counted_even_when_all_is_translated(tmp_path: Path) -> None:
    path = tmp_path / "derived.po"
    path.write_text(HEADER + ENTRIES[0] + "\n" + ENTRIES[2], encoding="utf-8")
    catalog = read_article_catalog(path)
    assert completion_percent(catalog, "zh_TW", "derived", path, SETTINGS[2]) == 100.0
    assert completion_percent(catalog, "zh_TW", "derived", path, SETTINGS[3]) == 33.3  # 3 of 9 words
