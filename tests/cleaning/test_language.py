"""The one language detector: a whole article's language, and a block's against the article's."""

from __future__ import annotations

from pipeline.cleaning.language import detect_language, dominant_script, guess_language

LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod incididunt ut labore et dolore "
    "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea "
    "commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat "
    "nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit "
    "anim id est laborum. "
)
ENGLISH = (
    "The committee said on Tuesday that the new rules would take effect in the spring, and that it was "
    "not yet clear how many of the companies affected by the change had been told. "
)
FRENCH = (
    "Le gouvernement a présenté mardi un projet de loi qui doit permettre aux communes de mieux protéger "
    "les habitants, et les députés sont invités à se prononcer sur le texte dans les prochaines semaines. "
)


def test_an_article_is_read_by_its_script_or_its_most_frequent_words():
    assert detect_language(ENGLISH * 3) == "en"
    assert detect_language(FRENCH * 3) == "fr"
    assert detect_language("東京の天気は晴れです。明日も晴れるでしょう。" * 4) == "ja"
    assert detect_language("今天北京的天气很好，明天也会是晴天，气温在二十度左右。" * 4) == "zh"
    assert detect_language("Сегодня в Москве прошёл дождь, а завтра ожидается солнечная погода." * 2) == "ru"


def test_an_article_too_short_or_unclear_is_unsure():
    assert detect_language("Hello there") == ""
    assert detect_language(LOREM * 3) == ""


def test_filler_text_under_an_english_title_is_not_english():
    # The less frequent words ("a", "do", "but") would lift Lorem ipsum over the share threshold.
    text = "This is a long title with a colon: But the final text here is different " + LOREM * 2
    assert detect_language(text) == ""


def test_a_block_keeps_the_article_language_unless_another_clearly_leads():
    assert guess_language("Home", default="de") == "de"
    assert guess_language("Sie sind im Büro oder bei der Arbeit, wenn sie nicht zu Hause sind", default="en") == "de"
    assert guess_language("作者：王小明", default="en") == "zh"
    assert guess_language("12345", default="fr") == "fr"


def test_japanese_is_told_by_its_kana_among_han():
    assert dominant_script("東京タワー") == "Kana"
    assert dominant_script("北京") == "Han"
