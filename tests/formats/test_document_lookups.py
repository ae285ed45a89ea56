"""The document reader finds its head, title and article, and reads the title, as ElementPath and text_content do."""

from __future__ import annotations

import pytest
from lxml import html

from pipeline.formats.document import _PARSER, parse

DOCUMENTS = [
    "<!DOCTYPE html><html><head><title>A &amp; B</title></head><body><article><p>x</p></article></body></html>",
    "<html><head><title>x<!--c-->y</title></head><body><article>t</article></body></html>",
    "<html><head><title>&#8364; one</title><title>two</title></head><body><article>t</article></body></html>",
    "<html><body><svg><title>in svg</title></svg><article><article>inner</article></article></body></html>",
    "<html><head></head><body><title>late <b>bold</b></title><article>t</article></body></html>",
    "<html><head><?pi x?><title>  spaced\n title </title></head><body><div><article>deep</article></div></body></html>",
    "<title></title><article>t</article>",
    "<html><body><article>no title</article></body></html>",
]


@pytest.mark.parametrize("markup", DOCUMENTS)
def test_the_title_and_article_are_those_elementpath_and_text_content_find(markup: str) -> None:
    root = html.document_fromstring(markup, parser=_PARSER)
    title = root.find(".//title")
    document = parse(markup)
    assert document.title == (title.text_content() if title is not None else "").strip()
    assert html.tostring(document.body) == html.tostring(root.find(".//article"))
