"""check and build agree, message by message: what check accepts, build uses; what build refuses,
check reports. And check knows the project's source language.

The plural rule is GNU msgfmt -c's: forms are compared with msgid_plural, and a named placeholder
may be left out of a form that only one number takes (Arabic writes "قراءة دقيقتين", "a
two-minute read", without the 2). msgfmt is the oracle for the generated catalogs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from helpers.build import SLUG, make_project
from pipeline.build.rendering import site_translations
from pipeline.build.translation import translation_errors, usable_translations
from pipeline.checks import ERROR, check_catalog
from pipeline.pairchecks import check_pair
from pipeline.cli import main
from pipeline.errors import CatalogError
from pipeline.formats.po import messages, read_catalog

REPO = Path(__file__).resolve().parent.parent
MSGFMT = shutil.which("msgfmt")
ARABIC_PLURALS = "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"


def header(language: str, plural_forms: str) -> str:
    return (
        f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\n'
    )


ARABIC_MINUTES = header("ar", ARABIC_PLURALS) + (
    "#, python-format\n"
    'msgid "%(formatted)s min read"\nmsgid_plural "%(formatted)s min read"\n'
    'msgstr[0] "أقل من دقيقة"\nmsgstr[1] "قراءة دقيقة"\nmsgstr[2] "قراءة دقيقتين"\n'
    'msgstr[3] "%(formatted)s دقائق قراءة"\nmsgstr[4] "%(formatted)s دقيقة قراءة"\nmsgstr[5] "%(formatted)s دقيقة قراءة"\n'
)


def test_arabic_plural_forms_without_the_number_are_accepted_by_check_and_used_by_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    site = project / "locales" / "ar" / "LC_MESSAGES" / "site.po"
    site.write_text(ARABIC_MINUTES, encoding="utf-8")
    if MSGFMT:
        assert subprocess.run([MSGFMT, "-c", "-o", "/dev/null", str(site)], capture_output=True).returncode == 0
    result = CliRunner().invoke(main, ["check", "--strict", "-l", "ar", "--project", str(project)])
    assert not [l for l in result.output.splitlines() if "site.po" in l and ("error" in l or "warning" in l)], result.output
    built = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert built.exit_code == 0, built.output
    assert "placeholders differ" not in built.output
    page = html.fromstring((project / "output" / "ar" / SLUG / "index.html").read_bytes())
    [reading] = page.xpath('//span[@class="article-meta__reading"]')
    assert reading.text_content() == "قراءة دقيقة"  # one minute: form 1, without the number


def test_a_plural_form_many_numbers_take_must_keep_the_placeholder() -> None:
    text = ARABIC_MINUTES.replace('msgstr[3] "%(formatted)s دقائق قراءة"', 'msgstr[3] "دقائق قراءة"')
    from pipeline.formats.po import parse_catalog

    catalog = parse_catalog(text.encode("utf-8"), "site.po")
    warnings: list = []
    site_translations(catalog, Path("site.po"), warnings)
    assert [w.msgid for w in warnings] == ["%(formatted)s min read"]


# ---------------------------------------------------------------------------
# Every catalog of the suite through both
# ---------------------------------------------------------------------------


def check_verdicts(path: Path) -> dict[str, bool]:
    """msgid -> whether check accepts its translation (translated, not fuzzy, no error)."""
    catalog = read_catalog(path)
    errors = {f.msgid for f in check_catalog(path) if f.problem.severity == ERROR}
    verdicts = {}
    for message in messages(catalog):
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        verdicts[msgid] = bool(forms) and all(forms) and not message.fuzzy and msgid not in errors
    return verdicts


def build_verdicts(path: Path) -> dict[str, bool]:
    """msgid -> whether the build uses its translation (the page templates' catalog or an article's)."""
    catalog = read_catalog(path)
    if path.stem == "site":
        warnings: list = []
        translations = site_translations(catalog, path, warnings)
        refused = {w.msgid for w in warnings}
        table = getattr(translations, "_catalog", {})
        used = {k if isinstance(k, str) else k[0] for k in table}
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): (m.id if isinstance(m.id, str) else m.id[0]) in used
            and (m.id if isinstance(m.id, str) else m.id[0]) not in refused
            for m in messages(catalog)
        }
    usable = usable_translations(catalog)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): isinstance(m.id, str)
        and m.id in usable
        and not translation_errors(m.id, usable[m.id])
        for m in messages(catalog)
    }


def suite_catalogs() -> list[Path]:
    found = sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po")) + sorted((REPO / "tests" / "fixtures").rglob("*.po"))
    readable = []
    for path in found:
        try:
            read_catalog(path)
        except CatalogError:
            continue  # unreadable: check reports it, the build leaves the locale out (test_stale_output)
        readable.append(path)
    return readable


@pytest.mark.parametrize("path", suite_catalogs(), ids=lambda p: str(p.relative_to(REPO)))
def test_check_and_build_agree_on_every_catalog_of_the_suite(path: Path) -> None:
    assert check_verdicts(path) == build_verdicts(path)


def test_the_suite_has_catalogs_with_refused_translations_so_the_agreement_means_something() -> None:
    refused = [p for p in suite_catalogs() if not all(check_verdicts(p).values())]
    assert any(p.stem == "site" for p in suite_catalogs())
    assert refused


def test_check_and_build_agree_on_the_catalogs_a_build_test_makes(tmp_path: Path) -> None:
    """The real build: the translations it refuses (its warnings) are exactly check's errors."""
    project = make_project(tmp_path / "site")
    site = project / "locales" / "ar" / "LC_MESSAGES" / "site.po"
    site.write_text(ARABIC_MINUTES.replace('msgstr[4] "%(formatted)s', 'msgstr[4] "%(other)s'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--all", "--project", str(project)])
    assert result.exit_code == 0, result.output
    refused = {line for line in result.output.splitlines() if "not used" in line}
    reported = {
        (f.path, f.msgid)
        for path in sorted((project / "locales").glob("*/LC_MESSAGES/*.po"))
        for f in check_catalog(path)
        if f.problem.severity == ERROR
    }
    assert reported and len(refused) == len(reported), (refused, reported)
    for path, msgid in reported:
        assert any(f"{path}:" in line and repr(msgid) in line for line in refused), (path, msgid)


# ---------------------------------------------------------------------------
# A generated corpus: plural forms in several languages, GNU msgfmt -c as the oracle
# ---------------------------------------------------------------------------

PLURAL_RULES = {
    "ar": ARABIC_PLURALS,
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "zh_CN": "nplurals=1; plural=0;",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ga": "nplurals=5; plural=n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4;",
}
NAMES = ("num", "formatted", "count")


@st.composite
def plural_entries(draw):
    language = draw(st.sampled_from(sorted(PLURAL_RULES)))
    nplurals = int(PLURAL_RULES[language].split(";")[0].split("=")[1])
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    pool = names + ["other"]
    forms = [
        draw(st.lists(st.sampled_from(pool), max_size=3, unique=True).map(lambda chosen: " ".join(["x"] + [f"%({n})s" for n in chosen])))
        for _ in range(nplurals)
    ]
    source = " ".join(f"%({n})s" for n in names)
    return language, source, forms


@pytest.mark.slow
@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entry=plural_entries())
def test_check_build_and_msgfmt_agree_on_generated_plural_forms(tmp_path: Path, entry) -> None:
    language, source, forms = entry
    path = tmp_path / language / "LC_MESSAGES" / "site.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        header(language, PLURAL_RULES[language])
        + f'#, python-format\nmsgid "one {source}"\nmsgid_plural "many {source}"\n'
        + "".join(f'msgstr[{i}] "{form}"\n' for i, form in enumerate(forms)),
        encoding="utf-8",
    )
    gnu = subprocess.run([MSGFMT, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    ours, build = check_verdicts(path), build_verdicts(path)
    assert ours == build, (forms, ours, build)
    assert ours[f"one {source}"] == (gnu.returncode == 0), (forms, gnu.stderr)


# ---------------------------------------------------------------------------
# check knows the source language
# ---------------------------------------------------------------------------


def french_source_project(root: Path) -> Path:
    """A project whose articles are written in French: decimal commas, French month names."""
    from pipeline.formats.document import Document, serialize

    root.mkdir(parents=True)
    (root / "setup.cfg").write_text("[pipeline]\nsource_language = fr\nlocales = en de\n", encoding="utf-8")
    body = html.fragment_fromstring("<article><h1>Croissance</h1><p>La part a augmenté de 3,5 % le 4 mars 2025.</p></article>")
    (root / "source" / "croissance").mkdir(parents=True)
    (root / "source" / "croissance" / "article.html").write_text(
        serialize(Document(title="Croissance", language="fr", body=body)), encoding="utf-8"
    )
    for locale, heading, sentence in (
        ("en", "Growth", "The share grew by 3.5% on 4 March 2025."),  # English writes 3.5
        ("de", "Wachstum", "Der Anteil stieg am 4. März 2025 um 3,5 %."),  # German decimal comma
    ):
        folder = root / "locales" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "croissance.po").write_text(
            header(locale, "nplurals=2; plural=(n != 1);")
            + f'msgid "Croissance"\nmsgstr "{heading}"\n\n'
            + f'msgid "La part a augmenté de 3,5 % le 4 mars 2025."\nmsgstr "{sentence}"\n',
            encoding="utf-8",
        )
    return root


def test_check_reads_numbers_and_dates_as_the_source_language_writes_them(tmp_path: Path) -> None:
    project = french_source_project(tmp_path / "site")
    result = CliRunner().invoke(main, ["check", "--strict", "--project", str(project)])
    assert result.exit_code == 0, result.output  # was "numbers differ (missing 3,5; added 3.5)" for en
    assert "number" not in result.output
    # a number that really differs is still found, in the source's own notation
    problems = check_pair("Hausse de 3,5 %", "Growth of 35%", source_language="fr", target_language="en")
    assert [p.code for p in problems] == ["number"] and "3,5" in problems[0].message
    assert check_pair("1.234,5 Stellen", "1,234.5 jobs", source_language="de", target_language="en") == []
    assert check_pair("1,234.5 jobs", "1.234,5 Stellen", source_language="en", target_language="de") == []
    assert check_pair("Au 3 mars 2024", "2024年3月3日", source_language="fr", target_language="zh_CN") == []
