"""The HTML cleaner: a saved article page in, the clean article and its report out."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cleaning.htmlpage import clean_html
from pipeline.errors import SnapshotError
from pipeline.formats.document import parse, serialize
from pipeline.settings import CleanRules

FIXTURES = Path(__file__).parents[1] / "fixtures" / "html"
NEWS_URL = "https://www.valleycourier.example/news/2024/03/river-floods"
BLOG_URL = "https://crumbandcrust.example.org/posts/bread-hydration/"
FOREIGN_URL = "https://quotidien.example.fr/fr/english/night-trains"


def page(name: str) -> str:
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def clean(name: str, url: str, rules: CleanRules = CleanRules()):
    return clean_html(page(name), rules, url=url)


def texts(element, tag: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in element.iter(tag)]


def body_text(result) -> str:
    return " ".join(" ".join(result.document.body.itertext()).split())


def dropped_with(result, reason: str) -> str:
    return " | ".join(d.text for d in result.dropped if d.reason == reason)


@pytest.fixture(scope="module")
def news():
    return clean("news-page", NEWS_URL)


@pytest.fixture(scope="module")
def blog():
    return clean("blog-page", BLOG_URL)


@pytest.fixture(scope="module")
def foreign():
    return clean("foreign-ui-page", FOREIGN_URL)


# --- the news page: every kind of chrome ---------------------------------------------

NEWS_PARAGRAPHS = [
    "Engineers and hundreds of volunteers spent the weekend raising temporary barriers",
    "The Environment Agency has issued severe flood warnings for Bewdley",
    "In Bewdley, the council has handed out more than twelve thousand sandbags since Friday.",
    "“We have done this before, but never this early in the year,” said Jean Pritchard",
    "The agency said the following measures were in place along the worst-affected stretch",
    "The Met Office expects a further forty millimetres of rain across the Welsh hills",
    "“The peak is likely to arrive on Thursday and to last for at least a day,”",
    "Emergency shelters have been opened at the Bewdley leisure centre",
]


def test_news_keeps_every_paragraph_heading_and_item_in_order(news):
    body = news.document.body
    paragraphs = texts(body, "p")
    assert len(paragraphs) == len(NEWS_PARAGRAPHS)
    for expected, actual in zip(NEWS_PARAGRAPHS, paragraphs):
        assert actual.startswith(expected)
    assert texts(body, "h2") == ["Sandbags and pumps on every street", "Forecasters expect more rain"]
    assert texts(body, "li") == [
        "temporary barriers on the quays of Bewdley and Upton;",
        "high-volume pumps at the Mythe water treatment works;",
        "closure of the A4440 Carrington Bridge from Wednesday night.",
    ]


def test_news_title_is_the_only_h1_and_comes_first(news):
    body = news.document.body
    assert news.document.title == "River towns prepare for record spring floods"
    assert body[0].tag == "h1" and texts(body, "h1") == [news.document.title]


def test_news_metadata(news):
    document = news.document
    assert document.language == "en-GB"
    assert document.author == "Maria Okafor"
    assert document.published == "2024-03-14"
    assert document.modified == "2024-03-15"
    assert document.description.startswith("Engineers and volunteers are raising defences")
    assert document.source_url == NEWS_URL


@pytest.mark.parametrize(
    "reason, sample",
    [
        ("cookie-banner", "We use cookies to improve your experience"),
        ("navigation", "What's on"),
        ("navigation", "Home › News › Environment"),
        ("header", "Independent news from the Severn valley since 1887"),
        ("advertising", "Save 20% on garden furniture"),
        ("advertising", "Flood insurance from Riverside Mutual"),
        ("share-widget", "Share on Facebook"),
        ("newsletter", "Get the Courier morning briefing"),
        ("newsletter", "Sign up"),
        ("related-articles", "Flood defence funding cut by a third"),
        ("related-articles", "Bypass plan approved after ten years of delays"),
        ("comments", "Thanks to all the volunteers down at the quay"),
        ("comments", "floodwatcher77"),
        ("sidebar", "Heavy rain, 9°C"),
        ("footer", "© 2024 The Valley Courier Ltd."),
        ("byline", "Environment correspondent"),
    ],
)
def test_news_chrome_is_absent_and_reported_with_its_reason(news, reason, sample):
    assert sample not in body_text(news)
    assert sample in dropped_with(news, reason), [d for d in news.dropped if sample in d.text]


def test_news_scripts_styles_and_iframes_are_gone_and_reported(news):
    document_text = serialize(news.document)
    for marker in ("dataLayer", "<script", "<style", "<iframe", "<form", "<button", "class=", "style="):
        assert marker not in document_text
    reasons = {d.reason: d for d in news.dropped}
    assert "script" in reasons and "<script>" in reasons["script"].detail
    assert reasons["iframe"].detail.endswith("https://ads.example.net/frame?id=1")


def test_news_links_are_absolute(news):
    links = [a.get("href") for a in news.document.body.iter("a")]
    assert links == ["https://www.valleycourier.example/news/flood-warnings-explained"]


def test_comment_section_is_reported_as_few_entries_not_one_per_line(news):
    comments = [d for d in news.dropped if d.reason == "comments"]
    assert 1 <= len(comments) <= 2
    assert "GeoffT" in comments[0].text or "GeoffT" in comments[-1].text


# --- the blog page: figures, a table, a quote, relative links --------------------------


def test_blog_figure_keeps_image_alt_and_caption(blog):
    figure = blog.document.body.find("figure")
    image = figure.find("img")
    assert image.get("src") == BLOG_URL + "images/dough-stretch.jpg"
    assert image.get("alt") == "A wet dough stretched between two hands"
    assert set(image.attrib) == {"src", "alt"}  # no width, class or inline style
    caption = figure.find("figcaption")
    assert " ".join("".join(caption.itertext()).split()) == (
        "A dough at 78% hydration after its second fold. Photo: Lena Berg."
    )
    assert caption.find("a").get("href") == "https://photos.example.com/u/lena"


def test_blog_table_keeps_its_shape_caption_and_spans(blog):
    table = blog.document.body.find("table")
    assert table is not None and table.attrib == {}
    assert texts(table, "caption") == ["Typical hydration by style of bread"]
    assert texts(table, "th") == ["Bread", "Hydration", "Crumb"]
    rows = table.findall("tbody/tr")
    assert [texts(row, "td") for row in rows][0] == ["Bagel", "55–58%", "Dense and chewy"]
    spanning = rows[-1].findall("td")[1]
    assert spanning.get("colspan") == "2"
    assert "".join(spanning.itertext()) == "78–85%, very open and irregular"


def test_blog_blockquote_code_and_lists(blog):
    body = blog.document.body
    quote = body.find("blockquote")
    assert quote.get("cite") == "https://example.org/hamelman-bread"
    assert texts(quote, "p") == [
        "The baker who understands hydration can adapt any formula to the flour in front of him."
    ]
    assert texts(body, "pre") == ["hydration = (water + starter / 2) / (flour + starter / 2)"]
    assert texts(body, "h3") == ["Counting the starter"]
    items = texts(body, "li")
    assert items[:3] == [
        "Weigh the flour, the water and the starter.",
        "Split the starter's weight between flour and water.",
        "Divide the total water by the total flour.",
    ]


def test_blog_relative_links_resolve_against_base_and_footnotes_stay_in_page(blog):
    hrefs = [a.get("href") for a in blog.document.body.iter("a")]
    assert "https://crumbandcrust.example.org/posts/bakers-percentages/" in hrefs
    assert "https://crumbandcrust.example.org/glossary/#hydration" in hrefs
    # in-page footnote links keep working: both ends are in the article
    assert "#note-1" in hrefs and "#ref-1" in hrefs
    ids = {e.get("id") for e in blog.document.body.iter() if e.get("id")}
    assert ids == {"note-1", "ref-1"}


def test_blog_inline_markup_is_semantic_and_whitespace_normalized(blog):
    first = blog.document.body.findall("p")[0]
    assert first.find("em").text == "feel"
    serialized = serialize(blog.document)
    for line in serialized.splitlines():
        assert "  " not in line.strip(), line  # no runs of spaces beyond indentation
        assert line == line.rstrip()


def test_blog_chrome_is_reported(blog):
    assert "Pinterest" in dropped_with(blog, "share-widget")
    assert "What autolyse really does" in dropped_with(blog, "related-articles")
    assert "Recipes" in dropped_with(blog, "navigation")
    assert "CC BY 4.0" in dropped_with(blog, "footer")
    assert "A first rye loaf" in dropped_with(blog, "sidebar")
    text = body_text(blog)
    for chrome in ("Pinterest", "autolyse", "Recent posts", "CC BY 4.0", "Posted on"):
        assert chrome not in text


# --- a page whose interface is in another language --------------------------------------


def test_foreign_interface_article_language_is_detected(foreign):
    assert foreign.document.language == "en"
    assert any(w.kind == "language-mismatch" and "'fr'" in w.text for w in foreign.warnings)
    assert foreign.document.title == "How the city's night trains came back"


def test_foreign_interface_is_dropped_and_recorded_as_interface_text(foreign):
    text = body_text(foreign)
    for french in ("Accueil", "Partager", "À lire aussi", "cookies", "lettre d'information", "Les plus lus"):
        assert french not in text
    assert "Accueil" in dropped_with(foreign, "navigation")
    assert "Partager sur Facebook" in dropped_with(foreign, "share-widget")
    assert "J'accepte" not in text and "Ce site utilise des cookies" in dropped_with(foreign, "cookie-banner")
    assert "Recevez notre lettre d'information" in dropped_with(foreign, "newsletter")
    labels = {(i.text, i.language) for i in foreign.interface}
    assert ("Accueil", "fr") in labels and ("Mentions légales", "fr") in labels
    assert len(texts(foreign.document.body, "p")) == 6
    assert texts(foreign.document.body, "h2") == ["A slow return", "What travellers say"]


# --- determinism, rules, errors --------------------------------------------------------


@pytest.mark.parametrize("name, url", [("news-page", NEWS_URL), ("blog-page", BLOG_URL)])
def test_output_is_deterministic_and_round_trips(name, url):
    first = serialize(clean(name, url).document)
    second = serialize(clean(name, url).document)
    assert first == second
    assert serialize(parse(first)) == first


def test_drop_rule_removes_a_kept_block_and_reports_it():
    rules = CleanRules(drop=(r"Emergency shelters have been opened.*",))
    result = clean("news-page", NEWS_URL, rules)
    assert "Emergency shelters" not in body_text(result)
    [entry] = [d for d in result.dropped if d.reason == "rule"]
    assert entry.text.startswith("Emergency shelters have been opened")
    assert "Emergency shelters have been opened" in entry.detail


def test_drop_rule_is_searched_in_the_whole_text_and_anchors_narrow_it():
    anchored = clean("news-page", NEWS_URL, CleanRules(drop=(r"^Bewdley$",)))
    assert "Bewdley" in body_text(anchored)
    assert not [d for d in anchored.dropped if d.reason == "rule"]
    searched = clean("news-page", NEWS_URL, CleanRules(drop=(r"Bewdley",)))
    assert "Bewdley" not in body_text(searched)
    assert [d for d in searched.dropped if d.reason == "rule"]


def test_keep_rule_rescues_a_dropped_block_in_page_order():
    rules = CleanRules(keep=(r"By Maria Okafor, Environment correspondent · .*",))
    result = clean("news-page", NEWS_URL, rules)
    paragraphs = texts(result.document.body, "p")
    assert paragraphs[0].startswith("By Maria Okafor, Environment correspondent")
    assert paragraphs[1].startswith(NEWS_PARAGRAPHS[0])
    assert "Environment correspondent" not in dropped_with(result, "byline")


def test_page_without_article_content_is_a_clear_error():
    navigation_only = """<!DOCTYPE html><html lang="en"><head><title>Index - Example</title></head>
    <body><nav><ul><li><a href="/a">Home</a></li><li><a href="/b">About</a></li></ul></nav>
    <footer><p>© Example</p></footer></body></html>"""
    with pytest.raises(SnapshotError, match="no article text"):
        clean_html(navigation_only, CleanRules(), url="https://example.org/")


@pytest.mark.parametrize("text", ["", "   \n", "<html><body>   </body></html>"])
def test_empty_page_is_a_clear_error(text):
    with pytest.raises(SnapshotError):
        clean_html(text, CleanRules())


def test_encoding_declaration_and_missing_url_are_fine():
    text = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + page("blog-page")
    result = clean_html(text, CleanRules())
    # the page's <base href> still resolves relative links without a URL
    assert result.document.body.find("figure/img").get("src").startswith("https://crumbandcrust")
    assert result.document.source_url == ""
