"""``decode_html``: which charset a page is in, by the trust a browser gives each declaration."""

from __future__ import annotations

from pathlib import Path

import pipeline.formats.encoding
from pipeline.formats.encoding import decode_html

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scrape"


def test_a_wrong_http_charset_gives_way_to_the_meta_declaration():
    page = (FIXTURES / "zh-hans.html").read_text("utf-8").replace("<!--META-->", '<meta charset="gb2312">')
    text, charset, source = decode_html(page.encode("gbk"), "utf-8")
    assert (text, charset, source) == (page, "gbk", "meta")


def test_a_byte_order_mark_decides_and_is_dropped():
    page = (FIXTURES / "fr.html").read_text("utf-8").replace("<!--META-->", "")
    text, charset, source = decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"), "iso-8859-1")
    assert (text, charset, source) == (page, "utf-8", "bom")


def test_latin1_label_decodes_as_windows_1252():
    text, charset, source = decode_html("<p>“café” – 55 €</p>".encode("cp1252"), "ISO-8859-1")
    assert (text, charset, source) == ("<p>“café” – 55 €</p>", "windows-1252", "http")


def test_a_page_its_declared_charset_decodes_is_decoded_once(monkeypatch):
    def no_detection(data: bytes) -> str:
        raise AssertionError("detection decoded the page once more")

    monkeypatch.setattr(pipeline.formats.encoding, "detect_charset", no_detection)
    page = "<p>“café”</p>"
    assert decode_html(page.encode("cp1252"), "windows-1252") == (page, "windows-1252", "http")
    assert decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"), None) == (page, "utf-8", "bom")
