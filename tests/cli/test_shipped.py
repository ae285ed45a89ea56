"""The shipped example: the README's main job on a copy of the repository's project."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from lxml import html

from helpers.projects import SHIPPED_SLUG
from pipeline.cli import main

ZH_PAGE = f"output/zh-CN/{SHIPPED_SLUG}/index.html"
EN_PAGE = f"output/en/{SHIPPED_SLUG}/index.html"


def build(root: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--project", str(root)],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def test_build_with_no_arguments_builds_both_pages_and_says_where(shipped_project):
    output = build(shipped_project)
    for page in (EN_PAGE, ZH_PAGE, "output/index.html", "output/sitemap.xml"):
        assert (shipped_project / page).is_file(), page
    assert EN_PAGE in output and ZH_PAGE in output


def _texts_outside_source_language(element, inherited: str) -> list[str]:
    language = element.get("lang", inherited)
    texts = []
    if element.tag in ("script", "style"):
        return texts
    if not language.startswith("en") and element.text:
        texts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            texts += _texts_outside_source_language(child, language)
        if not language.startswith("en") and child.tail:
            texts.append(child.tail)
    return texts


def test_chinese_page_has_no_english_outside_lang_en(shipped_project):
    build(shipped_project)
    tree = html.parse(str(shipped_project / ZH_PAGE)).getroot()
    assert tree.get("lang") == "zh-CN"
    body = tree.find("body")
    text = " ".join(_texts_outside_source_language(body, tree.get("lang")))
    # Names and acronyms (Meta, Indeed, AI) may stand in Chinese text; English phrases may not.
    phrases = re.findall(r"[A-Za-z][a-z]+(?:[ ,.'’-]+[A-Za-z][a-z]+)+", text)
    assert phrases == []
    lowercase_words = re.findall(r"\b[a-z]{2,}\b", text)
    assert lowercase_words == []
    title = tree.findtext(".//title")
    assert not re.search(r"[A-Za-z]{3,}", title)
    assert re.search(r"[\u4e00-\u9fff]", tree.xpath('//meta[@name="description"]/@content')[0])


def test_switcher_links_the_two_pages_both_ways(shipped_project):
    build(shipped_project)
    for page, other, tag in ((EN_PAGE, ZH_PAGE, "zh-CN"), (ZH_PAGE, EN_PAGE, "en")):
        tree = html.parse(str(shipped_project / page)).getroot()
        links = tree.xpath(f'//nav[contains(@class, "language-switcher")]//a[@hreflang="{tag}"]/@href')
        assert len(links) == 1
        target = (shipped_project / page).parent / links[0]
        assert target.resolve() == (shipped_project / other).resolve()


def test_chinese_catalogs_are_complete_and_clean(shipped_project):
    result = CliRunner().invoke(main, ["check", "-l", "zh_CN", "--project", str(shipped_project)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings, 0 fuzzy or untranslated" in result.output


def test_chinese_catalogs_pass_msgfmt(shipped_project):
    for po in (shipped_project / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_one_rendering_of_the_job_title(shipped_project):
    from pipeline.formats.po import read_catalog

    catalog = read_catalog(shipped_project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SHIPPED_SLUG}.po")
    pairs = [(m.id, m.string) for m in catalog if m.id]
    joined = "".join(string for _, string in pairs)
    for msgid, string in pairs:
        if re.search(r"machine learning engineers?\b", msgid, re.I):
            assert "机器学习工程师" in string, msgid
    assert joined.count("机器学习工程师") >= 15
    for variant in ("机器学习工程人员", "机器学习的工程师", "ML工程师", "机器学习技术员"):
        assert variant not in joined


def test_site_labels_come_from_the_site_interface(shipped_project):
    build(shipped_project)
    tree = html.parse(str(shipped_project / ZH_PAGE)).getroot()
    assert tree.xpath('string(//*[@class="article-meta__author"])') == "作者：Coursera Staff"
    assert tree.xpath('//span[@lang="en"]/text()') == ["Coursera Staff"]
    assert tree.xpath('string(//*[@id="references-heading"])') == "文章来源"
