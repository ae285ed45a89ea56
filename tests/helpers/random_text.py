"""Random text for the wrapping tests: every script, width and break class the writer meets."""

from __future__ import annotations

import random


#: Runs of characters the generator mixes; each chosen run gives a few of its characters.
POOLS = (
    "abcdefghijklmnop", "ABCXYZ", "0123456789", " ", "   ", ".,;:!?", "$€%+±£¥°‰", "()[]{}<>", "\"'«»‘’“”„",
    "-–—‐/\\|_", "机器学习工程师负责构建人工智能系统", "。、，．：；！？（）《》「」『』【】〈〉", "ぁァっャーゝ々ヽ",
    "한국어엔지니어", "Инженеры машинного", "مهندسو التعلم", "עברית", "नमस्ते दुनिया", "ไทยภาษา",
    "\u0301\u0308\u20dd", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f",
    "\u200d\u200c\u200b\u2060\ufeff\u00ad\u00a0\u202f\u2007", "👍🏻👨\u200d👩\u200d👧🇫🇷🇩🇪☝✌🏽", "\u3000",
    "\t\n\\\"\r\a\b\f\v", "\u2028\u2029\u0085", "０１２ＡＢＣ％＄", "…‥․", "~`^*&#@=", "\x01\x1b\x7f",
    "ｱｲｳﾞ", "𠀀𠀁", "\U000e0041\U000e007f",
)


#: Whole tokens of real messages.
TOKENS = (
    "<a1>", "</a1>", "<b>", "</b>", "<br/>", "{name}", "%(n)s", "%s", "%1$s", "http://example.com/a-b?c=d",
    "US$5", "82%", "1,000.50", "(ML)", "e.g.", "（", "）", "AI（人工智能）", "<a1>（", "\\n", "\n",
)


def random_text(rng: random.Random, longest: int = 40) -> str:
    """A string of up to ``longest`` runs and tokens, now and then any character outside the surrogates."""
    parts = []
    for _ in range(rng.randint(0, longest)):
        draw = rng.random()
        if draw < 0.15:
            parts.append(rng.choice(TOKENS))
        elif draw < 0.2:
            code = rng.randint(0x20, 0x3FFFF)
            parts.append(chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
        else:
            pool = rng.choice(POOLS)
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
    return "".join(parts)
