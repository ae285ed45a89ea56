"""A zh_CN translation that check refuses gives no derived zh_TW text, as a fuzzy one gives none.

Otherwise one translator's broken tag became an error of both locales, and
publish refused zh_TW for a mistake nobody made in it.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

SLUG = "what-is-a-machine-learning-engineer"
GOOD = "全球净增长率达82%<a>[1]</a>。"
BROKEN = "全球净增长率达82%<a>[1]</b>。"


def _run(project: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project)])


def test_a_refused_zh_cn_translation_is_not_converted_into_zh_tw(shipped_project: Path) -> None:
    cn = shipped_project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    cn.write_text(cn.read_text(encoding="utf-8").replace(GOOD, BROKEN, 1), encoding="utf-8")
    result = _run(shipped_project, "update")
    assert result.exit_code == 0, result.output
    assert "[1]</b>" not in (shipped_project / "locales" / "zh_TW" / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8")
    check = _run(shipped_project, "check", "-l", "zh_TW")
    assert check.exit_code == 0, check.output

    cn.write_text(cn.read_text(encoding="utf-8").replace(BROKEN, GOOD, 1), encoding="utf-8")
    assert _run(shipped_project, "update").exit_code == 0
    tw = (shipped_project / "locales" / "zh_TW" / "LC_MESSAGES" / f"{SLUG}.po").read_text(encoding="utf-8")
    assert "全球淨增長率達82%<a>[1]</a>。" in tw  # fixed in zh_CN: derived again
