"""The reader's site (issue 18): home pages per language, the root chooser, Atom feeds, 404 pages,
robots.txt, and the Open Graph / Twitter / JSON-LD metadata of article pages."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from pathlib import Path

import feedparser
import pytest
from babel.dates import format_date
from click.testing import CliRunner
from lxml import etree, html

from helpers.build import SLUG, make_project, sample_document
from pipeline.build.site import BuildOptions, build_site
from pipeline.cli import main
from pipeline.formats.document import Document, serialize
from pipeline.project import Project

BASE = "https://example.org/site"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SECOND = "second-article"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The build tests' sample project, and a newer English-only article."""
    root = make_project(tmp_path / "site")
    body = html.fragment_fromstring("<article>\n<h1>Second</h1>\n<p>Newer text.</p>\n</article>")
    second = Document(title="A newer article", language="en", body=body, description="Newer.", published="2026-03-01")
    (root / "source" / SECOND).mkdir(parents=True)
    (root / "source" / SECOND / "article.html").write_text(serialize(second), encoding="utf-8")
    return root


def build(project: Path, **options):
    return build_site(Project.load(project), BuildOptions(**options))


def tree(project: Path, name: str):
    return html.fromstring((project / "output" / name).read_bytes())


def catalog(project: Path, locale: str = "zh_CN", domain: str = SLUG) -> Path:
    return project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------------------
# Home pages and the chooser
# ---------------------------------------------------------------------------


def test_each_language_has_a_home_page_listing_its_articles_in_its_language(project: Path) -> None:
    build(project)
    home = tree(project, "zh-CN/index.html")
    assert home.get("lang") == "zh-CN"
    entries = home.xpath('//li[@class="home-entry"]')
    assert [e.xpath("string(.//h2/a)") for e in entries] == ["什么是数据工程师？"]  # the English-only one is not here
    assert entries[0].xpath(".//h2/a/@href") == [f"{SLUG}/index.html"]
    assert entries[0].xpath('string(.//p[@class="home-entry__description"])') == "数据工程师构建搬运数据的系统。"
    assert entries[0].xpath(".//time/@datetime") == ["2025-09-24"]
    assert entries[0].xpath("string(.//time)") == format_date(datetime.date(2025, 9, 24), "long", locale="zh_CN")
    # English: newest first, dates as CLDR writes them in English
    english = tree(project, "en/index.html")
    assert [a.text for a in english.xpath("//main//h2/a")] == ["A newer article", "What is a data engineer?"]
    assert english.xpath("//main//time/text()") == ["March 1, 2026", "September 24, 2025"]
    # the switcher leads to the other home pages
    switcher = {a.get("hreflang"): (a.get("href"), a.get("aria-current")) for a in home.xpath('//nav[@class="language-switcher"]//a')}
    assert switcher == {"en": ("../en/index.html", None), "ar": ("../ar/index.html", None), "zh-CN": ("../zh-CN/index.html", "page")}
    # the article page's footer "All articles" goes to its language's home page
    article = tree(project, f"zh-CN/{SLUG}/index.html")
    assert article.xpath("//footer//p[last()]/a/@href") == ["../index.html"]
    # a template string the locale's site.po lacks is shown in the source language, marked so
    assert home.xpath('//p[@class="home-feed"]/a/span/@lang') == ["en"]
    # a draft locale has no home page in a plain build
    assert not (project / "output" / "fr" / "index.html").exists()


def test_drafts_are_listed_only_when_built_with_drafts_and_are_marked(project: Path) -> None:
    build(project, include_drafts=True)
    french = tree(project, "fr/index.html")
    entries = french.xpath('//li[@class="home-entry"]')
    # both articles are built as fr drafts (the second one has no fr catalog at all), each marked
    assert len(entries) == 2 and all(e.xpath('.//p[@class="home-entry__draft"]') for e in entries)
    chinese = {e.xpath("string(.//h2/a)"): bool(e.xpath('.//p[@class="home-entry__draft"]'))
               for e in tree(project, "zh-CN/index.html").xpath('//li[@class="home-entry"]')}
    assert chinese == {"什么是数据工程师？": False, "A newer article": True}  # published / a draft
    build(project)  # the published site again: the draft's home page goes
    assert not (project / "output" / "fr" / "index.html").exists()


def test_an_untranslated_title_is_listed_in_the_source_language_and_marked(project: Path) -> None:
    replace_in(project / "setup.cfg", "threshold = 80", "threshold = 50")  # still published
    replace_in(catalog(project), 'msgstr "什么是数据工程师？"', 'msgstr ""')
    build(project)
    link = tree(project, "zh-CN/index.html").xpath("//main//h2/a")[0]
    assert (link.text, link.get("lang")) == ("What is a data engineer?", "en")


def test_the_root_is_a_language_chooser_without_redirects(project: Path) -> None:
    build(project, base_url=BASE)
    chooser = tree(project, "index.html")
    links = {a.get("hreflang"): (a.get("href"), a.get("lang"), a.text) for a in chooser.xpath("//main//a")}
    assert links == {
        "en": ("en/index.html", "en", "English"),
        "ar": ("ar/index.html", "ar", "العربية"),
        "zh-CN": ("zh-CN/index.html", "zh-CN", "简体中文"),
    }
    alternates = {l.get("hreflang"): l.get("href") for l in chooser.xpath('//head/link[@rel="alternate"]')}
    assert alternates == {"en": f"{BASE}/en/", "ar": f"{BASE}/ar/", "zh-CN": f"{BASE}/zh-CN/", "x-default": f"{BASE}/"}
    script = " ".join(chooser.xpath("//script/text()"))
    assert "navigator.languages" in script and "location" not in script  # preselects, never redirects
    assert not chooser.xpath('//meta[@http-equiv="refresh"]')


# ---------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------


def test_each_language_has_a_valid_atom_feed_with_absolute_urls(project: Path) -> None:
    result = build(project, base_url=BASE)
    assert not [w for w in result.warnings if "feeds" in str(w)]
    for tag, titles in {"zh-CN": ["什么是数据工程师？"], "en": ["A newer article", "What is a data engineer?"]}.items():
        path = project / "output" / tag / "feed.xml"
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert [e.title for e in parsed.entries] == titles
        assert all(e.link.startswith(f"{BASE}/{tag}/") for e in parsed.entries)
        assert parsed.feed.link == f"{BASE}/{tag}/"
        _check_rfc4287(etree.parse(str(path)).getroot(), tag)
    zh = feedparser.parse((project / "output" / "zh-CN" / "feed.xml").read_bytes())
    assert zh.entries[0].summary == "数据工程师构建搬运数据的系统。"
    assert zh.entries[0].id == f"{BASE}/zh-CN/{SLUG}/" and zh.entries[0].updated == "2025-09-24T00:00:00Z"
    assert zh.feed.title == "数据职业"  # the site name, from the zh_CN site.po


def _check_rfc4287(feed, tag: str) -> None:
    """RFC 4287 4.1.1/4.1.2: id, title, updated once on the feed and each entry; an author; link rel=alternate."""
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == tag
    for element in [feed, *feed.findall("a:entry", ATOM)]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"a:{name}", ATOM)) == 1, (name, element.tag)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", element.findtext("a:updated", namespaces=ATOM))
        alternates = element.findall('a:link[@rel="alternate"]', ATOM)
        assert len(alternates) == 1 and alternates[0].get("href")
    assert feed.find("a:author/a:name", ATOM).text  # every entry inherits it (4.1.1)
    assert feed.find('a:link[@rel="self"]', ATOM).get("href").endswith(f"/{tag}/feed.xml")


def test_feeds_without_a_base_url_have_no_invented_urls_and_say_so(project: Path) -> None:
    result = build(project)
    assert any("no base URL" in str(w) and "the feeds link their pages relatively" in str(w) for w in result.warnings)
    text = (project / "output" / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text
    parsed = feedparser.parse(text.encode("utf-8"))
    assert not parsed.bozo and all(e.id.startswith("urn:uuid:") for e in parsed.entries)


def test_every_page_links_its_languages_feed(project: Path) -> None:
    build(project, base_url=BASE)
    for name in (f"zh-CN/{SLUG}/index.html", "zh-CN/index.html"):
        links = tree(project, name).xpath('//head/link[@type="application/atom+xml"]')
        assert [(l.get("rel"), l.get("hreflang"), l.get("href")) for l in links] == [
            ("alternate", "zh-CN", f"{BASE}/zh-CN/feed.xml")
        ]


# ---------------------------------------------------------------------------
# Metadata of article pages
# ---------------------------------------------------------------------------

#: schema.org: the properties an Article (a CreativeWork) may have that the pages use, and the
#: types schema.org gives their values (https://schema.org/Article, /CreativeWork, /Thing).
SCHEMA_PROPERTIES = {
    "@context": (str,),
    "@type": (str,),
    "@id": (str,),
    "url": (str,),  # URL
    "inLanguage": (str,),  # Text (a BCP 47 tag) or Language
    "headline": (str,),  # Text
    "description": (str,),  # Text
    "author": ("Person", "Organization"),
    "publisher": ("Person", "Organization"),
    "datePublished": ("Date",),
    "dateModified": ("Date",),
    "isBasedOn": (str, "CreativeWork"),  # URL, CreativeWork or Product
    "translationOfWork": ("CreativeWork",),
    "workTranslation": ("CreativeWork",),
}
#: Types that are a CreativeWork.
CREATIVE_WORKS = {"CreativeWork", "Article", "NewsArticle", "BlogPosting", "WebPage"}


def _check_schema(data: dict) -> None:
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    for name, value in data.items():
        assert name in SCHEMA_PROPERTIES, f"{name} is not a property of schema.org/Article"
        for item in value if isinstance(value, list) else [value]:
            expected = SCHEMA_PROPERTIES[name]
            if isinstance(item, str):
                if "Date" in expected:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d", item), (name, item)
                else:
                    assert str in expected, (name, item)
            else:
                kind = item["@type"]
                assert kind in expected or ("CreativeWork" in expected and kind in CREATIVE_WORKS), (name, kind)


def json_ld(page) -> dict:
    (script,) = page.xpath('//script[@type="application/ld+json"]/text()')
    return json.loads(script)


def meta(page, attribute: str) -> list[tuple[str, str]]:
    return [(m.get(attribute), m.get("content")) for m in page.xpath(f"//head/meta[@{attribute}]")]


def test_article_pages_carry_open_graph_twitter_and_json_ld_in_their_language(project: Path) -> None:
    build(project, base_url=BASE)
    zh = tree(project, f"zh-CN/{SLUG}/index.html")
    properties = meta(zh, "property")
    assert ("og:type", "article") in properties and ("og:title", "什么是数据工程师？") in properties
    assert ("og:description", "数据工程师构建搬运数据的系统。") in properties
    assert ("og:url", f"{BASE}/zh-CN/{SLUG}/") in properties and ("og:locale", "zh_CN") in properties
    assert sorted(v for k, v in properties if k == "og:locale:alternate") == ["ar_EG", "en_US"]
    assert ("article:modified_time", "2025-09-24") in properties and ("og:site_name", "数据职业") in properties
    assert ("twitter:card", "summary") in meta(zh, "name") and ("twitter:title", "什么是数据工程师？") in meta(zh, "name")
    data = json_ld(zh)
    _check_schema(data)
    assert (data["inLanguage"], data["headline"], data["url"]) == ("zh-CN", "什么是数据工程师？", f"{BASE}/zh-CN/{SLUG}/")
    assert data["translationOfWork"]["url"] == f"{BASE}/en/{SLUG}/"  # the other language's page
    assert data["isBasedOn"] == "https://example.org/data-engineer"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    english = json_ld(tree(project, f"en/{SLUG}/index.html"))
    _check_schema(english)
    assert sorted(w["url"] for w in english["workTranslation"]) == [f"{BASE}/ar/{SLUG}/", f"{BASE}/zh-CN/{SLUG}/"]
    assert "translationOfWork" not in english


def test_json_ld_cannot_be_broken_out_of(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", locales=())
    title = 'Tags </script><script>alert("x")</script> & <!-- more'
    document = dataclasses.replace(sample_document(), title=title)
    (root / "source" / SLUG / "article.html").write_text(serialize(document), encoding="utf-8")
    build(root)
    raw = (root / "output" / "en" / SLUG / "index.html").read_text(encoding="utf-8")
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["headline"] == title
    assert html.fromstring(raw).xpath('//meta[@property="og:title"]/@content') == [title]


# ---------------------------------------------------------------------------
# 404 pages, robots.txt, incremental builds, publish
# ---------------------------------------------------------------------------


def test_404_pages_and_robots_txt(project: Path) -> None:
    build(project, base_url=BASE)
    root_404 = tree(project, "404.html")
    assert root_404.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert {a.get("hreflang"): a.get("href") for a in root_404.xpath("//main//a")} == {
        "en": f"{BASE}/en/index.html", "ar": f"{BASE}/ar/index.html", "zh-CN": f"{BASE}/zh-CN/index.html"
    }
    zh_404 = tree(project, "zh-CN/404.html")
    assert zh_404.get("lang") == "zh-CN" and zh_404.xpath('//link[@rel="stylesheet"]/@href') == [f"{BASE}/style.css"]
    assert (project / "output" / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"
    build(project)
    assert "Sitemap" not in (project / "output" / "robots.txt").read_text()


def test_a_saved_catalog_remakes_only_the_site_pages_that_show_its_text(project: Path) -> None:
    output = project / "output"
    first = build(project)
    assert set(first.site_pages_rendered) == set(first.site_pages)
    assert build(project).site_pages_rendered == []
    # a paragraph: no home page or feed shows it
    replace_in(catalog(project), 'msgstr "他们做什么"', 'msgstr "他们的工作"')
    assert build(project).site_pages_rendered == []
    # the title: the Chinese home page and feed, nothing else
    replace_in(catalog(project), 'msgstr "什么是数据工程师？"', 'msgstr "数据工程师是做什么的？"')
    again = build(project)
    assert sorted(again.site_pages_rendered) == [output / "zh-CN" / "feed.xml", output / "zh-CN" / "index.html"]
    assert "数据工程师是做什么的？" in (output / "zh-CN" / "index.html").read_text(encoding="utf-8")
    # a deleted site page is made again
    (output / "en" / "404.html").unlink()
    assert build(project).site_pages_rendered == [output / "en" / "404.html"]


def test_publish_writes_the_site_pages_with_absolute_urls(project: Path, tmp_path: Path) -> None:
    replace_in(catalog(project), 'msgstr "编写 <b>SQL</b> 查询"', 'msgstr "编写 <code/> 查询"')  # publish refuses errors
    dest = tmp_path / "www"
    result = CliRunner().invoke(main, ["publish", "--project", str(project), str(dest), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    for name in ("index.html", "404.html", "robots.txt", "en/index.html", "zh-CN/index.html", "zh-CN/feed.xml", "zh-CN/404.html"):
        assert f"added: {name}\n" in result.output
    home = html.fromstring((dest / "zh-CN" / "index.html").read_bytes())
    assert home.xpath('//link[@rel="canonical"]/@href') == [f"{BASE}/zh-CN/"]
    assert all(h.startswith(BASE) for h in home.xpath('//head/link[@rel="alternate"]/@href'))
    parsed = feedparser.parse((dest / "zh-CN" / "feed.xml").read_bytes())
    assert not parsed.bozo and [e.link for e in parsed.entries] == [f"{BASE}/zh-CN/{SLUG}/"]
    assert not (dest / "fr").exists()  # a draft locale: no home page, feed or 404 page
    assert f"Sitemap: {BASE}/sitemap.xml" in (dest / "robots.txt").read_text()
