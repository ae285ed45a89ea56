"""``publish`` puts out what is ready: errors stop only the locales they would reach readers in."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers.build import SLUG, make_project
from pipeline.cli import main

BASE = "https://example.org"


def publish(project: Path, dest: Path, *args: str):
    return CliRunner().invoke(main, ["publish", str(dest), "--project", str(project), "--base-url", BASE, *args])


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def catalog(project: Path, locale: str) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{SLUG}.po"


def fix_zh_cn(project: Path) -> None:
    """The fixture's zh_CN catalog has a markup error on purpose (for the build tests)."""
    replace_in(catalog(project, "zh_CN"), 'msgstr "编写 <b>SQL</b> 查询"', 'msgstr "编写 <code/> 查询"')


def break_draft_fr(project: Path) -> int:
    """A markup error in fr, a draft (21 % of 80 %): the line of the broken message."""
    path = catalog(project, "fr")
    replace_in(path, 'msgstr "Ce qu’ils font"', 'msgstr "Ce qu’ils <b>font</b>"')
    return path.read_text(encoding="utf-8").splitlines().index('msgstr "Ce qu’ils <b>font</b>"')


def test_an_error_in_a_draft_locale_is_a_warning_and_the_ready_locales_are_published(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    fix_zh_cn(project)
    line = break_draft_fr(project)
    dest = tmp_path / "www"
    result = publish(project, dest)
    assert result.exit_code == 0, result.output
    assert f"{catalog(project, 'fr')}:{line}: [markup]" in result.output
    assert "its locale is not published" in result.output
    assert (dest / "zh-CN" / SLUG / "index.html").is_file() and (dest / "ar" / SLUG / "index.html").is_file()
    assert not (dest / "fr").exists()
    # --strict: a warning fails, as everywhere
    assert publish(project, tmp_path / "strict", "--strict").exit_code == 1


def test_an_error_in_a_locale_that_would_be_published_still_stops_the_publish(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    # zh_CN keeps its markup error; without it counted, zh_CN is still above 80 %
    result = publish(project, tmp_path / "www")
    assert result.exit_code == 1
    assert f"{catalog(project, 'zh_CN')}:38: [markup]" in result.output
    assert "--locale" in result.output
    assert not (tmp_path / "www").exists()


def test_publish_locale_publishes_only_those_and_the_others_errors_are_warnings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")  # zh_CN broken, ar ready
    dest = tmp_path / "www"
    result = publish(project, dest, "--locale", "ar")
    assert result.exit_code == 0, result.output
    assert f"{catalog(project, 'zh_CN')}:38: [markup]" in result.output  # said, not stopping
    assert sorted(p.name for p in dest.iterdir() if p.is_dir()) == ["ar", "en"]
    sitemap = (dest / "sitemap.xml").read_text(encoding="utf-8")
    assert "/ar/" in sitemap and "zh-CN" not in sitemap
    page = (dest / "ar" / SLUG / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="zh-CN"' not in page and 'hreflang="ar"' in page
    index = (dest / "index.html").read_text(encoding="utf-8")
    assert "zh-CN" not in index

    fix_zh_cn(project)
    again = publish(project, dest, "-l", "ar", "-l", "zh_CN")
    assert again.exit_code == 0, again.output
    assert (dest / "zh-CN" / SLUG / "index.html").is_file()

    unknown = publish(project, dest, "--locale", "de")
    assert unknown.exit_code == 1 and "no catalogs for locale 'de'" in unknown.output
