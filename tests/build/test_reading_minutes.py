"""reading_minutes looks for CJK characters only in texts whose UTF-8 may hold some; it must count as the plain pattern does."""

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
