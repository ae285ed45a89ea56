"""The status page still shows when a catalog is broken: that is when a translator opens it."""

from __future__ import annotations

from pathlib import Path

from pipeline.project import Project
from pipeline.preview.statuspage import render_stats_page

CATALOG = "locales/zh_CN/LC_MESSAGES/what-is-a-machine-learning-engineer.po"


def _break(project: Path) -> None:
    path = project / CATALOG
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "', "msgstr oops", 1), encoding="utf-8")


def test_a_broken_catalog_is_named_on_the_page_and_the_other_locales_stay(shipped_project: Path) -> None:
    _break(shipped_project)
    page = render_stats_page(Project.load(shipped_project), lambda tag, slug, published: f"/{tag}/{slug}/")
    assert "what-is-a-machine-learning-engineer.po:" in page and "role=\"alert\"" in page
    assert 'id="locale-zh_TW"' in page and 'id="locale-zh_CN"' in page
    assert "zh-TW/what-is-a-machine-learning-engineer/" in page  # the readable locale keeps its rows



def test_stats_html_writes_the_page_even_when_a_catalog_is_broken(shipped_project: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    _break(shipped_project)
    out = tmp_path / "status.html"
    result = CliRunner().invoke(main, ["stats", "--project", str(shipped_project), "--html", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output  # the terminal table cannot be whole
    assert "what-is-a-machine-learning-engineer.po:" in result.output
    assert 'role="alert"' in out.read_text(encoding="utf-8")
