"""No markup through translations: a corpus of hostile translations, built and parsed.

Each hostile payload goes to its own locale, in three positions (one article
each: before, inside and after a correct translation) and in every message
shape: a heading (also the page title), a plain paragraph, a paragraph with
links (``<a1>``/``<a2>``), a paragraph with a placeholder (``<code/>``), an
``alt`` attribute, the meta description and a template message with
``%(author)s``. The pages are built three times: with the hostile catalogs,
with correct translations, and without translations. Every element and
attribute of a hostile page must exist in one of the two harmless builds of
the same page, and ``check`` must name every hostile entry as an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.localedata import locale_identifiers
from click.testing import CliRunner
from lxml import html

from pipeline.build.site import BuildOptions, build_site
from helpers.hostile import PAYLOADS
from pipeline.checks import check_catalog
from pipeline.cli import main
from pipeline.formats.document import Document, serialize
from pipeline.formats.po import escape
from pipeline.project import Project
from pipeline.names import LOCALE_PATTERN

SOURCE = {
    "heading": "Hostile test article",
    "plain": "Plain words stand here.",
    "link": 'Read <a1>the report</a1> and <a2>the notes</a2> today.',
    "code": "Run <code/> every morning.",
    "alt": "Chart of salaries",
    "description": "An article for the hostile tests.",
}
BENIGN = {
    "heading": "Article de test hostile",
    "plain": "Des mots simples ici.",
    "link": "Lisez <a1>le rapport</a1> et <a2>les notes</a2> aujourd’hui.",
    "code": "Lancez <code/> chaque matin.",
    "alt": "Graphique des salaires",
    "description": "Un article pour les tests hostiles.",
}
KEPT_SOURCE = "This sentence stays translated."
KEPT_TRANSLATION = "Cette phrase reste traduite."
SITE_SOURCE = "By %(author)s"
SITE_BENIGN = "Par %(author)s"
POSITIONS = ("start", "middle", "end")

BODY = """<article>
<h1>Hostile test article</h1>
<p>Plain words stand here.</p>
<p>Read <a href="https://example.org/one">the report</a> and <a href="https://example.org/two">the notes</a> today.</p>
<p>Run <code>make</code> every morning.</p>
<p><img src="chart.png" alt="Chart of salaries"></p>
<p>This sentence stays translated.</p>
</article>"""


def place(benign: str, payload: str, position: str) -> str:
    """``payload`` before, inside (in the first tag's content when there is one) or after ``benign``."""
    if position == "start":
        return payload + benign
    if position == "end":
        return benign + payload
    match = re.search(r"<a1>|<code/>", benign)
    cut = match.end() if match else len(benign) // 2
    return benign[:cut] + payload + benign[cut:]


def locales(count: int) -> list[str]:
    """``count`` locales Babel knows (RTL ones among them), one per payload."""
    simple = sorted(l for l in locale_identifiers() if re.fullmatch(r"[a-z]{2}", l) and l != "en")
    preferred = ["ar", "he", "fa", "zh", "ja", "fr", "de", "ru"]
    ordered = preferred + [l for l in simple if l not in preferred]
    return [l for l in ordered if LOCALE_PATTERN.match(l)][:count]


LOCALES = locales(len(PAYLOADS))
SLUGS = {position: f"hostile-{position}" for position in POSITIONS}


def catalog_bytes(locale: str, entries: dict[str, str]) -> bytes:
    """A catalog with each string on one line (valid PO; GNU-style wrapping of megabyte
    strings would only slow the test down)."""
    lines = [
        'msgid ""',
        'msgstr ""',
        f'"Language: {locale}\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    ]
    for msgid, msgstr in entries.items():
        lines += ["", f'msgid "{escape(msgid)}"', f'msgstr "{escape(msgstr)}"']
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_project(root: Path, mode: str) -> Path:
    """``mode``: "hostile", "benign" or "empty" translations for every locale."""
    root.mkdir(parents=True)
    (root / "setup.cfg").write_text(
        "[pipeline]\nsource_language = en\nlocales = " + " ".join(LOCALES) + "\nsite_name = Hostile site\n",
        encoding="utf-8",
    )
    for slug in SLUGS.values():
        folder = root / "source" / slug
        folder.mkdir(parents=True)
        doc = Document(
            title=SOURCE["heading"],
            language="en",
            body=html.fragment_fromstring(BODY),
            description=SOURCE["description"],
            author="Jane Doe",
            source_url="https://example.org/hostile",
            modified="2025-09-24",
        )
        (folder / "article.html").write_text(serialize(doc), encoding="utf-8")
    for index, (locale, payload) in enumerate(zip(LOCALES, PAYLOADS)):
        folder = root / "locales" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        for position, slug in SLUGS.items():
            entries = {}
            for shape, msgid in SOURCE.items():
                if mode == "hostile":
                    entries[msgid] = place(BENIGN[shape], payload, position)
                elif mode == "benign":
                    entries[msgid] = BENIGN[shape]
                else:
                    entries[msgid] = ""
            entries[KEPT_SOURCE] = KEPT_TRANSLATION if mode != "empty" else ""
            (folder / f"{slug}.po").write_bytes(catalog_bytes(locale, entries))
        site = {"hostile": place(SITE_BENIGN, payload, POSITIONS[index % 3]), "benign": SITE_BENIGN, "empty": ""}
        (folder / "site.po").write_bytes(catalog_bytes(locale, {SITE_SOURCE: site[mode]}))
    return root


def markup_of(path: Path) -> set[tuple]:
    """(tag, attributes) of every element, comment and processing instruction of a page."""
    tree = html.fromstring(path.read_bytes())
    found: set[tuple] = set()
    for node in tree.iter():
        if isinstance(node.tag, str):
            found.add((node.tag, tuple(sorted(node.attrib.items()))))
        else:
            found.add((str(node.tag), node.text or ""))
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    results = {}
    for mode in ("hostile", "benign", "empty"):
        root = write_project(tmp_path_factory.mktemp(mode) / "site", mode)
        results[mode] = (root, build_site(Project.load(root), BuildOptions(include_drafts=True)))
    return results


def test_the_corpus_is_large() -> None:
    shapes = len(SOURCE) + 1  # and the template message
    assert len(PAYLOADS) * len(POSITIONS) * (shapes - 1) + len(PAYLOADS) >= 100
    assert len(LOCALES) == len(PAYLOADS)
    assert {"ar", "he"} <= set(LOCALES)


@pytest.mark.slow
def test_no_hostile_page_has_an_element_or_attribute_the_source_build_lacks(builds) -> None:
    hostile_root, hostile = builds["hostile"]
    benign_root, _ = builds["benign"]
    empty_root, _ = builds["empty"]
    assert len(hostile.pages) == (len(LOCALES) + 1) * len(SLUGS)
    for page in hostile.pages:
        relative = page.path.relative_to(hostile_root)
        allowed = markup_of(benign_root / relative) | markup_of(empty_root / relative)
        extra = markup_of(page.path) - allowed
        assert not extra, f"{relative}: {sorted(extra)[:3]}"
        tree = html.fromstring(page.path.read_bytes())
        own = html.fromstring((empty_root / relative).read_bytes())
        assert len(tree.xpath("//script")) == len(own.xpath("//script"))
        assert not tree.xpath("//iframe | //object | //embed | //svg | //math | //style | //form | //base")
        assert not [a for a in tree.xpath("//@*") if re.match(r"(?i)on|formaction", a.attrname)]
        assert not [v for v in tree.xpath("//@href | //@src") if re.match(r"(?i)\s*(javascript|data|vbscript):", v)]


def test_every_hostile_block_shows_the_source_text_marked_and_the_rest_translates(builds) -> None:
    root, hostile = builds["hostile"]
    for page in hostile.pages:
        if page.locale == "en":
            continue
        assert page.rejected == 5, (page.locale, page.slug)  # heading, plain, link, code, alt
        tree = html.fromstring(page.path.read_bytes())
        body = tree.xpath('//div[@class="article-body"]')[0]
        paragraphs = body.xpath(".//p")
        heading = tree.xpath("//article//h1")[0]
        assert heading.get("lang") == "en" and heading.text_content() == SOURCE["heading"]
        assert [p.get("lang") for p in paragraphs] == ["en", "en", "en", None, None]
        assert paragraphs[0].text_content() == SOURCE["plain"]
        assert paragraphs[2].xpath(".//code/text()") == ["make"]
        assert paragraphs[4].text_content() == KEPT_TRANSLATION
        assert body.xpath(".//img/@alt") == [SOURCE["alt"]]
        assert tree.findtext(".//title").startswith(SOURCE["heading"])
        assert tree.xpath('//meta[@name="description"]/@content') == [SOURCE["description"]]
        assert "By " in tree.xpath('//span[@class="article-meta__author"]')[0].text_content()
    rejected = [w for w in hostile.warnings if "translation not used" in w.message]
    assert len(rejected) >= len(LOCALES) * len(SLUGS) * 5


def test_the_benign_build_translates_everything(builds) -> None:
    root, benign = builds["benign"]
    for page in benign.pages:
        if page.locale != "en":
            assert page.rejected == 0 and page.fallbacks == 0, (page.locale, page.slug)
            tree = html.fromstring(page.path.read_bytes())
            assert tree.xpath('//span[@class="article-meta__author"]')[0].text_content().startswith("Par ")


@pytest.mark.slow
def test_check_names_every_hostile_entry_as_an_error_with_its_line(builds) -> None:
    root, _ = builds["hostile"]
    for locale, payload in zip(LOCALES, PAYLOADS):
        folder = root / "locales" / locale / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po")):
            findings = check_catalog(path)
            error_lines = {f.line for f in findings if f.problem.severity == "error"}
            text = path.read_text(encoding="utf-8")
            lines = text.split("\n")
            hostile_msgids = [SITE_SOURCE] if path.stem == "site" else list(SOURCE.values())
            for msgid in hostile_msgids:
                line = lines.index(f'msgid "{msgid}"') + 1
                assert line in error_lines, (path.name, locale, payload[:40], msgid)
            kept = f'msgid "{KEPT_SOURCE}"'
            if kept in lines:
                assert lines.index(kept) + 1 not in error_lines


def test_pipeline_check_fails_naming_file_and_line(builds) -> None:
    root, _ = builds["hostile"]
    result = CliRunner().invoke(main, ["check", "--project", str(root), "-l", "ar", "-l", "he"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    located = re.findall(r"locales/(?:ar|he)/LC_MESSAGES/[\w-]+\.po:\d+: error:", result.output)
    assert len(located) >= 2 * (len(SOURCE) * len(SLUGS) + 1)


def test_bidi_controls_that_close_are_allowed_and_unclosed_ones_are_not() -> None:
    from pipeline.pairchecks import check_pair, unclosed_bidi_controls

    assert check_pair("Call 555", "اتصل \u2066555\u2069") == []
    assert check_pair("Read it", "\u202bاقرأه\u202c") == []
    assert check_pair("Read it", "\u200fاقرأه\u200e") == []  # marks open nothing
    assert [p.code for p in check_pair("Read it", "\u202eاقرأه")] == ["bidi"]
    assert unclosed_bidi_controls("\u2067a\u202bb\u2069") == []  # PDI closes the embedding inside
    assert unclosed_bidi_controls("\u202ba\u2067b\u202c") == ["RLE", "RLI"]
    assert unclosed_bidi_controls("\u202c\u2069x") == []  # stray closers are ignored
