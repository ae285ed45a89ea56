"""``pipeline build``: pages per locale, fallbacks, threshold, alternates, sitemap, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from helpers.build import FIXTURES, SLUG, make_project
from pipeline.build.site import BuildOptions, build_site
from pipeline.cli import main
from pipeline.formats.site import language_tag, locale_info
from pipeline.project import Project

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def run(project: Path, *args: str):
    result = CliRunner().invoke(main, ["build", "--project", str(project), *args], catch_exceptions=False)
    return result


def page(project: Path, tag: str, slug: str = SLUG):
    path = project / "output" / tag / slug / "index.html"
    return html.fromstring(path.read_bytes())


def hreflangs(tree) -> dict[str, str]:
    # the language versions, not the feed (issue 18: a typed alternate links the Atom feed)
    return {link.get("hreflang"): link.get("href") for link in tree.xpath('//head/link[@rel="alternate"][not(@type)]')}


def sitemap_locs(project: Path) -> list[str]:
    tree = etree.parse(str(project / "output" / "sitemap.xml"))
    return tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site")


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def test_build_without_arguments_writes_every_published_page_and_says_where(project: Path) -> None:
    result = run(project)
    assert result.exit_code == 0, result.output
    for tag in ("en", "zh-CN", "ar"):
        assert f"output/{tag}/{SLUG}/index.html" in result.output
        assert (project / "output" / tag / SLUG / "index.html").is_file()
    assert "output/index.html" in result.output
    assert "output/sitemap.xml" in result.output
    assert (project / "output" / "style.css").read_bytes().startswith(b"/*")
    assert "skipped fr/" in result.output and "--all" in result.output
    assert not (project / "output" / "fr").exists()


def test_source_page_is_the_clean_document_with_lang_and_title(project: Path) -> None:
    run(project)
    tree = page(project, "en")
    assert tree.get("lang") == "en" and tree.get("dir") == "ltr"
    assert tree.findtext(".//title") == "What is a data engineer? | Careers in data"
    assert tree.xpath("//h1/text()") == ["What is a data engineer?"]
    assert tree.xpath('//meta[@name="description"]/@content') == [
        "Data engineers build the systems that move data."
    ]
    # No fallback marking on the source page, and no notice.
    assert not tree.xpath('//article//*[@lang="en"]')
    assert not tree.xpath('//*[contains(@class, "fallback-notice")]')
    assert tree.xpath('//h2[@id="references-heading"]/text()') == ["Article sources"]
    assert tree.xpath("//time/@datetime") == ["2025-09-24"]


def test_translated_page_uses_the_catalogs_and_formats_for_the_locale(project: Path) -> None:
    run(project)
    tree = page(project, "zh-CN")
    assert tree.get("lang") == "zh-CN"
    assert tree.findtext(".//title") == "什么是数据工程师？ | 数据职业"
    assert tree.xpath('//meta[@name="description"]/@content') == ["数据工程师构建搬运数据的系统。"]
    assert tree.xpath("//h1/text()") == ["什么是数据工程师？"]
    # Inline markup rebuilt from the source's shells: the link keeps its URL.
    paragraph = tree.xpath('//div[@class="article-body"]/p')[0]
    assert paragraph.xpath("a/@href") == ["https://example.org/pipes"]
    assert paragraph.text_content() == "数据工程师构建搬运数据的管道 [1]。"
    assert tree.xpath("//img/@alt") == ["数据工程师薪资图表"]
    # Template strings from site.po, with the date formatted by Babel for zh_CN.
    assert tree.xpath('//a[@class="skip-link"]/text()') == ["跳到正文"]
    assert "作者：Jane Doe" in tree.text_content()
    assert tree.xpath("//time/text()") == ["2025年9月24日"]
    assert tree.xpath('//h2[@id="references-heading"]/text()') == ["文章来源"]
    # The language switcher names each language in itself.
    names = tree.xpath('//nav[@class="language-switcher"]//a/text()')
    assert names == ["English", "العربية", "简体中文"]
    current = tree.xpath('//nav//a[@aria-current="page"]')
    assert [a.get("hreflang") for a in current] == ["zh-CN"]


# ---------------------------------------------------------------------------
# Fallbacks
# ---------------------------------------------------------------------------


def test_untranslated_and_fuzzy_blocks_fall_back_marked_with_the_source_language(project: Path) -> None:
    run(project)
    tree = page(project, "zh-CN")
    untranslated = tree.xpath('//p[text()="A sentence nobody translated yet."]')
    assert [p.get("lang") for p in untranslated] == ["en"]
    fuzzy = tree.xpath('//li[text()="Scheduling jobs"]')
    assert [li.get("lang") for li in fuzzy] == ["en"]
    # The translated item that holds the nested list keeps the page's language.
    assert tree.xpath('//li[starts-with(text(), "自动化任务")]/@lang') == []
    notice = tree.xpath('//p[contains(@class, "fallback-notice")]/text()')
    assert notice == ["本页部分内容尚未翻译，以英语显示。"]


def test_fallback_beside_a_nested_list_is_wrapped_not_the_whole_item(project: Path) -> None:
    run(project)
    tree = page(project, "ar")
    spans = tree.xpath('//li/span[@lang="en"]')
    assert [s.text for s in spans] == ["Automating tasks"]
    item = spans[0].getparent()
    assert item.get("lang") is None
    assert item.xpath("ul/li/text()") == ["جدولة المهام"]


def test_translation_with_broken_markup_is_not_used_and_is_reported(project: Path) -> None:
    result = run(project)
    assert result.exit_code == 0
    catalog = project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    assert f"{catalog}:38: msgid 'Writing <code/> queries': translation not used" in result.output  # file:line
    tree = page(project, "zh-CN")
    item = tree.xpath('//li[code="SQL"]')
    assert len(item) == 1
    assert item[0].get("lang") == "en"
    assert item[0].text_content() == "Writing SQL queries"
    assert not tree.xpath("//b")  # the translator's tag never reaches the page

    built = build_site(Project.load(project))
    zh = next(p for p in built.pages if p.locale == "zh_CN")
    assert (zh.rejected, zh.fallbacks, zh.blocks) == (1, 3, 11)
    assert any(w.msgid == "Writing <code/> queries" and w.path == catalog for w in built.warnings)


def test_strict_fails_on_a_rejected_translation(project: Path) -> None:
    result = run(project, "--strict", "--base-url", "https://example.org")
    assert result.exit_code == 1
    assert "--strict" in result.output


def set_translation(catalog: Path, old: str, new: str) -> None:
    text = catalog.read_text(encoding="utf-8")
    assert old in text
    catalog.write_text(text.replace(old, new), encoding="utf-8")


def test_translated_text_is_escaped_never_markup(project: Path) -> None:
    messages = project / "locales" / "zh_CN" / "LC_MESSAGES"
    set_translation(messages / f"{SLUG}.po", 'msgstr "他们做什么"', 'msgstr "他们 <做什么> & 谁"')
    set_translation(messages / f"{SLUG}.po", 'msgstr "他们的工作包括："', 'msgstr "<script>alert(1)</script>"')
    set_translation(messages / "site.po", 'msgstr "跳到正文"', 'msgstr "跳到 <正文> & 更多"')
    run(project, "--all")  # a refused translation does not count: zh_CN is a draft now
    raw = (project / "output" / "zh-CN" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "<h2>他们 &lt;做什么&gt; &amp; 谁</h2>" in raw
    assert "跳到 &lt;正文&gt; &amp; 更多</a>" in raw
    # A tag the source does not have is refused by the checks or, failing that, escaped.
    # (issue 18: the page's one script element is now its JSON-LD metadata, which holds no markup)
    assert raw.count("<script") == 1 and '<script type="application/ld+json">' in raw
    assert "<script>alert" not in raw


def test_template_translation_with_an_unknown_placeholder_is_not_used(project: Path) -> None:
    site = project / "locales" / "zh_CN" / "LC_MESSAGES" / "site.po"
    set_translation(site, '"作者：%(author)s"', '"作者：%(name)s"')
    set_translation(site, 'msgstr "跳到正文"', 'msgstr "<b>跳到</b>正文"')
    result = run(project)
    assert result.exit_code == 0, result.output
    assert f"msgid 'By %(author)s': template translation not used" in result.output
    assert f"{site}:" in result.output  # file:line
    tree = page(project, "zh-CN")
    assert "By Jane Doe" in tree.text_content()
    assert "%(name)s" not in tree.text_content()
    # Markup in a template translation never becomes an element.
    assert not tree.xpath("//b")
    # refused, so shown in the source language and marked as such
    assert tree.xpath('//a[@class="skip-link"]/span[@lang="en"]/text()') == ["Skip to content"]


# ---------------------------------------------------------------------------
# Threshold, drafts, alternates
# ---------------------------------------------------------------------------


def test_locale_below_threshold_is_not_linked_nor_in_sitemap_nor_hreflang(project: Path) -> None:
    run(project)
    assert not (project / "output" / "fr").exists()
    for tag in ("en", "zh-CN", "ar"):
        tree = page(project, tag)
        assert "fr" not in hreflangs(tree)
        assert not tree.xpath('//a[@hreflang="fr"]')
    assert not any("/fr/" in loc or loc.startswith("fr/") for loc in sitemap_locs(project))
    index = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="fr"' not in index


def test_all_builds_a_locale_below_threshold_as_an_unlinked_draft(project: Path) -> None:
    result = run(project, "--all")
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if l.startswith(f"output/fr/{SLUG}/index.html"))
    assert "draft (not published)" in line
    draft = page(project, "fr")
    assert draft.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert draft.xpath('//div[@class="draft-banner"]')
    completion = next(p.completion for p in build_site(Project.load(project), BuildOptions(locales=["fr"], include_drafts=True)).pages)
    assert completion < 80
    assert f"{completion:.0f}" in draft.xpath('string(//div[@class="draft-banner"])')
    assert hreflangs(draft) == {} and not draft.xpath('//link[@rel="canonical"]')
    # Still nobody links to it.
    for tag in ("en", "zh-CN", "ar"):
        tree = page(project, tag)
        assert "fr" not in hreflangs(tree)
        assert not tree.xpath('//a[@hreflang="fr"]')
        assert not tree.xpath('//meta[@name="robots"]')
    assert not any("fr/" in loc for loc in sitemap_locs(project))


def test_per_locale_threshold_publishes_a_partial_locale(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", extra="[pipeline:thresholds]\nfr = 20\n")
    run(project)
    tree = page(project, "fr")
    assert not tree.xpath('//meta[@name="robots"]')
    assert set(hreflangs(page(project, "en"))) == {"en", "ar", "fr", "zh-CN", "x-default"}


def test_a_locale_that_drops_below_threshold_loses_its_old_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", extra="[pipeline:thresholds]\nfr = 20\n")
    run(project)
    assert (project / "output" / "fr" / SLUG / "index.html").is_file()
    cfg = project / "setup.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("fr = 20", "fr = 90"), encoding="utf-8")
    run(project)
    assert not (project / "output" / "fr").exists()


def test_rtl_locale_has_dir_rtl(project: Path) -> None:
    run(project)
    tree = page(project, "ar")
    assert (tree.get("lang"), tree.get("dir")) == ("ar", "rtl")
    assert page(project, "zh-CN").get("dir") == "ltr"
    assert locale_info("he").direction == "rtl" and locale_info("fa").direction == "rtl"


def test_hreflang_sets_hold_the_published_locales_and_x_default(project: Path) -> None:
    run(project)
    expected = {
        "en": f"../../en/{SLUG}/",
        "ar": f"../../ar/{SLUG}/",
        "zh-CN": f"../../zh-CN/{SLUG}/",
        "x-default": f"../../en/{SLUG}/",
    }
    for tag in ("en", "zh-CN", "ar"):
        tree = page(project, tag)
        assert hreflangs(tree) == expected
        assert tree.xpath('//link[@rel="canonical"]/@href') == [f"../../{tag}/{SLUG}/"]


def test_base_url_makes_canonical_hreflang_and_sitemap_absolute(project: Path) -> None:
    result = run(project, "--base-url", "https://example.org/site/")
    assert result.exit_code == 0, result.output
    assert "no base URL" not in result.output
    tree = page(project, "zh-CN")
    assert tree.xpath('//link[@rel="canonical"]/@href') == [f"https://example.org/site/zh-CN/{SLUG}/"]
    assert hreflangs(tree)["x-default"] == f"https://example.org/site/en/{SLUG}/"
    assert all(href.startswith("https://example.org/site/") for href in hreflangs(tree).values())
    locs = sitemap_locs(project)
    assert locs == [f"https://example.org/site/{tag}/{SLUG}/" for tag in ("en", "ar", "zh-CN")]
    sitemap = etree.parse(str(project / "output" / "sitemap.xml"))
    links = sitemap.xpath("//s:url[1]/x:link", namespaces=SITEMAP_NS)
    assert [(l.get("hreflang"), l.get("href")) for l in links] == [
        ("en", f"https://example.org/site/en/{SLUG}/"),
        ("ar", f"https://example.org/site/ar/{SLUG}/"),
        ("zh-CN", f"https://example.org/site/zh-CN/{SLUG}/"),
        ("x-default", f"https://example.org/site/en/{SLUG}/"),
    ]


def test_without_base_url_the_sitemap_is_relative_and_a_warning_says_so(project: Path) -> None:
    result = run(project)
    assert "no base URL" in result.output
    assert sitemap_locs(project) == [f"{tag}/{SLUG}/" for tag in ("en", "ar", "zh-CN")]


def test_base_url_from_settings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", extra="base_url = https://example.com\n")
    run(project)
    assert sitemap_locs(project)[0] == f"https://example.com/en/{SLUG}/"


def test_index_lists_articles_in_each_published_language(project: Path) -> None:
    # issue 18: the root index is a language chooser; each language's home page lists its articles
    run(project)
    index = html.fromstring((project / "output" / "index.html").read_bytes())
    links = {a.get("hreflang"): (a.get("href"), a.text_content()) for a in index.xpath("//main//a")}
    assert links["en"] == ("en/index.html", "English")
    assert links["zh-CN"] == ("zh-CN/index.html", "简体中文")
    assert set(links) == {"en", "ar", "zh-CN"}
    home = html.fromstring((project / "output" / "zh-CN" / "index.html").read_bytes())
    titles = {a.get("href"): a.text_content() for a in home.xpath("//main//h2/a")}
    assert titles == {f"{SLUG}/index.html": "什么是数据工程师？"}


def test_selected_locale_and_slug_build_only_those_pages(project: Path) -> None:
    result = run(project, "-l", "ar", SLUG)
    assert result.exit_code == 0, result.output
    assert (project / "output" / "ar" / SLUG / "index.html").is_file()
    assert not (project / "output" / "en" / SLUG).exists()
    # The sitemap (and, issue 18, the home pages) still cover every published page.
    assert len(sitemap_locs(project)) == 3


# ---------------------------------------------------------------------------
# Determinism and errors
# ---------------------------------------------------------------------------


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")  # the build's manifest is not part of the site
    }


def test_same_inputs_give_byte_identical_output(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one")
    second = make_project(tmp_path / "elsewhere" / "two")
    run(first, "--all")
    run(second, "--all")
    digest = tree_digest(first / "output")
    # 3 pages and the fr draft, the chooser, sitemap, stylesheet, robots.txt, root 404, and (issue 18)
    # a home page, feed and 404 page for each of en, ar, fr, zh-CN
    assert len(digest) == 21
    assert digest == tree_digest(second / "output")
    # A second build of the same project rewrites nothing.
    again = build_site(Project.load(first), BuildOptions(include_drafts=True))
    assert [p.written for p in again.pages] == [False] * 4
    assert tree_digest(first / "output") == digest


def test_missing_clean_document_says_which_command_to_run(project: Path) -> None:
    (project / "source" / SLUG / "article.html").unlink()
    (project / "source" / SLUG / "snapshot.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1
    assert f"run `pipeline clean {SLUG}`" in result.output
    assert "Traceback" not in result.output


def test_unknown_locale_is_a_clear_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(project), "-l", "de"])
    assert result.exit_code == 1
    assert "no catalogs for locale 'de'" in result.output


def test_broken_catalog_names_file_and_line(project: Path) -> None:
    catalog = project / "locales" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1
    assert str(catalog) + ":" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "name, tag",
    [("zh_CN", "zh-CN"), ("en", "en"), ("pt_BR", "pt-BR"), ("sr_RS@latin", "sr-Latn-RS"), ("zh_Hant_TW", "zh-Hant-TW")],
)
def test_language_tags(name: str, tag: str) -> None:
    assert language_tag(name) == tag


def test_untranslated_plural_template_message_keeps_the_source_plural(tmp_path: Path) -> None:
    from pipeline.build.rendering import site_translations
    from pipeline.formats.po import read_catalog

    site = tmp_path / "site.po"
    site.write_text(
        (FIXTURES / "zh_CN" / "site.po").read_text(encoding="utf-8").replace(
            'msgstr[0] "阅读时间 %(formatted)s 分钟"', 'msgstr[0] ""'
        ),
        encoding="utf-8",
    )
    warnings: list = []
    translations = site_translations(read_catalog(site), site, warnings)
    singular, plural = "%(formatted)s minute read", "%(formatted)s minutes read"
    assert translations.ngettext(singular, plural, 4) == plural
    assert translations.ngettext(singular, plural, 1) == singular
    assert translations.gettext("Article sources") == "文章来源"
    assert warnings == []
