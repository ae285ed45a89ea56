"""The article body is serialized in one call (page._serialized_groups); it must give what serializing
each element alone gives (page._joined_html), whatever the body holds."""

import copy
import random

import pytest
from lxml import html

from pipeline.build import page

_PIECES = [
    "<h1>Title <em>here</em></h1>",
    "<p>Plain text, é and 中文.</p>",
    '<p>A <a href="https://example.org/?a=1&amp;b=2" title="x > y">link</a> &amp; &lt;tag&gt;</p>',
    "<div><p>one</p><p>two</p></div>",
    "<ul><li>a</li><li>b <b>c</b></li></ul>",
    '<section id="references"><h2>Sources</h2><ol><li>r1</li><li>r2</li></ol></section>',
    '<section id="references"></section>',
    "<!-- a comment -->",
    "<?pi data?>",
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    '<script>if (a < b && c > d) { x = "</p>"; }</script>',
    "<pre>\n  kept\n    as is\n</pre>",
    "<p>\ufdd5 a group end in the text</p>",
    '<p title="\ufdd5">in an attribute</p>',
    "<br>",
    "<table><tbody><tr><td>1</td></tr></tbody></table>",
]


def _body(rng: random.Random):
    markup = "".join(rng.choice(_PIECES) + rng.choice(["", "\n  ", " tail "]) for _ in range(rng.randint(0, 8)))
    text = rng.choice(["", "\n  ", "lead \ufdd5 "])
    return html.fromstring(f"<html><body><article class='a'>{text}{markup}</article></body></html>").find(".//article")


def _expected(body) -> tuple[str, str, str]:
    """What _split_article gives for the heading, the text before and after the sources, element by element."""
    children = [c for c in body if isinstance(c.tag, str)]
    heading = children[0] if children and children[0].tag == "h1" else None
    rest = children[1:] if heading is not None else children
    references = next((c for c in rest if c.tag == "section" and c.get("id") == "references"), None)
    at = rest.index(references) if references is not None else len(rest)
    heading_html = page._joined_html([heading]) if heading is not None else ""
    return heading_html, page._inner_html(rest[:at]), page._inner_html(rest[at + 1 :])


@pytest.mark.parametrize("seed", range(4))
def test_one_call_serialization_is_each_element_serialized_alone(seed):
    rng = random.Random(seed)
    for _ in range(300):
        body = _body(rng)
        before = html.tostring(body)
        split = page._split_article(copy.deepcopy(body))
        assert (split["heading_html"], split["body_html"], split["after_html"]) == _expected(copy.deepcopy(body))
        assert html.tostring(body) == before


def test_one_call_serialization_serves_the_common_shape_and_leaves_the_body_as_it_was():
    body = html.fromstring(
        "<html><body><article>\n  <h1>T</h1>\n  <p>a</p>\n  <div><p>b</p></div>\n</article></body></html>"
    ).find(".//article")
    children = list(body)
    groups = [children[:1], children[1:], [], []]
    assert page._serialized_groups(body, groups) == ["<h1>T</h1>", "<p>a</p>\n<div><p>b</p></div>", "", ""]
    assert [c.tail for c in body] == ["\n  ", "\n  ", "\n"] and body.text == "\n  "
