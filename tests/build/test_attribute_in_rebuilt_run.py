"""A translated attribute (``title``, ``alt``) of an element inside a translated run
reaches the page.

The run's translation replaces the run's elements with elements built from its markup; the attribute's
translation must be set on the built element that stands for the source's (the same tag name and
occurrence, wherever the translation put it), not on the source element the page no longer shows.
Real projects: ``extract``, ``init``, the .po edited as a translator would, ``build``.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import html

from pipeline.cli import main
from pipeline.formats.document import Document, serialize

SLUG = "who"
SETUP_CFG = "[pipeline]\nsource_language = en\nlocales = {locales}\nthreshold = 0\nsite_name = Test site\n"


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def make_project(root: Path, body: str, locales: tuple[str, ...] = ("fr",)) -> Path:
    """A project with one article of ``body``, its template extracted and a catalog for each locale."""
    (root / "source" / SLUG).mkdir(parents=True)
    (root / "setup.cfg").write_text(SETUP_CFG.format(locales=" ".join(locales)), encoding="utf-8")
    document = Document(title="Who", language="en", body=html.fragment_fromstring(body), description="About it.")
    (root / "source" / SLUG / "article.html").write_text(serialize(document), encoding="utf-8")
    run_cli("extract", "--project", str(root))
    for locale in locales:
        run_cli("init", locale, "--project", str(root))
    return root


def translate(root: Path, locale: str, pairs: dict[str, str]) -> None:
    """Fill the msgstr of each msgid of ``pairs`` in the locale's catalog."""
    path = root / "locales" / locale / "LC_MESSAGES" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    for msgid, msgstr in pairs.items():
        entry = f'msgid "{msgid}"\nmsgstr ""\n'
        assert entry in text, msgid
        text = text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')
    path.write_text(text, encoding="utf-8")


def built_page(root: Path, locale: str = "fr"):
    run_cli("build", "--project", str(root), "-q")
    return html.fromstring((root / "output" / locale / SLUG / "index.html").read_bytes())


def template(root: Path) -> str:
    return (root / "locales" / f"{SLUG}.pot").read_text(encoding="utf-8")


def test_title_inside_a_translated_paragraph_is_translated(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", '<article><p>See <abbr title="World Health Org">WHO</abbr> now.</p></article>')
    assert 'msgid "See <abbr>WHO</abbr> now."' in template(root)
    assert '#. tooltip\n#: who/article.html\nmsgid "World Health Org"' in template(root)
    translate(root, "fr", {"See <abbr>WHO</abbr> now.": "Voir l’<abbr>OMS</abbr> maintenant.",
                           "World Health Org": "Organisation mondiale de la santé"})
    [abbr] = built_page(root).xpath("//article//abbr")
    assert (abbr.text, abbr.get("title")) == ("OMS", "Organisation mondiale de la santé")


def test_alt_of_an_image_inside_a_translated_paragraph_is_translated(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", '<article><p>Look <img src="cat.png" alt="A cat asleep"> here.</p></article>')
    assert 'msgid "A cat asleep"' in template(root)
    translate(root, "fr", {"Look <img/> here.": "Regardez <img/> ici.", "A cat asleep": "Un chat endormi"})
    [image] = built_page(root).xpath("//article//img")
    assert (image.get("src"), image.get("alt")) == ("cat.png", "Un chat endormi")


def test_accessible_label_is_kept_extracted_and_translated(tmp_path: Path) -> None:
    """An ``aria-label`` (a link's accessible name) survives the clean document's sanitizing, is a
    message of its own, and the page shows its translation, inside a translated run or alone."""
    body = ('<article><p>Read <a href="/report" aria-label="The annual report">it</a> today.</p>'
            '<p><a href="/next" aria-label="Next article">→</a></p></article>')
    root = make_project(tmp_path / "site", body)
    assert '#. accessible label\n#: who/article.html\nmsgid "The annual report"' in template(root)
    assert 'msgid "Next article"' in template(root)
    translate(root, "fr", {"Read <a>it</a> today.": "Lisez-<a>le</a> aujourd’hui.",
                           "The annual report": "Le rapport annuel", "Next article": "Article suivant"})
    links = built_page(root).xpath("//article//a[@href]")
    assert [(link.get("href"), link.get("aria-label")) for link in links] == [
        ("/report", "Le rapport annuel"), ("/next", "Article suivant")]


def test_reordered_elements_each_keep_their_own_attribute(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "site",
        '<article><p>Read <a href="/1" title="First tip">one</a> and <a href="/2" title="Second tip">two</a>.</p></article>',
    )
    translate(root, "fr", {"Read <a1>one</a1> and <a2>two</a2>.": "Lisez <a2>deux</a2> et <a1>un</a1>.",
                           "First tip": "Premier conseil", "Second tip": "Second conseil"})
    links = built_page(root).xpath("//article//a")
    assert [(a.get("href"), a.text, a.get("title")) for a in links] == [
        ("/2", "deux", "Second conseil"),
        ("/1", "un", "Premier conseil"),
    ]


def test_nested_and_repeated_elements_in_two_locales(tmp_path: Path) -> None:
    """An element inside another, two equal elements sharing a name, a list item beside a nested list;
    two locales, so that one page is made from a copy of the article and the other from the article."""
    body = (
        '<article><p>Ask <em>the <abbr title="World Health Org">WHO</abbr></em> or <abbr title="World Health Org">it</abbr>.</p>'
        '<ul><li>Go <a href="/x" title="Go there">here</a><ul><li>Sub item</li></ul></li></ul></article>'
    )
    root = make_project(tmp_path / "site", body, locales=("fr", "de"))
    for locale, words in {"fr": ("Demandez", "l’", "OMS", "ou", "elle", "Allez", "ici", "Y aller"),
                          "de": ("Fragen Sie", "die", "WGO", "oder", "sie", "Gehen Sie", "hier", "Dorthin")}.items():
        ask, the, who, or_, it, go, here, label = words
        translate(root, locale, {
            "Ask <em>the <abbr>WHO</abbr></em> or <abbr>it</abbr>.": f"{ask} <em>{the} <abbr>{who}</abbr></em> {or_} <abbr>{it}</abbr>.",
            "World Health Org": f"{who} ({locale})",
            "Go <a>here</a>": f"{go} <a>{here}</a>",
            "Go there": label,
        })
    run_cli("build", "--project", str(root), "-q")
    for locale, (who, label) in {"fr": ("OMS", "Y aller"), "de": ("WGO", "Dorthin")}.items():
        page = html.fromstring((root / "output" / locale / SLUG / "index.html").read_bytes())
        assert [abbr.get("title") for abbr in page.xpath("//article//abbr")] == [f"{who} ({locale})"] * 2
        [link] = page.xpath("//article//li/a")
        assert (link.get("href"), link.get("title")) == ("/x", label)


def test_attribute_of_a_run_left_in_the_source_or_refused_is_still_translated(tmp_path: Path) -> None:
    body = (
        '<article><p>See <abbr title="World Health Org">WHO</abbr> now.</p>'
        '<p>Then <abbr title="United Nations">UN</abbr> too.</p></article>'
    )
    root = make_project(tmp_path / "site", body)
    # the first paragraph untranslated; the second's translation drops its element: refused
    translate(root, "fr", {"Then <abbr>UN</abbr> too.": "Puis l’ONU aussi.",
                           "World Health Org": "Organisation mondiale de la santé", "United Nations": "Nations unies"})
    abbrs = built_page(root).xpath("//article//abbr")
    assert [(abbr.text, abbr.get("title")) for abbr in abbrs] == [
        ("WHO", "Organisation mondiale de la santé"),
        ("UN", "Nations unies"),
    ]
