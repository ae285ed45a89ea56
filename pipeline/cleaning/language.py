"""Which script and language a piece of text is in: one detector, two questions.

A whole article (is the page's declared language right?) is judged on the
share of its words that are a language's most frequent words, and "unsure" is
an answer. A block of a text dump (is it the site's interface in another
language?) is judged against the article's language: only a clear lead of
another language overrides it. Telling scripts apart (Han against Latin) is
reliable; for two languages in the same script, common short words are enough.
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

#: Each language's stop words: its most frequent words, then less frequent ones.
#: A whole article is judged on the first (their share of a real text is
#: stable, so a share threshold means something); with the second, filler text
#: passes it (Lorem ipsum's "a" and "do" read as English). A short block has too
#: few words for a share, so both count there.
_STOPWORDS = {
    "en": ("the and of to in is that for it with as was on be by this are from have not",
           "you or an they which at but can what how their will more your has a do does did we if so all about "
           "when who there one would should"),
    "de": ("der die und das ist nicht mit den von sich auf für ein eine dem des auch wird",
           "zu im sind als oder bei werden sie"),
    "fr": ("le la les et des est une pour que dans qui pas sur du au par avec sont cette",
           "plus vous ce aux ou ses leur mais nous"),
    "es": ("el la los las y de que en es por para una con del se su como más pero",
           "un no lo al sus le ya o este son"),
    "it": ("il la che di e per una non sono della con del gli nel anche come più questo",
           "lo le un è si in da al ma"),
    "pt": ("o a os as e de que em um uma para com não por mais do da como são",
           "se na no dos das mas ao ele"),
    "nl": ("de het een en van is dat op te niet met voor zijn ook maar bij als",
           "in er om aan dan"),
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
    """The language of a block of a text dump; ``default`` (the article's) when unsure."""
    script = dominant_script(text)
    if script is None:
        return default
    if script != "Latin":
        return _SCRIPT_LANGUAGE.get(script, default)
    words = _words(text)
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in _stopword_set(lang)) for lang in _STOPWORDS}
    best, score = max(scores.items(), key=lambda item: (item[1], item[0] == default))
    # Short labels share words across languages; only a clear lead overrides the default.
    if score < 3 or scores.get(default, 0) * 2 >= score:
        return default
    return best


#: Scripts that name the article's language when they hold this share of its letters.
_ARTICLE_SCRIPTS = ("Kana", "Hangul", "Han", "Cyrillic", "Arabic", "Hebrew", "Greek")
_SCRIPT_SHARE = 0.3


def detect_language(text: str) -> str:
    """The language of a whole article from its text, or "" when unsure.

    A deliberately small detector (script, then frequent words) so that the
    tool needs no language-model dependency; it only has to tell the common
    cases apart and say "unsure" otherwise. A long text is judged on a
    sample spread over it, which says as much and keeps the work bounded.
    """
    text = _sample(text)
    scripts = script_counts(text)
    letters = sum(scripts.values())
    if letters < 40:
        return ""
    for script in _ARTICLE_SCRIPTS:
        if scripts[script] > _SCRIPT_SHARE * letters:
            return _SCRIPT_LANGUAGE[script]
    words = _words(text)
    if len(words) < 20:
        return ""
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in frequent.split()) for lang, (frequent, _) in _STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < 0.08 * len(words) or best_score < 1.5 * second_score:
        return ""
    return best


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


@lru_cache(maxsize=None)
def _stopword_set(language: str) -> frozenset[str]:
    return frozenset(" ".join(_STOPWORDS[language]).split())


#: A text longer than this many characters is judged on a sample this long
#: (``_SAMPLE_PIECES`` evenly spaced pieces).
_SAMPLE_CHARS = 200_000
_SAMPLE_PIECES = 20


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    piece = _SAMPLE_CHARS // _SAMPLE_PIECES
    step = len(text) // _SAMPLE_PIECES
    return " ".join(text[i * step : i * step + piece] for i in range(_SAMPLE_PIECES))
