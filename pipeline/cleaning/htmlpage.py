"""Clean a saved web page (``snapshot.html``) into the article's clean document.

How, and why this way:

1. **Which text is the article** is decided by trafilatura, a maintained
   extractor whose precision/recall on real news pages beats what a page of
   hand-written heuristics reaches (see ``bench/README.md``).
2. **What the clean document looks like** comes from the page itself, not
   from the extractor's own output: trafilatura flattens figures, loses
   captions, table spans, ids and in-page links. So the page is cut into text
   units (paragraphs, headings, list items, tables, figures, the loose text of
   a ``<div>``) and each unit is kept when the extractor kept its text. Kept
   units are rebuilt as semantic HTML5 in page order with their structure
   (lists, quotes, tables, figures) and links made absolute.
3. **What was dropped and why** is every other unit, named by the signals of
   its container (tag, role, class, id): navigation, cookie banner, share
   widget, ... so the report can be reviewed like a diff.
4. The project's ``drop``/``keep`` rules (regular expressions matched against
   a unit's whole text) have the last word, so a user fixes a site's quirks
   without code.

The steps, in order: ``htmlparse`` (parse, remove what is never content),
``htmlunits`` (cut into units), ``votes`` and ``reconcile`` (the extractors'
opinions), ``htmlkeep`` (the cleaner's own checks, the title, the rules),
``htmlbuild`` and ``htmltidy`` (the clean document), ``htmldropped`` (the
report); this module runs them.
"""

from __future__ import annotations

from lxml import etree

from pipeline.cleaning import budget, htmlfigures, htmlmeta, loss, reconcile, votes
from pipeline.cleaning.htmlbuild import build_article
from pipeline.cleaning.htmlbyline import visible_author_in_units
from pipeline.cleaning.htmldropped import interface_texts, report_dropped, suspects
from pipeline.cleaning.htmlkeep import keep_units
from pipeline.cleaning.htmlparse import page_base_url, parse_page, remove_never_content
from pipeline.cleaning.htmltidy import finish_article
from pipeline.cleaning.htmlunits import Unit, collect_units
from pipeline.cleaning.language import detect_language
from pipeline.cleaning.report import CleanResult, CleanWarning
from pipeline.cleaning.tree import collapse_unicode_space
from pipeline.errors import SnapshotError
from pipeline.formats.document import Document
from pipeline.settings import CleanRules


def clean_html(text: str, rules: CleanRules, url: str = "", slug: str = "") -> CleanResult:
    """Clean the decoded text of a saved web page; see the module docstring.

    Raises :class:`SnapshotError` when the page holds no article text, is
    over the size cap or takes more than the time budget (``rules``).
    """
    budget.check_size(len(text.encode("utf-8", "replace")), rules.max_page_bytes)
    with budget.time_budget(rules.time_budget) as deadline:
        return _clean_html(text, rules, url, slug, deadline)


def _clean_html(text: str, rules: CleanRules, url: str, slug: str, deadline: budget.Deadline) -> CleanResult:
    root = parse_page(text)
    body = root.find("body")
    if body is None or not collapse_unicode_space(body.text_content()):
        raise SnapshotError("the HTML snapshot has no visible text (empty <body>)")
    meta = htmlmeta.page_meta(root)
    base_url = page_base_url(root, url)
    htmlfigures.use_noscript_images(body)
    hidden_prose: list[str] = []
    dropped = remove_never_content(body, hidden_prose)
    htmlfigures.promote_captioned_images(body)

    units = collect_units(body)
    large, opinions = _opinions(text, url, units, deadline)
    main = reconcile.choose(units, body, opinions)
    deadline.check()
    title, warnings = keep_units(units, main, meta, rules, url, slug)
    article = build_article(units, base_url)
    finish_article(article, title)
    dropped += report_dropped(units, main)
    language, language_warnings = _article_language(meta.language, article)
    warnings += language_warnings
    if large:
        warnings.append(_large_page_warning(large))
    warnings += loss.loss_warnings(" ".join(article.itertext()), suspects(units, main, hidden_prose), opinions[-1])
    document = Document(
        title=title,
        language=language,
        body=article,
        description=meta.description,
        author=meta.author or visible_author_in_units(units),
        source_url=url,
        published=meta.published,
        modified=meta.modified,
    )
    interface = interface_texts(dropped, meta.language, language)
    return CleanResult(document, dropped, interface, warnings, source_format="html")


def _opinions(text: str, url: str, units: list[Unit], deadline: budget.Deadline) -> tuple[str, tuple[votes.Opinion, ...]]:
    """The extractors' opinions of the page, and why the second opinion was skipped ("" when it was not)."""
    large = votes.too_large_for_second_opinions(len(text), sum(len(u.text) for u in units))
    opinions = votes.trafilatura_opinions(text, url, recall=not large)
    deadline.check()
    opinions += (votes.Opinion(reconcile.SECOND_OPINION) if large else votes.readability_opinion(text, url),)
    deadline.check()
    return large, opinions


def _large_page_warning(large: str) -> CleanWarning:
    return CleanWarning(
        text=large,
        kind="large-page",
        detail="only trafilatura's precision mode judged which text is the article (second opinions "
               "are skipped on pages this large, to bound the time); review the report's dropped blocks",
        action="kept",
    )


def _article_language(declared: str, article: etree._Element) -> tuple[str, list[CleanWarning]]:
    """The declared language unless the article's text clearly reads otherwise."""
    text = " ".join(article.itertext())
    detected = detect_language(text)
    warnings: list[CleanWarning] = []
    if declared and detected and declared.split("-")[0] != detected:
        warnings.append(CleanWarning(
            text=f"the page declares language {declared!r} but the article reads as {detected!r}",
            kind="language-mismatch",
            detail="the site's interface is probably in another language than the article",
            action="kept",
        ))
        return detected, warnings
    if declared:
        return declared, warnings
    if detected:
        return detected, warnings
    warnings.append(CleanWarning(
        text="the article's language is not declared and could not be detected",
        kind="unknown-language",
        detail="set [pipeline] source_language in setup.cfg",
        action="kept",
    ))
    return "", warnings


