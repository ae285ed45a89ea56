"""check: every mismatch a translator can make, reported with file, line and msgid."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.checks import Finding, Problem, check_catalog
from pipeline.pairchecks import check_pair
from pipeline.cli import main

LINK = "Read the <a1>report</a1> and the <a2>data</a2>."


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.severity, p.code) for p in problems]


def test_a_good_translation_has_no_problem():
    assert check_pair(LINK, "阅读<a1>报告</a1>和<a2>数据</a2>。") == []
    assert check_pair("By %(author)s", "作者：%(author)s") == []
    assert check_pair("Use <code/> in 2025.", "在 2025 年使用 <code/>。") == []
    assert check_pair("x", "") == []


@pytest.mark.parametrize(
    "msgstr, fragment",
    [
        ("阅读<a1>报告</a1>和数据。", "missing <a2>"),  # a tag missing
        ("阅读<a1>报告</a1>和<a2>数据</a2><a2>又</a2>。", "wrong count of <a2>"),  # a tag added twice
        ("阅读<a1>报告</a1>和<b>数据</b>。", "<b> is not in the source"),  # renamed
        ("阅读<a1>报告和<a2>数据</a2>。", "<a1> is not closed"),  # unbalanced
        ("阅读<a1>报告</a2>和<a2>数据</a1>。", "closes a tag that is not open"),  # crossed
        ('阅读<a1>报告</a1>和<a2 href="x">数据</a2>。', "tag with attributes"),
        ("阅读<a1>报告</a1>和<a2>数据</a2><div>。</div>", "<div> is not in the source"),
        ("阅读<a1>报告</a1>和<a2>数据</a2>&nbsp;。", "character reference &nbsp;"),
        ("阅读<a1>报告</a1>和<a2>数据</a2>&#169;", "character reference &#169;"),
        ("阅读<a1>报告</a1>和<a2>数据</a2>&#x3C;", "character reference &#x3C;"),
        ("阅读<a1>报告</a1>和<a2>数据</a2><!-- hi -->", "comment"),
        ("阅读<a1>报告</a1>和<a2>数据</a2><script >alert(1)</script >", "script"),
        ("阅读<a1>报告</a1>和<a2>数据</a2> onclick=alert(1)", "event handler"),
    ],
)
def test_markup_mismatches_are_errors(msgstr, fragment):
    problems = check_pair(LINK, msgstr)
    assert problems and all(p.severity == "error" for p in problems if p.code == "markup")
    assert any(p.code == "markup" and fragment in p.message for p in problems), problems


def test_placeholder_to_self_closing_and_back():
    problems = check_pair("Use <code/> now.", "现在使用<code>x</code>。")
    assert ("error", "markup") in codes(problems)


@pytest.mark.parametrize(
    "msgid, msgstr",
    [
        ("Hello %s", "你好"),
        ("By %(author)s", "作者：%(name)s"),
        ("By %(author)s", "作者：%(author)d"),
        ("Hello {name}", "你好 {nom}"),
        ("Hello", "你好 %s"),
    ],
)
def test_placeholder_mismatches_are_errors(msgid, msgstr):
    assert ("error", "placeholder") in codes(check_pair(msgid, msgstr))


def test_numbers_and_urls_are_warnings():
    assert codes(check_pair("Growth of 82 percent in 2025.", "2025 年增长 28%。")) == [("warning", "number")]
    assert check_pair("Growth of 100,000 jobs.", "增长 100000 个职位。") == []
    problems = check_pair("See https://example.org/a for more.", "详见 https://example.org/b。")
    assert codes(problems) == [("warning", "url")]


def write(path, body, header_extra=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n' + header_extra + "\n" + body,
        encoding="utf-8",
    )
    return path


def test_catalog_findings_have_file_line_and_msgid(tmp_path):
    path = write(
        tmp_path / "zh_CN" / "LC_MESSAGES" / "demo.po",
        f'msgid "{LINK}"\nmsgstr "阅读<a1>报告</a1>和数据。"\n\n'  # line 7
        'msgid "Untranslated"\nmsgstr ""\n\n'  # line 10
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "模糊 <b>"\n\n'  # line 14: fuzzy, not checked further
        'msgid "%(num)d item"\nmsgid_plural "%(num)d items"\nmsgstr[0] "%(num)d 项"\nmsgstr[1] "%(num)d 项"\n\n'  # 17
        'msgid "Count 82"\nmsgstr "计数 28"\n',  # line 22
    )
    findings = check_catalog(path)
    got = [(f.line, f.msgid, f.problem.severity, f.problem.code) for f in findings]
    assert got == [
        (7, LINK, "error", "markup"),
        (10, "Untranslated", "info", "untranslated"),
        (14, "Fuzzy", "info", "fuzzy"),
        (17, "%(num)d item", "error", "plural"),
        (22, "Count 82", "warning", "number"),
    ]
    assert all(isinstance(f, Finding) and f.path == path for f in findings)


def test_syntax_errors_are_findings_not_tracebacks(tmp_path):
    path = write(tmp_path / "bad.po", 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    findings = check_catalog(path)
    assert [(f.line, f.problem.code, f.problem.severity) for f in findings] == [(10, "syntax", "error")]
    assert "duplicate message" in findings[0].problem.message
    path.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    assert [(f.line, f.problem.code) for f in check_catalog(path)] == [(2, "syntax")]


def test_non_utf8_charset_is_a_warning(tmp_path):
    path = tmp_path / "latin.po"
    path.write_bytes(
        b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        b'msgid "Cafe"\nmsgstr "Caf\xe9"\n'
    )
    assert [(f.problem.severity, f.problem.code) for f in check_catalog(path)] == [("warning", "charset")]


def test_cli_check_exit_codes_and_json(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    good = write(root / "locales" / "zh_CN" / "LC_MESSAGES" / "demo.po", 'msgid "Hi"\nmsgstr "嗨"\n\nmsgid "Later"\nmsgstr ""\n')
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    write(good, f'msgid "{LINK}"\nmsgstr "阅读"\n')
    result = runner.invoke(main, ["check", "--project", str(root), "-l", "zh_CN"])
    assert result.exit_code == 1
    assert "locales/zh_CN/LC_MESSAGES/demo.po:7: error: [markup]" in result.output
    result = runner.invoke(main, ["check", "--project", str(root), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output[: result.output.rindex("}") + 1])
    assert data["findings"][0]["line"] == 7 and data["findings"][0]["code"] == "markup"
    result = runner.invoke(main, ["check", "--project", str(root), "-l", "../etc"])
    assert result.exit_code == 1 and "invalid locale" in result.output


def test_catalogs_made_by_the_tool_check_clean(tmp_path):
    from helpers.catalogs import SLUG, make_project, msgfmt_check, translate_all
    from pipeline.catalogs.init import init
    from pipeline.extract import extract

    project = make_project(tmp_path)
    extract(project, [SLUG])
    init(project, "zh_CN")
    path = project.catalog_path("zh_CN", SLUG)
    translate_all(path)
    assert [f for f in check_catalog(path) if f.problem.severity != "info"] == []
    assert msgfmt_check(path).returncode == 0


def test_message_escapes_are_not_character_references():
    # "&lt;" is how a message writes a literal "<" (pipeline.formats.messages).
    assert check_pair("Use x &lt; 3 & y", "使用 x &lt; 3 & y") == []
    assert check_pair("Use x &lt; 3", "使用 x &#60; 3")[0].code == "markup"
    assert check_pair("Fish & chips", "Fish &nbsp; chips")[0].code == "markup"


def test_month_names_may_become_digits():
    assert check_pair("Accessed September 24, 2025.", "2025年9月24日访问。") == []
    problems = check_pair("Accessed May 4, 2025.", "2025年9月4日访问。")
    assert [p.code for p in problems] == ["number"] and "added 9" in problems[0].message
    assert check_pair("Au 3 mars 2024", "2024年3月3日", source_language="fr") == []


def test_check_project_reads_each_catalog_once_for_its_checks_and_the_glossary(shipped_project, monkeypatch):
    """``check`` and ``publish`` ask check_project: one read of a catalog serves its checks and its glossary."""
    import pipeline.formats.po
    from pipeline.checks import check_project
    from pipeline.project import Project

    po_path = shipped_project / "locales" / "zh_CN" / "LC_MESSAGES"
    heading = next(po_path.glob("*.po"))
    text = heading.read_text(encoding="utf-8")
    assert "算法" in text
    heading.write_text(text.replace("算法", "演算", 1), encoding="utf-8")  # a glossary break
    reads = []
    real = pipeline.formats.po.read_catalog
    monkeypatch.setattr(pipeline.formats.po, "read_catalog", lambda path: reads.append(path) or real(path))

    checked = check_project(Project.load(shipped_project))

    catalogs = [path for path in reads if path.suffix == ".po"]
    assert sorted(catalogs) == sorted(checked.paths) and len(set(catalogs)) == len(catalogs)
    assert any(f.problem.code == "glossary" for f in checked.findings)
