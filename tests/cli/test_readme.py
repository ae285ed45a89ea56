"""The README's Quickstart is what CI runs, and the CLI lists every command."""

from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner

from helpers.projects import REPO_ROOT
from pipeline import __version__
from pipeline.cli import COMMANDS, main


def quickstart_commands() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quickstart)


def test_readme_has_exactly_two_setup_commands():
    commands = quickstart_commands()
    assert len(commands) == 2
    assert commands[0].endswith("pip install -e . && pipeline build")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci.splitlines()


def test_help_lists_every_command_with_a_description():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^  (\w+)\s+(\S.*)$", result.output.split("Commands:", 1)[1], re.M)
    names = [name for name, _ in listed]
    available = [name for name in COMMANDS if main.get_command(None, name) is not None]
    assert names == available
    assert all(description.strip() for _, description in listed)


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"pipeline, version {__version__}"
