"""The shortcuts of :mod:`pipeline.formats.messages` give what the plain ways give.

Finding the blocks takes a shortcut for a block with no child element and
for a run of empty elements among spaces, deciding whether a text is
translatable one for a text that starts with a letter, and applying a
translation one for a run of text alone; each is checked here against the
general way, on documents, texts and translations made of awkward pieces.
"""

from __future__ import annotations

import pytest
import copy

import re

from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree, html

from helpers.blocks import blocks_walking_every_element
from pipeline.formats.messages import TOKEN, is_translatable_text, iter_blocks, unescape_text
from pipeline.formats.rebuild import _built, _built_in_source_order, _put_built, apply_to_run, parse_translation

_MARKUP = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<em>", "</em>", '<a href="/x">', '<a href="/y">', "</a>",
         "<code>c</code>", "<br>", "<b>", "</b>", "<span>", "<table>", "<tr>", '<img alt="a picture" src="p.png">', '<span class="notranslate">', "</span>",
         '<p translate="no">', '<abbr title="a tip">', "</abbr>", "<div>", "</div>", "<td>", "</td>", "<h2>", "</h2>",
         "<!-- c -->", " ", "\n  ", "\xa0", "<wbr>", "text", "2025", "&lt;", "&amp;lt;", "a &amp; b", "é", "https://example.org/x"]
    ),
    max_size=30,
).map(lambda pieces: "<article>" + "".join(pieces) + "</article>")
_TRANSLATION = st.lists(
    st.sampled_from(["", "texte", "<b>", "</b>", "&lt;", "&amp;", "&amp;lt;", "<a/>", " ", "<", "é", "x<y"]), max_size=8
).map("".join)


def _plain_blocks(root: etree._Element, skip_classes: tuple[str, ...]) -> list[tuple[object, ...]]:
    """The blocks as found element by element (:func:`helpers.blocks.blocks_walking_every_element`), with their shells."""
    return [
        (w.text, w.kind, sorted(w.message.shells), sorted(w.message.placeholders)) if w.message is not None
        else (w.text, w.kind, [], [])
        for w in blocks_walking_every_element(root, skip_classes)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP)
def test_the_blocks_are_those_found_element_by_element(markup: str) -> None:
    root = html.fragment_fromstring(markup)
    for skip_classes in (("notranslate",), ()):
        blocks = [(b.message.text, b.message.kind, sorted(b.message.shells), sorted(b.message.placeholders))
                  for b in iter_blocks(root, skip_classes)]
        assert blocks == _plain_blocks(root, skip_classes)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP, _TRANSLATION)
def test_a_translation_is_applied_as_the_general_way_applies_it(markup: str, translation: str) -> None:
    root = copy.deepcopy(html.fragment_fromstring(markup))  # without the parser's <body>, as its copies are
    for index, block in enumerate(iter_blocks(root)):
        if block.run is None:
            continue
        shortcut, general = copy.deepcopy(root), copy.deepcopy(root)
        shortcut_block, general_block = iter_blocks(shortcut)[index], iter_blocks(general)[index]
        try:
            tree = parse_translation(translation, general_block.message)
        except ValueError as exc:  # MarkupMismatch: the shortcut must refuse it too
            try:
                apply_to_run(shortcut_block.run, translation, shortcut_block.message)
            except ValueError as shortcut_exc:
                assert str(shortcut_exc) == str(exc)
            else:
                raise AssertionError("the shortcut took a translation the general way refuses") from exc
            continue
        apply_to_run(shortcut_block.run, translation, shortcut_block.message)
        _put_built(general_block.run, *_built(tree, general_block.message))
        assert html.tostring(shortcut) == html.tostring(general)
        assert [e.text for e in shortcut.iter()] == [e.text for e in general.iter()]  # None and "" told apart


_PIECE = st.sampled_from(["", "texte", " ", "&lt;", "&amp;", "&amp;lt;", "<", "x<y", "é", "\n", "<zz>", "a&b", "<b/>"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP, st.lists(_PIECE, min_size=1, max_size=40))
def test_a_translation_with_the_tags_in_the_message_order_is_built_as_the_general_way_builds_it(
    markup: str, pieces: list[str]
) -> None:
    root = html.fragment_fromstring(markup)
    for block in iter_blocks(root):
        if block.run is None or not block.message.shells:
            continue
        message = block.message
        tags = TOKEN.findall(message.text)
        texts = iter(pieces * (len(tags) + 1))
        translation = next(texts) + "".join(f"<{c}{n}{s}>" + next(texts) for c, n, s in tags)
        shortcut = _built_in_source_order(translation, message)
        try:
            general = _built(parse_translation(translation, message), message)
        except ValueError:  # MarkupMismatch: a literal tag among them (not the message's order); the shortcut passes
            assert shortcut is None
            continue
        if TOKEN.findall(translation) == tags:
            assert shortcut is not None  # the message's tags in its order: the one pass builds it
        if shortcut is not None:
            assert shortcut[0] == general[0]
            assert [html.tostring(e) for e in shortcut[1]] == [html.tostring(e) for e in general[1]]
            assert [[e.text for e in top.iter()] for top in shortcut[1]] == [[e.text for e in top.iter()] for top in general[1]]


_TEXT = st.lists(
    st.sampled_from(["h", "m", "w", "x", "é", "Ж", "中", "²", "_", "7", " ", "\xa0", "\n", "http://", "https://a.b", "www.",
                     "mailto:", "/p", ".", "<a>", "</a>", "<img/>", "&lt;", "-"]),
    max_size=8,
).map("".join)
_URL_ALONE = re.compile(r"^\s*(?:https?://|www\.|mailto:)\S*\s*$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TAG = re.compile(r"<(/?)([a-z][a-z]*[0-9]*)(/?)>")


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(_TEXT)
def test_a_text_is_translatable_as_the_patterns_say(text: str) -> None:
    stripped = _TAG.sub(" ", text).strip()
    expected = bool(stripped) and not _URL_ALONE.match(stripped) and bool(_LETTER.search(stripped))
    assert is_translatable_text(text) == expected


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["a", "&", "&lt;", "&amp;", "&amp;lt;", "lt;", "amp;", "<", " ", "é"]), max_size=10).map("".join))
def test_a_text_is_unescaped_as_the_two_replacements_unescape_it(text: str) -> None:
    assert unescape_text(text) == text.replace("&lt;", "<").replace("&amp;", "&")
