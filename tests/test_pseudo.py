"""``pipeline pseudo`` and ``pipeline check --coverage``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from helpers.build import SLUG, make_project
from pipeline.pairchecks import check_pair
from pipeline.cli import main
from pipeline.formats.po import read_catalog
from pipeline.pseudo import CLOSE, OPEN, PDF, RLO, accented, mirrored

REPO = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site")
    assert invoke("extract", "--project", str(root)).exit_code == 0
    return root


@pytest.mark.parametrize(
    "msgid",
    [
        "Read the <a1>report</a1>.",
        "Line one<br/>line two",
        "By %(author)s",
        "%s of %d items",
        "Hello {name}, {0}",
        "Fish &amp; chips &#169;",
        "See https://example.org/a?b=c for more.",
        "100%% sure",
    ],
)
def test_pseudo_translations_keep_markup_and_placeholders_and_pass_the_checks(msgid: str) -> None:
    for transform in (accented, mirrored):
        text = transform(msgid)
        assert text.startswith(OPEN) and text.endswith(CLOSE)
        assert [p for p in check_pair(msgid, text) if p.severity == "error"] == []
        for token in ("<a1>", "</a1>", "<br/>", "%(author)s", "%s", "%d", "{name}", "{0}", "&amp;", "&#169;", "%%",
                      "https://example.org/a?b=c"):
            assert (token in text) == (token in msgid)


def test_accented_is_longer_and_has_no_plain_letters() -> None:
    text = accented("What is a data engineer?")
    assert len(text) >= 1.3 * len("What is a data engineer?")
    assert not any("a" <= c.lower() <= "z" for c in text)
    assert text.startswith(OPEN + "Ŵĥåţ îš")


def test_mirrored_wraps_each_text_run_in_a_right_to_left_override() -> None:
    assert mirrored("By %(author)s") == f"{OPEN}{RLO}By{PDF} %(author)s{CLOSE}"


def test_pseudo_command_writes_valid_catalogs_for_both_locales(project: Path) -> None:
    result = invoke("pseudo", "--project", str(project))
    assert result.exit_code == 0, result.output
    for locale, plurals in (("en_XA", 2), ("ar_XB", 6)):
        for domain in (SLUG, "site"):
            path = project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
            assert f"wrote locales/{locale}/LC_MESSAGES/{domain}.po" in result.output
            completed = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
            assert completed.returncode == 0, completed.stderr
            catalog = read_catalog(path)
            assert f"Language: {locale}" in path.read_text(encoding="utf-8")
            assert f"nplurals={plurals};" in path.read_text(encoding="utf-8")
            assert all(m.string for m in catalog if m.id)
    again = invoke("pseudo", "--project", str(project), "-l", "en_XA")
    assert "unchanged locales/en_XA/LC_MESSAGES/site.po" in again.output
    check = invoke("check", "--project", str(project), "-l", "en_XA", "-l", "ar_XB")
    assert check.exit_code == 0, check.output
    # update and stats work on the pseudo-locales too.
    update = invoke("update", "--project", str(project), "-l", "en_XA")
    assert update.exit_code == 0 and "unchanged locales/en_XA" in update.output
    stats = invoke("stats", "--project", str(project), "-l", "ar_XB")
    assert "100.0%" in stats.output


def test_pseudo_pages_build_as_drafts_with_the_right_direction(project: Path) -> None:
    invoke("pseudo", "--project", str(project))
    assert invoke("build", "--project", str(project), "--all").exit_code == 0
    en_xa = html.fromstring((project / "output" / "en-XA" / SLUG / "index.html").read_bytes())
    ar_xb = html.fromstring((project / "output" / "ar-XB" / SLUG / "index.html").read_bytes())
    assert (en_xa.get("lang"), en_xa.get("dir")) == ("en-XA", "ltr")
    assert (ar_xb.get("lang"), ar_xb.get("dir")) == ("ar-XB", "rtl")
    assert en_xa.xpath("//h1/text()")[0].startswith(OPEN + "Ŵĥåţ")
    assert ar_xb.xpath('//meta[@name="robots"]/@content') == ["noindex"]  # a draft, whatever its completion
    english = (project / "output" / "en" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "en-XA" not in english and "ar-XB" not in english


def test_coverage_passes_on_the_fixture_project(project: Path) -> None:
    result = invoke("check", "--project", str(project), "-l", "ar", "--coverage")
    assert "coverage: 1 en-XA pages, 0 texts not from a catalog" in result.output
    assert result.exit_code == 0, result.output
    # Coverage builds in a temporary copy: the project gets no pseudo catalogs.
    assert not (project / "locales" / "en_XA").exists()


def test_coverage_fails_on_a_template_literal_outside_the_catalog(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    base = (REPO / "pipeline" / "templates" / "base.html").read_text(encoding="utf-8")
    base = base.replace(  # issue 18: the footer's link goes to the language's home page
        '<p><a href="{{ home_href }}">{{ _("All articles") }}</a></p>',
        '<p><a href="{{ home_href }}">{{ _("All articles") }}</a></p>\n'
        '<p>Powered by pipeline</p>\n<img src="{{ root }}logo.png" alt="Our logo">\n'
        '<p translate="no">Brand Name</p>',
    )
    assert "Powered by pipeline" in base
    (templates / "base.html").write_text(base, encoding="utf-8")
    result = invoke("check", "--project", str(project), "-l", "ar", "--coverage")
    assert result.exit_code == 1
    assert f"en-XA/{SLUG}/index.html: text in <p>: not from a catalog: 'Powered by pipeline'" in result.output
    assert "alt of <img>: not from a catalog: 'Our logo'" in result.output
    assert "Brand Name" not in result.output  # translate="no" is deliberate
    assert "2 visible texts did not pass through a catalog" in result.output


def test_coverage_finds_a_fallback_block(project: Path, tmp_path: Path) -> None:
    """An article block that misses its catalog (here: the catalog's markup is broken) is reported."""
    from pipeline.pseudo import scan_page

    invoke("pseudo", "--project", str(project), "-l", "en_XA")
    catalog = project / "locales" / "en_XA" / "LC_MESSAGES" / f"{SLUG}.po"
    text = catalog.read_text(encoding="utf-8")
    start = text.index('msgid "Their work includes:"')
    line_end = text.index("\n", text.index("msgstr", start))
    catalog.write_text(text[: text.index("msgstr", start)] + 'msgstr ""' + text[line_end:], encoding="utf-8")
    invoke("build", "--project", str(project), "-l", "en_XA", "--all")
    found = scan_page(project / "output" / "en-XA" / SLUG / "index.html", "page", "en", ("notranslate",), ("Careers in data",))
    assert [(f.where, f.text) for f in found] == [("text in <p>", "Their work includes:")]


def test_coverage_passes_on_the_shipped_project(shipped_project: Path) -> None:
    result = invoke("check", "--project", str(shipped_project), "--coverage")
    assert "texts not from a catalog" in result.output
    assert "0 texts not from a catalog" in result.output, result.output
