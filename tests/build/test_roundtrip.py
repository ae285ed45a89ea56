"""Round trip: a locale whose every translation equals its msgid rebuilds the source exactly.

This is the proof that extraction and rebuilding lose nothing. It runs the
real chain — clean document -> ``extract`` -> ``init`` a locale -> every msgstr
set to its msgid -> ``build`` — and compares the ``<article>`` of the built page
with the clean document's ``<article>``: tag, attributes and whitespace-
normalized text of every element, in document order.

The page template wraps the article: its ``<h1>`` goes into
``<header class="article-header">`` (beside the byline, which is template
text), the other blocks into ``<div class="article-body">``, and the sources
section gets an ``aria-labelledby`` and the template's own "Article sources"
heading. Those wrappers are undone before comparing; nothing else is.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from helpers.projects import EXTRACTION_DEV, REPO_ROOT, SHIPPED_SLUG
from pipeline.formats import document as document_format
from pipeline.formats.po import read_catalog, write_catalog
from pipeline.project import Project

LOCALE = "fr"
SETUP_CFG = f"[pipeline]\nsource_language = en\nlocales = {LOCALE}\nthreshold = 80\nsite_name = Round trip\n"
DEV_PAGES = EXTRACTION_DEV / "html"
# The comparison takes the source language to be English: the shipped article
# and the development pages are, and the generated ones are written so.


# ---------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------


def new_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "setup.cfg").write_text(SETUP_CFG, encoding="utf-8")
    return root


def add_document(root: Path, slug: str, document: document_format.Document) -> None:
    folder = root / "source" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.html").write_text(document_format.serialize(document), encoding="utf-8")


def make_roundtrip_project(root: Path, pages: dict[str, str]) -> list[str]:
    """A project with one article per saved page, each cleaned with ``clean_html``."""
    from pipeline.cleaning.htmlpage import clean_html
    from pipeline.settings import CleanRules

    new_project(root)
    slugs = []
    for name, text in pages.items():
        slug = "page-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        add_document(root, slug, clean_html(text, CleanRules()).document)
        slugs.append(slug)
    return slugs


def fill_identity(root: Path) -> int:
    """Set every msgstr of every catalog of LOCALE to its msgid; returns how many were set."""
    count = 0
    for path in sorted((root / "locales" / LOCALE / "LC_MESSAGES").glob("*.po")):
        catalog = read_catalog(path)
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, (tuple, list)):
                message.string = tuple(message.id[min(i, len(message.id) - 1)] for i in range(len(message.string)))
            else:
                message.string = message.id
            message.flags.discard("fuzzy")
            count += 1
        write_catalog(path, catalog)
    return count


def build_identity(root: Path):
    """extract -> init -> msgstr = msgid -> build, through the stage functions the commands call."""
    from pipeline.build.site import BuildOptions, build_site
    from pipeline.catalogs.init import init
    from pipeline.extract import extract

    project = Project.load(root)
    extract(project, project.resolve_slugs([]))
    init(project, LOCALE)
    assert fill_identity(root) > 0
    result = build_site(project, BuildOptions(locales=[LOCALE], base_url="https://example.org"))
    return result


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def describe(elements, ignore_untranslated_lang: bool = False) -> list[tuple]:
    """(depth, tag, attributes, text, tail) of every element, in document order, whitespace-normalized.

    The build says that content kept in the source language (``translate="no"``,
    a cited title) is in that language with ``lang``, on every page of another
    language: that is the one attribute it may add, and only there.
    """
    rows: list[tuple] = []

    def walk(element, depth: int) -> None:
        if not isinstance(element.tag, str):
            return
        attributes = dict(element.attrib)
        if ignore_untranslated_lang and attributes.get("translate") == "no" and attributes.get("lang") == "en":
            del attributes["lang"]
        attributes = tuple(sorted((k, _norm(v)) for k, v in attributes.items()))
        rows.append((depth, element.tag, attributes, _norm(element.text), _norm(element.tail)))
        for child in element:
            walk(child, depth + 1)

    for element in elements:
        walk(element, 0)
    return rows


def source_blocks(root: Path, slug: str) -> list:
    doc = document_format.read(root / "source" / slug / "article.html")
    return [c for c in doc.body if isinstance(c.tag, str)]


def built_blocks(page: Path) -> list:
    """The article's own blocks from a built page, with the template's wrappers undone."""
    tree = html.fromstring(page.read_bytes())
    article = tree.find(".//article")
    assert article is not None, f"{page}: no <article>"
    blocks = []
    header = article.find("header")
    heading = header.find("h1") if header is not None else None
    if heading is not None:
        blocks.append(heading)
    content = article.find("div[@class='article-body']")
    assert content is not None, f"{page}: no article body"
    for child in content:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "section" and child.get("id") == "references":
            child.attrib.pop("aria-labelledby", None)
            added = child.find("h2[@id='references-heading']")
            if added is not None:
                if added.tail and added.tail.strip():
                    raise AssertionError("text after the template's sources heading")
                child.remove(added)
        blocks.append(child)
    return blocks


def compare_articles(root: Path, slug: str, tag: str = LOCALE) -> list[str]:
    """Differences between the source's and the built page's article (empty when identical)."""
    page = root / "output" / tag / slug / "index.html"
    source = describe(source_blocks(root, slug))
    built = describe(built_blocks(page), ignore_untranslated_lang=True)
    problems = []
    heading_missing = not source or source[0][1] != "h1"
    if heading_missing:
        # The template writes the document's title as the heading: not part of the article's blocks.
        built = [row for row in built if not (row[0] == 0 and row[1] == "h1")] if built and built[0][1] == "h1" else built
    for index, (want, got) in enumerate(zip(source, built)):
        if want != got:
            problems.append(f"{slug} element {index}:\n  source {want}\n  built  {got}")
    if len(source) != len(built):
        problems.append(f"{slug}: {len(source)} elements in the source, {len(built)} built")
    return problems


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def test_shipped_article_round_trips(tmp_path: Path) -> None:
    root = new_project(tmp_path / "site")
    shutil.copytree(REPO_ROOT / "source" / SHIPPED_SLUG, root / "source" / SHIPPED_SLUG)
    result = build_identity(root)
    page = next(p for p in result.pages if p.locale == LOCALE)
    assert page.fallbacks == 0 and page.rejected == 0
    assert compare_articles(root, SHIPPED_SLUG) == []


def test_comparison_sees_a_lost_attribute_and_a_changed_word(tmp_path: Path) -> None:
    """The comparison itself must fail when the build loses something."""
    root = new_project(tmp_path / "site")
    shutil.copytree(REPO_ROOT / "source" / SHIPPED_SLUG, root / "source" / SHIPPED_SLUG)
    build_identity(root)
    page = root / "output" / LOCALE / SHIPPED_SLUG / "index.html"
    text = page.read_text(encoding="utf-8")
    at = text.index('<div class="article-body">')
    broken = text[:at] + re.sub(r'<a href="[^"]*"', "<a", text[at:], count=1)
    assert broken != text
    page.write_text(broken, encoding="utf-8")
    assert compare_articles(root, SHIPPED_SLUG)
    page.write_text(text[:at] + text[at:].replace("engineer", "engineers", 1), encoding="utf-8")
    assert compare_articles(root, SHIPPED_SLUG)


@pytest.mark.slow
@pytest.mark.skipif(not DEV_PAGES.is_dir(), reason="the extraction development set is not here")
def test_the_development_pages_round_trip(tmp_path: Path) -> None:
    pages = {
        path.name.split(".")[0]: gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted(DEV_PAGES.glob("*.html.gz"))
    }
    assert len(pages) == 62
    root = tmp_path / "site"
    slugs = make_roundtrip_project(root, pages)
    result = build_identity(root)
    built = {p.slug for p in result.pages if p.locale == LOCALE}
    assert built == set(slugs)
    assert [p.slug for p in result.pages if p.locale == LOCALE and (p.fallbacks or p.rejected)] == []
    problems = [line for slug in slugs for line in compare_articles(root, slug)]
    assert problems == [], "\n".join(problems[:20])


# ---------------------------------------------------------------------------
# Generated articles
# ---------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["data", "engineer", "builds", "the", "pipes", "Zürich", "naïve", "1999", "AT&T", "a < b", "x > y",
     "“quoted”", "it's", "&amp;", "&lt;", "non\u00a0breaking", "中文", "café", "—", "(see)", "e.g."]
)


@st.composite
def words(draw, min_size: int = 1) -> str:
    return " ".join(draw(st.lists(WORDS, min_size=min_size, max_size=5)))


INLINE_ATTRIBUTES = {
    "a": st.fixed_dictionaries({"href": st.sampled_from(["https://example.org/a?b=1&c=2", "#ref-1", "/x"])}),
    "span": st.fixed_dictionaries({"class": st.sampled_from(["note", "x y"])}),
    "abbr": st.fixed_dictionaries({"title": st.sampled_from(["Structured Query Language", "as soon as possible"])}),
    "em": st.just({}),
    "strong": st.just({}),
    "b": st.just({}),
    "sup": st.just({}),
    "cite": st.fixed_dictionaries({"translate": st.just("no")}),
}


def inline_node(depth: int):
    """An inline element (with nested inline elements while depth lasts), as (tag, attrs, children, tail)."""
    leaf = st.one_of(
        st.tuples(st.just("code"), st.just({}), st.lists(words(), min_size=1, max_size=1), words(0)),
        st.tuples(st.just("br"), st.just({}), st.just([]), words(0)),
        st.tuples(st.just("img"), st.fixed_dictionaries({"src": st.just("i.png"), "alt": words()}), st.just([]), words(0)),
    )
    tags = st.sampled_from(sorted(INLINE_ATTRIBUTES))
    if depth == 0:
        children = st.lists(words(), min_size=1, max_size=1)
    else:
        children = st.lists(st.one_of(words(), inline_node(depth - 1)), min_size=1, max_size=3)
    element = tags.flatmap(lambda tag: st.tuples(st.just(tag), INLINE_ATTRIBUTES[tag], children, words(0)))
    return st.one_of(element, leaf)


def _make(tag: str, attributes: dict, children: list, tail: str = ""):
    element = html.Element(tag, dict(attributes))
    last = None
    for child in children:
        if isinstance(child, str):
            if last is None:
                element.text = (element.text or "") + child
            else:
                last.tail = (last.tail or "") + " " + child
        elif isinstance(child, tuple):
            node = _make(*child)
            element.append(node)
            last = node
        else:
            element.append(child)
            last = child
    element.tail = tail or None
    return element


def paragraph(tag: str = "p"):
    return st.tuples(words(), st.lists(inline_node(2), max_size=3)).map(
        lambda parts: _make(tag, {}, [parts[0], *parts[1]])
    )


@st.composite
def a_list(draw, depth: int = 1):
    items = []
    for _ in range(draw(st.integers(1, 3))):
        item = draw(paragraph("li"))
        if depth and draw(st.booleans()):
            nested = draw(a_list(depth - 1))
            item.append(nested)
            nested.tail = draw(words(0)) or None  # text after the nested list
        items.append(item)
    return _make(draw(st.sampled_from(["ul", "ol"])), {}, items)


@st.composite
def a_table(draw):
    rows = [_make("tr", {}, [draw(paragraph("th")) for _ in range(2)])]
    rows += [_make("tr", {}, [draw(paragraph("td")) for _ in range(2)]) for _ in range(draw(st.integers(1, 2)))]
    caption = draw(paragraph("caption"))
    return _make("table", {}, [caption, _make("tbody", {}, rows)])


@st.composite
def a_figure(draw):
    image = _make("img", {"src": "chart.png", "alt": draw(words())}, [])
    return _make("figure", {}, [image, draw(paragraph("figcaption"))])


@st.composite
def an_article(draw):
    blocks = [_make("h1", {}, [draw(words())])]
    choices = st.one_of(
        paragraph(),
        paragraph("h2"),
        a_list(),
        a_table(),
        a_figure(),
        st.tuples(words(), st.just(None)).map(lambda t: _make("p", {"translate": "no"}, [t[0]])),
        st.tuples(paragraph(), st.just(None)).map(lambda t: _make("blockquote", {}, [t[0]])),
        st.tuples(words(), st.just(None)).map(lambda t: _make("pre", {}, [_make("code", {}, [t[0]])])),
    )
    blocks += draw(st.lists(choices, min_size=1, max_size=6))
    return _make("article", {}, blocks)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("ROUNDTRIP_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=an_article())
def test_generated_articles_round_trip(tmp_path_factory, body) -> None:
    root = new_project(tmp_path_factory.mktemp("gen") / "site")
    title = body[0].text_content()
    add_document(root, "generated", document_format.Document(title=title, language="en", body=body))
    result = build_identity(root)
    page = next(p for p in result.pages if p.locale == LOCALE)
    assert page.fallbacks == 0 and page.rejected == 0
    assert compare_articles(root, "generated") == []


TRICKY = [
    '<p>a <b>x</b> <b class="k">y</b> and <sup>1</sup><sub>2</sub> end</p>',
    "<p>x <em>a<em>b</em></em> y</p>",
    "<p>&lt;em&gt; literal &amp;lt; AT&amp;T</p>",
    '<p>see <span translate="no">Name <b>bold</b></span> here</p>',
    "<ul><li>a<ul><li>b</li></ul>tail text</li></ul>",
    '<p><a href="#1">1</a><a href="#2">2</a> words here</p>',
    "<div>loose text <p>para</p> more loose</div>",
    # Two tags whose message names share their letters (h3 and h4 both read "h").
    '<div><a href="/a"><h3>First card</h3></a><a href="/b"><h4>Second card</h4></a> cards</div>',
]


@pytest.mark.parametrize("markup", TRICKY)
def test_tricky_markup_round_trips(markup: str, tmp_path: Path) -> None:
    root = new_project(tmp_path / "site")
    body = html.fragment_fromstring(f"<article><h1>Title words</h1>{markup}</article>")
    add_document(root, "tricky", document_format.Document(title="Title words", language="en", body=body))
    result = build_identity(root)
    page = next(p for p in result.pages if p.locale == LOCALE)
    assert page.fallbacks == 0 and page.rejected == 0
    assert compare_articles(root, "tricky") == []
