"""Every page ``build`` writes passes the Nu Html Checker with zero errors.

The checker is ``vnu.jar`` from the npm package ``vnu-jar``, installed by
``.ci/setup.sh`` into ``.ci/tools`` (or named by the ``VNU_JAR`` environment
variable). The test skips only where Java itself is absent; a missing jar is a
failure that says how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_helpers import make_project
from pipeline.cli import main

#: Whole module: the Nu checker runs in Java (see setup.cfg's markers).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
DEFAULT_JAR = REPO / ".ci" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed, so the Nu Html Checker cannot run (bash .ci/setup.sh installs it)")
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not jar.is_file():
        pytest.fail(f"the Nu Html Checker is missing at {jar}: run `bash .ci/setup.sh` (or set VNU_JAR)")
    return [java, "-jar", str(jar), "--errors-only", "--format", "json"]


def validate(files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (an empty list when all are valid)."""
    completed = subprocess.run(
        vnu_command() + [str(f) for f in files], capture_output=True, text=True, timeout=300
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(completed.stderr or completed.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


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
