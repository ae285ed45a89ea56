"""serve started on a broken catalog: it has no earlier page to keep, and must not say it keeps one."""

from __future__ import annotations

from pathlib import Path

from helpers.build import SLUG, make_project
from pipeline.preview.server import PreviewSite


def test_a_catalog_broken_before_the_first_preview_build_is_not_said_to_keep_a_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    path = project / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    path.write_bytes(path.read_bytes() + b'\nmsgid "What they do"\nmsgstr "again"\n')  # a duplicate definition
    site = PreviewSite(project, tmp_path / "preview")
    events = site.rebuild()
    errors = [event.message for event in events if event.kind == "error"]
    assert errors and f"{path}:" in errors[0]
    assert not (tmp_path / "preview" / "ar" / SLUG / "index.html").exists()
    assert "keeps the last good" not in errors[0], errors[0]
    assert "no ar page of" in errors[0], errors[0]
