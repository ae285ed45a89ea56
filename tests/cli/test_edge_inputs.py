"""Inputs that used to pass without a word: each now gets a clear line naming the file.

An empty ``.po``; a catalog of many entries its template does not have; a
plain-text ``article.html`` (no ``<article>``) at build and extract; an empty
template that ``update`` would have used to make every translation obsolete;
``build -l`` for a locale without catalogs suggesting the right command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.projects import SHIPPED_SLUG
from pipeline.cli import main
from pipeline.formats.templatefit import MAX_ENTRIES_NOT_IN_TEMPLATE

SLUG = SHIPPED_SLUG


def run(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(root)])


def catalog(root: Path, domain: str = SLUG, locale: str = "zh_CN") -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("command", ["check", "stats", "build", "update"])
def test_an_empty_po_is_an_error_naming_it(shipped_project: Path, command: str) -> None:
    path = catalog(shipped_project, "site")
    path.write_bytes(b"")
    result = run(shipped_project, command)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "site.po" in result.output and "empty" in result.output, result.output
    assert path.read_bytes() == b""  # update did not "repair" it over the translator's back


def test_an_empty_template_says_extract(shipped_project: Path) -> None:
    (shipped_project / "locales" / "site.pot").write_bytes(b"\n")
    result = run(shipped_project, "init", "fr")
    assert result.exit_code == 1
    assert "site.pot:1: the file is empty" in result.output and "pipeline extract" in result.output


def _obsolete_entries(count: int) -> str:
    return "".join(f'#~ msgid "Old sentence number {n}"\n#~ msgstr "Ancienne phrase {n}"\n\n' for n in range(count))


@pytest.mark.parametrize("command", ["check", "update", "build"])
def test_a_catalog_of_many_entries_not_in_its_template_is_reported(shipped_project: Path, command: str) -> None:
    path = catalog(shipped_project)
    count = MAX_ENTRIES_NOT_IN_TEMPLATE * 3
    path.write_text(path.read_text(encoding="utf-8") + "\n" + _obsolete_entries(count), encoding="utf-8")
    result = run(shipped_project, command)
    assert result.exit_code == 0, result.output
    assert re.search(rf"{re.escape(path.name)}.*{count} entries that its template {SLUG}\.pot does not have", result.output), result.output
    strict = run(shipped_project, command, "--strict")
    assert strict.exit_code == 1


def test_a_few_obsolete_entries_are_not_reported(shipped_project: Path) -> None:
    path = catalog(shipped_project)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + _obsolete_entries(20), encoding="utf-8")
    for command in ("check", "update", "build"):
        result = run(shipped_project, command)
        assert result.exit_code == 0 and "does not have" not in result.output, result.output


PLAIN_TEXT = "What is a machine learning engineer?\n\nA machine learning engineer builds systems that learn.\n"


@pytest.mark.parametrize(
    "content",
    [PLAIN_TEXT, "<!DOCTYPE html><html><head><title>T</title></head><body><p>Only a paragraph.</p></body></html>"],
    ids=["plain text", "no article element"],
)
@pytest.mark.parametrize("command", ["build", "extract"])
def test_a_document_without_article_is_an_error_not_an_empty_page(shipped_project: Path, content: str, command: str) -> None:
    document = shipped_project / "source" / SLUG / "article.html"
    document.write_text(content, encoding="utf-8")
    template = shipped_project / "locales" / f"{SLUG}.pot"
    before = template.read_bytes()
    result = run(shipped_project, command)
    assert result.exit_code == 1, result.output
    assert "article.html" in result.output and "no <article> element" in result.output, result.output
    assert not (shipped_project / "output" / "en" / SLUG / "index.html").exists()
    assert template.read_bytes() == before


def test_update_refuses_an_empty_template_and_writes_nothing(shipped_project: Path) -> None:
    template = shipped_project / "locales" / f"{SLUG}.pot"
    # what extract makes of an article whose <article> lost its text: a header and no message
    header = template.read_text(encoding="utf-8").split("\n\n", 1)[0] + "\n"
    template.write_text(header, encoding="utf-8")
    catalogs = sorted((shipped_project / "locales").rglob("*.po"))
    before = {path: path.read_bytes() for path in catalogs}
    result = run(shipped_project, "update")
    assert result.exit_code == 1, result.output
    assert f"{SLUG}.pot has no messages" in result.output and "nothing was written" in result.output, result.output
    assert {path: path.read_bytes() for path in catalogs} == before


def test_update_with_an_empty_template_and_no_translations_goes_on(shipped_project: Path) -> None:
    """A new article with nothing translated yet loses nothing: no reason to stop."""
    template = shipped_project / "locales" / f"{SLUG}.pot"
    template.write_text(template.read_text(encoding="utf-8").split("\n\n", 1)[0] + "\n", encoding="utf-8")
    for path in (shipped_project / "locales").glob(f"*/LC_MESSAGES/{SLUG}.po"):
        path.unlink()
    result = run(shipped_project, "update")
    assert result.exit_code == 0, result.output


def test_build_of_a_locale_without_catalogs_suggests_a_command_that_works(shipped_project: Path) -> None:
    result = run(shipped_project, "build", "-l", "fr")
    assert result.exit_code == 1
    suggested = re.search(r"run `(pipeline [^`]+)`", result.output)
    assert suggested, result.output
    words = shlex.split(suggested.group(1))[1:]
    assert words == ["init", "fr"]
    assert run(shipped_project, *words).exit_code == 0
    assert run(shipped_project, "build", "-l", "fr", "--all").exit_code == 0
    assert (shipped_project / "output" / "fr" / SLUG / "index.html").is_file()
