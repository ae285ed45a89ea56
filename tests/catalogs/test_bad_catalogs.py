"""Bad catalogs: each gives file:line and a message a translator understands, never a traceback.

Decision (see ``pipeline.build._read_catalog_or_note``): a catalog that
cannot be read does not stop the build; every other page is built, then the
build exits 1 naming the file and line. ``check`` reports it as an error.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.checks import check_catalog
from pipeline.cli import main
from pipeline.formats.po import parse_catalog, read_catalog

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)


def header(charset: str = "UTF-8") -> str:
    return HEADER.format(charset=charset)


#: name -> (bytes of the catalog, line the error must name)
BROKEN: dict[str, tuple[bytes, int]] = {
    "unterminated string": ((header() + 'msgid "Their work includes:"\nmsgstr "Leur travail\n').encode(), 8),
    "missing msgstr": ((header() + 'msgid "Their work includes:"\n\nmsgid "What they do"\nmsgstr "x"\n').encode(), 7),
    "duplicate msgid": (
        (header() + 'msgid "What they do"\nmsgstr "a"\n\nmsgid "What they do"\nmsgstr "b"\n').encode(),
        10,
    ),
    "text outside strings": ((header() + 'msgid "What they do"\nmsgstr "a"\nbonjour\n').encode(), 9),
    "bad escape": ((header() + 'msgid "What they do"\nmsgstr "a\\q"\n').encode(), 8),
    "broken utf-8": ((header() + 'msgid "What they do"\nmsgstr "caf').encode() + b"\xe9\xff\"\n", 8),
    "unknown charset": ((header("NOPE-42") + 'msgid "a"\nmsgstr "b"\n').encode(), 1),
    "binary junk": (bytes(range(256)) * 4, 1),
    "msgstr without msgid": ((header() + 'msgstr "orphan"\n').encode(), 7),
}


def catalog(project: Path, locale: str = "fr", domain: str = SLUG) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_names_file_and_line(project: Path, name: str) -> None:
    data, line = BROKEN[name]
    path = catalog(project)
    path.write_bytes(data)
    findings = check_catalog(path)
    assert len(findings) == 1 and findings[0].problem.severity == "error"
    if name != "binary junk":
        assert findings[0].line == line, findings[0]
    result = CliRunner().invoke(main, ["check", "--project", str(project), "-l", "fr"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(rf"locales/fr/LC_MESSAGES/{SLUG}\.po:\d+: error: \[syntax\]", result.output), result.output


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_build_builds_the_other_locales_and_fails_naming_the_catalog(project: Path, name: str) -> None:
    data, _ = BROKEN[name]
    catalog(project).write_bytes(data)
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--all"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{catalog(project)}:" in result.output
    assert "every other page was built" in result.output
    for tag in ("en", "zh-CN", "ar"):
        assert (project / "output" / tag / SLUG / "index.html").is_file()


def test_a_broken_site_catalog_keeps_the_pages_in_the_source_language(project: Path) -> None:
    catalog(project, "zh_CN", "site").write_bytes(b'msgid "x"\nmsgstr "\xff"\n')
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1 and "site.po:2:" in result.output
    page = (project / "output" / "zh-CN" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "数据工程师" in page and "Article sources" in page


def test_an_earlier_page_is_removed_when_its_catalog_breaks(project: Path) -> None:
    """No stale page: the switcher, index and sitemap no longer list it (tests/test_stale_output.py)."""
    assert CliRunner().invoke(main, ["build", "--project", str(project)]).exit_code == 0
    page = project / "output" / "ar" / SLUG / "index.html"
    assert page.is_file()
    catalog(project, "ar").write_bytes(b'msgid "x"\n')
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1 and "removed from the output" in result.output
    assert not page.exists()


def test_latin1_catalog_with_its_header_is_read_correctly(project: Path) -> None:
    text = header("ISO-8859-1") + 'msgid "What they do"\nmsgstr "Ce qu\'ils font à l\'été"\n'
    path = catalog(project)
    path.write_bytes(text.encode("latin-1"))
    assert read_catalog(path).get("What they do").string == "Ce qu'ils font à l'été"
    codes = [f.problem.code for f in check_catalog(path)]
    assert "syntax" not in codes and "charset" in codes  # readable; asks for UTF-8


def test_missing_charset_means_utf8_and_a_wrong_one_is_a_located_error(tmp_path: Path) -> None:
    no_charset = 'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid "a"\nmsgstr "é"\n'.encode()
    assert parse_catalog(no_charset).get("a").string == "é"
    wrong = (header("ASCII") + 'msgid "a"\nmsgstr "é"\n').encode()
    path = tmp_path / "x.po"
    path.write_bytes(wrong)
    [finding] = check_catalog(path)
    assert finding.line == 8 and "not valid ascii" in finding.problem.message


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    text = header() + 'msgid "What they do"\nmsgstr "Ce qu’ils font"\n'
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "x.po"
    path.write_bytes(data)
    assert read_catalog(path).get("What they do").string == "Ce qu’ils font"
    assert [f for f in check_catalog(path) if f.problem.severity == "error"] == []


def test_strict_fails_on_a_fallback_warning(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--strict"])
    assert result.exit_code == 1 and "--strict" in result.output


@pytest.mark.slow
def test_a_50_mb_catalog_is_handled_in_reasonable_time(tmp_path: Path) -> None:
    entry = 'msgid "Sentence number {n} of a very large catalog, with some words."\nmsgstr "Phrase numéro {n} d’un très grand catalogue, avec des mots é 数据."\n\n'
    chunks = [header()]
    size, n = 0, 0
    while size < 50_000_000:
        piece = entry.format(n=n)
        chunks.append(piece)
        size += len(piece.encode("utf-8"))
        n += 1
    path = tmp_path / "big.po"
    path.write_bytes("".join(chunks).encode("utf-8"))
    started = time.monotonic()
    findings = check_catalog(path)
    elapsed = time.monotonic() - started
    assert not [f for f in findings if f.problem.severity == "error"]
    assert elapsed < 180
