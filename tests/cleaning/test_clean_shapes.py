"""Issue 15: page shapes where the cleaner lost or kept the wrong text, on synthetic pages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers.clean_pages import (
    byline_page,
    div_caption_page,
    news_page,
    paragraphs,
    quote_table_page,
    split_article_page,
    titleless_page,
)
from helpers.projects import snapshot_project
from pipeline.cleaning.htmlpage import clean_html
from pipeline.cleaning.loss import LOSS_WARNING
from pipeline.cli import main as cli
from pipeline.errors import SnapshotError
from pipeline.settings import CleanRules

URL = "https://www.valleycourier.example/news/2024/03/the-story"


def text_of(result) -> str:
    return " ".join(" ".join(result.document.body.itertext()).split())


def kinds(result) -> list[str]:
    return [w.kind for w in result.warnings]


def test_a_live_quote_table_is_dropped_as_market_data():
    page, body = quote_table_page()
    result = clean_html(page, CleanRules(), url=URL)
    assert result.document.body.find(".//table") is None
    assert any(d.reason == "market-data" and "ACME TOOLS" in d.text for d in result.dropped)
    assert all(p in text_of(result) for p in body)


def test_a_caption_in_a_div_stays_with_its_image():
    page, body, caption = div_caption_page()
    result = clean_html(page, CleanRules(), url=URL)
    figures = list(result.document.body.iter("figure"))
    assert len(figures) == 1
    assert figures[0].find("img").get("src").endswith("/img/timber.jpg")
    assert " ".join(figures[0].findtext("figcaption").split()) == caption
    assert all(p in text_of(result) for p in body)


def test_a_visible_byline_gives_the_author_and_the_photo_is_no_duplicate():
    page, body = byline_page()
    result = clean_html(page, CleanRules(), url=URL)
    assert result.document.author == "Jane Roe"
    assert [f.find("img").get("src") for f in result.document.body.iter("figure")] == [
        "https://www.valleycourier.example/img/walk.jpg"]
    assert all(p in text_of(result) for p in body)


@pytest.mark.parametrize("byline, author", [
    ("By Maria Lopez and Tom Baker | Updated 9:00", "Maria Lopez and Tom Baker"),
    ("Par Jeanne Martin", "Jeanne Martin"),
    ("作者：王小明", "王小明"),
])
def test_byline_shapes(byline, author):
    body = paragraphs(700, 5)
    article = f"<article><h1>A title here</h1><p class='byline'>{byline}</p>" + "".join(f"<p>{p}</p>" for p in body) + "</article>"
    result = clean_html(news_page("A title here", article), CleanRules(), url=URL)
    assert result.document.author == author


def test_a_page_without_title_takes_its_first_heading_with_a_warning():
    page, body = titleless_page()
    result = clean_html(page, CleanRules(), url=URL)
    assert result.document.title == "Notes from the river survey"
    assert "no-title" in kinds(result)
    assert all(p in text_of(result) for p in body)


def test_a_page_without_title_or_heading_takes_its_url():
    page, _ = titleless_page(with_heading=False)
    result = clean_html(page, CleanRules(), url="https://example.org/2024/river-survey-notes.html")
    assert result.document.title == "River survey notes"
    assert "no-title" in kinds(result)
    assert clean_html(page, CleanRules(), url="", slug="canal-notes").document.title == "Canal notes"


def test_a_split_article_with_a_lost_half_warns():
    page, _ = split_article_page()
    result = clean_html(page, CleanRules(), url=URL)
    warnings = [w for w in result.warnings if w.kind == LOSS_WARNING]
    assert len(warnings) == 1
    assert "The water board" in warnings[0].detail or "words" in warnings[0].text
    assert "largest dropped blocks" in warnings[0].detail


def test_a_whole_article_gives_no_loss_warning():
    page, _ = quote_table_page()
    assert LOSS_WARNING not in kinds(clean_html(page, CleanRules(), url=URL))


def test_clean_strict_fails_on_the_loss_warning(tmp_path):
    page, _ = split_article_page()
    root = snapshot_project(tmp_path / "site", {"split": ("snapshot.html", page)})
    runner = CliRunner()
    loose = runner.invoke(cli, ["clean", "--project", str(root)])
    assert loose.exit_code == 0, loose.output
    report = json.loads((root / "source" / "split" / "clean-report.json").read_text(encoding="utf-8"))
    assert LOSS_WARNING in [w["kind"] for w in report["warnings"]]
    strict = runner.invoke(cli, ["clean", "--strict", "--project", str(root)])
    assert strict.exit_code == 1
    assert "Traceback" not in strict.output


def test_sections_whose_anchors_say_share_are_article_text():
    """A documentation page: section ids made from headings ("sharing-with-...") are no share widget."""
    sections = "".join(
        f"<div class='section' id='sharing-with-{name}-the-team'><h2>Sharing with {name}</h2>"
        + "".join(f"<p>{p}</p>" for p in paragraphs(seed, 3)) + "</div>"
        for seed, name in ((800, "one developer"), (810, "many developers"), (820, "a server"))
    )
    page = news_page("Sharing guide", f"<div class='body'><h1>Sharing guide</h1>{sections}</div>")
    result = clean_html(page, CleanRules(), url=URL)
    for seed in (800, 810, 820):
        assert all(p in text_of(result) for p in paragraphs(seed, 3))


def test_a_read_more_toggle_holding_the_story_is_kept():
    """The second half of a story in ``<div id="read-more">`` is article text, not related links."""
    first, second = paragraphs(900, 3), paragraphs(950, 8)
    article = ("<article><h1>Harbour dues to rise</h1>" + "".join(f"<p>{p}</p>" for p in first)
               + "<div id='read-more'>" + "".join(f"<p>{p}</p>" for p in second) + "</div></article>")
    result = clean_html(news_page("Harbour dues to rise", article), CleanRules(), url=URL)
    assert all(p in text_of(result) for p in first + second)


def test_cookie_notice_and_newsletter_in_other_languages_are_dropped():
    body = paragraphs(1000, 5)
    article = ("<article><h1>Le marché du dimanche</h1>" + "".join(f"<p>{p}</p>" for p in body)
               + "<div><p>Ce site utilise des cookies pour améliorer votre expérience. Accepter</p></div>"
               + "<div><p>Abonnez-vous à notre newsletter pour recevoir les nouvelles.</p></div></article>")
    result = clean_html(news_page("Le marché du dimanche", article), CleanRules(), url=URL)
    assert "cookies" not in text_of(result)
    assert "newsletter" not in text_of(result)


def test_a_page_over_the_size_cap_is_one_clear_error():
    page, _ = quote_table_page()
    with pytest.raises(SnapshotError, match=r"over the size cap .*max_page_mb"):
        clean_html(page, CleanRules(max_page_bytes=1000), url=URL)


def test_a_page_over_the_time_budget_is_one_clear_error(tmp_path):
    page, _ = quote_table_page()
    with pytest.raises(SnapshotError, match=r"time budget of 0.001 s .*time_budget"):
        clean_html(page, CleanRules(time_budget=0.001), url=URL)
    root = snapshot_project(tmp_path / "site", {"slow": ("snapshot.html", page)},
                        settings="[pipeline:clean]\ntime_budget = 0.001\n")
    outcome = CliRunner().invoke(cli, ["clean", "--project", str(root)])
    assert outcome.exit_code == 1
    assert "time budget" in outcome.output and "Traceback" not in outcome.output


def test_scrape_from_goes_on_after_a_page_over_the_cap(tmp_path):
    small, _ = quote_table_page()
    big = news_page("A very long story", "<article><h1>A very long story</h1>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs(2000, 300)) + "</article>")
    assert len(small) < 50_000 < len(big)
    (tmp_path / "small.html").write_text(small, encoding="utf-8")
    (tmp_path / "big.html").write_text(big, encoding="utf-8")
    listing = tmp_path / "pages.txt"
    listing.write_text(f"{tmp_path / 'big.html'}\n{tmp_path / 'small.html'}\n", encoding="utf-8")
    root = snapshot_project(tmp_path / "site", {}, settings="[pipeline:clean]\nmax_page_mb = 0.05\n")
    outcome = CliRunner().invoke(cli, ["scrape", "--project", str(root), "--from", str(listing)])
    assert outcome.exit_code == 1
    assert "over the size cap" in outcome.output and "Traceback" not in outcome.output
    assert (root / "source" / "small" / "article.html").is_file()
    assert not (root / "source" / "big" / "article.html").exists()


def test_a_large_page_gets_one_opinion_and_says_so(monkeypatch):
    from pipeline.cleaning import votes

    page, body = quote_table_page()
    monkeypatch.setattr(votes, "SECOND_OPINIONS_MAX_CHARS", len(page) - 1)
    result = clean_html(page, CleanRules(), url=URL)
    assert "large-page" in kinds(result)
    assert all(p in text_of(result) for p in body)


def test_a_page_of_book_length_text_gets_one_opinion_however_light_its_markup(monkeypatch):
    from pipeline.cleaning import votes

    page, body = quote_table_page()
    monkeypatch.setattr(votes, "SECOND_OPINIONS_MAX_TEXT_CHARS", sum(len(p) for p in body) // 2)
    monkeypatch.setattr(votes, "readability_opinion", lambda *args: pytest.fail("second opinion asked"))
    result = clean_html(page, CleanRules(), url=URL)
    assert "large-page" in kinds(result)
    assert "characters of text" in next(w.text for w in result.warnings if w.kind == "large-page")
    assert all(p in text_of(result) for p in body)


def test_a_large_page_runs_trafilatura_once_and_without_its_own_fallback(monkeypatch):
    import trafilatura

    from pipeline.cleaning import votes

    calls = []
    real = trafilatura.bare_extraction

    def recorded(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", recorded)
    page, body = quote_table_page()
    clean_html(page, CleanRules(), url=URL)
    assert [(c.get("favor_precision", False), c["fast"]) for c in calls] == [(True, False), (False, False)]
    calls.clear()
    monkeypatch.setattr(votes, "SECOND_OPINIONS_MAX_CHARS", len(page) - 1)
    result = clean_html(page, CleanRules(), url=URL)
    assert [(c.get("favor_precision", False), c["fast"]) for c in calls] == [(True, True)]
    assert all(p in text_of(result) for p in body)
