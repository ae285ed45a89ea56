"""Shared fixtures: real project folders under tmp_path, never the repository itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SLUG = "what-is-a-machine-learning-engineer"
EXTRACTION_DEV = REPO_ROOT.parent / "shared" / "extraction-dev"


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


def make_project(root: Path, articles: dict[str, tuple[str, bytes | str]], settings: str = "") -> Path:
    """A project at ``root`` with ``{slug: (snapshot file name, content)}`` and optional settings."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text("[pipeline]\nsource_language = en\n" + settings, encoding="utf-8")
    for slug, (name, content) in articles.items():
        folder = root / "source" / slug
        folder.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return root
