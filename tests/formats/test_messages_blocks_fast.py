"""A message's tags are written with their base names as its elements are found,
and written again only when some name is numbered; runs of spaces alone between
block children are passed over before a message is made; the elements inside a
block of one run are not walked again for their attributes when making its
message looked at them all. Checked here: every tag
of a message names one of its shells (a placeholder's tag self-closing), so a
numbered name never keeps the tag of its base name, and the blocks are those
found element by element.
"""

from __future__ import annotations

import pytest
import copy

from hypothesis import HealthCheck, example, given, settings, strategies as st
from lxml import html

from helpers.blocks import blocks_walking_every_element
from pipeline.formats.messages import (
    TOKEN, _inside_inline, is_translatable_text, iter_blocks, iter_runs,
    run_message, skipped,
)

_MARKUP = st.lists(
    st.sampled_from(
        ['<a href="/x">', '<a href="/y">', "<a>", "</a>", "<h2>", "</h2>", "<h3>", "</h3>", "<em>", "</em>", "<b>",
         "</b>", "<br>", '<img src="a.png">', '<img src="b.png">', "<code>c</code>", "<code>d</code>", "<x-y>", "</x-y>",
         "<p>", "</p>", "<div>", "</div>", "<ul>", "<li>", "</li>", "</ul>", '<img alt="a picture">', '<abbr title="a tip">', "</abbr>",
         '<span class="notranslate">', "</span>", '<em aria-label="a label">', "<td>", "</td>", "<figure>", "</figure>", " ", "\n  ", "\xa0", "\u2003", "word", "<!-- c -->"]
    ),
    max_size=30,
).map(lambda pieces: "<article>" + "".join(pieces) + "</article>")


def _article(markup: str):
    return copy.deepcopy(html.fragment_fromstring(markup))  # without the parser's <body>, an inline parent


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP)
def test_every_tag_of_a_message_names_one_of_its_shells(markup: str) -> None:
    for block in iter_blocks(_article(markup)):
        message = block.message
        for match in TOKEN.finditer(message.text):
            closing, name, self_closing = match.groups()
            assert name in message.shells
            assert bool(self_closing) == (name in message.placeholders)
            assert not (closing and self_closing)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP)
@example('<article><span class="notranslate"><h2><h2>word</article>')
def test_the_runs_passed_over_are_never_translatable(markup: str) -> None:
    root = _article(markup)
    found = {(b.run.owner, b.run.starts_with_text, b.run.anchor) for b in iter_blocks(root) if b.run is not None}
    for element in root.iter("article", "p", "div", "li", "h2", "h3"):
        if _inside_inline(element):
            continue  # its runs belong to the message of the inline run it is in
        if any(skipped(e, ("notranslate",)) for e in (element, *element.iterancestors())):
            continue  # left out with the skipped element it is in, however deep
        for run in iter_runs(element):
            if (run.owner, run.starts_with_text, run.anchor) not in found and not run.children:
                assert not is_translatable_text(run_message(run, "text block", ("notranslate",)).text)


def _element_by_element(root, skip_classes: tuple[str, ...]) -> list[tuple[object, ...]]:
    """The blocks as found element by element (:func:`helpers.blocks.blocks_walking_every_element`), with their runs."""
    return [
        (w.text, w.kind, w.run.owner, w.run.anchor, w.run.children) if w.run is not None
        else (w.text, w.kind, w.element, w.attribute)
        for w in blocks_walking_every_element(root, skip_classes)
    ]


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP)
@example("<article><li>a<em>b<div>c<p>word</p></div></em></li></article>")  # a block kind's runs inside a run
@example('<article><td><b>x</b><div><span title="a tip">y</span></div></td></article>')  # a block child: two runs
def test_the_blocks_are_those_found_walking_every_element(markup: str) -> None:
    root = _article(markup)
    for skip_classes in (("notranslate",), ()):
        blocks = [
            (b.message.text, b.message.kind, b.run.owner, b.run.anchor, b.run.children) if b.run is not None
            else (b.message.text, b.message.kind, b.element, b.attribute)
            for b in iter_blocks(root, skip_classes)
        ]
        assert blocks == _element_by_element(root, skip_classes)
