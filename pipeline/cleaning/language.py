"""Which script and language a piece of text is in.

Scrapes mix the article with site interface text in another language; telling
them apart by script (Han against Latin) is reliable, and for two languages in
the same script a few hundred common words are enough on sentence-length text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

#: Unicode character-name prefixes -> script.
_SCRIPT_PREFIXES = (
    ("CJK", "Han"),
    ("HIRAGANA", "Kana"),
    ("KATAKANA", "Kana"),
    ("HANGUL", "Hangul"),
    ("LATIN", "Latin"),
    ("CYRILLIC", "Cyrillic"),
    ("ARABIC", "Arabic"),
    ("HEBREW", "Hebrew"),
    ("GREEK", "Greek"),
    ("DEVANAGARI", "Devanagari"),
    ("THAI", "Thai"),
)

#: The language a script implies when only one language is likely.
_SCRIPT_LANGUAGE = {
    "Han": "zh",
    "Kana": "ja",
    "Hangul": "ko",
    "Cyrillic": "ru",
    "Arabic": "ar",
    "Hebrew": "he",
    "Greek": "el",
    "Devanagari": "hi",
    "Thai": "th",
}

_STOPWORDS = {
    "en": "the of and to in is that for it with as was on are be by this you from or have an they which at not but can what how their will more your has a do does did we if so all about when who there one would should",
    "fr": "le la les des et est que une pour dans qui pas sur sont par avec plus vous ce cette du au aux ou ses leur mais nous",
    "de": "der die das und ist nicht ein eine zu den mit von sich auf für dem des im sind wird auch als oder bei werden sie",
    "es": "el la los las de que y en un una es por con para no se del lo al como más pero sus le ya o este son",
    "pt": "o a os as de que e do da em um uma para com não se na no por mais dos das como mas ao ele são",
    "it": "il lo la gli le di che e un una è per con non si del della in da al come più ma sono anche",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er om ook als dan maar bij",
}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter, or None for digits, punctuation and symbols."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "Other"


def script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for char in text:
        script = script_of(char)
        if script:
            counts[script] += 1
    return counts


def dominant_script(text: str) -> str | None:
    counts = script_counts(text)
    if not counts:
        return None
    # Japanese mixes Kana and Han: any Kana makes the text Japanese.
    if counts.get("Kana", 0) and counts.get("Han", 0):
        return "Kana"
    return counts.most_common(1)[0][0]


def guess_language(text: str, default: str = "en") -> str:
    """A two-letter language code for ``text``; ``default`` when unsure."""
    script = dominant_script(text)
    if script is None:
        return default
    if script != "Latin":
        return _SCRIPT_LANGUAGE.get(script, default)
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in _stopword_set(lang)) for lang in _STOPWORDS}
    best, score = max(scores.items(), key=lambda item: (item[1], item[0] == default))
    # Short labels share words across languages; only a clear lead overrides the default.
    if score < 3 or scores.get(default, 0) * 2 >= score:
        return default
    return best


@lru_cache(maxsize=None)
def _stopword_set(language: str) -> frozenset[str]:
    return frozenset(_STOPWORDS[language].split())
