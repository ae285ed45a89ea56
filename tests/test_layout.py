"""The suite as CI runs it (a plain ``pytest``) collects every folder of tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.projects import REPO_ROOT

pytestmark = pytest.mark.slow  # a second pytest process collecting the whole suite


def test_a_plain_pytest_collects_every_test_folder() -> None:
    folders = {p.parent.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "tests").rglob("test_*.py")}
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout
    found = {line.split("::")[0].rsplit("/", 1)[0] for line in collected.splitlines() if "::" in line}
    assert "tests/build" in folders
    assert folders <= found, f"not collected: {sorted(folders - found)}"
