"""Which units are kept, after the extractors' vote (``reconcile``): the cleaner's own checks.

Illustrations in the article's container are kept (the extractors judge
text); units in a widget, a repeated image, the repeated title are dropped;
the project's ``drop``/``keep`` rules have the last word.
"""

from __future__ import annotations

from lxml import etree

from pipeline.cleaning import htmlbyline, htmlchrome, htmlfigures, htmlmeta, htmlwidgets, reconcile, votes
from pipeline.cleaning.htmlunits import HEADINGS, Unit
from pipeline.cleaning.report import CleanWarning
from pipeline.cleaning.rules import first_match, matches_any
from pipeline.cleaning.tree import ancestors, inside
from pipeline.errors import SnapshotError
from pipeline.settings import CleanRules


def keep_units(units: list[Unit], main: etree._Element, meta: htmlmeta.PageMeta, rules: CleanRules,
               url: str, slug: str) -> tuple[str, list[CleanWarning]]:
    """Settle which units are kept; return the article's title and the warnings about it."""
    _keep_media_in(main, units)
    _drop_chrome(units, main)
    _drop_text_widgets(units)
    _drop_repeated_images(units)
    title = _choose_title(meta, units, main)
    warnings = []
    if not title:
        title, warning = _fallback_title(units, url, slug)
        warnings.append(warning)
    _apply_rules(units, rules)
    if not any(u.kept and u.text and not u.is_title for u in units):
        raise SnapshotError(
            "no article text found in the HTML snapshot: the page seems to hold only site "
            "navigation or a stub; add a [pipeline:clean] keep rule if it is wrongly dropped"
        )
    return title, warnings


def _keep_media_in(main: etree._Element, units: list[Unit]) -> None:
    """Figures and images inside the article keep their place in it.

    The extractor judges text; an illustration has none of its own (its
    caption is short), so it is kept when it sits in the article's container
    and no container of its own says it is chrome (a thumbnail in a
    related-stories box is not).
    """
    for unit in units:
        if unit.kind not in ("figure", "image") or unit.kept:
            continue
        if not inside(unit.element, main):
            continue
        reason, _ = htmlchrome.ancestor_reason(unit.element, stop=main)
        if reason or not _has_real_image(unit):
            continue
        unit.kept = True


def _drop_text_widgets(units: list[Unit]) -> None:
    """Quote tables, cookie notices and sign-ups that no container name gives away."""
    for unit in units:
        if not unit.kept:
            continue
        if unit.kind == "table" and htmlwidgets.is_quote_table(unit.element):
            unit.kept = False
            unit.reason, unit.detail = "market-data", "a table of live prices and changes"
            continue
        reason = htmlwidgets.text_widget(unit.text)
        if reason:
            unit.kept = False
            unit.reason, unit.detail = reason, "its text is a widget's"


def _drop_repeated_images(units: list[Unit]) -> None:
    """A figure is a duplicate only when the same image is already in the kept article.

    Galleries and "lightbox" copies repeat an article's photo; a caption that
    repeats text is no reason to drop its image.
    """
    seen: set[str] = set()
    for unit in units:
        if not unit.kept or unit.kind not in ("figure", "image"):
            continue
        nodes = [p for p in unit.pieces if not isinstance(p, str)] or [unit.element]
        sources = [s for node in nodes for s in htmlfigures.image_sources(node)]
        if sources and all(s in seen for s in sources):
            unit.kept = False
            unit.reason, unit.detail = "duplicate", "the same image is already in the article"
        seen.update(sources)


def _has_real_image(unit: Unit) -> bool:
    nodes = [unit.element] if unit.kind != "image" or not unit.pieces else [p for p in unit.pieces if not isinstance(p, str)]
    for node in nodes:
        images = [node] if node.tag == "img" else node.iter("img")
        for image in images:
            if not htmlfigures.image_source(image):
                continue
            sizes = [image.get("width", ""), image.get("height", "")]
            if any(s.isdigit() and int(s) < 50 for s in sizes):
                continue  # icons and tracking pixels
            return True
    return False


def _drop_chrome(units: list[Unit], main: etree._Element) -> None:
    """Drop kept units that sit in an obvious widget (share bar, ad, form...).

    Only containers *below* the article's own container count: a page-wide
    wrapper named "page-with-sidebar" says nothing about the article in it.
    A container full of prose that two extractors kept is the article
    whatever its class says (see ``htmlchrome.holds_prose``); comments are
    prose too, and are never the article.
    """
    main_line = ancestors(main)
    prose: dict[etree._Element, bool] = {}
    for unit in units:
        if not unit.kept:
            continue
        stop = unit.element
        while stop is not None and stop not in main_line:
            stop = stop.getparent()
        reason, node = htmlchrome.chrome_ancestor(unit.element, stop=stop)
        if reason not in htmlchrome.CHROME_REASONS:
            continue
        if reason != "comments" and reconcile.SECOND_OPINION in unit.votes and len(unit.votes) >= 2:
            if node not in prose:
                prose[node] = htmlchrome.holds_prose(node)
            if prose[node]:
                continue
        unit.kept = False
        unit.reason, unit.detail = reason, f"inside <{htmlchrome.describe(node)}>"


def _choose_title(meta: htmlmeta.PageMeta, units: list[Unit], main: etree._Element) -> str:
    """The article's title, preferring the visible headline; marks its unit."""
    declared = set(votes.words(meta.title))
    best: Unit | None = None
    for unit in units:
        if unit.kind != "block" or unit.element.tag != "h1" or not unit.text:
            continue
        words = set(unit.tokens)
        if declared and len(words & declared) >= 0.6 * max(len(words), 1):
            best = unit
            break
        if best is None and inside(unit.element, main):
            best = unit
    title = best.text if best is not None else meta.title
    if best is not None:
        best.is_title = True
        best.kept = False
    for unit in units:
        if unit.kept and unit.text == title and unit is not best:
            unit.kept = False
            unit.reason, unit.detail = "title", "repeats the title"
    return title


def _fallback_title(units: list[Unit], url: str, slug: str) -> tuple[str, CleanWarning]:
    """A page with no ``<title>``, ``<h1>`` or ``og:title``: its first heading, else its URL or slug."""
    headings = [u for u in units if u.kind == "block" and u.element.tag in HEADINGS and u.text]
    heading = next((u for u in headings if u.kept), headings[0] if headings else None)
    if heading is not None:
        heading.is_title, heading.kept = True, False
        title, source = heading.text, "its first heading"
    else:
        title, source = htmlbyline.title_from_url(url, slug), "its URL" if url else "the article's slug"
    if not title:
        raise SnapshotError("the HTML snapshot has no title (no <title>, heading, URL or slug to take one from)")
    warning = CleanWarning(
        text=title,
        kind="no-title",
        detail=f"the page has no <title>, <h1> or og:title; the title was taken from {source}",
        action="kept",
    )
    return title, warning


def _apply_rules(units: list[Unit], rules: CleanRules) -> None:
    """The user's keep rules rescue units; drop rules remove them. Keep wins."""
    for unit in units:
        if not unit.text or unit.is_title:
            continue
        if matches_any(rules.keep, unit.text):
            unit.kept = True
            unit.reason = ""
            continue
        pattern = first_match(rules.drop, unit.text) if unit.kept else None
        if pattern is not None:
            unit.kept = False
            unit.reason, unit.detail = "rule", f"drop rule {pattern!r}"
