"""The fast GNU line wrapper breaks exactly where the character-by-character one did.

``test_catalogs.py`` compares the writer with ``msgcat`` itself; the wrapper
was then rewritten to classify a field's characters with one ``str.translate``
and walk only its break opportunities. The per-character implementation it
replaced (checked against msgcat on tens of thousands of strings) is kept here
as the reference, and both must agree on real catalogs and on random text.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats import po, po_wrap

SHIPPED = Path(__file__).resolve().parents[1] / "locales"


def _reference_opportunities(text: str, prohibited: set[int]) -> list[bool]:
    classes = [po_wrap._line_class(c) for c in text]
    result = [False] * len(text)
    last_non_space = None
    base = None
    for i in range(1, len(text)):
        before, after = classes[i - 1], classes[i]
        if before != "SP":
            last_non_space = base if before == "CM" and base else before
            if before != "CM":
                base = before
        if i in prohibited or after == "SP":
            continue
        if before == "SP":
            context = last_non_space
            result[i] = not (
                context == "OP"
                or (context == "QU" and after == "OP")
                or (context in ("CL", "CP") and after == "NS")
                or (context == "B2" and after == "B2")
            )
        else:
            result[i] = po_wrap._pair_breaks(last_non_space or before, after)
    return result


def _reference_wrap(portion: str, prohibited: set[int], width: int, start_column: int) -> list[int]:
    possible = _reference_opportunities(portion, prohibited)
    breaks: list[int] = []
    last_break = None
    last_column = start_column
    piece_width = 0
    for index, char in enumerate(portion):
        if possible[index]:
            if last_break is not None and last_column + piece_width > width:
                breaks.append(last_break)
                last_column = 0
            last_break = index
            last_column += piece_width
            piece_width = 0
        piece_width += po_wrap._width(char)
    if last_break is not None and last_column + piece_width > width:
        breaks.append(last_break)
    return breaks


def _reference_escape(portion: str) -> tuple[str, set[int]]:
    out: list[str] = []
    prohibited: set[int] = set()
    for char in portion:
        if char in po_wrap.ESCAPES:
            out.append("\\")
            prohibited.add(len(out))
            out.append(po_wrap.ESCAPES[char])
        else:
            out.append(char)
    text = "".join(out)
    if portion.endswith("\n"):
        prohibited.add(len(text) - 2)
    return text, prohibited


def _check(value: str) -> None:
    for portion in [value, *value.splitlines(keepends=True)]:
        text, prohibited = po_wrap._escaped_portion(portion)
        assert (text, prohibited) == _reference_escape(portion)
        for width, start in ((76, 0), (76, 6), (73, 13), (20, 3)):
            assert po_wrap._wrap_portion(text, prohibited, width, start) == _reference_wrap(text, prohibited, width, start), (
                portion, width, start
            )


def test_same_breaks_on_real_catalogs():
    count = 0
    for path in sorted(SHIPPED.rglob("*.po")):
        for message in po.read_catalog(path):
            for value in (message.id, message.string):
                for text in [value] if isinstance(value, str) else value:
                    _check(text)
                    count += 1
    assert count > 50


MIXED = (
    "Machine learning engineers — « conçoivent » des systèmes; c’est‑à‑dire: 82 % en 2025… "
    "机器学习工程师（ML）负责构建AI系统，2025年增长82%——根据《未来就业报告》[1]。"
    "機械学習エンジニアは「かぎかっこ」ー長音、っゃ小さい仮名。 머신러닝 엔지니어는 인공지능. "
    "Инженеры машинного обучения. مهندسو التعلم الآلي يبنون الأنظمة. "
    "नमस्ते दुनिया a\u0301b\u0308 \u0301x <a1>http://example.com/a</a1> $150,000/yr {name} %(n)s (x) [y] "
)


def test_same_breaks_on_many_scripts():
    for start in range(0, len(MIXED), 7):
        _check(MIXED[start:] + MIXED[:start])


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(set(MIXED + "\n\t\\\"\u00a0\u200b\u3000\u00ad"))), max_size=300))
def test_same_breaks_on_random_text(value):
    _check(value)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_same_breaks_on_any_text(value):
    _check(value)
