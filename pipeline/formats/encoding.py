"""HTML bytes to text: which charset a page is in, and its text in it.

``scrape`` records the charset a page was decoded with in its provenance and
``clean`` decodes the snapshot with it, by these same rules, so a saved page
and a fetched one read alike.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator

#: Labels pages use -> (name recorded, Python codec that decodes it). As in
#: the WHATWG Encoding Standard, a legacy label decodes with the superset
#: browsers use, so "gb2312" pages with GBK characters still come out right.
_LABELS: dict[str, tuple[str, str]] = {}


def _label(record: str, codec: str, *labels: str) -> None:
    for label in (record, codec, *labels):
        _LABELS[label] = (record, codec)


_label("utf-8", "utf-8", "utf8", "unicode-1-1-utf-8", "utf_8")
_label("windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii",
       "us-ascii", "ansi_x3.4-1968", "iso_8859-1", "cp819", "ibm819", "x-cp1252", "windows1252")
_label("gbk", "gb18030", "gb2312", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "x-gbk",
       "iso-ir-58", "euc-cn", "cp936")
_label("gb18030", "gb18030")
_label("big5", "big5hkscs", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950")
_label("shift_jis", "cp932", "shift-jis", "sjis", "ms_kanji", "csshiftjis", "windows-31j",
       "x-sjis", "ms932", "shift_jis_2004")
_label("euc-jp", "euc_jp", "x-euc-jp", "cseucpkdfmtjapanese")
_label("iso-2022-jp", "iso2022_jp", "csiso2022jp")
_label("euc-kr", "cp949", "ks_c_5601-1987", "windows-949", "korean", "cseuckr", "ks_c_5601-1989")
_label("windows-1254", "cp1254", "iso-8859-9", "latin5", "l5")
_label("windows-874", "cp874", "tis-620", "iso-8859-11")


def normalize_charset(label: str | None) -> tuple[str, str] | None:
    """(recorded name, Python codec) for a charset label, or None when unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    if name in _LABELS:
        return _LABELS[name]
    return key, name


def sniff_bom(data: bytes) -> str | None:
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return name
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset of ``<meta charset>``, ``<meta http-equiv>`` or an XML declaration."""
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data[:32768], is_html=True, search_entire_document=True)
    if declared and declared.startswith("utf-16"):
        return "utf-8"  # the bytes were read as ASCII to find it, so it cannot be UTF-16 (WHATWG)
    return declared


_TAG = re.compile(rb"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)


def detect_charset(data: bytes) -> str | None:
    """Guess from the bytes: UTF-8 when they are valid UTF-8, else charset-normalizer."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Markup is ASCII in every encoding here and dilutes the statistics, so
    # look at the text alone ('<' and '>' are never trail bytes of CJK codes).
    text_only = _TAG.sub(b" ", data)
    best = from_bytes(text_only or data).best()
    return best.encoding if best is not None else None


def decode_html(data: bytes, http_charset: str | None) -> tuple[str, str, str]:
    """Decode a page: (text, charset name, how it was decided).

    Trust, highest first: a byte order mark ("bom", which browsers let win
    over the header, since a BOM is never there by accident), the HTTP charset
    ("http"), ``<meta charset>``/``http-equiv`` ("meta"), then detection
    ("detected"). A declared charset that does not decode the bytes cleanly is
    passed over for the next one; when none does, the most trusted decodes
    with replacement characters. The BOM is not part of the returned text.
    """
    usable: list[tuple[str, str, str]] = []
    for label, source in _candidates(data, http_charset):
        known = normalize_charset(label)
        if known is None:
            continue
        record, codec = known
        usable.append((record, codec, source))
        try:
            return _decode(data, codec, "strict"), record, source
        except UnicodeDecodeError:
            continue
    record, codec, source = usable[0] if usable else ("windows-1252", "cp1252", "detected")
    return _decode(data, codec, "replace"), record, source


def _candidates(data: bytes, http_charset: str | None) -> Iterator[tuple[str, str]]:
    """(label, source) of each charset the page may be in, most trusted first; each found only
    when the ones before it did not decode the page (detection decodes it once more)."""
    bom = sniff_bom(data)
    if bom:
        yield bom, "bom"
    if http_charset:
        yield http_charset, "http"
    meta = declared_charset(data)
    if meta:
        yield meta, "meta"
    detected = detect_charset(data)
    if detected:
        yield detected, "detected"


def _decode(data: bytes, codec: str, errors: str) -> str:
    # utf-8-sig and the utf-16 codecs with a BOM drop it; others keep a stray one.
    if codec in ("utf-8", "utf_8"):
        return data.decode("utf-8-sig", errors)
    if codec.startswith("utf-16") or codec.startswith("utf_16"):
        bom = sniff_bom(data)
        if bom and bom.startswith("utf-16"):
            data = data[2:]
    return data.decode(codec, errors)
