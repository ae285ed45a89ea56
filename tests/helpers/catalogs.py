"""Shared helpers of the catalog tests: real project folders built from fixtures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.formats.po import read_catalog, write_catalog
from pipeline.project import Project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"
ARTICLE = FIXTURES / "article.html"
SLUG = "demo"


def make_project(tmp_path: Path, slugs: tuple[str, ...] = (SLUG,), templates: bool = True) -> Project:
    """A project with the fixture article under each slug and the fixture page template."""
    root = tmp_path / "site"
    for slug in slugs:
        (root / "source" / slug).mkdir(parents=True)
        shutil.copy(ARTICLE, root / "source" / slug / "article.html")
    if templates:
        shutil.copytree(FIXTURES / "templates", root / "templates")
    return Project.load(root)


def edit_article(project: Project, slug: str, old: str, new: str) -> None:
    path = project.clean_document_path(slug)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def translate_all(path: Path, translate=lambda msgid: "ZH " + msgid) -> None:
    """Fill every message of a catalog, as a translator would."""
    catalog = read_catalog(path)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(translate(message.id[1]) for _ in message.string)
        else:
            message.string = translate(message.id)
        message.flags.discard("fuzzy")
    write_catalog(path, catalog)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def msgcat(path: Path, *args: str) -> bytes:
    return subprocess.run(["msgcat", *args, str(path)], capture_output=True, check=True).stdout
