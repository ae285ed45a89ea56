"""Locale facts the reader's site shows: each language named in itself, and no two alike."""

from __future__ import annotations

from pipeline.formats.site import locale_info


def test_a_pseudo_locale_is_named_apart_from_its_language() -> None:
    assert locale_info("ar").native_name == "العربية"
    assert locale_info("ar_XB").native_name == "العربية (لكنات تجريبية ثنائية الاتجاه)"
    assert locale_info("en_XA").native_name == "English (Pseudo-Accents)"
    assert locale_info("ar_XB").direction == "rtl"


def test_locales_babel_knows_keep_cldr_s_own_names() -> None:
    assert [locale_info(n).native_name for n in ("zh_CN", "zh_TW", "pt_BR", "de_AT")] == [
        "简体中文", "繁體中文", "Português (Brasil)", "Österreichisches Deutsch",
    ]
    assert locale_info("xx_YY").native_name == "xx-YY"  # nothing known: the tag itself


def test_a_script_modifier_names_its_script() -> None:
    assert locale_info("sr_RS@latin").native_name == "Srpski (latinica, Srbija)"
    assert locale_info("sr_RS").native_name == "Српски (ћирилица, Србија)"
    assert locale_info("sr_RS@latin").formatting_locale == "sr_Latn_RS"
