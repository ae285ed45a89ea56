"""No stale output: a page in output/ always reflects the current sources.

A locale whose catalog cannot be read loses its pages (and the switcher,
index and sitemap agree); the preview keeps the last good page on screen
under its error banner instead of turning it into the source language.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main
from pipeline.preview.server import PreviewSite

ARABIC = "يبني مهندسو البيانات"  # the Arabic catalog's first paragraph


def build(project: Path):
    return CliRunner().invoke(main, ["build", "--project", str(project), "--base-url", "https://example.org"])


def break_catalog(project: Path, locale: str) -> tuple[Path, bytes]:
    path = project / "locales" / locale / "LC_MESSAGES" / f"{SLUG}.po"
    good = path.read_bytes()
    path.write_bytes(good + b'\nmsgid "What they do"\nmsgstr "again"\n')  # a duplicate: msgfmt refuses it too
    return path, good


def test_a_locale_whose_catalog_breaks_leaves_output_everywhere_and_comes_back_when_fixed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    output = project / "output"
    assert build(project).exit_code == 0
    page = output / "ar" / SLUG / "index.html"
    assert ARABIC in page.read_text(encoding="utf-8")

    path, good = break_catalog(project, "ar")
    result = build(project)
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "removed from the output" in result.output
    assert not page.exists() and not (output / "ar").exists()
    assert 'hreflang="ar"' not in (output / "en" / SLUG / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="ar"' not in (output / "zh-CN" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "/ar/" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="ar/' not in (output / "index.html").read_text(encoding="utf-8")

    path.write_bytes(good)
    assert build(project).exit_code == 0
    assert ARABIC in page.read_text(encoding="utf-8")
    assert 'hreflang="ar"' in (output / "en" / SLUG / "index.html").read_text(encoding="utf-8")


def test_a_partial_build_removes_the_page_of_a_broken_catalog_too(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    assert build(project).exit_code == 0
    break_catalog(project, "ar")
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-l", "zh_CN"])
    assert result.exit_code == 1
    assert not (project / "output" / "ar" / SLUG / "index.html").exists()


def test_the_preview_keeps_the_last_good_translation_under_the_error_banner(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    site = PreviewSite(project, tmp_path / "preview")
    assert [e.kind for e in site.rebuild()][0] == "built"
    page = tmp_path / "preview" / "ar" / SLUG / "index.html"
    assert ARABIC in page.read_text(encoding="utf-8")

    path, _ = break_catalog(project, "ar")
    events = site.rebuild([path])
    assert events[0].kind == "error" and f"{path}:" in events[0].message
    assert any(f"{path}:" in error for error in site.snapshot()["errors"])  # the banner's text
    text = page.read_text(encoding="utf-8")
    assert ARABIC in text and "complete and is not published" not in text
