"""The error checks' shortcut (:func:`pipeline.pairchecks._plainly_without_error`) says a translation has no
error only when every one of the checks it stands for finds none."""

from __future__ import annotations

import pytest
import random

from pipeline import pairchecks
from pipeline.formats.messages import TOKEN

SOURCES = [
    "Read the <a>report</a> and <em>this</em>.", "Press <code/> then <a1>here</a1> or <a2>there</a2>.",
    "No tags at all.", "A <b/> break, <strong>bold <em>and</em> more</strong>", "<a>unclosed", "1 &lt; 2 &amp; x",
    "Note: it is 50% of {count} items, %(name)s said", "On the <a>data</a> page: script = none",
]
PIECES = [
    "<a>", "</a>", "<a1>", "</a1>", "<a2>", "</a2>", "<em>", "</em>", "<b/>", "<code/>", "</code>", "<x>", "<A>",
    "<", ">", "-->", "<!--", "<?x", "<p class=x>", "&lt;", "&amp;", "&#60;", "&#x3C;script", "&nbsp;", "&", "%s", "%",
    "{", "{0}", "}", "javascript:", "java\u017fcript:", "data:text/html", "onclick=", "ON\u212aX=", "=", ":",
    "\u202e", "\u202c", "\u2066", "\u2069", "\x00", "\x1f", "\ufffe", "\ud800", "\u0130", "\u0131", "\u00a0",
    " ", "word ", "é", "’", "{name}", "<a1/>", "<br/>", "<script>", "\t", "\n", "\u202f", "\u2060", "\u200e", "\xad",
    "JavaScript :", "data :x,html", "on x =",
]


def _general(msgid: str, msgstr: str) -> list:
    return pairchecks.check_characters(msgid, msgstr) + pairchecks.check_markup(msgid, msgstr) + pairchecks.check_placeholders(msgid, msgstr)


def _mutated(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(0, 4)):
        at = rng.randint(0, len(text))
        chance = rng.random()
        tags = list(TOKEN.finditer(text))
        if chance < 0.15 and tags:  # a tag moved elsewhere
            tag = rng.choice(tags)
            text = text[: tag.start()] + text[tag.end() :]
            at = min(at, len(text))
            text = text[:at] + tag.group(0) + text[at:]
        elif chance < 0.7:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 6):]
    return text


@pytest.mark.slow
def test_the_shortcut_passes_only_translations_the_checks_find_nothing_in() -> None:
    rng = random.Random(16)
    passed = 0
    for _ in range(30000):
        msgid = _mutated(rng, rng.choice(SOURCES))
        msgstr = _mutated(rng, rng.choice([msgid, msgid, *SOURCES]))
        if msgstr and pairchecks._plainly_without_error(msgid, msgstr):
            passed += 1
            assert _general(msgid, msgstr) == [], (msgid, msgstr)
    assert passed > 500  # the shortcut is taken often enough for the comparison to mean something


def test_the_shortcut_takes_the_common_shapes() -> None:
    assert pairchecks._plainly_without_error("Read the report.", "Lisez le rapport.")
    assert pairchecks._plainly_without_error("Read the <a>report</a>.", "Lisez le <a>rapport</a> : voilà.")
    assert pairchecks._plainly_without_error("<a>One</a> and <em>two</em>", "<em>deux</em> et <a>un</a>")
    assert not pairchecks._plainly_without_error("Read the <a>report</a>.", "Lisez le rapport.")
    assert not pairchecks._plainly_without_error("50% off", "50 % de remise")


def test_the_shortcut_finds_the_tags_the_checks_find() -> None:
    """Its tags are :data:`TOKEN`'s matches, as spelled, on any text (and so each holds one "<" and one ">")."""
    rng = random.Random(3)
    for _ in range(5000):
        text = _mutated(rng, rng.choice(SOURCES))
        assert pairchecks._SPELLED_TAG.findall(text) == [match.group(0) for match in TOKEN.finditer(text)], text


def test_printable_text_holds_no_control_the_checks_look_for() -> None:
    """The shortcut leaves printable text unsearched: no character of ``_CONTROL`` is printable."""
    printable_controls = [code for code in range(0x110000) if chr(code).isprintable() and pairchecks._CONTROL.match(chr(code))]
    assert printable_controls == []
    assert pairchecks._without_control("Prix\u00a0: 5\u202f€\tnet") and not pairchecks._without_control("a\u202eb")
