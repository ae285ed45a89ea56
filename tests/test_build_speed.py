"""The fast paths of ``build`` give what the plain ways give.

Each optimisation of the build keeps the output's bytes; these tests pin the
pieces that take a shortcut: the error-only checks, and an article's blocks
found once for all its locales.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html

from pipeline.build import ArticleBlocks, translate_article
from pipeline.checks import ERROR, check_pair, translation_errors
from pipeline.formats.document import Document
from pipeline.formats.messages import iter_blocks

_PIECE = st.one_of(
    st.sampled_from(
        ["<a1>", "</a1>", "<a2>", "<code/>", "<em>", "</em>", "&lt;", "&amp;", "&#60;", "<script>", "onclick=",
         "\u202e", "\u202c", "\x07", "%(author)s", "%s", "{name}", "2025", "1,000", "https://example.org/x", "<!--",
         " ", "a", "é", "中"]
    ),
    st.characters(blacklist_categories=("Cs",)),
)
TEXT = st.lists(_PIECE, max_size=20).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_translation_errors_are_the_errors_of_check_pair(msgid: str, msgstr: str) -> None:
    assert translation_errors(msgid, msgstr) == [p for p in check_pair(msgid, msgstr) if p.severity == ERROR]


def test_translation_errors_leave_out_warnings_only() -> None:
    msgid, msgstr = "Read <a1>the 2025 report</a1> at https://example.org/r.", "Lisez <a1>le rapport</a1>."
    assert [p.code for p in check_pair(msgid, msgstr)] == ["number", "url"]
    assert translation_errors(msgid, msgstr) == []
    assert [p.code for p in translation_errors(msgid, "Lisez <b>le</b> rapport")] == ["markup", "markup"]


BODY = (
    '<article><h1>What is it?</h1><p>Read <a href="/x">the report</a> and <a href="/y">notes</a>.</p>'
    '<p>Run <code>ls</code> now.</p><p><img src="c.png" alt="A chart of things"></p>'
    "<ul><li>One thing<ul><li>Another thing</li></ul>and after</li></ul>"
    '<!-- a comment --><p title="A tooltip here">Some <em>text</em> <span class="notranslate">kept</span>.</p>'
    "</article>"
)


def _translations(body) -> list[dict[str, str]]:
    msgids = [b.message.text for b in iter_blocks(copy.deepcopy(body))]
    full = {m: m.upper().replace("<A", "<a").replace("</A", "</a").replace("<CODE/>", "<code/>")
            .replace("<EM>", "<em>").replace("</EM>", "</em>").replace("<IMG/>", "<img/>")
            .replace("<SPAN/>", "<span/>") for m in msgids}
    half = {m: t for i, (m, t) in enumerate(full.items()) if i % 2}
    broken = {m: t + "<b>" for m, t in full.items()}
    return [full, half, {}, broken]


def test_blocks_found_once_translate_every_locale_as_blocks_found_each_time() -> None:
    body = html.fragment_fromstring(BODY)
    doc = Document(title="What is it?", language="en", body=body, description="About it.")
    shared = ArticleBlocks(doc.body, ("notranslate",))
    for table in _translations(body):  # one after another on the same shared blocks, as a build's locales
        alone = translate_article(doc, table, "en", ("notranslate",), None)
        reused = translate_article(doc, table, "en", ("notranslate",), None, article_blocks=shared)
        assert html.tostring(reused.body) == html.tostring(alone.body)
        assert (reused.blocks, reused.fallbacks, reused.rejected) == (alone.blocks, alone.fallbacks, alone.rejected)
        assert reused.warnings == alone.warnings
    assert html.tostring(doc.body) == html.tostring(html.fragment_fromstring(BODY))  # the document is untouched
