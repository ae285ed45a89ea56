"""Every page ``build`` writes passes the Nu Html Checker with zero errors.

The checker is ``vnu.jar`` from the npm package ``vnu-jar``, installed by
``.ci/setup.sh`` into ``.ci/tools`` (or named by the ``VNU_JAR`` environment
variable). The test skips only where Java itself is absent; a missing jar is a
failure that says how to install it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.build import make_project
from helpers.nu_checker import validate
from pipeline.cli import main

#: Whole module: the Nu checker runs in Java (see setup.cfg's markers).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def built_pages(project: Path) -> list[Path]:
    return sorted((project / "output").rglob("*.html"))


def test_every_page_built_from_the_fixtures_is_valid(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    result = CliRunner().invoke(
        main, ["build", "--project", str(project), "--all", "--base-url", "https://example.org"]
    )
    assert result.exit_code == 0, result.output
    pages = built_pages(project)
    # en, zh-CN, ar (rtl), the fr draft; and (issue 18) the language chooser, the root 404 page,
    # and a home page and a 404 page for each of the four languages
    assert len(pages) == 14
    assert project / "output" / "zh-CN" / "index.html" in pages and project / "output" / "ar" / "404.html" in pages
    errors = validate(pages)
    assert errors == [], "\n".join(f"{e.get('url')}:{e.get('lastLine')}: {e.get('message')}" for e in errors)


def test_pages_without_base_url_are_valid_too(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    CliRunner().invoke(main, ["build", "--project", str(project)])
    errors = validate(built_pages(project))
    assert errors == [], errors


def test_the_shipped_article_builds_to_valid_pages(shipped_project: Path) -> None:
    """The repository's own project, copied so that the test writes nothing in the checkout."""
    project = shipped_project
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--all"])
    assert result.exit_code == 0, result.output
    pages = built_pages(project)
    assert project / "output" / "en" / "what-is-a-machine-learning-engineer" / "index.html" in pages
    errors = validate(pages)
    assert errors == [], errors


def test_the_checker_does_report_errors(tmp_path: Path) -> None:
    """Guard against a checker that passes everything (wrong flags, wrong output stream)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head></head><body><p><div></p></body></html>", encoding="utf-8")
    assert validate([bad]) != []
