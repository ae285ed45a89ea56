"""The glossary: CSV and TBX read, [glossary] warnings with file:line from check, export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.glossary import read_csv, read_tbx, write_csv, write_tbx
from pipeline.catalogs.glossary import broken_terms

ARTICLE_PO = "locales/zh_CN/LC_MESSAGES/what-is-a-machine-learning-engineer.po"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _line_of(path: Path, text: str) -> int:
    """The line of the entry (its first comment or msgid line) whose msgstr contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    hit = next(i for i, line in enumerate(lines) if text in line and not line.startswith("msgid"))
    start = hit
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return next(i for i in range(start, hit + 1) if lines[i].startswith(("msgid", "#"))) + 1


def _break_term(project: Path) -> Path:
    """Make the shipped Chinese heading use 算法's synonym 演算 instead of the glossary's 算法."""
    po = project / ARTICLE_PO
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "实现机器学习算法"', 'msgstr "实现机器学习演算"'), encoding="utf-8")
    return po


def test_shipped_catalogs_satisfy_the_shipped_glossary(shipped_project: Path) -> None:
    assert len(read_csv(shipped_project / "locales" / "glossary.csv").terms) >= 10
    result = run("check", "--strict", "--project", str(shipped_project))
    assert result.exit_code == 0, result.output
    assert "[glossary]" not in result.output


def test_check_warns_with_file_and_line_and_strict_fails(shipped_project: Path) -> None:
    po = _break_term(shipped_project)
    result = run("check", "--project", str(shipped_project))
    assert result.exit_code == 0
    line = _line_of(po, "实现机器学习演算")
    assert f"{ARTICLE_PO}:" in result.output
    warning = next(l for l in result.output.splitlines() if "[glossary]" in l)
    assert "'algorithm' should be translated as 算法" in warning
    reported = int(warning.split(f"{ARTICLE_PO}:")[1].split(":")[0])
    assert reported in (line, line + 1, line + 2)  # the entry's first line, as the other findings
    strict = run("check", "--strict", "--project", str(shipped_project))
    assert strict.exit_code == 1


def test_tbx_glossary_gives_the_same_warnings(shipped_project: Path) -> None:
    _break_term(shipped_project)
    csv_path = shipped_project / "locales" / "glossary.csv"
    tbx = write_tbx(read_csv(csv_path))
    csv_path.unlink()
    (shipped_project / "locales" / "glossary.tbx").write_bytes(tbx)
    result = run("check", "--project", str(shipped_project))
    assert sum("[glossary]" in l for l in result.output.splitlines()) == 1
    assert "'algorithm' should be translated as 算法" in result.output


def test_export_round_trip(shipped_project: Path, tmp_path: Path) -> None:
    csv_path = shipped_project / "locales" / "glossary.csv"
    result = run("glossary", "--export", "tbx", "--project", str(shipped_project))
    assert result.exit_code == 0, result.output
    tbx_path = shipped_project / "locales" / "glossary.tbx"
    again = run("glossary", "--export", "tbx", "--project", str(shipped_project))
    assert again.exit_code == 2 and "--force" in again.output  # never replaces a file silently
    from_tbx = read_tbx(tbx_path)
    original = read_csv(csv_path)
    assert [(t.term, t.note, t.translations) for t in from_tbx.terms] == [
        (t.term, t.note, t.translations) for t in original.terms
    ]
    assert write_csv(from_tbx) == csv_path.read_bytes()


def test_tbx_2019_form_is_read(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(
        '<?xml version="1.0"?><tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">'
        "<text><body><conceptEntry id='c1'><langSec xml:lang='en'><termSec><term>neural network</term></termSec>"
        "</langSec><langSec xml:lang='zh-CN'><termSec><term>神经网络</term></termSec><termSec><term>神经网路</term>"
        "</termSec></langSec></conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    (term,) = read_tbx(path).terms
    assert term.term == "neural network" and term.translations == {"zh_CN": ("神经网络", "神经网路")}


@pytest.mark.parametrize(
    ("msgid", "msgstr", "broken"),
    [
        ("Two <a1>Machine Learning</a1> models", "两个<a1>机器学习</a1>模型", []),
        ("Two machine learning models", "两个机器学习模形", ["model"]),
        ("Our libraries", "我们的库", []),
        ("Our libraries", "我们的书", ["library"]),
        ("A remodeled kitchen", "改造的厨房", []),  # whole words only
        ("Built with Coursera", "用 coursera 构建", ["Coursera"]),  # do-not-translate: exactly as written
        ("Built with Coursera", "用 Coursera 构建", []),
    ],
)
def test_matching_rules(tmp_path: Path, msgid: str, msgstr: str, broken: list[str]) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "term,note,zh_CN\nmachine learning,,机器学习\nmodel,,模型\nlibrary,,库\nCoursera,do-not-translate,\n",
        encoding="utf-8",
    )
    assert [t.term for t in broken_terms(read_csv(path), "zh_CN", msgid, msgstr)] == broken


def test_a_bad_glossary_is_one_line_naming_it(shipped_project: Path) -> None:
    (shipped_project / "locales" / "glossary.csv").write_text("word,translation\nx,y\n", encoding="utf-8")
    result = run("check", "--project", str(shipped_project))
    assert result.exit_code == 1
    assert "glossary.csv:1:" in result.output and "Traceback" not in result.output


def test_no_glossary_no_warning(shipped_project: Path) -> None:
    (shipped_project / "locales" / "glossary.csv").unlink()
    _break_term(shipped_project)
    result = run("check", "--strict", "--project", str(shipped_project))
    assert result.exit_code == 0, result.output
    nothing = run("glossary", "--project", str(shipped_project))
    assert nothing.exit_code == 1 and "no glossary" in nothing.output


def test_serve_banner_and_status_page_list_the_broken_terms(shipped_project: Path) -> None:
    from helpers.serve import ServeProcess

    _break_term(shipped_project)
    server = ServeProcess(shipped_project)
    try:
        warnings = server.state()["warnings"]
        assert any("[glossary] 'algorithm' should be translated as 算法" in w and ARTICLE_PO in w for w in warnings)
        status, page = server.get("/__status")
        assert status == 200
        assert "Glossary: 1 message to look at" in page
        assert "zh_CN/LC_MESSAGES/what-is-a-machine-learning-engineer.po:" in page and "算法" in page
    finally:
        server.stop()
