"""A feed of plain values is written as text; its bytes are those of the lxml tree (the general path)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.build.feeds import Feed, FeedEntry, _feed_tree_xml, _plain_feed_xml, feed_xml

#: Values the fast path takes: markup characters, quotes, non-ASCII and astral text, empty values.
_PLAIN_PIECE = st.sampled_from(
    ["", " ", "a", "Zé", "中文", "😀", "&", "&amp;", "<", ">", "]]>", '"', "'", "=", "https://example.org/a?b=1&c=2",
     "2025-09-24T00:00:00Z", "\u00a0", "\u200b", "\ufeff", "\ufffd", "\ue000", "\U0010ffff", "~", "\ud7ff"]
)
#: Values it leaves to the tree: controls, line breaks and tabs, C1 controls, noncharacters.
_OTHER_PIECE = st.sampled_from(["\t", "\n", "\r", "\x01", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"])
PLAIN = st.lists(_PLAIN_PIECE, max_size=6).map("".join)
ANY = st.lists(st.one_of(_PLAIN_PIECE, _OTHER_PIECE), max_size=6).map("".join)


def _feeds(text: st.SearchStrategy[str]) -> st.SearchStrategy[Feed]:
    entry = st.builds(FeedEntry, id=text, title=text, url=text, updated=text, published=text, summary=text,
                      author=text, title_lang=text, summary_lang=text)
    return st.builds(Feed, id=text, lang=text, title=text, author=text, self_url=text, home_url=text,
                     entries=st.lists(entry, max_size=4).map(tuple))


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_feeds(PLAIN))
def test_a_feed_of_plain_values_is_written_as_text_with_the_tree_s_bytes(feed: Feed) -> None:
    text = _plain_feed_xml(feed)
    assert text is not None
    assert text.encode("utf-8") == _feed_tree_xml(feed)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_feeds(ANY))
def test_any_feed_gives_the_tree_s_bytes_or_its_error(feed: Feed) -> None:
    try:
        expected: bytes | str = _feed_tree_xml(feed)
    except ValueError as exc:  # lxml refuses what XML cannot hold
        expected = str(exc)
    try:
        got: bytes | str = feed_xml(feed)
    except ValueError as exc:
        got = str(exc)
    assert got == expected


def test_a_value_with_a_line_break_takes_the_tree() -> None:
    feed = Feed(id="x", lang="fr", title="a\nb", author="", self_url="", home_url="", entries=())
    assert _plain_feed_xml(feed) is None
    assert feed_xml(feed) == _feed_tree_xml(feed)
