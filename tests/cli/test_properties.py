"""Property-based tests: generated catalogs, HTML and translations never crash the tool.

Only :class:`~pipeline.errors.PipelineError` subclasses (and, inside the
message format, ``MarkupMismatch``, which the build turns into a fallback)
may come out; anything else would be a traceback for a user.
"""

from __future__ import annotations

import copy

import pytest

from babel.messages.catalog import Catalog
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html

from pipeline.build.translation import translate_article
from pipeline.pairchecks import check_pair
from pipeline.cleaning.htmlpage import clean_html
from pipeline.cleaning.textdump import clean_text
from pipeline.errors import PipelineError
from pipeline.formats.document import Document
from pipeline.formats.messages import MarkupMismatch, iter_blocks
from pipeline.formats.rebuild import apply_to_run
from pipeline.formats.po import format_catalog, parse_catalog
from pipeline.settings import CleanRules

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text a translator could type, with the characters that matter to the formats.
_PIECE = st.one_of(
    st.sampled_from(list('"\\\n\t\r<>/&;#%(){}[]=\'a1 ') + ["<a1>", "</a1>", "<code/>", "&lt;", "&amp;", "\u202e", "\u2069", "\u2028", "\x85", "%(author)s"]),
    st.characters(blacklist_categories=("Cs",)),
)
TEXT = st.lists(_PIECE, max_size=30).map("".join)
MSGID = TEXT.filter(lambda s: s != "")


@pytest.mark.slow
@SETTINGS
@given(st.dictionaries(MSGID, TEXT, min_size=1, max_size=8), st.one_of(st.none(), TEXT))
def test_po_write_then_read_gives_back_every_message(entries: dict[str, str], context) -> None:
    catalog = Catalog(locale="fr", fuzzy=False)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, context=context)
    data = format_catalog(catalog)
    back = parse_catalog(data)
    for msgid, msgstr in entries.items():
        message = back.get(msgid, context=context)
        assert message is not None, msgid
        assert message.string == msgstr
    assert format_catalog(back) == data


@SETTINGS
@given(st.binary(max_size=400))
def test_reading_any_bytes_is_a_catalog_or_a_catalog_error(data: bytes) -> None:
    try:
        parse_catalog(data, "x.po")
    except PipelineError as exc:
        assert exc.message.startswith("x.po:")


@SETTINGS
@given(st.text(max_size=300))
def test_reading_any_text_is_a_catalog_or_a_catalog_error(text: str) -> None:
    try:
        parse_catalog(text.encode("utf-8", "surrogatepass"), "x.po")
    except PipelineError as exc:
        assert exc.message.startswith("x.po:")


TAGS = st.sampled_from(["p", "a", "em", "b", "code", "div", "span", "h2", "ul", "li", "img", "br", "script", "table", "td"])


@st.composite
def html_fragments(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(TAGS)
            attrs = draw(st.sampled_from(["", ' href="https://example.org/x"', ' alt="A picture of x"', ' class="notranslate"', ' translate="no"', " title='t &amp; u'"]))
            inner = draw(html_fragments(depth=depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
        else:
            parts.append(draw(TEXT).replace("\x00", ""))
    return "".join(parts)




def test_clean_html_survives_control_characters() -> None:
    page = "<html><body><article><h1>Title here</h1><p>a\x1f b c d e f g h i j k l m n o p</p></article></body></html>"
    try:
        clean_html(page, CleanRules(), url="https://example.org/a")
    except PipelineError:
        pass


def test_text_dump_survives_control_characters() -> None:
    result = clean_text("Title\x00 here\n\nA paragraph\x1f with some words in it.\n", CleanRules())
    assert "A paragraph with some words" in html.tostring(result.document.body, encoding="unicode")


@pytest.mark.slow
@SETTINGS
@given(html_fragments())
def test_clean_html_never_crashes(fragment: str) -> None:
    page = f"<html><head><title>T</title></head><body><article><h1>Title here</h1>{fragment}</article></body></html>"
    try:
        clean_html(page, CleanRules(), url="https://example.org/a")
    except PipelineError:
        pass


@SETTINGS
@given(html_fragments(), TEXT)
def test_any_translation_applies_or_is_refused(fragment: str, translation: str) -> None:
    root = html.fragment_fromstring(f"<article><p>{fragment}</p><p>Plain words here.</p></article>")
    for block in list(iter_blocks(root)):
        if block.run is None:
            continue
        if check_pair(block.message.text, translation):
            continue  # refused by the checks: the build shows the source text
        try:
            apply_to_run(block.run, translation, block.message)
        except MarkupMismatch:
            continue
        html.tostring(root)  # what is applied can be serialized


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_the_builder_takes_any_translation(translations: list[str]) -> None:
    body = html.fragment_fromstring(
        '<article><h1>What is it?</h1><p>Read <a href="/x">the report</a> and <a href="/y">notes</a>.</p>'
        '<p>Run <code>ls</code> now.</p><p><img src="c.png" alt="A chart of things"></p>'
        "<ul><li>One thing<ul><li>Another thing</li></ul></li></ul></article>"
    )
    doc = Document(title="What is it?", language="en", body=body, description="About it.")
    msgids = [b.message.text for b in iter_blocks(copy.deepcopy(body))] + ["What is it?", "About it."]
    table = {msgid: translations[i % len(translations)] for i, msgid in enumerate(msgids)}
    result = translate_article(doc, table, "en", ("notranslate",))
    serialized = html.tostring(result.body, encoding="unicode")
    assert "<script" not in serialized
    assert result.fallbacks + result.rejected >= result.rejected
