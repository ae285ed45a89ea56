"""reading_minutes looks for CJK characters only in texts whose UTF-8 may hold some; it must count as the plain pattern does."""

import pytest
import random
import re

from lxml import html

from pipeline.build import page

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PIECES = [
    "word ", "mot é ", "l'homme ", "’", "-", "12 ", "_", "中", "文", "か", "한", "\u3000", "\u303f", "\u3040",
    "\u30ff", "\u3100", "\u4dbf", "\u4dc0", "\ufaff", "\ufb00", "\uffff", "\U00020000", "عربي ", "жизнь ",
    "\n", ", ", "<b>", "</b>",
]


def _by_pattern(body) -> int:
    text = " ".join(body.itertext())
    cjk = len(_CJK.findall(text))
    words = len(page._WORD.findall(_CJK.sub(" ", text) if cjk else text))
    return max(1, int(words / page.WORDS_PER_MINUTE + cjk / page.CJK_CHARACTERS_PER_MINUTE + 0.5))


@pytest.mark.slow
def test_reading_minutes_counts_as_the_plain_pattern_in_every_script():
    rng = random.Random(16)
    for _ in range(1500):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 1500)))
        body = html.fromstring(f"<div>{text}</div>")
        assert page.reading_minutes(body) == _by_pattern(body)


def test_a_chinese_article_is_read_by_its_characters():
    body = html.fromstring("<div><p>" + "中文" * 600 + "</p><p>and a few words</p></div>")
    assert page.reading_minutes(body) == _by_pattern(body) == 3


def test_each_range_of_cjk_characters_is_counted_alone():
    for character in ("\u3040", "か", "\u30ff", "\u3400", "中", "\u9fff", "한", "\ud7af", "\uf900", "\ufaff"):
        body = html.fromstring(f"<div><p>{character * 1000}</p></div>")
        assert page.reading_minutes(body) == _by_pattern(body) == 3, character


def test_words_are_counted_as_the_word_pattern_finds_them():
    """The count without the list of words (a table for ASCII, a replacement for each other character) is
    the pattern's own, whatever the characters: letters, digits and marks of several scripts, the
    joining apostrophes and hyphen, numerals beyond ASCII, lone surrogates, characters beyond the BMP."""
    rng = random.Random(160)
    unusual = ["’", "ʼ", "²", "½", "٣", "\u0301", "\u00a0", "\ud83d", "\ude00", "\U0001f600", "\U00020000", "ß", "ǅ", "Ⅻ"]
    characters = [chr(code) for code in range(0x3100)] + unusual
    for _ in range(5000):
        text = "".join(
            rng.choice(characters) if rng.random() < 0.4 else rng.choice("ab Z 1-'_\n\t.")
            for _ in range(rng.randint(0, 80))
        )
        assert page._count_words(text, page._characters_beyond_ascii(text.encode("utf-8", "surrogatepass"))) == len(page._WORD.findall(text)), repr(text)


def test_the_text_nodes_are_what_itertext_gives():
    """reading_minutes takes the body's text nodes from a path expression; they must be itertext's strings
    (texts and tails at every depth, comments' and instructions' tails but not their text, the root's tail left out)."""
    from pipeline.formats import document as document_format

    markup = (
        "<html><head><title>T</title></head><body><article>lead <h1>Title <em>here</em></h1>"
        "<p>one<!-- note -->two<?pi x?>three <b>b<i>i</i>after i</b> tail</p>\n  "
        "<ul><li>a</li><li>é ’ 中文</li></ul><script>if (a < b) {}</script><br>last</article>after</body></html>"
    )
    body = document_format.parse(markup).body
    assert page._text_nodes()(body) == list(body.itertext())
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice(_PIECES + ["<!--c-->", "<i>", "</i>", "<br>"]) for _ in range(rng.randint(0, 60)))
        body = html.fromstring(f"<div>{text}</div>")
        assert page._text_nodes()(body) == list(body.itertext()), text
