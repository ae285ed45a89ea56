"""A one-locale project whose French catalog the tests replace with a faulty one,
and the commands that read catalogs, run through the CLI as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers.build import SLUG, make_project
from pipeline.cli import main

#: The commands that read a translator's catalog; {dest} is a folder outside the project.
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "stats": ["stats"],
    "build": ["build"],
    "update": ["update"],
    "publish": ["publish", "--dry-run", "--base-url", "https://example.org", "{dest}"],
}


def catalog_text(
    header_lines: list[str],
    translation: str = "Ce qu'ils font à l'été",
    charset: str = "UTF-8",
    plural_forms: str = "nplurals=2; plural=(n > 1);",
) -> str:
    """A French catalog of the sample article (its header entry on line 1) with these extra header fields."""
    fields = [
        "Project-Id-Version: sample-article",
        "Language: fr",
        "MIME-Version: 1.0",
        f"Content-Type: text/plain; charset={charset}",
        "Content-Transfer-Encoding: 8bit",
        f"Plural-Forms: {plural_forms}",
        *header_lines,
    ]
    header = 'msgid ""\nmsgstr ""\n' + "".join(f'"{f}\\n"\n' for f in fields)
    return header + f'\nmsgid "What they do"\nmsgstr "{translation}"\n\nmsgid "Their work includes:"\nmsgstr ""\n'


def fault_project(root: Path) -> Path:
    """The build tests' sample article with a French catalog, and its templates (extract)."""
    project = make_project(root, locales=("fr",))
    result = CliRunner().invoke(main, ["extract", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project


def fr_catalog(project: Path) -> Path:
    return project / "locales" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"


def run(project: Path, command: str, *extra: str) -> Result:
    """``pipeline COMMAND --project PROJECT``; never lets an exception through unseen."""
    dest = project.parent / "published"
    args = [a.format(dest=dest) for a in COMMANDS[command]]
    return CliRunner().invoke(main, [*args, "--project", str(project), *extra])


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once per test module: extract is the slow part."""
    return fault_project(tmp_path_factory.mktemp("faults") / "site")


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of ``template_project`` for one test."""
    copy = tmp_path / "site"
    shutil.copytree(template_project, copy)
    return copy
