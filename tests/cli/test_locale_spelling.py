"""A locale typed as the pages spell it (zh-TW, as in output/zh-TW/) names the catalogs' zh_TW."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def _run(project: Path, *args: str):
    result = CliRunner().invoke(main, [*args, "--project", str(project)])
    assert "Traceback" not in result.output and not isinstance(result.exception, (ValueError, TypeError)), result.output
    return result


def test_init_with_a_language_tag_creates_the_underscored_catalogs(shipped_project: Path) -> None:
    shutil.rmtree(shipped_project / "locales" / "zh_TW")
    result = _run(shipped_project, "init", "zh-TW")
    assert result.exit_code == 0, result.output
    assert (shipped_project / "locales" / "zh_TW" / "LC_MESSAGES" / "site.po").is_file()
    assert not (shipped_project / "locales" / "zh-TW").exists()


def test_build_check_and_stats_take_a_language_tag(shipped_project: Path) -> None:
    for command in (["check", "-l", "zh-CN"], ["stats", "-l", "zh-cn"], ["build", "-l", "zh-CN"]):
        result = _run(shipped_project, *command)
        assert result.exit_code == 0, (command, result.output)
    assert (shipped_project / "output" / "zh-CN" / "what-is-a-machine-learning-engineer" / "index.html").is_file()


def test_init_of_the_source_language_is_refused_with_one_line(shipped_project: Path) -> None:
    result = _run(shipped_project, "init", "en")
    assert result.exit_code == 1, result.output
    assert "source language" in result.output and "source_language" in result.output, result.output
    assert not (shipped_project / "locales" / "en").exists()
