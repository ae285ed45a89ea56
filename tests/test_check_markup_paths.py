"""check_markup asks :func:`parse_translation` of the tags alone, once per pair of tag sequences,
and not at all for a message without tags: the verdict must be the one of the whole texts."""

from __future__ import annotations

import random

from pipeline import pairchecks
from pipeline.formats.messages import TOKEN, MarkupMismatch, Message
from pipeline.formats.rebuild import parse_translation

PIECES = ["<a>", "</a>", "<a1>", "</a1>", "<a2>", "</a2>", "<em>", "</em>", "<b/>", "<code/>", "<code>", "</code>",
          "<br/>", "<x>", "</x/>", "<A>", "<", ">", "&lt;", "&amp;", "text ", " ", "<a9>", "</a9>"]
SOURCES = ["Read the <a>report</a> and <em>this</em>.", "Press <code/> then <a1>here</a1> or <a2>there</a2>.",
           "No tags at all.", "A <b/> break, <strong>bold <em>and</em> more</strong>", "<a>unclosed", "1 &lt; 2 &amp; x"]


def _whole_verdict(msgid: str, msgstr: str) -> str | None:
    """What parse_translation says of the whole translation, as check_markup asked it before."""
    names = {m.group(2) for m in TOKEN.finditer(msgid)}
    placeholders = frozenset(m.group(2) for m in TOKEN.finditer(msgid) if m.group(3))
    try:
        parse_translation(msgstr, Message(text=msgid, kind="", shells=dict.fromkeys(names), placeholders=placeholders))  # type: ignore[arg-type]
    except MarkupMismatch as exc:
        return str(exc)
    return None


def _mutated(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(0, 5)):
        at = rng.randint(0, len(text))
        if rng.random() < 0.6:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 6):]
    return text


def test_the_tags_alone_get_the_verdict_of_the_whole_translation() -> None:
    rng = random.Random(16)
    for _ in range(3000):
        msgid = _mutated(rng, rng.choice(SOURCES))
        msgstr = _mutated(rng, rng.choice([msgid, *SOURCES]))
        expected = _whole_verdict(msgid, msgstr)
        found = [p.message for p in pairchecks.check_markup(msgid, msgstr) if "keep every tag of the source" in p.message]
        assert found == ([f"{expected}; keep every tag of the source, each opened and closed in order"] if expected else []), (msgid, msgstr)


def test_dangerous_is_searched_whenever_the_pattern_could_match() -> None:
    """_dangerous skips the search for text that lacks the pattern's words: it must find what the search finds."""
    rng = random.Random(17)
    pieces = ["javascript", "JavaScript", "vbscript", "java\u017fcript", "javascr\u0131pt", "javascr\u0130pt", "DATA", "data",
              "text/html", "svg", ":", " : ", "=", "onclick", "ON", "oN\u212a", "<", "script", "<script", "x", " ", ",", "é", "\u0130",
              "\t", "\u00a0", "\u3000", "scr", "ipt", "da", "ta", "Sſ"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        found, expected = pairchecks._dangerous(text), pairchecks._DANGEROUS.search(text)
        assert (found and found.group(0), found and found.start()) == (expected and expected.group(0), expected and expected.start()), text
