"""A one-locale project whose French catalog the tests replace with a faulty one,
and the commands that read catalogs, run through the CLI as a user runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from build_helpers import SLUG, make_project
from pipeline.cli import main

#: The commands that read a translator's catalog; {dest} is a folder outside the project.
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "stats": ["stats"],
    "build": ["build"],
    "update": ["update"],
    "publish": ["publish", "--dry-run", "--base-url", "https://example.org", "{dest}"],
}


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
