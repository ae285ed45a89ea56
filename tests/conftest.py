"""Shared fixtures: real project folders under tmp_path, never the repository itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.projects import REPO_ROOT


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def shipped_project(tmp_path: Path) -> Path:
    """A copy of the shipped example project (settings, sources, catalogs)."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO_ROOT / "setup.cfg", root / "setup.cfg")
    shutil.copytree(REPO_ROOT / "source", root / "source")
    if (REPO_ROOT / "locales").is_dir():
        shutil.copytree(REPO_ROOT / "locales", root / "locales")
    if (REPO_ROOT / "babel.cfg").is_file():
        shutil.copy(REPO_ROOT / "babel.cfg", root / "babel.cfg")
    return root


