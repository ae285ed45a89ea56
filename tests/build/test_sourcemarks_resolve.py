"""resolve finds the raw-text elements' tags once per page; it must answer as looking back from each marked run does."""

import random
import re

from pipeline.build import sourcemarks
from pipeline.build.sourcemarks import (
    CLOSE,
    NAME_CLOSE,
    NAME_OPEN,
    NAME_SPLIT,
    OPEN,
    resolve,
)

_MARKED = re.compile(f"{OPEN}(.*?){CLOSE}", re.DOTALL)
_NAMES = re.compile(f"{NAME_OPEN}(.*?){NAME_SPLIT}(.*?){NAME_CLOSE}", re.DOTALL)
_SENTINELS = re.compile(f"[{OPEN}{CLOSE}{NAME_OPEN}{NAME_SPLIT}{NAME_CLOSE}]")


def _no_element_here(text: str, at: int) -> bool:
    if text.rfind("<", 0, at) > text.rfind(">", 0, at):
        return True
    return any(text.rfind(f"<{name}", 0, at) > text.rfind(f"</{name}>", 0, at) for name in sourcemarks._RAW_TEXT)


def _resolve_by_looking_back(text: str, attributes: str) -> str:
    """The general form: every search from the run's place back to the start of the page."""
    if OPEN not in text and NAME_OPEN not in text:
        return text
    parts, position = [], 0
    for match in _MARKED.finditer(text):
        parts.append(_NAMES.sub(r"\1", text[position : match.start()]))
        inside = _NAMES.sub(r"\2", match.group(1))
        parts.append(inside if _no_element_here(text, match.start()) else f"<span{attributes}>{inside}</span>")
        position = match.end()
    parts.append(_NAMES.sub(r"\1", text[position:]))
    return _SENTINELS.sub("", "".join(parts))


_PIECES = [
    "<", ">", "<title>", "</title>", "<title", "</title", "<titles>", "<script>", "</script>", "</script >",
    "<scrip", "<style", "</style>", "<textarea>", "</textarea>", OPEN, CLOSE, NAME_OPEN, NAME_SPLIT,
    NAME_CLOSE, "a", " ", "<p>", "x>", "&",
]


def test_resolve_matches_looking_back_on_hostile_pages():
    rng = random.Random(16)
    for _ in range(5000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30)))
        assert resolve(text, ' lang="en"') == _resolve_by_looking_back(text, ' lang="en"'), repr(text)


def test_resolve_marks_text_but_not_the_title_or_an_attribute():
    page = (
        f"<title>{OPEN}Articles{CLOSE}</title><a title=\"{OPEN}x{CLOSE}\">{OPEN}All{CLOSE}</a>"
        f"<script>{OPEN}s{CLOSE}</script><p>{NAME_OPEN}fr{NAME_SPLIT}en{NAME_CLOSE} {OPEN}in {NAME_OPEN}fr{NAME_SPLIT}en{NAME_CLOSE}{CLOSE}</p>"
    )
    expected = '<title>Articles</title><a title="x"><span lang="en">All</span></a><script>s</script><p>fr <span lang="en">in en</span></p>'
    assert resolve(page, ' lang="en"') == expected == _resolve_by_looking_back(page, ' lang="en"')


def test_a_page_without_marked_runs_resolves_its_values_as_the_page_writes_them():
    """Every template string translated: no run, only values given both ways (resolved without the runs' search)."""
    rng = random.Random(17)
    pieces = [piece for piece in _PIECES if piece not in (OPEN, CLOSE)]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert resolve(text, ' lang="en"') == _resolve_by_looking_back(text, ' lang="en"'), repr(text)
    page = f"<time>{NAME_OPEN}2 décembre{NAME_SPLIT}December 2{NAME_CLOSE}</time>"
    assert resolve(page, ' lang="en"') == "<time>2 décembre</time>"
