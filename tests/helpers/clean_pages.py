"""Small synthetic article pages of the shapes the HTML cleaner must handle (issue 15).

Each page reproduces one shape seen on real sites (a quote table in the story,
a caption in a ``<div>``, a visible byline only, no title, an article cut
across containers) with text written here, not copied from any page.
"""

from __future__ import annotations

import random

_SUBJECTS = ["The council", "Local farmers", "The water board", "Researchers at the college", "Residents",
             "The regional planner", "Two engineers", "The mayor's office", "Volunteers", "The harbour master"]
_VERBS = ["announced", "questioned", "published", "defended", "revised", "studied", "rejected", "welcomed",
          "measured", "described"]
_OBJECTS = ["a plan to rebuild the old bridge", "the cost of the new reservoir", "a survey of river levels",
            "the timetable for the northern railway", "a proposal to close the market on Sundays",
            "the figures on winter rainfall", "a scheme to plant trees along the canal",
            "the budget for school repairs", "an inquiry into the flooded tunnel", "the rules for fishing licences"]
_ENDINGS = ["after a long meeting on Tuesday", "despite objections from shopkeepers", "for the third time this year",
            "in a letter to every household", "before the summer holidays", "with support from the county",
            "while the weather stayed dry", "at a packed public hearing", "without giving a date", "in the spring"]


def prose(seed: int, sentences: int = 4) -> str:
    """A paragraph of distinct plausible sentences."""
    rng = random.Random(seed)
    return " ".join(
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_ENDINGS)}."
        for _ in range(sentences)
    )


def paragraphs(first_seed: int, count: int) -> list[str]:
    return [prose(first_seed + index) for index in range(count)]


def _ps(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


CHROME = (
    "<header class='site-header'><nav class='menu'><ul>"
    + "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(8))
    + "</ul></nav></header>"
)
FOOTER = ("<footer class='site-footer'><p>Copyright The Valley Courier. All rights reserved.</p>"
          "<ul><li><a href='/about'>About</a></li><li><a href='/contact'>Contact</a></li></ul></footer>")


def news_page(title: str, article: str, head: str = "", after: str = "") -> str:
    title_tag = f"<title>{title} | The Valley Courier</title>" if title else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{title_tag}{head}</head><body>"
            f"{CHROME}<main>{article}</main>{after}{FOOTER}</body></html>")


def quote_table_page() -> tuple[str, list[str]]:
    """A business story with a live stock-quote table between its paragraphs (no telling class)."""
    body = paragraphs(100, 6)
    table = ("<table><tr><th>Ticker</th><th>Security</th><th>Last</th><th>Change</th><th>Change %</th></tr>"
             "<tr><td>ACME</td><td>ACME TOOLS INC.</td><td>225.86</td><td>-12.99</td><td>-5.44%</td></tr>"
             "<tr><td>BOLT</td><td>BOLT HARDWARE CO.</td><td>113.40</td><td>+1.62</td><td>+1.41%</td></tr></table>")
    article = (f"<article><h1>Hardware shares fall after the storm</h1>{_ps(body[:3])}{table}"
               f"{_ps(body[3:])}</article>")
    return news_page("Hardware shares fall after the storm", article), body


def div_caption_page() -> tuple[str, list[str], str]:
    """A photo in a ``<div>`` with its caption in a ``<div class="caption">``, no alt text."""
    body = paragraphs(200, 6)
    caption = "Workers load timber into a truck outside the hardware store in the early morning."
    photo = ("<div class='inline image-ct'><div class='m'><img src='/img/timber.jpg'></div>"
             f"<div class='caption'><p>{caption}</p></div></div>")
    article = f"<article><h1>Timber prices climb</h1>{_ps(body[:2])}{photo}{_ps(body[2:])}</article>"
    return news_page("Timber prices climb", article), body, caption


def byline_page() -> tuple[str, list[str]]:
    """No author in JSON-LD or meta: only the visible byline; the photo's caption repeats a sentence."""
    body = paragraphs(300, 6)
    article = (
        "<article><h1>What a daily walk does for the heart</h1>"
        "<div class='metadata'><span>By Jane Roe, CNN</span></div>"
        f"{_ps(body[:1])}<figure><img src='/img/walk.jpg' alt=''><figcaption>{body[0]}</figcaption></figure>"
        f"{_ps(body[1:])}</article>"
    )
    return news_page("What a daily walk does for the heart", article), body


def titleless_page(with_heading: bool = True) -> tuple[str, list[str]]:
    """No <title>, <h1> or og:title; maybe a subheading."""
    body = paragraphs(400, 6)
    heading = "<h2>Notes from the river survey</h2>" if with_heading else ""
    return news_page("", f"<div class='post'>{heading}{_ps(body)}</div>"), body


def split_article_page() -> tuple[str, list[str]]:
    """An article cut in two: its second half in a sibling container the extractors judge apart.

    The first half is a long story; the second, as long, sits after an
    unrelated block in a container of another kind, so no extractor keeps it
    with the first.
    """
    first, second = paragraphs(500, 8), paragraphs(600, 8)
    article = (
        f"<div class='story'><h1>The long winter on the canal</h1>{_ps(first)}</div>"
        "<div class='promo-box'><a href='/subscribe'>Subscribe</a></div>"
        f"<div class='legacy-content' hidden>{_ps(second)}</div>"
    )
    return news_page("The long winter on the canal", article), first + second
