"""Derived locales: zh_TW kept filled from zh_CN through OpenCC, reviewers' work never overwritten."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.po import messages, read_catalog

SLUG = "what-is-a-machine-learning-engineer"
DERIVED_COMMENT = "derived from zh_CN (s2twp)"


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _po(project: Path, locale: str, domain: str = SLUG) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def _entries(path: Path) -> dict[str, object]:
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in messages(read_catalog(path))}


def _replace_msgstr(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def derived_project(shipped_project: Path) -> Path:
    """The shipped project with zh_TW derived from zh_CN, as a user would set it up."""
    cfg = shipped_project / "setup.cfg"
    text = cfg.read_text(encoding="utf-8")
    if "[pipeline:derived]" not in text:
        cfg.write_text(text + "\n[pipeline:derived]\nzh_TW = zh_CN s2twp\n", encoding="utf-8")
    for path in (shipped_project / "locales" / "zh_TW").rglob("*"):
        path.unlink() if path.is_file() else None
    result = run("init", "zh_TW", "--project", str(shipped_project))
    assert result.exit_code == 0, result.output
    return shipped_project


def test_init_derives_every_translated_entry(derived_project: Path) -> None:
    to_tw = opencc.OpenCC("s2twp")
    for domain in (SLUG, "site"):
        source = _entries(_po(derived_project, "zh_CN", domain))
        derived = _entries(_po(derived_project, "zh_TW", domain))
        assert derived.keys() == source.keys()
        for msgid, message in derived.items():
            zh = source[msgid]
            forms = list(zh.string) if isinstance(zh.string, tuple) else [zh.string]
            if all(forms) and not zh.fuzzy:
                converted = [to_tw.convert(form) for form in forms]
                assert message.string == (tuple(converted) if isinstance(zh.string, tuple) else converted[0]), msgid
                assert DERIVED_COMMENT in message.user_comments
                assert not message.fuzzy
    text = _po(derived_project, "zh_TW").read_text(encoding="utf-8")
    assert "資料" in text and "人工智慧" in text and "人工智能" not in text  # Taiwan terms, per the phrase table
    assert "Language: zh_TW" in text
    check = run("check", "--strict", "--project", str(derived_project))
    assert check.exit_code == 0, check.output  # the glossary's zh_TW column holds too


def test_built_zh_tw_page_converts_back_and_says_it_is_unreviewed(derived_project: Path) -> None:
    result = run("build", "--project", str(derived_project))
    assert result.exit_code == 0, result.output
    out = derived_project / "output"
    tw_page = (out / "zh-TW" / SLUG / "index.html").read_text(encoding="utf-8")
    cn_page = (out / "zh-CN" / SLUG / "index.html").read_text(encoding="utf-8")
    back = opencc.OpenCC("tw2sp")
    tw_blocks = re.findall(r"<p>(.*?)</p>", tw_page, re.S)
    cn_blocks = set(re.findall(r"<p>(.*?)</p>", cn_page, re.S))
    assert len(tw_blocks) > 10
    same = sum(back.convert(block) in cn_blocks for block in tw_blocks)
    assert same >= 0.8 * len(tw_blocks)  # the phrase tables are not perfectly reversible
    assert 'class="derived-notice"' in tw_page and "尚未" in tw_page
    assert 'class="derived-notice"' not in cn_page
    assert 'hreflang="zh-TW"' in cn_page
    assert "zh-TW/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_reviewers_edit_is_kept_and_a_zh_cn_change_makes_it_fuzzy(derived_project: Path) -> None:
    tw = _po(derived_project, "zh_TW")
    cn = _po(derived_project, "zh_CN")
    _replace_msgstr(tw, 'msgstr "實現機器學習演算法"', 'msgstr "實作機器學習演算法"')
    for _ in range(2):  # kept across updates, and the second update changes nothing
        assert run("update", "--project", str(derived_project)).exit_code == 0
        entry = _entries(tw)["Implementing machine learning algorithms"]
        assert entry.string == "實作機器學習演算法" and not entry.fuzzy
        assert DERIVED_COMMENT not in entry.user_comments  # the reviewer's now
    before = tw.read_bytes()
    assert run("update", "--project", str(derived_project)).exit_code == 0
    assert tw.read_bytes() == before

    _replace_msgstr(cn, 'msgstr "实现机器学习算法"', 'msgstr "落实机器学习算法"')
    assert run("update", "--project", str(derived_project)).exit_code == 0
    entry = _entries(tw)["Implementing machine learning algorithms"]
    assert entry.string == "實作機器學習演算法"  # never overwritten
    assert entry.fuzzy
    assert "new conversion: 落實機器學習演算法" in entry.user_comments


def test_a_derived_entry_follows_zh_cn(derived_project: Path) -> None:
    tw, cn = _po(derived_project, "zh_TW"), _po(derived_project, "zh_CN")
    _replace_msgstr(cn, 'msgstr "实现机器学习算法"', 'msgstr "落实机器学习算法"')
    result = run("update", "--project", str(derived_project))
    assert result.exit_code == 0 and "1 converted" in result.output
    entry = _entries(tw)["Implementing machine learning algorithms"]
    assert entry.string == "落實機器學習演算法" and not entry.fuzzy
    assert DERIVED_COMMENT in entry.user_comments


def test_fuzzy_or_untranslated_zh_cn_gives_no_derived_text(derived_project: Path) -> None:
    tw, cn = _po(derived_project, "zh_TW"), _po(derived_project, "zh_CN")
    _replace_msgstr(cn, 'msgstr "实现机器学习算法"', 'msgstr ""')
    _replace_msgstr(cn, 'msgid "Designing and developing machine learning systems"', '#, fuzzy\nmsgid "Designing and developing machine learning systems"')
    assert run("update", "--project", str(derived_project)).exit_code == 0
    entries = _entries(tw)
    assert entries["Implementing machine learning algorithms"].string == ""
    assert entries["Designing and developing machine learning systems"].string == ""
    assert DERIVED_COMMENT not in entries["Implementing machine learning algorithms"].user_comments


@pytest.mark.parametrize(
    ("value", "said"),
    [("zh_CN", "expected 'SOURCE_LOCALE CONVERSION'"), ("zh_CN nonsense", "unknown OpenCC conversion")],
)
def test_bad_derivation_settings_are_one_clear_line(shipped_project: Path, value: str, said: str) -> None:
    cfg = shipped_project / "setup.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("zh_TW = zh_CN s2twp", f"zh_TW = {value}"), encoding="utf-8")
    result = run("stats", "--project", str(shipped_project))
    assert result.exit_code == 1
    assert said in result.output


def _stats(project: Path) -> dict[tuple[str, str], dict]:
    import json

    result = run("stats", "--json", "--project", str(project))
    assert result.exit_code == 0, result.output
    return {(row["locale"], row["domain"]): row for row in json.loads(result.output)}


def test_stats_count_unreviewed_and_reviewed_apart(derived_project: Path) -> None:
    row = _stats(derived_project)[("zh_TW", SLUG)]
    assert row["derived_unreviewed"] == row["translated"] > 0
    assert _stats(derived_project)[("zh_CN", SLUG)]["derived_unreviewed"] == 0
    tw = _po(derived_project, "zh_TW")
    # A reviewer accepts one conversion as it is by deleting the comment.
    _replace_msgstr(tw, f'# {DERIVED_COMMENT}\n#. list item\n#: {SLUG}/article.html\nmsgid "Implementing', f'#. list item\n#: {SLUG}/article.html\nmsgid "Implementing')
    after = _stats(derived_project)[("zh_TW", SLUG)]
    assert after["derived_unreviewed"] == row["derived_unreviewed"] - 1
    assert after["percent"] == 100.0
    text = run("stats", "--project", str(derived_project)).output
    assert f"{row['translated'] - 1} of the translated derived, not reviewed yet (counted); 1 reviewed" in text


def test_count_derived_no_keeps_unreviewed_text_from_the_threshold(derived_project: Path) -> None:
    cfg = derived_project / "setup.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("threshold = 80\n", "threshold = 80\ncount_derived = no\n"), encoding="utf-8")
    assert _stats(derived_project)[("zh_TW", SLUG)]["percent"] == 0.0
    result = run("build", "--project", str(derived_project))
    assert result.exit_code == 0, result.output
    assert not (derived_project / "output" / "zh-TW" / SLUG / "index.html").exists()
    assert 'hreflang="zh-TW"' not in (derived_project / "output" / "zh-CN" / SLUG / "index.html").read_text(encoding="utf-8")
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("count_derived = no\n", ""), encoding="utf-8")
    run("build", "--project", str(derived_project))  # the recorded completion follows the setting
    assert (derived_project / "output" / "zh-TW" / SLUG / "index.html").exists()
